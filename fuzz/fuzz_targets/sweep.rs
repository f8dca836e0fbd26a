//! The sweep loader on arbitrary bytes (its base scenario built in, so no file is read): parsing,
//! parameter paths, design sizes checked before allocation, every point validated.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = escalate::scenario::text::decode(data) else {
        return;
    };
    let overrides = escalate::sweep::load::Overrides::default();
    if let Err(e) = escalate::sweep::load::parse_sweep(
        "fuzz.ron",
        &text,
        std::path::Path::new("/nonexistent-fuzz-dir"),
        &overrides,
    ) {
        let _ = e.to_string();
    }
});
