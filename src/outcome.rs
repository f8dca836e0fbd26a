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
    /// spiral excluded): the model's counterpart of EuRepoC's "political responses".
    pub political_responses: u32,
}
