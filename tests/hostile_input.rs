//! Input a careless or hostile user could give: encodings, special and huge files, duplicate keys,
//! control and invisible characters in names. Each gets a clear error (exit 2) that names the file and
//! the place, and nothing it quotes can drive the terminal.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Ran {
    code: Option<i32>,
    stderr: String,
}

fn escalate(cwd: &Path, args: &[&str]) -> Ran {
    let o = Command::new(env!("CARGO_BIN_EXE_escalate"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("escalate starts");
    Ran {
        code: o.status.code(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn classroom() -> String {
    std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/classroom.ron"),
    )
    .expect("classroom.ron")
}

/// Validates `bytes` written to a file; returns the outcome.
fn validate_bytes(bytes: &[u8]) -> Ran {
    let t = tempfile::tempdir().expect("tmp");
    std::fs::write(t.path().join("x.ron"), bytes).expect("write");
    escalate(t.path(), &["validate", "x.ron"])
}

#[test]
fn a_utf8_byte_order_mark_is_accepted() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(classroom().as_bytes());
    let r = validate_bytes(&bytes);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

#[test]
fn utf16_and_invalid_bytes_are_named_with_their_place() {
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(classroom().encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let r = validate_bytes(&utf16);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("x.ron: is encoded as UTF-16"),
        "{}",
        r.stderr
    );

    let text = classroom();
    let at = text.find("Aurelia").expect("a name");
    let mut bytes = text.as_bytes().to_vec();
    bytes[at] = 0xC3;
    bytes[at + 1] = 0x28;
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at]
        .rsplit('\n')
        .next()
        .expect("line")
        .chars()
        .count()
        + 1;
    let r = validate_bytes(&bytes);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "x.ron: {line}:{column}: byte 0xC3 is not valid UTF-8"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn special_and_huge_files_are_refused_before_reading() {
    let t = tempfile::tempdir().expect("tmp");
    // A named pipe would block a reader forever: it must be refused from its metadata alone.
    let fifo = t.path().join("pipe.ron");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let r = escalate(t.path(), &["validate", "pipe.ron"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
    let r = escalate(t.path(), &["sweep", "pipe.ron"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    // A sparse 17 MiB file: refused by its size, not read.
    let big = std::fs::File::create(t.path().join("big.ron")).expect("create");
    big.set_len(17 * 1024 * 1024).expect("set_len");
    let r = escalate(t.path(), &["validate", "big.ron"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("limited to 16 MiB"), "{}", r.stderr);
}

#[test]
fn a_key_written_twice_in_a_map_is_an_error_at_its_second_place() {
    let text = classroom();
    let needle = "kinds: {";
    let at = text.find(needle).expect("a kinds map") + needle.len();
    let bad = format!("{}Espionage: 1, Espionage: 2, {}", &text[..at], &text[at..]);
    let r = validate_bytes(bad.as_bytes());
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("the key `Espionage` is written twice"),
        "{}",
        r.stderr
    );
    let line = bad[..at].matches('\n').count() + 1;
    assert!(r.stderr.contains(&format!("x.ron:{line}:")), "{}", r.stderr);
}

#[test]
fn control_and_invisible_characters_in_names_are_refused_and_never_reach_the_terminal() {
    let text = classroom();
    for (evil, code) in [
        ("Bore\u{1b}[2J\u{1b}]52;c;aGk=\u{7}alis", "U+001B"),
        ("Bore\u{200B}alis", "U+200B"),
    ] {
        // Rename the state where it is declared: its name field holds the character.
        let bad = text.replacen("name: \"Borealis\"", &format!("name: \"{evil}\""), 1);
        assert_ne!(bad, text);
        let r = validate_bytes(bad.as_bytes());
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert!(r.stderr.contains(code), "{}", r.stderr);
        assert!(
            r.stderr.contains("states["),
            "names the field path\n{}",
            r.stderr
        );
        assert!(
            !r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{7}'),
            "no raw control character reaches the terminal: {:?}",
            r.stderr
        );
    }
}

#[test]
fn a_negative_count_is_a_bad_value_not_a_path() {
    let t = tempfile::tempdir().expect("tmp");
    let r = escalate(t.path(), &["run", "--replicates", "-1"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("Error: --replicates: -1 is not allowed: it must be a positive integer"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("-- -1"), "{}", r.stderr);
}

#[test]
fn a_sweep_with_billions_of_levels_is_refused_before_anything_is_allocated() {
    let t = tempfile::tempdir().expect("tmp");
    std::fs::write(
        t.path().join("huge.ron"),
        r#"Sweep(name: "huge", scenario: "builtin:us_russia_2016", seed: 7, replicates: 10,
            arms: ["without channels", "with channels"],
            parameters: [Parameter(name: "skill", set: ["states[*].attribution.skill"],
                                   values: Range(min: 0.2, max: 0.8, levels: 4000000000))],
            design: Grid)"#,
    )
    .expect("write");
    // Under a 1 GB address-space limit: building the levels first (32 GB) would abort the child.
    let o = Command::new("sh")
        .current_dir(t.path())
        .arg("-c")
        .arg(format!(
            "ulimit -v 1000000; exec {} sweep huge.ron --out out",
            env!("CARGO_BIN_EXE_escalate")
        ))
        .output()
        .expect("sh runs");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("4000000000 points is more than the 10000000 accepted"),
        "{stderr}"
    );
    assert!(!t.path().join("out").exists());
}

/// A file or folder name can hold an escape sequence; what escalate prints about it on success
/// (validate's summary, run's "Running …" and "Results written to …", plot's "redrawn in …") shows
/// the sequence escaped, never obeyed.
#[test]
fn control_characters_in_paths_never_reach_the_terminal() {
    let t = tempfile::tempdir().expect("tmp");
    let file = "ok\u{1b}[31mred.ron";
    std::fs::write(t.path().join(file), classroom()).expect("write");
    let out = "o\u{1b}[2Jut";
    let mut seen = Vec::new();
    for args in [
        vec!["validate", file],
        vec!["run", file, "-n", "20", "--out", out],
        vec!["plot", out],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_escalate"))
            .current_dir(t.path())
            .args(&args)
            .output()
            .expect("escalate starts");
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            !printed.contains('\u{1b}'),
            "{args:?}: a raw escape reached the terminal: {printed:?}"
        );
        seen.push(printed);
    }
    // The names are still shown, escaped.
    assert!(seen[0].contains("ok\\u{1b}[31mred.ron"), "{:?}", seen[0]);
    assert!(seen[1].contains("o\\u{1b}[2Jut"), "{:?}", seen[1]);
}
