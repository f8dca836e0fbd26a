//! The draws of a replicate that every arm shares: its candidate operations, each with the draws of
//! what would follow it. The arms of a replicate share their draws by design (common random
//! numbers), so these are drawn once per replicate and read by every arm (and by a rerun after a
//! doctrine's withdrawal); what an arm decides about them (deterrence, compliance, notice, a second
//! look over a CERT link) is decided in the arm.

use crate::model::components::ResponseDraws;
use crate::scenario::compile::StateId;
use crate::scenario::types::OperationKind;
use bevy_ecs::prelude::*;

/// The detection draws of one operation (drawn for every operation, so streams stay aligned).
#[derive(Debug, Clone, Copy)]
pub struct DetectionDraws {
    /// Uniform deciding whether a covert operation is detected.
    pub seen: f64,
    /// Two uniforms for the log-normal delay.
    pub delay_u: (f64, f64),
}

/// The attribution draws of one operation.
#[derive(Debug, Clone, Copy)]
pub struct AttributionDraws {
    /// Uniform deciding whether a mercenary's reused tools point at another client.
    pub reuse: f64,
    /// Uniform picking that client.
    pub pick: f64,
    /// Uniform deciding whether an independent group's evidence resembles a state.
    pub mimic: f64,
    /// Uniform deciding whether analysts see through misleading evidence.
    pub see: f64,
    /// Two uniforms for the log-normal time scale of confidence growth.
    pub scale_u: (f64, f64),
    /// Uniform deciding whether the technical evidence is informative (honest forensic error).
    pub informative: f64,
    /// Uniform picking the suspect uninformative evidence points at, from the victim's prior.
    pub lookalike: f64,
}

/// A candidate operation of a drawn source, as planning drew it: whether it goes ahead is the arm's.
#[derive(Debug, Clone, Copy)]
pub struct CandidateOperation {
    /// Stable key of the operation (source and sequence number).
    pub key: u64,
    /// Index of its source.
    pub source: usize,
    /// Day it would be launched.
    pub launch_day: u32,
    /// Target state.
    pub victim: StateId,
    /// Kind.
    pub kind: OperationKind,
    /// Severity on the DCID scale (1–10), an overreach included.
    pub severity: u8,
    /// Index of the sector.
    pub sector: usize,
    /// Done openly.
    pub overt: bool,
    /// The state a planted false flag frames.
    pub false_flag: Option<StateId>,
    /// A proxy acting against its sponsor's restraint (it overreaches, and nothing deters it).
    pub rogue: bool,
    /// Uniform thinning the candidate stream: the candidate goes ahead if below its acceptance.
    pub keep: f64,
    /// Day the victim would detect it (None: never, or not within the horizon); it depends on
    /// nothing an arm changes.
    pub detect_day: Option<u32>,
    /// Detection draws.
    pub detection: DetectionDraws,
    /// Attribution draws.
    pub attribution: AttributionDraws,
    /// The victim's first-response draws.
    pub response: ResponseDraws,
}

/// The candidate operations of the replicate whose streams are in [`crate::model::RandomStreams`],
/// in source order and, within a source, in arrival order; drawn when the replicate changes.
#[derive(Resource, Debug, Clone, Default)]
pub struct ReplicatePlan {
    /// Seed of the replicate they were drawn for (None: none drawn yet).
    pub seed: Option<u64>,
    /// The candidates.
    pub candidates: Vec<CandidateOperation>,
}
