//! What one replicate-arm produces.

use crate::units::DCID_LEVELS;
use serde::Serialize;

/// Number of kinds of trigger of a response (`model::Trigger::ALL`, which is sized by it).
pub const TRIGGER_KINDS: usize = 7;

/// The outcome of one run of one arm: the row of `replicates.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Outcome {
    /// Highest rung reached in any dyad (0: the status quo).
    pub highest_rung: u8,
    /// Day the first dyad reached the crisis rung.
    pub crisis_day: Option<u32>,
    /// Day the first dyad went kinetic.
    pub kinetic_day: Option<u32>,
    /// Operations launched (before the horizon and before their dyad went kinetic).
    pub ops_launched: u32,
    /// Of those, detected by the victim.
    pub ops_detected: u32,
    /// Operations publicly attributed to a state.
    pub ops_attributed: u32,
    /// Of those, attributed to a state that did not order them.
    pub misattributions: u32,
    /// Responses carried out (every rung above the status quo).
    pub responses: u32,
    /// Responses against a state that did not order the operation answered.
    pub wrongful_responses: u32,
    /// Channel calls attempted.
    pub channel_calls: u32,
    /// Channel calls that connected.
    pub channel_uses: u32,
    /// Responses withdrawn or lowered thanks to a channel.
    pub de_escalations: u32,
    /// Misattributions corrected by a channel.
    pub corrections: u32,
    /// Lies told over a channel.
    pub lies: u32,
    /// Dialogue rounds held.
    pub dialogue_rounds: u32,
    /// Operations launched in breach of an active agreement or pledge.
    pub violations: u32,
    /// Breaches (real or perceived) the victim attributed.
    pub violations_attributed: u32,
    /// Operations not launched because the sponsor complied.
    pub restrained: u32,
    /// Total damage: DCID severities of operations launched plus rung severities of responses.
    pub damage: f64,
    /// Sum of the escalation scores (Rivera et al. 2024 weights) of the responses.
    pub escalation_score: f64,
    /// Mean trust over dyads at the end.
    pub final_trust: f64,
    /// Responses by trigger, in `Trigger::ALL` order.
    pub responses_by_trigger: [u32; TRIGGER_KINDS],
    /// The operation that began the chain of responses that first reached the crisis rung.
    pub crisis_origin: Option<Origin>,
    /// The operation that began the chain of responses that first went kinetic.
    pub kinetic_origin: Option<Origin>,
}

impl Outcome {
    /// Whether a crisis occurred.
    pub fn crisis(&self) -> bool {
        self.crisis_day.is_some()
    }

    /// Whether kinetic conflict occurred.
    pub fn kinetic(&self) -> bool {
        self.kinetic_day.is_some()
    }
}

/// What one state did to another in one replicate-arm (an ordered pair: `actor` against `target`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PairOutcome {
    /// Responses the actor carried out against the target.
    pub responses: u32,
    /// Of those, against a target that did not order the operation answered.
    pub wrongful_responses: u32,
    /// The actor's response brought the pair to the crisis rung (first time).
    pub crisis: bool,
    /// The actor went kinetic against the target.
    pub kinetic: bool,
    /// Trust between the two at the end, in [0, 1] (the same in both directions).
    pub final_trust: f64,
}

/// Incidents one state publicly attributed to another.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PairIncidents {
    /// Number of incidents.
    pub count: u32,
    /// Severity histogram (1..=10).
    pub severity: [u32; DCID_LEVELS],
    /// DCID objective histogram.
    pub objective: [u32; 3],
}

/// Calibration data of one replicate-arm (what the victims detected and publicly attributed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IncidentRecord {
    /// Attributed incidents per (blamed state, victim) pair, `blamed * n + victim`.
    pub pairs: Vec<PairIncidents>,
    /// Days from launch to public attribution, per attributed covert incident.
    pub lags: Vec<u32>,
    /// Detected incidents.
    pub detected: u32,
    /// Publicly attributed incidents by (true sponsor, blamed state), `truth * n + blamed` (truth `n`:
    /// a freelancing proxy, `n + 1`: an independent group).
    pub confusion: Vec<u32>,
    /// The current rung (highest over dyads) as runs: (first day, rung), from day 0, in day order.
    pub timeline: Vec<(u32, u8)>,
    /// First responses to incidents (any rung from the first above the status quo; answers in the
    /// spiral excluded), replies in kind included; `first_responses` splits them by rung.
    pub political_responses: u32,
    /// First responses carried out, per ordered pair (`actor * n + target`) and rung:
    /// `(actor * n + target) * rungs + rung` (the response mix of the calibration).
    pub first_responses: Vec<u32>,
}

/// A kind of operation a chain of responses can begin with. One operation can be of several kinds
/// (a mercenary's operation blamed on another client is misattributed, deceptive and a mercenary's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginKind {
    /// Publicly blamed on a state that did not order it (by deception or by an honest mistake).
    Misattributed,
    /// Carried misleading evidence: a false flag, a mercenary's reused tools, an independent group's
    /// mimicry of a state (whether or not the victim saw through it).
    Deceptive,
    /// Carried out by a proxy (on its sponsor's orders or on its own).
    Proxy,
    /// Carried out by a mercenary.
    Mercenary,
    /// Carried out by an independent group that no state ordered.
    Independent,
}

impl OriginKind {
    /// Every kind, in report order.
    pub const ALL: [OriginKind; 5] = [
        OriginKind::Misattributed,
        OriginKind::Deceptive,
        OriginKind::Proxy,
        OriginKind::Mercenary,
        OriginKind::Independent,
    ];

    /// Key in JSON and CSV.
    pub fn key(self) -> &'static str {
        match self {
            OriginKind::Misattributed => "misattributed",
            OriginKind::Deceptive => "deceptive",
            OriginKind::Proxy => "proxy",
            OriginKind::Mercenary => "mercenary",
            OriginKind::Independent => "independent",
        }
    }

    /// What an operation of this kind is, completing "an operation …".
    pub fn words(self) -> &'static str {
        match self {
            OriginKind::Misattributed => "blamed on a state that did not order it",
            OriginKind::Deceptive => {
                "carrying misleading evidence (false flag, reused tools, mimicry)"
            }
            OriginKind::Proxy => "carried out by a proxy",
            OriginKind::Mercenary => "carried out by a mercenary",
            OriginKind::Independent => "carried out by an independent group",
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of [`OriginKind`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct OriginKinds(u8);

impl OriginKinds {
    /// The set with `kind` added when `yes`.
    pub fn with(self, kind: OriginKind, yes: bool) -> OriginKinds {
        if yes {
            OriginKinds(self.0 | kind.bit())
        } else {
            self
        }
    }

    /// Whether the set holds `kind`.
    pub fn contains(self, kind: OriginKind) -> bool {
        self.0 & kind.bit() != 0
    }

    /// The kinds in the set, in report order.
    pub fn iter(self) -> impl Iterator<Item = OriginKind> {
        OriginKind::ALL
            .into_iter()
            .filter(move |k| self.contains(*k))
    }
}

/// The incident a chain of responses began with: carried from the first response to every answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Origin {
    /// Key of the operation (as in the event log).
    pub op: u64,
    /// What kind of operation it was.
    pub kinds: OriginKinds,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_kinds_hold_what_was_added_and_list_it_in_report_order() {
        let none = OriginKinds::default();
        assert_eq!(none.iter().count(), 0);
        let k = none
            .with(OriginKind::Mercenary, true)
            .with(OriginKind::Proxy, false)
            .with(OriginKind::Misattributed, true);
        assert!(k.contains(OriginKind::Mercenary) && k.contains(OriginKind::Misattributed));
        assert!(!k.contains(OriginKind::Proxy) && !k.contains(OriginKind::Deceptive));
        assert_eq!(
            k.iter().collect::<Vec<_>>(),
            [OriginKind::Misattributed, OriginKind::Mercenary]
        );
        let keys: std::collections::BTreeSet<_> = OriginKind::ALL.iter().map(|k| k.key()).collect();
        assert_eq!(keys.len(), OriginKind::ALL.len(), "keys are distinct");
    }
}
