//! The scenario loader and validator on arbitrary bytes: decoding, RON parsing, duplicate keys,
//! validation with located problems. Any input must give a scenario or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = escalate::scenario::text::decode(data) else {
        return;
    };
    if let Err(e) = escalate::scenario::parse_scenario("fuzz.ron", &text) {
        // Formatting the error walks the located excerpts too.
        let _ = e.to_string();
    }
});
