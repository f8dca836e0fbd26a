//! Finds where a field path (`states[1].attribution.skill`, `severity_weights[Espionage]`) stands
//! in the RON text of a scenario, so a semantic problem can be shown at its line and column.
//!
//! The scanner is tolerant: it runs only on text that already parsed, follows structs (named or
//! not), lists, tuples, maps and `Some(…)`, and when a field is absent (left to its default) it
//! points at the innermost value of the path that is written.

/// A position in the text: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// One segment of a field path.
#[derive(Debug, PartialEq)]
enum Segment {
    Field(String),
    Index(usize),
    Key(String),
}

fn segments(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            rest = r;
        } else if let Some(r) = rest.strip_prefix('[') {
            // A key may be quoted and contain `]`.
            let (inner, after) = if let Some(q) = r.strip_prefix('"') {
                match q.find("\"]") {
                    Some(end) => (&q[..end], &q[end + 2..]),
                    None => return out,
                }
            } else {
                match r.find(']') {
                    Some(end) => (&r[..end], &r[end + 1..]),
                    None => return out,
                }
            };
            out.push(match inner.parse::<usize>() {
                Ok(i) if !r.starts_with('"') => Segment::Index(i),
                _ => Segment::Key(inner.to_string()),
            });
            rest = after;
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            out.push(Segment::Field(rest[..end].to_string()));
            rest = &rest[end..];
        }
    }
    out
}

/// A scanned value: where it starts and what it holds.
enum Node {
    Atom(usize),
    /// Struct fields (named values), or a tuple / `Some` (positional values), at a start offset.
    Group {
        start: usize,
        named: Vec<(String, Node)>,
        positional: Vec<Node>,
    },
    List(usize, Vec<Node>),
    Map(usize, Vec<(String, Node)>),
}

impl Node {
    fn start(&self) -> usize {
        match self {
            Node::Atom(s) | Node::List(s, _) | Node::Map(s, _) => *s,
            Node::Group { start, .. } => *start,
        }
    }
}

struct Scanner<'t> {
    b: &'t [u8],
    pos: usize,
    depth: usize,
    /// Keys written twice in one map: the key, its first and its second offset.
    duplicates: Vec<(String, usize, usize)>,
}

/// Nesting deeper than this is not followed (ron itself refuses deeper text).
const MAX_DEPTH: usize = 128;

impl<'t> Scanner<'t> {
    fn skip_trivia(&mut self) {
        loop {
            while self.pos < self.b.len() && self.b[self.pos].is_ascii_whitespace() {
                self.pos += 1;
            }
            if self.b[self.pos..].starts_with(b"//") {
                while self.pos < self.b.len() && self.b[self.pos] != b'\n' {
                    self.pos += 1;
                }
            } else if self.b[self.pos..].starts_with(b"/*") {
                let mut depth = 0usize;
                while self.pos < self.b.len() {
                    if self.b[self.pos..].starts_with(b"/*") {
                        depth += 1;
                        self.pos += 2;
                    } else if self.b[self.pos..].starts_with(b"*/") {
                        depth -= 1;
                        self.pos += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        self.pos += 1;
                    }
                }
            } else if self.b[self.pos..].starts_with(b"#![") {
                // A RON extension attribute: skip to the end of its line.
                while self.pos < self.b.len() && self.b[self.pos] != b'\n' {
                    self.pos += 1;
                }
            } else {
                return;
            }
        }
    }

    /// `r"…"` or `r#"…"#` (as opposed to an identifier such as `r#type` or `rate`).
    fn at_raw_string(&self) -> bool {
        let rest = &self.b[self.pos + 1..];
        let hashes = rest.iter().take_while(|c| **c == b'#').count();
        rest.get(hashes) == Some(&b'"')
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ident(&mut self) -> Option<String> {
        let start = self.pos;
        if self.b[self.pos..].starts_with(b"r#") {
            self.pos += 2;
        }
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80)
        {
            self.pos += 1;
        }
        (self.pos > start).then(|| {
            String::from_utf8_lossy(&self.b[start..self.pos])
                .trim_start_matches("r#")
                .to_string()
        })
    }

    fn string(&mut self) {
        // A raw string r"…" / r#"…"#, or a normal one with escapes.
        if self.peek() == Some(b'r') {
            self.pos += 1;
            let mut hashes = 0;
            while self.peek() == Some(b'#') {
                hashes += 1;
                self.pos += 1;
            }
            self.pos += 1; // the opening quote
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            while self.pos < self.b.len() && !self.b[self.pos..].starts_with(&close) {
                self.pos += 1;
            }
            self.pos = (self.pos + close.len()).min(self.b.len());
            return;
        }
        self.pos += 1;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'\\' => self.pos += 1,
                b'"' => return,
                _ => {}
            }
        }
    }

    fn value(&mut self) -> Node {
        self.skip_trivia();
        let start = self.pos;
        if self.depth > MAX_DEPTH {
            return Node::Atom(start);
        }
        match self.peek() {
            None => Node::Atom(start),
            Some(b'"') => {
                self.string();
                Node::Atom(start)
            }
            Some(b'r') if self.at_raw_string() => {
                self.string();
                Node::Atom(start)
            }
            Some(b'\'') => {
                self.char_literal();
                Node::Atom(start)
            }
            Some(b'[') => self.list(start),
            Some(b'{') => self.map(start),
            Some(b'(') => self.group(start),
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => self.ident_or_group(start),
            Some(_) => {
                // A number, a sign, a boolean: up to the next delimiter.
                while self.peek().is_some_and(|c| {
                    !matches!(c, b',' | b')' | b']' | b'}' | b':') && !c.is_ascii_whitespace()
                }) {
                    self.pos += 1;
                }
                Node::Atom(start)
            }
        }
    }

    /// A character literal `'…'`, escapes included.
    fn char_literal(&mut self) {
        self.pos += 1;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'\\' => self.pos += 1,
                b'\'' => break,
                _ => {}
            }
        }
    }

    /// A list `[…]` starting at `start`.
    fn list(&mut self, start: usize) -> Node {
        self.pos += 1;
        self.depth += 1;
        let mut items = Vec::new();
        loop {
            self.skip_trivia();
            match self.peek() {
                None => break,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                Some(b',') => self.pos += 1,
                _ => {
                    let before = self.pos;
                    items.push(self.value());
                    if self.pos == before {
                        self.pos += 1;
                    }
                }
            }
        }
        self.depth -= 1;
        Node::List(start, items)
    }

    /// A map `{key: value, …}` starting at `start`; a key written twice is noted in `duplicates`.
    fn map(&mut self, start: usize) -> Node {
        self.pos += 1;
        self.depth += 1;
        let mut entries = Vec::new();
        let mut seen: Vec<(String, usize)> = Vec::new();
        loop {
            self.skip_trivia();
            match self.peek() {
                None => break,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                Some(b',') => self.pos += 1,
                _ => {
                    let key_start = self.pos;
                    let before = self.pos;
                    let _ = self.value();
                    let key = String::from_utf8_lossy(&self.b[key_start..self.pos])
                        .trim()
                        .trim_matches('"')
                        .to_string();
                    self.skip_trivia();
                    if self.peek() == Some(b':') {
                        self.pos += 1;
                        match seen.iter().find(|(k, _)| *k == key) {
                            Some((_, first)) => {
                                self.duplicates.push((key.clone(), *first, key_start))
                            }
                            None => seen.push((key.clone(), key_start)),
                        }
                        entries.push((key, self.value()));
                    }
                    if self.pos == before {
                        self.pos += 1;
                    }
                }
            }
        }
        self.depth -= 1;
        Node::Map(start, entries)
    }

    fn ident_or_group(&mut self, start: usize) -> Node {
        let _ = self.ident();
        let after_ident = self.pos;
        self.skip_trivia();
        if self.peek() == Some(b'(') {
            match self.group(self.pos) {
                Node::Group {
                    named, positional, ..
                } => Node::Group {
                    start,
                    named,
                    positional,
                },
                other => other,
            }
        } else {
            self.pos = after_ident;
            Node::Atom(start)
        }
    }

    /// `( … )`: named fields `a: 1, b: 2` or positional values `1, 2`.
    fn group(&mut self, start: usize) -> Node {
        self.pos += 1;
        self.depth += 1;
        let mut named = Vec::new();
        let mut positional = Vec::new();
        loop {
            self.skip_trivia();
            match self.peek() {
                None => break,
                Some(b')') => {
                    self.pos += 1;
                    break;
                }
                Some(b',') => self.pos += 1,
                _ => {
                    let before = self.pos;
                    // `name:` (not `name::`) starts a named field.
                    let save = self.pos;
                    if let Some(name) = self.ident() {
                        self.skip_trivia();
                        if self.peek() == Some(b':') {
                            self.pos += 1;
                            named.push((name, self.value()));
                            continue;
                        }
                    }
                    self.pos = save;
                    positional.push(self.value());
                    if self.pos == before {
                        self.pos += 1;
                    }
                }
            }
        }
        self.depth -= 1;
        Node::Group {
            start,
            named,
            positional,
        }
    }
}

/// Follows `Some(x)` and one-element tuples down to the value they wrap.
fn unwrap_some(node: &Node) -> &Node {
    match node {
        Node::Group {
            named, positional, ..
        } if named.is_empty() && positional.len() == 1 => unwrap_some(&positional[0]),
        n => n,
    }
}

fn step<'n>(node: &'n Node, seg: &Segment) -> Option<&'n Node> {
    let node = unwrap_some(node);
    match (node, seg) {
        (Node::Group { named, .. }, Segment::Field(f)) => {
            named.iter().find(|(n, _)| n == f).map(|(_, v)| v)
        }
        (Node::Group { positional, .. }, Segment::Index(i))
        | (Node::List(_, positional), Segment::Index(i)) => positional.get(*i),
        (Node::Map(_, entries), Segment::Key(k)) | (Node::Map(_, entries), Segment::Field(k)) => {
            entries.iter().find(|(n, _)| n == k).map(|(_, v)| v)
        }
        (Node::Map(_, entries), Segment::Index(i)) => {
            let key = i.to_string();
            entries.iter().find(|(n, _)| *n == key).map(|(_, v)| v)
        }
        _ => None,
    }
}

/// Where the value at `path` starts in `text` (or the innermost written value on its way, when the
/// rest of the path is left to defaults); `None` if not even the first segment is written.
pub fn locate(text: &str, path: &str) -> Option<Position> {
    let mut scanner = Scanner {
        b: text.as_bytes(),
        pos: 0,
        depth: 0,
        duplicates: Vec::new(),
    };
    let root = scanner.value();
    let mut node = &root;
    let mut found_any = false;
    for seg in segments(path) {
        match step(node, &seg) {
            Some(next) => {
                node = next;
                found_any = true;
            }
            None => break,
        }
    }
    found_any.then(|| position(text, node.start()))
}

/// The first key written twice in one map (RON keeps the last silently): the key, where it first
/// stands and where it stands again.
pub fn duplicate_key(text: &str) -> Option<(String, Position, Position)> {
    let mut scanner = Scanner {
        b: text.as_bytes(),
        pos: 0,
        depth: 0,
        duplicates: Vec::new(),
    };
    let _ = scanner.value();
    scanner
        .duplicates
        .into_iter()
        .next()
        .map(|(k, a, b)| (k, position(text, a), position(text, b)))
}

fn position(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line,
        column: before[line_start..].chars().count() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"// a comment with states[0] ( and ]
#![enable(implicit_some)]
Scenario(
    name: "x",
    states: [
        State(name: "US", detection: 0.5, attribution: (skill: 0.7)),
        State(
            name: "RUS",   /* block ( comment */
            detection: 1.5,
            weights: {Espionage: 1, "power grid": 2},
        ),
    ],
    patron: Some("US"),
    pair: ("a", r"raw ) ]", 3),
)
"#;

    fn at(path: &str) -> Option<(usize, usize)> {
        locate(TEXT, path).map(|p| (p.line, p.column))
    }

    #[test]
    fn paths_are_found_at_their_values() {
        assert_eq!(at("name"), Some((4, 11)));
        assert_eq!(at("states[1].detection"), Some((9, 24)));
        assert_eq!(at("states[0].attribution.skill"), Some((6, 64)));
        assert_eq!(at("states[1].weights[Espionage]"), Some((10, 34)));
        assert_eq!(at("states[1].weights[\"power grid\"]"), Some((10, 51)));
        assert_eq!(at("patron"), Some((13, 13)));
        assert_eq!(at("pair[2]"), Some((14, 29)));
        assert_eq!(at("states[1]"), Some((7, 9)));
    }

    #[test]
    fn a_field_left_to_its_default_points_at_its_parent() {
        assert_eq!(at("states[0].deniability"), Some((6, 9)));
        assert_eq!(at("states[5].name"), Some((5, 13)));
        assert_eq!(at("nowhere"), None);
    }

    #[test]
    fn a_key_written_twice_in_a_map_is_found() {
        assert_eq!(duplicate_key(TEXT), None);
        let d = duplicate_key("S(w: {Espionage: 1, \"x\": 2,\n   Espionage: 3})").expect("dup");
        assert_eq!(d.0, "Espionage");
        assert_eq!((d.1.line, d.1.column, d.2.line, d.2.column), (1, 7, 2, 4));
    }

    #[test]
    fn path_segments() {
        assert_eq!(
            segments("a.b[3][\"k]\"].c[Espionage]"),
            vec![
                Segment::Field("a".into()),
                Segment::Field("b".into()),
                Segment::Index(3),
                Segment::Key("k]".into()),
                Segment::Field("c".into()),
                Segment::Key("Espionage".into()),
            ]
        );
    }
}
