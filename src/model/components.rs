//! Components: the state of the simulation's entities (operations and dyads). Data only.

use crate::scenario::compile::StateId;
use crate::scenario::types::OperationKind;
use bevy_ecs::prelude::*;

/// What misleading evidence an operation carried (or none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Deception {
    /// The evidence pointed at the true sponsor.
    None,
    /// A planted false flag.
    FalseFlag,
    /// A mercenary's tools, reused across clients, pointed at another client.
    ToolReuse,
    /// An independent group resembling a state.
    Mimicry,
    /// A proxy acting on its own, its evidence pointing at its patron.
    Freelance,
    /// No deceiver: the evidence was uninformative and the analysts' reading of it (their prior over
    /// suspects) pointed at another state than the traces did.
    HonestError,
}

/// A cyber operation. Its exogenous timeline (launch, detection, attribution) is drawn when it is
/// planned; the responses it provokes are simulated as events.
#[derive(Component, Debug, Clone)]
pub struct Operation {
    /// Stable key (source index and sequence number), used for its random sub-streams.
    pub key: u64,
    /// Index of its source in `Compiled::sources`.
    pub source: usize,
    /// Kind of operation.
    pub kind: OperationKind,
    /// DCID severity 1–10.
    pub severity: u8,
    /// Index of the target sector.
    pub sector: usize,
    /// Index of the executor in `Compiled::executors`.
    pub executor: usize,
    /// The state that ordered it, if any.
    pub sponsor: Option<StateId>,
    /// The victim state.
    pub victim: StateId,
    /// Day of launch.
    pub launch_day: u32,
    /// Overt (claimed or plainly attributable) rather than covert.
    pub overt: bool,
    /// Whether the operation broke an active agreement or pledge (index of the measure).
    pub violates: Option<usize>,
    /// The agreement under whose rules its sponsor announced it in advance, if it did.
    pub noticed: Option<usize>,
}

/// Detection of an operation by its victim.
#[derive(Component, Debug, Clone)]
pub struct Detection {
    /// Day the victim detected it.
    pub day: u32,
}

/// The victim's attribution: its leading hypothesis and the confidence it grows over time.
///
/// Only the leading hypothesis is tracked: its confidence `confidence_after(t)`; the rest of the belief
/// is not distributed over the other candidates.
#[derive(Component, Debug, Clone)]
pub struct AttributionBelief {
    /// The state blamed (None: attributed to a non-state group, no state blamed).
    pub blamed: Option<StateId>,
    /// What misleading evidence there was, and whether analysts were fooled by it.
    pub deception: Deception,
    /// Whether analysts (or a CERT channel) saw through the deception.
    pub saw_through: bool,
    /// Highest confidence reachable: the victim's ceiling times its posterior probability of the
    /// state blamed given the evidence, in (0, 1].
    pub ceiling: f64,
    /// Days for confidence to reach 63 % of the ceiling.
    pub time_scale: f64,
    /// Day of public attribution, if it happens within the horizon.
    pub public_day: Option<u32>,
}

impl AttributionBelief {
    /// Confidence in the leading hypothesis `days` after detection.
    pub fn confidence_after(&self, days: f64) -> f64 {
        if days <= 0.0 {
            return 0.0;
        }
        self.ceiling * (1.0 - (-days / self.time_scale).exp())
    }
}

/// The relationship of two states: escalation level, trust, and whether it has gone kinetic.
#[derive(Component, Debug, Clone)]
pub struct Dyad {
    /// Lower state id.
    pub a: StateId,
    /// Higher state id.
    pub b: StateId,
    /// Escalation level (in rungs) right after the last action; decays with the half-life.
    pub level: f64,
    /// Day `level` was set.
    pub level_day: u32,
    /// Highest rung reached.
    pub highest: u8,
    /// Trust in [0, 1]: how far each believes the other over a channel.
    pub trust: f64,
    /// Day the dyad first reached the crisis rung.
    pub crisis_day: Option<u32>,
    /// Day kinetic conflict began (the dyad's run ends).
    pub kinetic_day: Option<u32>,
    /// Number of dialogue rounds held.
    pub dialogue_rounds: u32,
    /// Share in [0, 1] of the red lines and readings of intent settled by dialogue so far.
    pub settled: f64,
    /// Violations of an agreement or pledge publicly attributed on the pair so far.
    pub violations: u32,
    /// `violations` at the last annual review of an incidents agreement.
    pub violations_at_review: u32,
    /// Factor in [0, 1] on the credibility of what is said over the pair's channels: 1 at the
    /// start, lowered by each exposed lie.
    pub channel_credit: f64,
}

impl Dyad {
    /// Escalation level on `day`, after exponential decay with the given half-life.
    pub fn level_on(&self, day: u32, half_life: f64) -> f64 {
        let dt = day.saturating_sub(self.level_day) as f64;
        self.level * (-std::f64::consts::LN_2 * dt / half_life).exp()
    }

    /// Whether the dyad is still running on `day` (no kinetic conflict before it).
    pub fn running_on(&self, day: u32) -> bool {
        self.kinetic_day.is_none_or(|k| day < k)
    }
}

/// The two uniforms of the victim's first response to an operation (noise, rounding), drawn at
/// planning from the source's Response sequence so that every operation consumes them in every arm.
#[derive(Component, Debug, Clone, Copy)]
pub struct ResponseDraws {
    /// Uniform deciding restraint or escalation.
    pub noise: f64,
    /// Uniform for stochastic rounding.
    pub rounding: f64,
}
