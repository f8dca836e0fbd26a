//! The text of an input file before it is parsed: what may be read (a regular file of bounded
//! size), how it is decoded (UTF-8, a byte-order mark accepted, UTF-16 and bad bytes reported with
//! their place), and what the parsed strings may hold (no control or invisible characters, which
//! could take over a terminal or make two names look alike).

use crate::error::InputError;
use crate::scenario::validate::Problem;
use std::io::Read;
use std::path::Path;

/// Largest scenario or sweep file read, in bytes (the largest bundled scenario is about 20 KB).
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads an input file as text: refuses anything but a regular file, a file over
/// [`MAX_INPUT_BYTES`], UTF-16 and invalid UTF-8 (with the line and column of the first bad byte);
/// drops a UTF-8 byte-order mark.
pub fn read_input(path: &Path) -> Result<String, InputError> {
    let label = path.display().to_string();
    let bad = |message: String| InputError::Flag {
        flag: label.clone(),
        message,
    };
    let read_err = |cause: std::io::Error| InputError::Read {
        path: label.clone(),
        cause,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a device, a pipe or a socket)"
        };
        return Err(bad(format!(
            "is {what}; give a scenario or sweep file (.ron)"
        )));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(bad(format!(
            "is {} bytes; input files are limited to {} MiB (the bundled scenarios are about 20 KB)",
            meta.len(),
            MAX_INPUT_BYTES / (1024 * 1024)
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(read_err)?;
    decode(&bytes).map_err(bad)
}

/// UTF-8 text without a byte-order mark, or what is wrong with the bytes.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("is encoded as UTF-16; save it as UTF-8 (escalate reads UTF-8 text)".into());
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t.to_string()),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let good = std::str::from_utf8(good).unwrap_or_default();
            let line = good.matches('\n').count() + 1;
            let column = good.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            Err(format!(
                "{line}:{column}: byte 0x{:02X} is not valid UTF-8; save the file as UTF-8",
                bytes[e.valid_up_to()]
            ))
        }
    }
}

/// The first character of `s` that a name or text must not hold: a control character (other than a
/// newline or tab where `multiline`) or an invisible format character (zero-width space, byte-order
/// mark, direction overrides).
pub fn forbidden_char(s: &str, multiline: bool) -> Option<char> {
    s.chars().find(|c| {
        let allowed_space = multiline && matches!(c, '\n' | '\t');
        (c.is_control() && !allowed_space)
            || matches!(c,
                '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    })
}

/// Every string of a parsed file (names, sectors, descriptions) holding a forbidden character, with
/// its field path; descriptions may span lines.
pub fn unprintable_strings(value: &serde_json::Value) -> Vec<Problem> {
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

fn walk(v: &serde_json::Value, path: String, out: &mut Vec<Problem>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match v {
        serde_json::Value::String(s) => {
            let multiline = path.ends_with("description");
            if let Some(c) = forbidden_char(s, multiline) {
                out.push(Problem {
                    path,
                    message: format!(
                        "holds the invisible or control character U+{:04X}; names and text must be printable (retype it)",
                        c as u32
                    ),
                });
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk(x, format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                if let Some(c) = forbidden_char(k, false) {
                    out.push(Problem {
                        path: path.clone(),
                        message: format!(
                            "a key holds the invisible or control character U+{:04X}; keys must be printable",
                            c as u32
                        ),
                    });
                }
                walk(x, join(k), out);
            }
        }
        _ => {}
    }
}

/// Replaces control characters (other than newline and tab) with visible escapes, so nothing a user
/// typed into a file or a flag can move the cursor, clear the screen or write the clipboard when
/// printed.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if (c.is_control() && !matches!(c, '\n' | '\t'))
            || forbidden_char(&c.to_string(), true).is_some()
        {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// A name as a slug: lower case, runs of anything but letters and digits turned into one `-` (how
/// arms are named on the command line, e.g. `--arm with-channels`).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Longest line of a message printed for a user (in characters): whatever a message quotes from an
/// input (a 10 MB line, a 200,000-character name) is cut, so an error never floods the terminal.
pub const MAX_MESSAGE_LINE_CHARS: usize = 1_000;

/// Cuts every line of `s` longer than [`MAX_MESSAGE_LINE_CHARS`], saying how much was left out.
pub fn shorten_lines(s: &str) -> String {
    s.split('\n')
        .map(|line| {
            let n = line.chars().count();
            if n <= MAX_MESSAGE_LINE_CHARS {
                line.to_string()
            } else {
                let kept: String = line.chars().take(MAX_MESSAGE_LINE_CHARS).collect();
                format!(
                    "{kept}… ({} more characters not shown)",
                    n - MAX_MESSAGE_LINE_CHARS
                )
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_message_lines_are_cut_and_say_so() {
        let long = "x".repeat(MAX_MESSAGE_LINE_CHARS + 5);
        let out = shorten_lines(&format!("first\n{long}\nlast"));
        assert!(out.starts_with("first\n"), "{out}");
        assert!(
            out.ends_with("(5 more characters not shown)\nlast"),
            "{out}"
        );
        assert_eq!(shorten_lines("short"), "short");
    }

    #[test]
    fn a_bom_is_dropped_and_utf16_or_bad_bytes_are_named_with_their_place() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFScenario()").expect("bom"),
            "Scenario()"
        );
        assert!(
            decode(b"\xFF\xFES\x00")
                .expect_err("utf16")
                .contains("UTF-16")
        );
        let e = decode(b"S(\n  name: \"a\xC3\x28\")").expect_err("bad byte");
        assert!(e.starts_with("2:11: byte 0xC3"), "{e}");
    }

    #[test]
    fn control_and_invisible_characters_are_found_and_escaped() {
        assert_eq!(forbidden_char("RUS\u{200B}", false), Some('\u{200B}'));
        assert_eq!(forbidden_char("a\u{1b}[2J", false), Some('\u{1b}'));
        assert_eq!(forbidden_char("two\nlines", true), None);
        assert_eq!(forbidden_char("two\nlines", false), Some('\n'));
        assert_eq!(forbidden_char("Élysée – ok", false), None);
        assert_eq!(
            escape_controls("a\u{1b}]52;c;x\u{7}b\nc"),
            "a\\u{1b}]52;c;x\\u{7}b\nc"
        );
    }

    #[test]
    fn unprintable_strings_are_named_by_field_path() {
        let v = serde_json::json!({"states": [{"name": "US"}, {"name": "R\u{200B}US"}], "description": "a\nb"});
        let p = unprintable_strings(&v);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].path, "states[1].name");
        assert!(p[0].message.contains("U+200B"));
    }
}
