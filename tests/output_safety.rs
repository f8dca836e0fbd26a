//! Where results go and what escalate may replace: default runs never collide, `--force` never
//! deletes what escalate did not write, a second writer is refused, leftovers of dead runs are cleaned.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn describe(&self) -> String {
        format!(
            "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn escalate(cwd: &Path, args: &[&str]) -> Ran {
    let o = Command::new(env!("CARGO_BIN_EXE_escalate"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("escalate starts");
    Ran {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn minimal() -> String {
    fixture("minimal.ron").display().to_string()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn default_runs_go_to_fresh_numbered_folders_and_never_need_force() {
    let t = tempfile::tempdir().expect("tmp");
    for expected in ["minimal-001", "minimal-002"] {
        let r = escalate(t.path(), &["run", &minimal(), "-n", "20"]);
        assert_eq!(r.code, Some(0), "{}", r.describe());
        let dir = Path::new("results").join("runs").join(expected);
        assert!(
            r.stdout
                .contains(&format!("Results written to {}", dir.display())),
            "the run says where its results went\n{}",
            r.describe()
        );
        assert!(t.path().join(&dir).join("summary.json").is_file());
    }
    assert_eq!(
        names(&t.path().join("results/runs")),
        ["minimal-001", "minimal-002"],
        "no lock or temporary folder is left behind"
    );
    // The two runs are the same run (same scenario and seed): byte-identical summaries.
    let a = std::fs::read(t.path().join("results/runs/minimal-001/summary.json")).expect("a");
    let b = std::fs::read(t.path().join("results/runs/minimal-002/summary.json")).expect("b");
    assert_eq!(a, b);
}

#[test]
fn force_never_replaces_a_file_a_link_or_a_special_file() {
    let t = tempfile::tempdir().expect("tmp");
    let file = t.path().join("file");
    std::fs::write(&file, "mine").expect("write");
    let fifo = t.path().join("fifo");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let link = t.path().join("link");
    std::fs::create_dir(t.path().join("target")).expect("mkdir");
    std::fs::write(t.path().join("target/summary.json"), "mine").expect("write");
    std::os::unix::fs::symlink(t.path().join("target"), &link).expect("symlink");
    let mut cases = vec![
        (file.clone(), "is a file"),
        (fifo.clone(), "is a named pipe"),
        (link.clone(), "is a symbolic link"),
    ];
    // A device node in the scratch folder (never a real system path): needs root, as CI has.
    let dev = t.path().join("fakenull");
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    if root {
        let made = Command::new("mknod")
            .arg(&dev)
            .args(["c", "1", "3"])
            .status()
            .expect("mknod runs");
        assert!(made.success(), "root can make a device node");
        cases.push((dev.clone(), "is a device"));
    }
    for (path, what) in &cases {
        for cmd in [
            vec!["run", &minimal(), "-n", "20", "--quiet", "--force", "--out"],
            vec!["sweep", "SWEEP", "--quiet", "--force", "--out"],
        ] {
            let sweep = fixture("sweeps/slurm_small.ron").display().to_string();
            let mut args: Vec<&str> = cmd
                .iter()
                .map(|a| if *a == "SWEEP" { sweep.as_str() } else { a })
                .collect();
            let p = path.display().to_string();
            args.push(&p);
            let r = escalate(t.path(), &args);
            assert_eq!(r.code, Some(2), "{args:?}\n{}", r.describe());
            assert!(
                r.stderr.contains(what) && r.stderr.contains("never replaces it"),
                "{}",
                r.describe()
            );
        }
    }
    assert_eq!(std::fs::read_to_string(&file).expect("file kept"), "mine");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link kept")
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join("target/summary.json")).expect("kept"),
        "mine"
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata(&fifo)
            .expect("fifo kept")
            .file_type()
            .is_fifo()
    );
    if root {
        assert!(
            std::fs::metadata(&dev)
                .expect("device kept")
                .file_type()
                .is_char_device()
        );
    }
}

#[test]
fn force_refuses_an_earlier_result_that_holds_a_file_of_the_user() {
    let t = tempfile::tempdir().expect("tmp");
    let out = t.path().join("out");
    let o = out.display().to_string();
    let r = escalate(
        t.path(),
        &["run", &minimal(), "-n", "20", "--quiet", "--out", &o],
    );
    assert_eq!(r.code, Some(0), "{}", r.describe());
    std::fs::write(out.join("thesis.tex"), "three years").expect("write");
    let before = names(&out);
    let r = escalate(
        t.path(),
        &[
            "run",
            &minimal(),
            "-n",
            "20",
            "--quiet",
            "--force",
            "--out",
            &o,
        ],
    );
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        r.stderr.contains("\"thesis.tex\""),
        "names the foreign file\n{}",
        r.describe()
    );
    assert_eq!(names(&out), before, "nothing was deleted");
    assert_eq!(
        std::fs::read_to_string(out.join("thesis.tex")).expect("kept"),
        "three years"
    );
}

#[test]
fn a_second_writer_is_refused_and_a_dead_writers_leftovers_are_cleaned() {
    let t = tempfile::tempdir().expect("tmp");
    let out = t.path().join("out");
    let o = out.display().to_string();
    // A live holder: this test process.
    std::fs::write(
        t.path().join(".out.lock"),
        format!("{}\n", std::process::id()),
    )
    .expect("lock");
    let r = escalate(
        t.path(),
        &["run", &minimal(), "-n", "20", "--quiet", "--out", &o],
    );
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        r.stderr.contains(&format!("PID {}", std::process::id())),
        "names the holder\n{}",
        r.describe()
    );
    assert!(!out.exists());
    // A dead holder (a PID above the kernel's maximum) and the temporary folder it left behind.
    std::fs::write(t.path().join(".out.lock"), "99999999\n").expect("lock");
    std::fs::create_dir(t.path().join(".out.partial-99999999")).expect("partial");
    std::fs::write(t.path().join(".out.partial-99999999/summary.json"), "half").expect("half");
    let r = escalate(
        t.path(),
        &["run", &minimal(), "-n", "20", "--quiet", "--out", &o],
    );
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(
        names(t.path()),
        ["out"],
        "the stale lock and the dead run's folder are gone"
    );
}

#[test]
fn sweep_force_deletes_only_escalate_files_and_shards_need_a_shared_out() {
    let t = tempfile::tempdir().expect("tmp");
    let sweep = fixture("sweeps/slurm_small.ron").display().to_string();
    let out = t.path().join("sw");
    let o = out.display().to_string();
    let args = |extra: &[&'static str]| -> Vec<String> {
        let mut v: Vec<String> = ["sweep", &sweep, "-n", "20", "--quiet", "--out", &o]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let run =
        |a: Vec<String>| escalate(t.path(), &a.iter().map(String::as_str).collect::<Vec<_>>());
    let r = run(args(&[]));
    assert_eq!(r.code, Some(0), "{}", r.describe());
    std::fs::write(out.join("notes.md"), "my notes").expect("write");
    let before = names(&out);
    let r = run(args(&["--force"]));
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(r.stderr.contains("\"notes.md\""), "{}", r.describe());
    assert_eq!(names(&out), before, "nothing was deleted");
    std::fs::remove_file(out.join("notes.md")).expect("rm");
    let r = run(args(&["--force"]));
    assert_eq!(
        r.code,
        Some(0),
        "an escalate sweep folder is replaced\n{}",
        r.describe()
    );

    // Shards of one sweep share a folder, so --shard needs --out.
    let r = escalate(t.path(), &["sweep", &sweep, "--shard", "0/2", "--quiet"]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(r.stderr.contains("--out"), "{}", r.describe());
    // --resume without --out carries on with the latest default folder of that sweep, or says there is none.
    let r = escalate(
        t.path(),
        &["sweep", &sweep, "-n", "20", "--resume", "--quiet"],
    );
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(r.stderr.contains("no earlier run"), "{}", r.describe());
    let r = escalate(t.path(), &["sweep", &sweep, "-n", "20", "--quiet"]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert!(
        t.path()
            .join("results/sweeps/slurm_small-001/sweep.csv")
            .is_file()
    );
    let r = escalate(t.path(), &["sweep", &sweep, "-n", "20", "--resume"]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert!(
        r.stderr.contains("12 of 12 points were already done"),
        "{}",
        r.describe()
    );
    assert_eq!(names(&t.path().join("results/sweeps")), ["slurm_small-001"]);
}

/// A write the storage refuses (a full disk, a file-size limit, a quota) names the folder the user
/// asked for, says what happened, exits 1 and leaves nothing behind. A full disk cannot be made
/// without mounting one; a file-size limit (`ulimit -f`) takes the same path through the code: the
/// binary ignores SIGXFSZ itself, so the write fails with EFBIG instead of killing the process (the
/// shell here leaves the signal at its default, as a user's shell does).
#[test]
fn a_refused_write_names_the_folder_and_leaves_nothing() {
    let t = tempfile::tempdir().expect("tmp");
    let out = t.path().join("run");
    let o = Command::new("sh")
        .arg("-c")
        .arg(r#"trap - XFSZ; ulimit -f 8; exec "$@""#)
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_escalate"))
        .args(["run", &minimal(), "-n", "5000", "--quiet", "--out"])
        .arg(&out)
        .output()
        .expect("sh starts");
    let r = Ran {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    assert_eq!(r.code, Some(1), "{}", r.describe());
    assert!(
        r.stderr
            .contains(&format!("of {} (in the unfinished folder", out.display())),
        "the message names the folder asked for\n{}",
        r.describe()
    );
    assert!(
        r.stderr.contains("a file-size limit was reached"),
        "the message says what refused the write\n{}",
        r.describe()
    );
    assert!(
        names(t.path()).is_empty(),
        "nothing is left behind: {:?}",
        names(t.path())
    );
}
