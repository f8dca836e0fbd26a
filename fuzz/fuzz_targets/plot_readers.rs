//! The readers behind `escalate plot`: a result folder whose files are cut from the fuzzer's bytes
//! (summary.json, manifest.json and the plot-data CSVs), rendered into a temporary folder. Any
//! content must give plots or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FILES: &[&str] = &[
    "summary.json",
    "manifest.json",
    "timeline.csv",
    "survival.csv",
    "highest_rung.csv",
    "attribution.csv",
    "triggers.csv",
];

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    // The bytes split on 0xFF into one file each (a file left empty when the bytes run out).
    let mut parts = data.split(|b| *b == 0xFF);
    for name in FILES {
        let _ = std::fs::write(dir.path().join(name), parts.next().unwrap_or_default());
    }
    let _ = escalate::cli::plot::render(dir.path(), false);
});
