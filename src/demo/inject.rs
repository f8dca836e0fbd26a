//! The command-line grammar of injects (scripted operations):
//!
//! ```text
//! day <N>: [state|proxy|mercenary|group] <executor> [for <sponsor>] <verb> <target> [<sector>]
//!          [, false flag <state>] [, severity <1-10>] [, overt] [, detected after <N> days]
//! verbs:   spies on | steals from | disrupts | destroys | sabotages | meddles in
//! names:   one word, or "quoted words"; matched without regard to case
//! ```
//!
//! Example: `day 40: mercenary "Sandfly" destroys Aurelia power grid, false flag Borealis`.

use crate::scenario::Scenario;
use crate::scenario::types::{Inject, OperationKind};
use crate::scenario::validate::did_you_mean;
use crate::units::DCID_MAX;

/// A valid inject for the built-in classroom scenario, shown in every error.
pub const EXAMPLE: &str =
    "day 40: mercenary \"Sandfly\" destroys Aurelia power grid, false flag Borealis";

/// A malformed inject: the text, where the problem is (in characters) and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct InjectError {
    /// The inject as given.
    pub text: String,
    /// Character position of the problem.
    pub at: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for InjectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}\n  {}\n  {}^\n  a valid inject looks like: {EXAMPLE}",
            self.message,
            self.text,
            " ".repeat(self.at)
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Colon,
    Comma,
}

/// Tokens with their character positions.
fn tokens(text: &str) -> Result<Vec<(Tok, usize)>, InjectError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == ':' || c == ',' {
            out.push((if c == ':' { Tok::Colon } else { Tok::Comma }, i));
            i += 1;
        } else if c == '"' {
            let start = i;
            i += 1;
            let mut s = String::new();
            while i < chars.len() && chars[i] != '"' {
                s.push(chars[i]);
                i += 1;
            }
            if i == chars.len() {
                return Err(InjectError {
                    text: text.to_string(),
                    at: start,
                    message: "this quote is never closed".into(),
                });
            }
            i += 1;
            out.push((Tok::Quoted(s), start));
        } else {
            let start = i;
            let mut s = String::new();
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], ':' | ',' | '"')
            {
                s.push(chars[i]);
                i += 1;
            }
            out.push((Tok::Word(s), start));
        }
    }
    Ok(out)
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<(Tok, usize)>,
    i: usize,
    scenario: &'a Scenario,
}

const VERBS: [(&str, Option<&str>, OperationKind); 6] = [
    ("spies", Some("on"), OperationKind::Espionage),
    ("steals", Some("from"), OperationKind::IpTheft),
    ("disrupts", None, OperationKind::Disruption),
    ("destroys", None, OperationKind::Sabotage),
    ("sabotages", None, OperationKind::Sabotage),
    ("meddles", Some("in"), OperationKind::Influence),
];

impl Parser<'_> {
    fn end(&self) -> usize {
        self.text.chars().count()
    }
    fn pos(&self) -> usize {
        self.toks.get(self.i).map_or(self.end(), |t| t.1)
    }
    fn err<T>(&self, at: usize, message: impl Into<String>) -> Result<T, InjectError> {
        Err(InjectError {
            text: self.text.to_string(),
            at,
            message: message.into(),
        })
    }
    fn peek_word(&self) -> Option<String> {
        match self.toks.get(self.i) {
            Some((Tok::Word(w), _)) => Some(w.to_lowercase()),
            _ => None,
        }
    }
    fn keyword(&mut self, w: &str) -> bool {
        if self.peek_word().as_deref() == Some(w) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, w: &str, what: &str) -> Result<(), InjectError> {
        if self.keyword(w) {
            Ok(())
        } else {
            self.err(self.pos(), format!("expected {what}"))
        }
    }
    /// A one-word or quoted name, matched against `known`.
    fn name(&mut self, what: &str, known: &[&str]) -> Result<String, InjectError> {
        let at = self.pos();
        let raw = match self.toks.get(self.i) {
            Some((Tok::Word(w), _)) | Some((Tok::Quoted(w), _)) => w.clone(),
            _ => return self.err(at, format!("expected the name of a {what}")),
        };
        self.i += 1;
        self.resolve(&raw, at, what, known)
    }
    fn resolve(
        &self,
        raw: &str,
        at: usize,
        what: &str,
        known: &[&str],
    ) -> Result<String, InjectError> {
        if let Some(k) = known
            .iter()
            .find(|k| **k == raw)
            .or_else(|| known.iter().find(|k| k.eq_ignore_ascii_case(raw)))
        {
            return Ok(k.to_string());
        }
        let hint =
            did_you_mean(raw, known).map_or(String::new(), |c| format!("; did you mean \"{c}\"?"));
        let list = known
            .iter()
            .map(|k| format!("\"{k}\""))
            .collect::<Vec<_>>()
            .join(", ");
        self.err(
            at,
            format!("unknown {what} \"{raw}\"{hint} (known: {list})"),
        )
    }
    fn number(&mut self, what: &str) -> Result<u32, InjectError> {
        let at = self.pos();
        match self.toks.get(self.i) {
            Some((Tok::Word(w), _)) => match w.parse::<u32>() {
                Ok(n) => {
                    self.i += 1;
                    Ok(n)
                }
                Err(_) => self.err(
                    at,
                    format!("expected {what} (a whole number), found \"{w}\""),
                ),
            },
            _ => self.err(at, format!("expected {what} (a whole number)")),
        }
    }
}

/// Parses one inject against a scenario (names are checked, with "did you mean").
pub fn parse_inject(text: &str, s: &Scenario) -> Result<Inject, InjectError> {
    let mut p = Parser {
        text,
        toks: tokens(text)?,
        i: 0,
        scenario: s,
    };
    let states: Vec<&str> = s.states.iter().map(|x| x.name.as_str()).collect();
    p.expect(
        "day",
        "\"day\" and the day of the operation, as in \"day 40:\"",
    )?;
    let day_at = p.pos();
    let day = p.number("the day")?;
    if day >= s.horizon_days {
        return p.err(
            day_at,
            format!(
                "day {day} is not in the run; use a day from 0 to {}",
                s.horizon_days.saturating_sub(1)
            ),
        );
    }
    if matches!(p.toks.get(p.i), Some((Tok::Colon, _))) {
        p.i += 1;
    }
    let roles: [(&str, Vec<&str>); 4] = [
        ("state", states.clone()),
        ("proxy", s.proxies.iter().map(|x| x.name.as_str()).collect()),
        (
            "mercenary",
            s.mercenaries.iter().map(|x| x.name.as_str()).collect(),
        ),
        (
            "group",
            s.independents.iter().map(|x| x.name.as_str()).collect(),
        ),
    ];
    let all: Vec<&str> = roles.iter().flat_map(|r| r.1.iter().copied()).collect();
    let role = roles
        .iter()
        .position(|r| p.peek_word().as_deref() == Some(r.0));
    if role.is_some() {
        p.i += 1;
    }
    let exec_at = p.pos();
    let executor = p.name("executor (state, proxy, mercenary or group)", &all)?;
    if let Some(r) = role
        && !roles[r].1.contains(&executor.as_str())
    {
        let actual = roles
            .iter()
            .find(|x| x.1.contains(&executor.as_str()))
            .map_or("", |x| x.0);
        return p.err(
            exec_at,
            format!("\"{executor}\" is a {actual}, not a {}", roles[r].0),
        );
    }
    let sponsor = if p.keyword("for") {
        Some(p.name("state", &states)?)
    } else {
        None
    };
    let verb_at = p.pos();
    let w = p.peek_word().unwrap_or_default();
    let Some(&(_, particle, kind)) = VERBS.iter().find(|v| v.0 == w) else {
        return p.err(verb_at, "expected what it does: spies on, steals from, disrupts, destroys, sabotages or meddles in");
    };
    p.i += 1;
    if let Some(part) = particle {
        p.expect(part, &format!("\"{w} {part}\""))?;
    }
    let target = p.name("state", &states)?;
    // The sector: the rest up to a comma (or one quoted name).
    let sectors: Vec<&str> = s.sectors.iter().map(String::as_str).collect();
    let sec_at = p.pos();
    let mut words = Vec::new();
    while let Some((t, _)) = p.toks.get(p.i) {
        match t {
            Tok::Word(w) | Tok::Quoted(w) => words.push(w.clone()),
            Tok::Comma => break,
            Tok::Colon => return p.err(p.pos(), "unexpected \":\""),
        }
        p.i += 1;
    }
    let sector = if words.is_empty() {
        None
    } else {
        Some(p.resolve(&words.join(" "), sec_at, "sector", &sectors)?)
    };
    let mut inj = Inject {
        day,
        executor,
        sponsor,
        kind,
        target,
        sector,
        severity: None,
        overt: false,
        false_flag: None,
        detected_after_days: None,
    };
    while matches!(p.toks.get(p.i), Some((Tok::Comma, _))) {
        p.i += 1;
        let at = p.pos();
        if p.keyword("false") {
            p.expect("flag", "\"false flag <state>\"")?;
            inj.false_flag = Some(p.name("state", &states)?);
        } else if p.keyword("severity") {
            let n = p.number("a severity")?;
            if !(1..=u32::from(DCID_MAX)).contains(&n) {
                return p.err(
                    at,
                    format!("severity {n} is not a DCID severity; use 1 to 10"),
                );
            }
            inj.severity = Some(n as u8);
        } else if p.keyword("overt") {
            inj.overt = true;
        } else if p.keyword("detected") {
            p.expect("after", "\"detected after <N> days\"")?;
            inj.detected_after_days = Some(p.number("the days to detection")?);
            let _ = p.keyword("days") || p.keyword("day");
        } else {
            return p.err(at, "expected an option: false flag <state>, severity <1-10>, overt, or detected after <N> days");
        }
        if p.i < p.toks.len() && !matches!(p.toks[p.i].0, Tok::Comma) {
            return p.err(
                p.pos(),
                "expected a comma before the next option, or the end",
            );
        }
    }
    if p.i < p.toks.len() {
        return p.err(p.pos(), "unexpected text");
    }
    // Checks that need the whole inject, with the scenario's own wording.
    let mut probe = p.scenario.clone();
    probe.injects = vec![inj.clone()];
    if let Some(problem) = crate::scenario::validate::validate(&probe)
        .err()
        .into_iter()
        .flatten()
        .find(|x| x.path.starts_with("injects"))
    {
        let at = match problem.path.rsplit('.').next() {
            Some("sponsor") => exec_at,
            Some("target") | Some("sector") => sec_at.min(p.end()),
            Some("kind") => verb_at,
            Some("false_flag") => text.find("false").map_or(0, |b| text[..b].chars().count()),
            _ => 0,
        };
        return p.err(at, problem.message);
    }
    Ok(inj)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classroom() -> Scenario {
        crate::scenario::parse_scenario("classroom", super::super::DEMO_SCENARIO)
            .expect("valid")
            .scenario
    }

    #[test]
    fn the_example_parses() {
        let s = classroom();
        let i = parse_inject(EXAMPLE, &s).expect("parses");
        assert_eq!(i.day, 40);
        assert_eq!(i.executor, "Sandfly");
        assert_eq!(i.kind, OperationKind::Sabotage);
        assert_eq!(i.target, "Aurelia");
        assert_eq!(i.sector.as_deref(), Some("power grid"));
        assert_eq!(i.false_flag.as_deref(), Some("Borealis"));
    }

    #[test]
    fn options_and_case_are_accepted() {
        let s = classroom();
        let i = parse_inject("day 3 borealis spies on aurelia \"military\", severity 4, overt, detected after 2 days", &s).expect("parses");
        assert_eq!(
            (
                i.executor.as_str(),
                i.severity,
                i.overt,
                i.detected_after_days
            ),
            ("Borealis", Some(4), true, Some(2))
        );
        let j = parse_inject("day 9: mercenary Sandfly for Borealis disrupts Aurelia", &s)
            .expect("parses");
        assert_eq!(j.sponsor.as_deref(), Some("Borealis"));
        assert_eq!(j.sector, None);
    }

    #[test]
    fn errors_point_at_the_problem() {
        let s = classroom();
        let e = parse_inject("day 40: mercenary \"Sandfly\" destroys US power grid", &s)
            .expect_err("US");
        assert_eq!(e.at, 37);
        assert!(e.message.contains("unknown state \"US\""), "{}", e.message);
        let e =
            parse_inject("day 40: mercenary \"Sanfly\" destroys Aurelia", &s).expect_err("typo");
        assert!(
            e.message.contains("did you mean \"Sandfly\""),
            "{}",
            e.message
        );
        assert_eq!(e.at, 18);
        let e = parse_inject("day x: Borealis disrupts Aurelia", &s).expect_err("day");
        assert_eq!(e.at, 4);
        let e = parse_inject("day 4: Borealis hugs Aurelia", &s).expect_err("verb");
        assert_eq!(e.at, 16);
        let e = parse_inject("day 4: Borealis disrupts Aurelia, severity 11", &s)
            .expect_err("severity");
        assert_eq!(e.at, 34);
        let e = parse_inject("day 4: mercenary Borealis disrupts Aurelia", &s).expect_err("role");
        assert!(e.message.contains("is a state"), "{}", e.message);
        let e =
            parse_inject("day 4: Sandfly for Aurelia disrupts Aurelia", &s).expect_err("sponsor");
        assert!(e.message.contains("works for"), "{}", e.message);
        let e =
            parse_inject("day 4: Borealis disrupts Aurelia \"power grid", &s).expect_err("quote");
        assert!(e.to_string().contains(EXAMPLE));
        let e = parse_inject("day 400: Borealis disrupts Aurelia", &s).expect_err("horizon");
        assert_eq!(e.at, 4);
    }
}
