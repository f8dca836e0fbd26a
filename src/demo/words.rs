//! Plain-English phrases for the event log's events: who did what to whom, and what was really true.

use crate::model::Deception;
use crate::model::agenda::Reason;
use crate::model::event_log::{Entry, Event, OpFacts, Withdrawal};
use crate::scenario::compile::{Compiled, ExecutorRole, MeasureParams, StateId};
use crate::scenario::types::OperationKind;
use crate::units::DCID_MAX;
use std::collections::BTreeMap;

/// Names and the operations of a run, to turn events into sentences.
pub struct Words<'a> {
    p: &'a Compiled,
    ops: BTreeMap<u64, OpFacts>,
}

impl<'a> Words<'a> {
    /// Phrases for `p`, knowing the operations launched in `entries` (of any arm).
    pub fn new<'e>(p: &'a Compiled, entries: impl IntoIterator<Item = &'e Entry>) -> Words<'a> {
        let mut ops = BTreeMap::new();
        for e in entries {
            if let Event::Launched { op, .. }
            | Event::Restrained { op, .. }
            | Event::Deterred { op, .. } = &e.event
            {
                ops.insert(op.key, op.clone());
            }
        }
        Words { p, ops }
    }

    /// A state's name.
    pub fn state(&self, s: StateId) -> &str {
        &self.p.states[s].name
    }

    /// A measure's name, as words.
    pub fn measure(&self, m: usize) -> String {
        human(&self.p.measures[m].name)
    }

    /// A rung's name, as words.
    pub fn rung(&self, r: u8) -> String {
        human(&self.p.scenario.ladder.rungs[r as usize].name)
    }

    /// A sector's name, as words (`critical_infrastructure` → "critical infrastructure").
    pub fn sector(&self, s: usize) -> String {
        human(&self.p.scenario.sectors[s])
    }

    /// Whether an executor's name is a plural common noun ("hacktivists", "criminal groups"), which
    /// takes a plural verb; proper names ("Sandfly", "Echo Systems") are singular.
    pub fn plural(&self, executor: usize) -> bool {
        plural_name(&self.p.executors[executor].name)
    }

    /// Who carried an operation out, with who was really behind it.
    fn executor(&self, op: &OpFacts) -> String {
        let e = &self.p.executors[op.executor];
        let sponsor = op.sponsor.map(|s| self.state(s).to_string());
        match &e.role {
            ExecutorRole::State => e.name.clone(),
            ExecutorRole::Proxy { .. } => match (sponsor, plural_name(&e.name)) {
                (Some(s), false) => format!("{} (a proxy, for {s})", e.name),
                (Some(s), true) => format!("{} (proxies, for {s})", e.name),
                (None, false) => format!("{} (a proxy, on its own account)", e.name),
                (None, true) => format!("{} (proxies, on their own account)", e.name),
            },
            ExecutorRole::Mercenary { .. } => match (sponsor, plural_name(&e.name)) {
                (Some(s), false) => format!("{} (a mercenary group, hired by {s})", e.name),
                (Some(s), true) => format!("{} (mercenaries, hired by {s})", e.name),
                (None, false) => format!("{} (a mercenary group)", e.name),
                (None, true) => format!("{} (mercenaries)", e.name),
            },
            ExecutorRole::Independent { .. } => format!("{} (working for no state)", e.name),
        }
    }

    /// The truth about who was behind an operation.
    fn truth(&self, op: &OpFacts) -> String {
        let e = &self.p.executors[op.executor];
        match (&e.role, op.sponsor) {
            (ExecutorRole::State, Some(s)) => format!("{} did it itself", self.state(s)),
            (ExecutorRole::Mercenary { .. }, Some(s)) if plural_name(&e.name) => {
                format!(
                    "the mercenaries {} were working for {}",
                    e.name,
                    self.state(s)
                )
            }
            (ExecutorRole::Mercenary { .. }, Some(s)) => {
                format!(
                    "the mercenary group {} was working for {}",
                    e.name,
                    self.state(s)
                )
            }
            (ExecutorRole::Proxy { .. }, Some(s)) => {
                format!("{}'s proxy {} did it", self.state(s), e.name)
            }
            (ExecutorRole::Proxy { .. }, None) if plural_name(&e.name) => {
                format!("the proxies {} acted on their own", e.name)
            }
            (ExecutorRole::Proxy { .. }, None) => {
                format!("the proxy {} acted on its own", e.name)
            }
            _ => format!("{} did it, for no state", e.name),
        }
    }

    fn verb(kind: OperationKind, plural: bool) -> &'static str {
        match (kind, plural) {
            (OperationKind::Espionage, false) => "spies on",
            (OperationKind::IpTheft, false) => "steals secrets from",
            (OperationKind::Disruption, false) => "disrupts",
            (OperationKind::Sabotage, false) => "sabotages",
            (OperationKind::Influence, false) => "meddles in",
            (OperationKind::Espionage, true) => "spy on",
            (OperationKind::IpTheft, true) => "steal secrets from",
            (OperationKind::Disruption, true) => "disrupt",
            (OperationKind::Sabotage, true) => "sabotage",
            (OperationKind::Influence, true) => "meddle in",
        }
    }

    fn noun(kind: OperationKind) -> &'static str {
        match kind {
            OperationKind::Espionage => "spying on",
            OperationKind::IpTheft => "theft from",
            OperationKind::Disruption => "disruption of",
            OperationKind::Sabotage => "sabotage of",
            OperationKind::Influence => "meddling in",
        }
    }

    /// "Sandfly disrupts Aurelia's power grid": an operation in a few words.
    pub fn launch(&self, op: &OpFacts) -> String {
        format!(
            "{} {} {}'s {}",
            self.p.executors[op.executor].name,
            Self::verb(op.kind, self.plural(op.executor)),
            self.state(op.victim),
            self.sector(op.sector)
        )
    }

    /// "the disruption of Aurelia's power grid".
    pub fn op_ref(&self, key: u64) -> String {
        match self.ops.get(&key) {
            Some(op) => format!(
                "the {} {}'s {}",
                Self::noun(op.kind),
                self.state(op.victim),
                self.sector(op.sector)
            ),
            None => "an operation".to_string(),
        }
    }

    fn deception(&self, d: Deception, blamed: StateId, op: &OpFacts) -> String {
        let b = self.state(blamed);
        let exec = &self.p.executors[op.executor].name;
        match d {
            Deception::FalseFlag => format!("a false flag planted to point at {b}"),
            Deception::ToolReuse => format!("{} reused tools pointed at {b}", possessive(exec)),
            Deception::Mimicry => format!("{} tools resemble {b}'s", possessive(exec)),
            Deception::Freelance => format!("{b} was assumed to be behind its proxy"),
            Deception::HonestError => format!("noisy evidence was read as pointing at {b}"),
            Deception::None => String::new(),
        }
    }

    /// The whole sentence for an event.
    pub fn sentence(&self, e: &Entry) -> String {
        match &e.event {
            Event::Launched { op, detect_day } => {
                let mut s = format!(
                    "{}{} {} {}'s {} ({}, severity {}/{DCID_MAX}",
                    if op.injected { "[inject] " } else { "" },
                    capitalised(&self.executor(op)),
                    Self::verb(op.kind, self.plural(op.executor)),
                    self.state(op.victim),
                    self.sector(op.sector),
                    if op.overt { "openly" } else { "covertly" },
                    op.severity
                );
                if let Some(f) = op.false_flag {
                    s += &format!(", planting a false flag that points at {}", self.state(f));
                }
                s += ")";
                if detect_day.is_none() {
                    s += &format!("; {}'s defences miss it", self.state(op.victim));
                }
                s + "."
            }
            Event::Noticed { op, measure } => format!(
                "{} gives {} advance notice of its {} {}'s {} under the {}: it will not be read as the worst.",
                op.sponsor.map_or("A group", |s| self.state(s)),
                self.state(op.victim),
                Self::noun(op.kind),
                self.state(op.victim),
                self.sector(op.sector),
                self.measure(*measure)
            ),
            Event::Restrained { op, measure } => format!(
                "{} holds back a planned {} {}'s {}: the {} binds it.",
                op.sponsor.map_or("A group", |s| self.state(s)),
                Self::noun(op.kind),
                self.state(op.victim),
                self.sector(op.sector),
                self.measure(*measure)
            ),
            Event::Deterred { op, .. } => format!(
                "{} holds back a planned {} {}'s {}: it expects to be caught and punished.",
                op.sponsor.map_or("A group", |s| self.state(s)),
                Self::noun(op.kind),
                self.state(op.victim),
                self.sector(op.sector),
            ),
            Event::Detected { op } => {
                let victim = self
                    .ops
                    .get(op)
                    .map_or("The victim", |o| self.state(o.victim));
                format!("{victim} detects {}.", self.op_ref(*op))
            }
            Event::EvidenceShared {
                op,
                accused,
                measure,
                connected,
                convinced,
            } => {
                let victim = self
                    .ops
                    .get(op)
                    .map_or("The victim", |o| self.state(o.victim));
                let head = format!(
                    "{victim}'s analysts check {} with {} over the {}",
                    self.op_ref(*op),
                    self.state(*accused),
                    self.measure(*measure)
                );
                match (connected, convinced) {
                    (false, _) => format!("{head}: no answer."),
                    (true, true) => format!(
                        "{head}: the shared indicators clear {}.",
                        self.state(*accused)
                    ),
                    (true, false) => format!("{head}: the indicators do not convince them."),
                }
            }
            Event::Attributed {
                op,
                blamed,
                confidence,
                deception,
                saw_through,
            } => {
                let Some(o) = self.ops.get(op) else {
                    return String::new();
                };
                let mut s = format!(
                    "{} blames {} for {}, {:.0} % confident",
                    self.state(o.victim),
                    self.state(*blamed),
                    self.op_ref(*op),
                    confidence * 100.0
                );
                if Some(*blamed) != o.sponsor {
                    s += &format!(
                        ". WRONG: in truth {} ({})",
                        self.truth(o),
                        self.deception(*deception, *blamed, o)
                    );
                } else if *saw_through {
                    s += " (rightly: its analysts saw through the misleading evidence)";
                } else if !o.overt && o.executor != *blamed {
                    s += &format!(" (rightly: {})", self.truth(o));
                }
                s + "."
            }
            Event::Decided {
                op,
                actor,
                against,
                rung,
                clarified,
                reason,
                ..
            } => self.decision(*op, *actor, *against, *rung, *clarified, reason),
            Event::Consulted {
                actor,
                against,
                measure,
                connected,
                ..
            } => format!(
                "{} calls {} on the {} before acting{}",
                self.state(*actor),
                self.state(*against),
                self.measure(*measure),
                if *connected {
                    "."
                } else {
                    ": no answer, so it goes ahead."
                }
            ),
            Event::Answered {
                actor,
                against,
                innocent,
                acknowledged,
                believed,
                planned,
                after,
                ..
            } => {
                let (a, b) = (self.state(*actor), self.state(*against));
                let what = if *innocent {
                    format!("{b} denies it, truthfully")
                } else if *acknowledged {
                    format!("{b} admits it and explains its intent")
                } else {
                    format!("{b} denies it (a lie)")
                };
                let then = if *after == 0 {
                    format!("{a} stands down instead of {}", self.rung(*planned))
                } else if after < planned {
                    format!(
                        "{a} lowers its response from {} to {}",
                        self.rung(*planned),
                        self.rung(*after)
                    )
                } else {
                    format!("{a} goes ahead with {}", self.rung(*after))
                };
                let belief = if *acknowledged {
                    ""
                } else if *believed {
                    "; it is believed"
                } else {
                    "; it is not believed"
                };
                format!("{what}{belief}: {then}.")
            }
            Event::Responded {
                actor,
                against,
                rung,
                wrongful,
                kinetic,
                ..
            } => {
                let mut s = format!(
                    "{} → {}: {}",
                    self.state(*actor),
                    self.state(*against),
                    self.rung(*rung).to_uppercase()
                );
                if *wrongful {
                    s += &format!(" (for something {} did not do)", self.state(*against));
                }
                if *kinetic {
                    s += ". Armed conflict: the run ends for this pair";
                } else if *rung >= self.p.crisis_rung {
                    s += ". CRISIS";
                }
                s + "."
            }
            Event::CrisisCall {
                actor,
                against,
                measure,
                believed,
                planned,
                after,
            } => {
                let head = format!(
                    "{} calls {} on the {} to talk it down",
                    self.state(*against),
                    self.state(*actor),
                    self.measure(*measure)
                );
                if *believed && after < planned {
                    format!(
                        "{head}: it works, {} answers with {} instead of {}.",
                        self.state(*actor),
                        if *after == 0 {
                            "nothing".to_string()
                        } else {
                            self.rung(*after)
                        },
                        self.rung(*planned)
                    )
                } else {
                    format!("{head}: it does not help.")
                }
            }
            Event::Dialogue {
                measure,
                held,
                trust,
            } => {
                let m = &self.p.measures[*measure];
                let who = match &m.params {
                    MeasureParams::Dialogue(d) => format!("{} and {}", d.between.0, d.between.1),
                    _ => String::new(),
                };
                if *held {
                    format!(
                        "{who} hold a round of {} (trust now {:.2}).",
                        human(&m.name),
                        trust
                    )
                } else {
                    format!("The {} round between {who} is cancelled.", human(&m.name))
                }
            }
            Event::Warned {
                by,
                to,
                measure,
                delivered,
                until,
            } => {
                if *delivered {
                    format!(
                        "{} warns {} over the {}: it expects interference and will answer it (for the next {} days).",
                        self.state(*by),
                        self.state(*to),
                        self.measure(*measure),
                        until.saturating_sub(e.day)
                    )
                } else {
                    format!(
                        "{} tries to warn {} over the {}, but the call does not get through.",
                        self.state(*by),
                        self.state(*to),
                        self.measure(*measure)
                    )
                }
            }
            Event::Withdrew {
                by,
                measure,
                reason,
            } => format!(
                "{} {} the {}{}.",
                self.state(*by),
                if matches!(reason, Withdrawal::Declined) {
                    "declines"
                } else {
                    "withdraws from"
                },
                self.measure(*measure),
                match reason {
                    Withdrawal::Declined | Withdrawal::Scheduled => String::new(),
                    Withdrawal::Violations(k) => format!(" after {k} violations by the other side"),
                    Withdrawal::Tension(x) => format!(" as tension reaches {x:.1} rungs"),
                }
            ),
            Event::Refused { by, measure, .. } => format!(
                "{} refuses the call over the {}.",
                self.state(*by),
                self.measure(*measure)
            ),
            Event::Reviewed {
                measure,
                year,
                violations,
                trust,
                ..
            } => {
                let m = &self.p.measures[*measure];
                if *violations == 0 {
                    format!(
                        "The {} holds its review of year {year}: no violation, trust now {trust:.2}.",
                        human(&m.name)
                    )
                } else {
                    format!(
                        "The {} holds its review of year {year}: {violations} violations on record, trust stays {trust:.2}.",
                        human(&m.name)
                    )
                }
            }
            Event::LieDiscovered { dyad, trust, .. } => format!(
                "It comes out that a denial between {} and {} was a lie: trust falls to {:.2}.",
                self.state(dyad.0),
                self.state(dyad.1),
                trust
            ),
        }
    }

    /// A decision with its reason: what the doctrine weighed, and what tipped it.
    fn decision(
        &self,
        op: u64,
        actor: StateId,
        against: StateId,
        rung: u8,
        clarified: u8,
        reason: &Reason,
    ) -> String {
        let (a, b) = (self.state(actor), self.state(against));
        let (tension, mood) = (tension_words, mood_words);
        match *reason {
            Reason::Answer { .. } => self.answer(actor, against, 0, rung, reason),
            Reason::ReplyInKind { table } => format!(
                "{a} decides on {} against {b}: sure of who acted, it replies in kind (its doctrine alone gave {}).",
                self.rung(rung),
                self.rung(table)
            ),
            Reason::Doctrine {
                perceived,
                tension: t,
                noise,
            } => {
                let read = match self.ops.get(&op) {
                    Some(o) if perceived > f64::from(o.severity) + 0.05 => format!(
                        "{perceived:.1} (severity {}, read as the worst)",
                        o.severity
                    ),
                    _ => format!("{perceived:.1}"),
                };
                if rung == 0 {
                    return format!(
                        "{a} lets it pass: it weighs the incident at {read}{}, too little to answer.",
                        tension(t)
                    );
                }
                let mut s = format!(
                    "{a} decides on {} against {b}: it weighs the incident at {read}{}{}",
                    self.rung(rung),
                    tension(t),
                    mood(noise)
                );
                if clarified < rung {
                    s += &format!(
                        "; with intent clear it would choose {}",
                        self.rung(clarified)
                    );
                }
                s + "."
            }
        }
    }

    /// The decision to answer `against`'s response at rung `answered` (0: unknown) with `rung`, with
    /// what the doctrine weighed.
    pub fn answer(
        &self,
        actor: StateId,
        against: StateId,
        answered: u8,
        rung: u8,
        reason: &Reason,
    ) -> String {
        let (a, b) = (self.state(actor), self.state(against));
        let what = if answered > 0 {
            format!("{b}'s {}", self.rung(answered))
        } else {
            b.to_string()
        };
        let weighed = match *reason {
            Reason::Answer {
                seen,
                tension,
                noise,
            } => format!(
                ": it weighs the blow at {seen:.0}{}{}",
                tension_words(tension),
                mood_words(noise)
            ),
            _ => String::new(),
        };
        format!(
            "{a} decides to answer {what} with {}{weighed}.",
            self.rung(rung)
        )
    }

    /// Who is who, as the class should know it from the start (the truth the victims lack).
    pub fn cast(&self) -> Vec<String> {
        let mut out = Vec::new();
        for e in &self.p.executors {
            match &e.role {
                ExecutorRole::Mercenary { clients, .. } => out.push(format!(
                    "{}: {} working for {}.",
                    e.name,
                    if plural_name(&e.name) {
                        "mercenaries"
                    } else {
                        "a mercenary group"
                    },
                    clients
                        .iter()
                        .map(|c| self.state(*c))
                        .collect::<Vec<_>>()
                        .join(" and ")
                )),
                ExecutorRole::Proxy { .. } => out.push(format!(
                    "{}: {} of {}.",
                    e.name,
                    if plural_name(&e.name) {
                        "proxies"
                    } else {
                        "a proxy"
                    },
                    e.patron.map_or("no state", |s| self.state(s))
                )),
                ExecutorRole::Independent { .. } => out.push(format!(
                    "{}: {}, working for no state.",
                    e.name,
                    if plural_name(&e.name) {
                        "independent groups"
                    } else {
                        "an independent group"
                    }
                )),
                ExecutorRole::State => {}
            }
        }
        out
    }
}

/// " plus 1.2 for the tension between them" (nothing below 0.05).
fn tension_words(t: f64) -> String {
    if t >= 0.05 {
        format!(" plus {t:.1} for the tension between them")
    } else {
        String::new()
    }
}

/// What the decision's noise did.
fn mood_words(noise: i8) -> &'static str {
    match noise {
        1 => "; a hawkish mood takes it a rung higher",
        -1 => "; restraint takes it a rung lower",
        _ => "",
    }
}

/// An identifier as words: `critical_infrastructure` → "critical infrastructure".
pub fn human(s: &str) -> String {
    s.replace('_', " ")
}

/// Whether a name is a plural common noun: it starts in lower case and its last word ends in a
/// single "s" ("hacktivists", "criminal groups"; not "Sandfly", "Echo Systems", "contractor").
pub fn plural_name(name: &str) -> bool {
    let last = name.rsplit(' ').next().unwrap_or(name);
    name.chars().next().is_some_and(char::is_lowercase)
        && last.ends_with('s')
        && !last.ends_with("ss")
}

/// "Sandfly's", "ransomware gangs'": the possessive of a name.
pub fn possessive(name: &str) -> String {
    if plural_name(name) {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// `s` with its first letter in upper case (a sentence that starts with "hacktivists").
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_names_and_identifiers_as_words() {
        for p in [
            "hacktivists",
            "criminal groups",
            "ransomware gangs",
            "other ransomware gangs",
        ] {
            assert!(plural_name(p), "{p}");
        }
        for s in [
            "Sandfly",
            "Echo Systems",
            "contractor",
            "crime-as-a-service",
            "Quill Lab",
            "class",
        ] {
            assert!(!plural_name(s), "{s}");
        }
        assert_eq!(human("critical_infrastructure"), "critical infrastructure");
        assert_eq!(possessive("ransomware gangs"), "ransomware gangs'");
        assert_eq!(possessive("Sandfly"), "Sandfly's");
        assert_eq!(
            capitalised("hacktivists (working for no state)"),
            "Hacktivists (working for no state)"
        );
    }
}
