//! An interrupted run (SIGTERM, as from Ctrl-C or a scheduler) leaves nothing behind.
#![cfg(unix)]

use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn an_interrupted_run_leaves_no_result_folder_and_exits_130() {
    let dir = tempfile::tempdir().expect("temp dir");
    let child = Command::new(assert_cmd::cargo::cargo_bin!("escalate"))
        .current_dir(dir.path())
        .args(["run", "--replicates", "5000000", "--quiet", "--out", "big"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Long enough for the run to be under way (the folder is created at the start).
    let partial_seen = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        std::fs::read_dir(dir.path()).expect("dir").count() > 0
    });
    assert!(partial_seen, "the run never started");
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .expect("kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(130),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
