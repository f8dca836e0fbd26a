//! The condition of `escalate discover --where`: which sweep points count as "cases of interest".
//!
//! A small language over the columns of a sweep row: comparisons of a column with a number or
//! another column (`<`, `<=`, `>`, `>=`, `==`, `!=`), joined with `and`, `or`, `not` and
//! parentheses. A column with spaces or other characters is written in double quotes
//! (`"hotline reliability" < 0.3`). Examples: `diff_kinetic >= 0`, `diff_crisis_hi >= 0 or
//! kinetic > 0.05`.

use crate::scenario::validate::did_you_mean;

/// A parsed condition, with column names resolved to indices of the row it is evaluated on.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `left OP right`.
    Compare(Operand, Op, Operand),
    /// Both hold.
    And(Box<Condition>, Box<Condition>),
    /// Either holds.
    Or(Box<Condition>, Box<Condition>),
    /// Does not hold.
    Not(Box<Condition>),
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A column of the row, by index.
    Column(usize),
    /// A number.
    Number(f64),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Op {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Eq => a == b,
            Op::Ne => a != b,
        }
    }
}

/// A condition that cannot be parsed: the message and the character position (0-based) it points at.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionError {
    pub message: String,
    pub at: usize,
}

impl ConditionError {
    /// The message with the condition and a caret under the position.
    pub fn render(&self, text: &str) -> String {
        format!(
            "{}\n  {text}\n  {}^",
            self.message,
            " ".repeat(text[..self.at.min(text.len())].chars().count())
        )
    }
}

/// A value a row does not have (an empty cell, e.g. the baseline arm's paired differences).
#[derive(Debug, Clone, PartialEq)]
pub struct MissingValue {
    pub column: usize,
}

impl Condition {
    /// Parses `text` against the row's `columns`.
    pub fn parse(text: &str, columns: &[String]) -> Result<Condition, ConditionError> {
        let tokens = tokenize(text)?;
        let mut p = Parser {
            tokens,
            pos: 0,
            columns,
            end: text.len(),
        };
        if p.tokens.is_empty() {
            return Err(ConditionError {
                message: "the condition is empty; write one such as `diff_kinetic >= 0`".into(),
                at: 0,
            });
        }
        let c = p.or()?;
        if let Some(t) = p.tokens.get(p.pos) {
            return Err(ConditionError {
                message: format!(
                    "unexpected {} after a complete condition; join conditions with `and` or `or`",
                    t.kind.describe()
                ),
                at: t.at,
            });
        }
        Ok(c)
    }

    /// Whether the condition holds for a row; `None` cells are values the row does not have.
    pub fn holds(&self, row: &[Option<f64>]) -> Result<bool, MissingValue> {
        Ok(match self {
            Condition::Compare(a, op, b) => op.holds(value(a, row)?, value(b, row)?),
            Condition::And(a, b) => a.holds(row)? && b.holds(row)?,
            Condition::Or(a, b) => a.holds(row)? || b.holds(row)?,
            Condition::Not(a) => !a.holds(row)?,
        })
    }

    /// The columns the condition reads, in order of first appearance.
    pub fn columns(&self) -> Vec<usize> {
        let mut out = Vec::new();
        self.collect_columns(&mut out);
        out
    }

    fn collect_columns(&self, out: &mut Vec<usize>) {
        match self {
            Condition::Compare(a, _, b) => {
                for o in [a, b] {
                    if let Operand::Column(c) = o
                        && !out.contains(c)
                    {
                        out.push(*c);
                    }
                }
            }
            Condition::And(a, b) | Condition::Or(a, b) => {
                a.collect_columns(out);
                b.collect_columns(out);
            }
            Condition::Not(a) => a.collect_columns(out),
        }
    }
}

fn value(o: &Operand, row: &[Option<f64>]) -> Result<f64, MissingValue> {
    match o {
        Operand::Number(x) => Ok(*x),
        Operand::Column(c) => row
            .get(*c)
            .copied()
            .flatten()
            .ok_or(MissingValue { column: *c }),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Name(String),
    Number(f64),
    Op(Op),
    And,
    Or,
    Not,
    Open,
    Close,
}

impl Kind {
    fn describe(&self) -> String {
        match self {
            Kind::Name(n) => format!("column `{n}`"),
            Kind::Number(x) => format!("number {x}"),
            Kind::Op(_) => "comparison".into(),
            Kind::And => "`and`".into(),
            Kind::Or => "`or`".into(),
            Kind::Not => "`not`".into(),
            Kind::Open => "`(`".into(),
            Kind::Close => "`)`".into(),
        }
    }
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    at: usize,
}

fn tokenize(text: &str) -> Result<Vec<Token>, ConditionError> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(at, ch)) = chars.peek() {
        let kind = match ch {
            c if c.is_whitespace() => {
                chars.next();
                continue;
            }
            '(' | ')' => {
                chars.next();
                if ch == '(' { Kind::Open } else { Kind::Close }
            }
            '<' | '>' | '=' | '!' => {
                chars.next();
                let eq = chars.next_if(|&(_, c)| c == '=').is_some();
                match (ch, eq) {
                    ('<', false) => Kind::Op(Op::Lt),
                    ('<', true) => Kind::Op(Op::Le),
                    ('>', false) => Kind::Op(Op::Gt),
                    ('>', true) => Kind::Op(Op::Ge),
                    ('=', true) => Kind::Op(Op::Eq),
                    ('!', true) => Kind::Op(Op::Ne),
                    _ => {
                        return Err(ConditionError {
                            message: format!(
                                "`{ch}` alone is not a comparison; use <, <=, >, >=, == or !="
                            ),
                            at,
                        });
                    }
                }
            }
            '"' => {
                chars.next();
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((_, c)) => name.push(c),
                        None => {
                            return Err(ConditionError {
                                message: "this quoted column name has no closing `\"`".into(),
                                at,
                            });
                        }
                    }
                }
                Kind::Name(name)
            }
            c if c.is_ascii_digit() || c == '.' || c == '-' || c == '+' => {
                let mut s = String::new();
                while let Some((_, c)) = chars.next_if(|&(_, c)| {
                    c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '+'
                }) {
                    s.push(c);
                }
                match s.parse::<f64>() {
                    Ok(x) if x.is_finite() => Kind::Number(x),
                    _ => {
                        return Err(ConditionError {
                            message: format!("`{s}` is not a finite number"),
                            at,
                        });
                    }
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut s = String::new();
                while let Some((_, c)) = chars.next_if(|&(_, c)| c.is_alphanumeric() || c == '_') {
                    s.push(c);
                }
                match s.as_str() {
                    "and" | "AND" => Kind::And,
                    "or" | "OR" => Kind::Or,
                    "not" | "NOT" => Kind::Not,
                    _ => Kind::Name(s),
                }
            }
            other => {
                return Err(ConditionError {
                    message: format!(
                        "unexpected character `{}`; a condition compares columns and numbers, e.g. `diff_kinetic >= 0`",
                        other.escape_debug()
                    ),
                    at,
                });
            }
        };
        out.push(Token { kind, at });
    }
    Ok(out)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    pos: usize,
    columns: &'a [String],
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Kind> {
        self.tokens.get(self.pos).map(|t| &t.kind)
    }

    fn at(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |t| t.at)
    }

    fn or(&mut self) -> Result<Condition, ConditionError> {
        let mut left = self.and()?;
        while self.peek() == Some(&Kind::Or) {
            self.pos += 1;
            left = Condition::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Condition, ConditionError> {
        let mut left = self.not()?;
        while self.peek() == Some(&Kind::And) {
            self.pos += 1;
            left = Condition::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Condition, ConditionError> {
        match self.peek() {
            Some(Kind::Not) => {
                self.pos += 1;
                Ok(Condition::Not(Box::new(self.not()?)))
            }
            Some(Kind::Open) => {
                let open = self.at();
                self.pos += 1;
                let inner = self.or()?;
                if self.peek() != Some(&Kind::Close) {
                    return Err(ConditionError {
                        message: "this `(` is not closed".into(),
                        at: open,
                    });
                }
                self.pos += 1;
                Ok(inner)
            }
            _ => self.comparison(),
        }
    }

    fn comparison(&mut self) -> Result<Condition, ConditionError> {
        let left = self.operand()?;
        let op = match self.peek() {
            Some(Kind::Op(op)) => *op,
            other => {
                return Err(ConditionError {
                    message: format!(
                        "expected a comparison (<, <=, >, >=, ==, !=) here, found {}",
                        other.map_or("the end".into(), Kind::describe)
                    ),
                    at: self.at(),
                });
            }
        };
        self.pos += 1;
        let right = self.operand()?;
        Ok(Condition::Compare(left, op, right))
    }

    fn operand(&mut self) -> Result<Operand, ConditionError> {
        let at = self.at();
        let kind = self.peek().cloned();
        self.pos += 1;
        match kind {
            Some(Kind::Number(x)) => Ok(Operand::Number(x)),
            Some(Kind::Name(name)) => match self.columns.iter().position(|c| *c == name) {
                Some(i) => Ok(Operand::Column(i)),
                None => {
                    let refs: Vec<&str> = self.columns.iter().map(String::as_str).collect();
                    let hint = did_you_mean(&name, &refs)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    let quote = if name.contains(' ') {
                        ""
                    } else {
                        " (a column with spaces is written in double quotes)"
                    };
                    Err(ConditionError {
                        message: format!(
                            "sweep.csv has no column `{name}`{hint} Columns: {}{quote}",
                            column_summary(self.columns)
                        ),
                        at,
                    })
                }
            },
            other => Err(ConditionError {
                message: format!(
                    "expected a column or a number here, found {}",
                    other.map_or("the end".into(), |k| k.describe())
                ),
                at,
            }),
        }
    }
}

/// The columns in brief: each outcome once (its `_lo`, `_hi` and `diff_` forms said once).
fn column_summary(columns: &[String]) -> String {
    let has = |c: &str| columns.iter().any(|x| x == c);
    let mut base: Vec<String> = Vec::new();
    let mut forms = false;
    for c in columns {
        let stem = c
            .strip_prefix("diff_")
            .unwrap_or(c)
            .trim_end_matches("_lo")
            .trim_end_matches("_hi");
        if stem != c && has(stem) {
            forms = true;
            continue;
        }
        let shown = if c.contains(' ') {
            format!("\"{c}\"")
        } else {
            c.clone()
        };
        base.push(shown);
    }
    let mut s = base.join(", ");
    if forms {
        s.push_str("; each outcome also as NAME_lo and NAME_hi (its 95 % bounds) and diff_NAME, diff_NAME_lo, diff_NAME_hi (the paired difference against the baseline)");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Vec<String> {
        [
            "hotline reliability",
            "crisis",
            "diff_kinetic",
            "diff_kinetic_hi",
        ]
        .map(String::from)
        .to_vec()
    }

    fn eval(text: &str, row: &[Option<f64>]) -> bool {
        Condition::parse(text, &cols()).unwrap().holds(row).unwrap()
    }

    #[test]
    fn comparisons_and_connectives_follow_their_precedence() {
        let row = [Some(0.2), Some(0.05), Some(-0.01), Some(0.002)];
        assert!(eval("diff_kinetic < 0", &row));
        assert!(!eval("diff_kinetic >= 0", &row));
        assert!(eval("diff_kinetic_hi >= 0", &row));
        assert!(eval("\"hotline reliability\" <= 0.2", &row));
        assert!(!eval("\"hotline reliability\" < 0.2", &row));
        // `and` binds tighter than `or`: true or (false and false).
        assert!(eval("crisis == 0.05 or crisis > 1 and crisis < 0", &row));
        assert!(!eval("(crisis == 0.05 or crisis > 1) and crisis < 0", &row));
        assert!(eval("not diff_kinetic >= 0", &row));
        assert!(eval("diff_kinetic != crisis", &row));
        assert!(eval("crisis > -1e-3", &row));
    }

    #[test]
    fn an_empty_cell_is_reported_not_read_as_zero() {
        let c = Condition::parse("diff_kinetic >= 0", &cols()).unwrap();
        let row = [Some(0.2), Some(0.05), None, None];
        assert_eq!(c.holds(&row), Err(MissingValue { column: 2 }));
        assert_eq!(c.columns(), vec![2]);
    }

    #[test]
    fn bad_conditions_point_at_the_problem() {
        let e = Condition::parse("diff_kinetc >= 0", &cols()).unwrap_err();
        assert!(e.message.contains("did you mean `diff_kinetic`"), "{e:?}");
        let real: Vec<String> = [
            "point",
            "skill",
            "arm",
            "crisis",
            "crisis_lo",
            "crisis_hi",
            "diff_crisis",
            "diff_crisis_lo",
            "diff_crisis_hi",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            column_summary(&real),
            "point, skill, arm, crisis; each outcome also as NAME_lo and NAME_hi (its 95 % bounds) and diff_NAME, diff_NAME_lo, diff_NAME_hi (the paired difference against the baseline)"
        );
        assert_eq!(e.at, 0);
        let e = Condition::parse("crisis >= ", &cols()).unwrap_err();
        assert!(e.message.contains("found the end"), "{e:?}");
        let e = Condition::parse("crisis = 1", &cols()).unwrap_err();
        assert_eq!(e.at, 7);
        let e = Condition::parse("(crisis > 1", &cols()).unwrap_err();
        assert!(e.message.contains("not closed"), "{e:?}");
        let e = Condition::parse("crisis > 1 crisis < 2", &cols()).unwrap_err();
        assert!(e.message.contains("join conditions"), "{e:?}");
        assert_eq!(e.at, 11);
        let rendered = e.render("crisis > 1 crisis < 2");
        assert!(rendered.ends_with("\n             ^"), "{rendered:?}");
        let e = Condition::parse("crisis > nan", &cols()).unwrap_err();
        assert!(e.message.contains("no column `nan`"), "{e:?}");
        let e = Condition::parse("crisis > 1e999", &cols()).unwrap_err();
        assert!(e.message.contains("not a finite number"), "{e:?}");
        assert!(Condition::parse("  ", &cols()).is_err());
    }
}
