//! Terminal text for the narration: ANSI colour when asked, word wrapping, padding that ignores
//! colour codes.

/// Resets colour and weight.
pub const RESET: &str = "\x1b[0m";

/// `s` in the SGR colour `code` when `on`.
pub fn paint(on: bool, code: &str, s: &str) -> String {
    if on {
        format!("\x1b[{code}m{s}{RESET}")
    } else {
        s.to_string()
    }
}

/// Wraps `text` into lines of at most `width` characters (words longer than that are cut).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let wl = word.chars().count();
        let cl = cur.chars().count();
        if cl > 0 && cl + 1 + wl > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
        while cur.chars().count() > width {
            let head: String = cur.chars().take(width).collect();
            let rest: String = cur.chars().skip(width).collect();
            lines.push(head);
            cur = rest;
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Visible width of a string with ANSI codes.
pub fn visible(s: &str) -> usize {
    let mut n = 0;
    let mut esc = false;
    for c in s.chars() {
        if esc {
            esc = c != 'm';
        } else if c == '\x1b' {
            esc = true;
        } else {
            n += 1;
        }
    }
    n
}

pub fn pad(s: &str, width: usize) -> String {
    let v = visible(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_and_widths_ignore_colour_codes() {
        assert_eq!(wrap("a bb ccc dddd", 10), vec!["a bb ccc", "dddd"]);
        assert!(
            wrap("x".repeat(25).as_str(), 10)
                .iter()
                .all(|l| l.chars().count() <= 10)
        );
        let red = paint(true, "31", "abc");
        assert_eq!(visible(&red), 3);
        assert_eq!(visible(&pad(&red, 6)), 6);
        assert_eq!(paint(false, "31", "abc"), "abc");
    }
}
