//! Resources: the replicate-wide state (parameters, arm, clock, random streams, dyad index, tallies).

use crate::model::components::Deception;
use crate::rng::Streams;
use crate::scenario::compile::{Compiled, StateId, dyad_index};
use bevy_ecs::prelude::*;
use std::sync::Arc;

/// The resolved scenario (read-only).
#[derive(Resource, Clone)]
pub struct Params(pub Arc<Compiled>);

/// Which measures are in force, and until when, in the arm being simulated.
#[derive(Resource, Debug, Clone, Default)]
pub struct ArmState {
    /// Index of the arm.
    pub arm: usize,
    /// First day each measure is no longer in force (0: off in the arm, or declined; `u32::MAX`:
    /// in force all run): set from the arm's schedule and the withdrawals its parties' doctrines
    /// decided.
    pub until: Vec<u32>,
}

impl ArmState {
    /// The measures in force on `day`.
    pub fn on(&self, day: u32) -> InForce<'_> {
        InForce {
            until: &self.until,
            day,
        }
    }
}

/// The measures in force on one day.
#[derive(Debug, Clone, Copy)]
pub struct InForce<'a> {
    until: &'a [u32],
    day: u32,
}

impl<'a> InForce<'a> {
    /// The measures of a schedule `until` (first day each is no longer in force) on `day`.
    pub fn at(until: &'a [u32], day: u32) -> InForce<'a> {
        InForce { until, day }
    }

    /// The schedule of measures on (`mask[m]`) or off for the whole run.
    pub fn schedule_of(mask: &[bool]) -> Vec<u32> {
        mask.iter()
            .map(|on| if *on { u32::MAX } else { 0 })
            .collect()
    }

    /// Whether measure `m` is in force.
    pub fn has(&self, m: usize) -> bool {
        self.day < self.until[m]
    }

    /// The same measures on another day.
    pub fn on(&self, day: u32) -> InForce<'a> {
        InForce {
            until: self.until,
            day,
        }
    }

    /// The first day each measure is no longer in force.
    pub fn until(&self) -> &'a [u32] {
        self.until
    }

    /// `active[m]` for each measure on this day.
    pub fn mask(&self) -> Vec<bool> {
        (0..self.until.len()).map(|m| self.has(m)).collect()
    }
}

/// Simulated time.
#[derive(Resource, Debug, Clone, Default)]
pub struct Clock {
    /// Current day (0-based).
    pub today: u32,
    /// Length of the run in days.
    pub horizon: u32,
}

/// What set a response off, for the breakdown of where escalation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Trigger {
    /// An operation correctly attributed to its sponsor.
    Attributed,
    /// A misattribution caused by a false flag.
    FalseFlag,
    /// A misattribution caused by a mercenary's reused tools.
    Mercenary,
    /// An independent group's operation blamed on a state.
    Independent,
    /// A freelancing proxy's operation blamed on its patron.
    FreelancingProxy,
    /// An operation blamed on a state that did not order it through noisy evidence, no deceiver.
    HonestError,
    /// The other side's response (the spiral).
    Spiral,
}

impl Trigger {
    /// All triggers in a fixed order.
    pub const ALL: [Trigger; crate::outcome::TRIGGER_KINDS] = [
        Trigger::Attributed,
        Trigger::FalseFlag,
        Trigger::Mercenary,
        Trigger::Independent,
        Trigger::FreelancingProxy,
        Trigger::HonestError,
        Trigger::Spiral,
    ];

    /// The trigger of a response to an incident blamed after the given deception.
    pub fn from_deception(d: Deception, fooled: bool) -> Trigger {
        if !fooled {
            return Trigger::Attributed;
        }
        match d {
            Deception::None => Trigger::Attributed,
            Deception::FalseFlag => Trigger::FalseFlag,
            Deception::ToolReuse => Trigger::Mercenary,
            Deception::Mimicry => Trigger::Independent,
            Deception::Freelance => Trigger::FreelancingProxy,
            Deception::HonestError => Trigger::HonestError,
        }
    }

    /// Label for CSV and reports.
    pub fn label(self) -> &'static str {
        match self {
            Trigger::Attributed => "correctly_attributed",
            Trigger::FalseFlag => "false_flag",
            Trigger::Mercenary => "mercenary",
            Trigger::Independent => "independent_actor",
            Trigger::FreelancingProxy => "freelancing_proxy",
            Trigger::HonestError => "honest_error",
            Trigger::Spiral => "spiral",
        }
    }
}

/// The random streams of the replicate.
#[derive(Resource)]
pub struct RandomStreams(pub Streams);

/// The dyad entities, spawned once per simulator and found by their pair of states.
#[derive(Resource, Default)]
pub struct DyadEntities {
    /// Number of states.
    pub states: usize,
    /// Entity of each dyad, by dyad index.
    pub entities: Vec<Entity>,
}

impl DyadEntities {
    /// Index of the dyad of states `a` and `b`.
    pub fn index(&self, a: StateId, b: StateId) -> usize {
        dyad_index(self.states, a, b)
    }
}

/// A change of a dyad's escalation level: what the day-by-day rung is reconstructed from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LevelChange {
    /// Dyad index.
    pub dyad: usize,
    /// Day of the action.
    pub day: u32,
    /// Level right after it, in rungs.
    pub level: f64,
    /// Whether the action was kinetic (the dyad's run ends there).
    pub kinetic: bool,
}

/// Counters accumulated while a replicate-arm runs.
#[derive(Resource, Debug, Clone, Default)]
pub struct Tally {
    /// Operations publicly attributed to a state.
    pub attributed: u32,
    /// ... to a state that did not order them.
    pub misattributed: u32,
    /// Responses carried out.
    pub responses: u32,
    /// Responses against a state that did not order the operation answered.
    pub wrongful_responses: u32,
    /// Responses by what triggered them, in `Trigger::ALL` order.
    pub responses_by_trigger: [u32; crate::outcome::TRIGGER_KINDS],
    /// Channel calls attempted.
    pub channel_calls: u32,
    /// Channel calls that connected.
    pub channel_uses: u32,
    /// Responses withdrawn or lowered thanks to a channel.
    pub de_escalations: u32,
    /// Misattributions corrected by a channel (CERT evidence or a believed denial).
    pub corrections: u32,
    /// Lies told over a channel.
    pub lies: u32,
    /// Dialogue rounds held.
    pub dialogue_rounds: u32,
    /// Violations of agreements or pledges that the victim attributed (to someone).
    pub violations_attributed: u32,
    /// Each of those violations: (day attributed, victim, state blamed), in time order (what a
    /// doctrine that withdraws after violations counts).
    pub violations_seen: Vec<(u32, StateId, StateId)>,
    /// Operations not launched because the sponsor complied with an agreement or pledge.
    pub restrained: u32,
    /// Candidate operations their sponsor held back for fear of being blamed and punished.
    pub deterred: u32,
    /// Sum of rung scores of responses (Rivera et al. weights).
    pub escalation_score: f64,
    /// Sum of rung severities of responses.
    pub response_damage: f64,
    /// Calibration data: per (blamed, victim) ordered pair (`blamed * n + victim`), attributed incidents.
    pub attributed_pairs: Vec<crate::outcome::PairIncidents>,
    /// Days from launch to public attribution, one per attributed covert incident.
    pub attribution_lags: Vec<u32>,
    /// Publicly attributed incidents by (true sponsor, blamed state): row `truth * n + blamed`, where
    /// `truth` is a state, `n` for a freelancing proxy, `n + 1` for an independent group.
    pub confusion: Vec<u32>,
    /// Every change of a dyad's level, in the order they happened.
    pub level_log: Vec<LevelChange>,
    /// The origin of the chain that first brought a dyad to the crisis rung.
    pub crisis_origin: Option<crate::outcome::Origin>,
    /// The origin of the chain that first went kinetic.
    pub kinetic_origin: Option<crate::outcome::Origin>,
    /// First responses carried out, per ordered pair and rung: `(actor * n + target) * rungs + rung`.
    pub first_responses: Vec<u32>,
    /// Per ordered pair (`actor * n + target`): responses, wrongful ones, crisis and kinetic.
    pub pairs: Vec<crate::outcome::PairOutcome>,
}

/// One operation's record, kept for the end-of-run counts (launched, detected, violations) without
/// spawning an entity for the many operations no one ever attributes.
#[derive(Debug, Clone, Copy)]
pub struct LedgerEntry {
    /// The state that ordered it, if any.
    pub sponsor: Option<StateId>,
    /// The victim.
    pub victim: StateId,
    /// Day of launch.
    pub launch_day: u32,
    /// DCID severity.
    pub severity: u8,
    /// Whether it breached an active agreement or pledge.
    pub violates: bool,
    /// Day of detection, if detected within the horizon.
    pub detect_day: Option<u32>,
}

/// Every operation launched in the replicate-arm, in planning order.
#[derive(Resource, Debug, Default)]
pub struct Ledger(pub Vec<LedgerEntry>);
