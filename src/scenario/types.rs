//! The scenario file's serde types: what an analyst writes in RON.
//!
//! Every field has a documented default (see `docs/MODEL.md` and the `default_*` functions below) and
//! unknown fields are rejected, so a misspelt key is an error rather than a silently ignored setting.

use crate::units::DCID_MAX;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::collections::BTreeMap;

/// A whole scenario: the actors, their operations, the ladder, the channels and the arms to compare.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short identifier, used for the default result folder (`results/runs/<name>-NNN/`).
    pub name: String,
    /// One or two sentences saying what the scenario shows.
    #[serde(default)]
    pub description: String,
    /// Simulated time in days (default 1826: five years).
    #[serde(default = "default_horizon")]
    #[schemars(range(min = 1, max = crate::scenario::validate::MAX_HORIZON_DAYS))]
    pub horizon_days: u32,
    /// Master seed used when `--seed` is not given.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Seed `escalate demo` narrates when `--seed` is not given (default: `seed`); chosen with
    /// `escalate demo --find` for a run that tells the scenario's story.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demo_seed: Option<u64>,
    /// Replicates used when `--replicates` is not given.
    #[serde(default = "default_replicates")]
    #[schemars(range(min = 1))]
    pub replicates: u32,
    /// Target sectors operations can hit (names used by campaigns and the incidents agreement).
    pub sectors: Vec<String>,
    /// Per operation kind: severity distribution, detectability and ambiguity of intent.
    pub operation_kinds: Vec<KindProfile>,
    /// The escalation ladder shared by every dyad.
    pub ladder: Ladder,
    /// State actors.
    pub states: Vec<StateActor>,
    /// Non-state groups sponsored by a state.
    #[serde(default)]
    pub proxies: Vec<Proxy>,
    /// Groups hired per operation by one or several states.
    #[serde(default)]
    pub mercenaries: Vec<Mercenary>,
    /// Criminals and hacktivists acting on their own account.
    #[serde(default)]
    pub independents: Vec<Independent>,
    /// Streams of operations a sponsor runs against a target through an executor.
    pub campaigns: Vec<Campaign>,
    /// Initial trust between pairs of states (pairs not listed start at `dynamics.default_trust`).
    #[serde(default)]
    pub relations: Vec<Relation>,
    /// Tension decay and trust dynamics.
    #[serde(default)]
    pub dynamics: Dynamics,
    /// The confidence-building measures, as written (the "with channels" arm).
    #[serde(default)]
    pub measures: Measures,
    /// Extra arms beyond "without channels" and "with channels".
    #[serde(default)]
    pub arms: Vec<ArmSpec>,
    /// Scripted operations (a wargame's injects): each happens in every replicate and arm on its day,
    /// on top of the drawn ones; whatever it leaves unsaid is drawn from its own stream.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub injects: Vec<Inject>,
}

/// A scripted operation ("inject"): on `day`, `executor` runs an operation of `kind` against `target`.
///
/// The command line writes the same thing as `day 40: mercenary "Sandfly" destroys Aurelia power grid,
/// false flag Borealis` (see `escalate demo --help`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    /// Day of launch (0-based, before the horizon).
    pub day: u32,
    /// Who carries it out: a state, proxy, mercenary or independent group.
    pub executor: String,
    /// The state that ordered it (default: the state itself, a proxy's patron, the sponsor of the
    /// mercenary's campaign against the target or else its first other client; none for an
    /// independent group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sponsor: Option<String>,
    /// Kind of operation.
    pub kind: OperationKind,
    /// The victim state.
    pub target: String,
    /// Target sector (default: drawn uniformly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// DCID severity 1–10 (default: drawn from the kind's severity weights).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = DCID_MAX))]
    pub severity: Option<u8>,
    /// Overt (claimed) rather than covert.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub overt: bool,
    /// A false flag planted to point at this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub false_flag: Option<String>,
    /// Days from launch to detection (default: drawn as for any operation, possibly never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detected_after_days: Option<u32>,
}

/// The five kinds of operation of the product brief.
#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub enum OperationKind {
    /// Intelligence gathering.
    Espionage,
    /// Theft of intellectual property.
    IpTheft,
    /// Temporary disruption of services (DDoS, defacement, wipers on non-critical systems).
    Disruption,
    /// Destruction or sabotage of critical infrastructure.
    Sabotage,
    /// Influence operations and election interference.
    Influence,
}

impl OperationKind {
    /// All kinds, in a fixed order (used for tallies and CSV columns).
    pub const ALL: [OperationKind; 5] = [
        OperationKind::Espionage,
        OperationKind::IpTheft,
        OperationKind::Disruption,
        OperationKind::Sabotage,
        OperationKind::Influence,
    ];

    /// Position in [`OperationKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Lower-case label used in reports and CSV headers.
    pub fn label(self) -> &'static str {
        match self {
            OperationKind::Espionage => "espionage",
            OperationKind::IpTheft => "ip_theft",
            OperationKind::Disruption => "disruption",
            OperationKind::Sabotage => "sabotage",
            OperationKind::Influence => "influence",
        }
    }
}

/// DCID's coding of an incident's objective, used to compare with the calibration data.
#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
pub enum DcidObjective {
    /// Short- or long-term espionage.
    Espionage,
    /// Disruption.
    Disruption,
    /// Degradation (damage or destruction).
    Degradation,
}

impl DcidObjective {
    /// All objectives in a fixed order.
    pub const ALL: [DcidObjective; 3] = [
        DcidObjective::Espionage,
        DcidObjective::Disruption,
        DcidObjective::Degradation,
    ];

    /// Lower-case label used in reports.
    pub fn label(self) -> &'static str {
        match self {
            DcidObjective::Espionage => "espionage",
            DcidObjective::Disruption => "disruption",
            DcidObjective::Degradation => "degradation",
        }
    }
}

/// How one kind of operation behaves.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, rename = "OperationKindProfile")]
pub struct KindProfile {
    /// Which kind this profile describes.
    pub kind: OperationKind,
    /// Relative weights of DCID severities 1..=10 (exactly ten non-negative numbers, not all zero).
    pub severity_weights: Vec<f64>,
    /// Multiplier on the victim's detection probability for a covert operation of this kind, in [0, 1].
    pub detectability: f64,
    /// How easily this kind is read as preparation for something worse: the worst-case bias (in
    /// severity points) is multiplied by this, in [0, 1].
    #[serde(default)]
    pub ambiguity: f64,
    /// DCID objective this kind is coded as, for calibration.
    pub dcid_objective: DcidObjective,
}

/// The escalation ladder.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Ladder {
    /// Rungs from the lowest (status quo competition) to the highest.
    pub rungs: Vec<Rung>,
    /// Name of the lowest rung that counts as a crisis.
    pub crisis: String,
}

/// One rung of the ladder.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Rung {
    /// Name, used by doctrines and reports.
    pub name: String,
    /// Escalation score of an action at this rung (Rivera et al. 2024 weights), non-decreasing up the ladder.
    pub score: f64,
    /// Severity (DCID 1–10 scale, 0 for the status quo) with which the other side perceives an action
    /// at this rung; non-decreasing up the ladder.
    pub severity: f64,
    /// An action at a kinetic rung is armed conflict: it ends the dyad's run. Kinetic rungs must be the top ones.
    #[serde(default)]
    pub kinetic: bool,
    /// Probability that the other side sees an action at this rung and answers it, in [0, 1]
    /// (default 1). Below 1 for a covert action, such as a cyber reply in kind, that the other side
    /// notices (and publicly pins on its author) only sometimes.
    #[serde(default = "one", skip_serializing_if = "omitted_at_one")]
    pub seen: f64,
}

/// A state actor.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, rename = "State")]
pub struct StateActor {
    /// Short name (e.g. "US").
    pub name: String,
    /// Probability of detecting a covert operation of detectability 1, in [0, 1].
    pub detection: f64,
    /// Delay from launch to detection.
    pub detection_delay: Delay,
    /// How this state attributes what it detects.
    pub attribution: Attribution,
    /// Severity points added, at ambiguity 1, when intent is unclear (worst-case reading), ≥ 0.
    #[serde(default)]
    pub worst_case_bias: f64,
    /// Probability that, confronted over a channel about an operation it did sponsor, the state
    /// acknowledges it rather than lying, in [0, 1].
    #[serde(default)]
    pub honesty: f64,
    /// How this state responds.
    pub doctrine: Doctrine,
    /// How far the punishment this state expects deters its own operations (default: not at all).
    #[serde(default, skip_serializing_if = "Deterrence::omitted")]
    pub deterrence: Deterrence,
}

/// How the punishment a state expects for an operation holds it back (Baliga, Bueno de Mesquita
/// and Wolitzky, "Deterrence with Imperfect Attribution", APSR 2020): a candidate operation goes
/// ahead with probability `exp(−sensitivity × expected punishment)`, where the expected punishment
/// is the chance the victim detects it and publicly blames this state, times the chance it would not
/// have been blamed anyway within `window_days` (for others' operations misattributed to it), times
/// the cost of being blamed: `exposure_cost` plus the severity of the victim's doctrinal answer
/// (plus `breach_cost` if it breaks an agreement or pledge in force).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Deterrence {
    /// How strongly expected punishment holds back an operation, per DCID severity point of expected
    /// punishment, ≥ 0 (default 0: operations are a fixed Poisson stream, nothing deters them).
    /// Unit: 1/DCID point. Source: set per scenario so that the realised rates meet the calibration
    /// targets (docs/MODEL.md, "Strategic operations").
    pub sensitivity: f64,
    /// Days over which a victim answers its blames of one state with one punishment (the period of
    /// the deterrence game), > 0 (default 365). Being blamed anyway within it for others' operations
    /// lowers the marginal cost of an operation. Source: assumption (yearly sanctions rounds).
    pub window_days: f64,
    /// Cost of being publicly named for an operation, whatever the victim's answer (reputation,
    /// indictments, exposed tools), in DCID severity points, ≥ 0 (default 1). Source: assumption;
    /// DCID codes most US–Russia incidents as drawing no response beyond attribution.
    pub exposure_cost: f64,
    /// Extra DCID severity points of punishment expected when an operation breaks an agreement or
    /// pledge in force that the victim can verify (a breach is answered harder), ≥ 0 (default 2).
    /// Source: assumption.
    pub breach_cost: f64,
}

impl Default for Deterrence {
    fn default() -> Self {
        Deterrence {
            sensitivity: 0.0,
            window_days: 365.0,
            exposure_cost: 1.0,
            breach_cost: 2.0,
        }
    }
}

impl Deterrence {
    fn omitted(&self) -> bool {
        *self == Deterrence::default() && !EVERY_FIELD.get()
    }
}

/// A log-normally distributed delay.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Delay {
    /// Median in days, > 0.
    pub median_days: f64,
    /// Standard deviation of the log of the delay, ≥ 0 (0 makes the delay fixed).
    #[serde(default)]
    pub spread: f64,
}

/// How a victim attributes a detected operation.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Attribution {
    /// Probability that analysts see through misleading evidence (false flags, reused mercenary tools,
    /// mimicry, a freelancing proxy) to the truth, in [0, 1].
    pub skill: f64,
    /// Time scale of the growth of confidence after detection: confidence reaches 63 % of its ceiling
    /// after this many days (median over operations).
    pub time_scale: Delay,
    /// Highest confidence reachable: the victim's confidence in the state it blames is this times the
    /// posterior probability of that state given the evidence, in (0, 1].
    pub ceiling: f64,
    /// Confidence at which the state attributes publicly and considers a response, in (0, 1).
    pub public_threshold: f64,
    /// Share of the technical evidence of a covert operation that is uninformative when analysts have
    /// skill 0 (honest forensic error, no deceiver needed), in [0, 1] (default 0). Evidence
    /// accuracy is `(1 − forensic_noise × (1 − skill)) × (1 − deniability)`; uninformative evidence
    /// points at a suspect drawn from the prior, and confidence is the posterior of the state blamed.
    /// Source: assumption; EuRepoC's 3.4 % of incidents attributed to more than one country is a floor.
    #[serde(default, skip_serializing_if = "omitted_at_zero")]
    pub forensic_noise: f64,
    /// Suspicion every other state (and non-state groups as one suspect) gets in the prior over
    /// suspects, in operations per year, on top of the rates at which each is known to operate
    /// against this state, ≥ 0 (default 0.5). Source: assumption.
    #[serde(
        default = "default_prior_floor",
        skip_serializing_if = "omitted_prior_floor"
    )]
    pub prior_floor_per_year: f64,
}

/// A state's response doctrine.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Doctrine {
    /// Rung (by name) answered to an incident of perceived severity 1, 2, …, 10 (exactly ten entries).
    pub response: Vec<String>,
    /// Severity points added to an incident's perceived severity per rung of the dyad's current level
    /// (how a tense relationship hardens responses: the spiral), ≥ 0.
    #[serde(default)]
    pub tension_sensitivity: f64,
    /// Severity points added to a *new incident's* perceived severity per rung of the dyad's current
    /// level, ≥ 0 (default: `tension_sensitivity`). Apart from the spiral's because the record pins
    /// it down: how often incidents draw a political response (EuRepoC) bounds how much a tense
    /// relationship hardens the answer to an ordinary incident, while the answer to the other
    /// side's response in a live exchange is not observed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_tension: Option<f64>,
    /// Probability of answering one rung below the doctrine's choice, in [0, 1].
    #[serde(default)]
    pub restraint: f64,
    /// Probability of answering one rung above the doctrine's choice, in [0, 1]; restraint + escalation ≤ 1.
    #[serde(default)]
    pub escalation: f64,
    /// Days between public attribution (or seeing the other side's action) and the response.
    pub decision_days: f64,
    /// Below this attribution confidence the response is capped at `unsure_cap`, in [0, 1].
    #[serde(default)]
    pub sure_confidence: f64,
    /// The highest rung chosen while attribution confidence is below `sure_confidence`.
    #[serde(default)]
    pub unsure_cap: Option<String>,
    /// Probability of answering an incident the state is sure of (confidence ≥ `sure_confidence`)
    /// with a reply in kind — a cyber action of its own at `reply_rung` — whatever the table above
    /// says (the higher of the two is carried out), in [0, 1] (default 0: never). Decided apart
    /// from the table because the record shows cyber answers to cyber incidents (DCID) far more
    /// often than government-level political responses (EuRepoC).
    #[serde(default, skip_serializing_if = "omitted_at_zero")]
    pub reply_in_kind: f64,
    /// The rung a reply in kind is carried out at (required when `reply_in_kind` > 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_rung: Option<String>,
}

impl Doctrine {
    /// Severity points per rung of level added to a new incident (`incident_tension`, by default
    /// the spiral's `tension_sensitivity`).
    pub fn incident_tension(&self) -> f64 {
        self.incident_tension.unwrap_or(self.tension_sensitivity)
    }
}

/// A proxy: a non-state group a state sponsors.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Proxy {
    /// Name of the group.
    pub name: String,
    /// The state that sponsors it (required).
    pub sponsor: Option<String>,
    /// Probability the group follows its sponsor's restraint (agreement, pledge, deterrence) and does
    /// not overreach, in [0, 1].
    pub control: f64,
    /// Share of the evidence of its operations that is uninformative, so that the victim falls back on
    /// its prior over suspects, in [0, 1).
    pub deniability: f64,
    /// Operations per year the group runs on its own account (freelancing), ≥ 0.
    #[serde(default)]
    pub freelance_per_year: f64,
    /// States it freelances against (default: none).
    #[serde(default)]
    pub freelance_targets: Vec<String>,
    /// Mix of kinds of its freelance operations (weights).
    #[serde(default)]
    pub freelance_kinds: BTreeMap<OperationKind, f64>,
    /// DCID severity points an operation gains when the group does not follow its sponsor's
    /// restraint (probability 1 − control), 0 to 9 (default 1); the severity stays at most 10.
    #[serde(
        default = "default_overreach",
        skip_serializing_if = "omitted_overreach"
    )]
    #[schemars(range(min = 0, max = MAX_OVERREACH))]
    pub overreach: u8,
}

/// A mercenary group hired per operation.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Mercenary {
    /// Name of the group.
    pub name: String,
    /// States that hire it.
    pub clients: Vec<String>,
    /// Share of the evidence of its operations that is uninformative, so that the victim falls back on
    /// its prior over suspects, in [0, 1).
    pub deniability: f64,
    /// Probability the evidence of an operation points at another of its clients (tools reused
    /// across clients), in [0, 1].
    pub tool_reuse: f64,
}

/// Whether an independent actor is a criminal or a hacktivist group (for reports).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub enum IndependentKind {
    /// Profit-driven criminals.
    Criminal,
    /// Politically motivated hacktivists.
    Hacktivist,
}

/// An actor no state ordered, whose operations may be blamed on one.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Independent {
    /// Name of the group.
    pub name: String,
    /// Criminal or hacktivist.
    pub kind: IndependentKind,
    /// Operations per year.
    #[schemars(range(min = 0, max = crate::scenario::validate::limits::MAX_RATE_PER_YEAR))]
    pub rate_per_year: f64,
    /// States it targets (uniformly).
    pub targets: Vec<String>,
    /// Mix of kinds (weights).
    pub kinds: BTreeMap<OperationKind, f64>,
    /// Mix of target sectors (weights; default: uniform over all sectors).
    #[serde(default)]
    pub sectors: BTreeMap<String, f64>,
    /// The state its tools and language resemble, if any.
    #[serde(default)]
    pub resembles: Option<String>,
    /// Probability its evidence points at `resembles`, in [0, 1].
    #[serde(default)]
    pub mimicry: f64,
    /// Share of the evidence of its operations that is uninformative, so that the victim falls back on
    /// its prior over suspects, in [0, 1).
    #[serde(default)]
    pub deniability: f64,
}

/// A stream of operations ordered by one sponsor against one target.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// The state that orders the operations.
    pub sponsor: String,
    /// The state they target.
    pub target: String,
    /// Who carries them out: the sponsor itself (default), one of its proxies, or a mercenary it hires.
    #[serde(default)]
    pub executor: Option<String>,
    /// Operations per year (Poisson) the sponsor would run if nothing deterred it: the candidate
    /// stream that the sponsor's `deterrence` thins (with `deterrence.sensitivity` 0, the rate).
    #[schemars(range(min = 0, max = crate::scenario::validate::limits::MAX_RATE_PER_YEAR))]
    pub rate_per_year: f64,
    /// Mix of kinds (weights).
    pub kinds: BTreeMap<OperationKind, f64>,
    /// Mix of target sectors (weights; default: uniform over all sectors).
    #[serde(default)]
    pub sectors: BTreeMap<String, f64>,
    /// Share of operations that are overt (claimed or plainly attributable), in [0, 1].
    #[serde(default)]
    pub overt_share: f64,
    /// A false flag planted in a share of the covert operations.
    #[serde(default)]
    pub false_flag: Option<FalseFlag>,
}

/// A false flag: evidence planted to point at a third state.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FalseFlag {
    /// The state framed.
    pub frame: String,
    /// Share of covert operations carrying the flag, in [0, 1].
    pub share: f64,
}

/// Initial relations of a pair of states.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// The two states.
    pub between: (String, String),
    /// Initial trust in [0, 1]: how far each believes what the other says over a channel.
    pub trust: f64,
}

/// Tension decay and trust dynamics.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Dynamics {
    /// Half-life, in days, of a dyad's escalation level without new incidents (default 180).
    pub tension_half_life_days: f64,
    /// Trust of pairs not listed in `relations` (default 0.2).
    pub default_trust: f64,
    /// Fraction of the remaining distance to full trust gained by an honest answer over a channel (default 0.1).
    pub honest_trust_gain: f64,
    /// Probability that a lie that was believed is later discovered, costing trust (default 0.5).
    pub lie_discovery: f64,
    /// Fraction of trust lost when a lie is discovered (default 0.5).
    pub lie_trust_loss: f64,
    /// Fraction of the credibility of the pair's channels lost for good when a lie told over one of
    /// them is exposed, in [0, 1] (default 0: an exposed lie costs trust only). Every later answer
    /// or crisis call between the two is believed with the credibility times `(1 − loss)` per lie
    /// exposed. Source: assumption.
    #[serde(skip_serializing_if = "omitted_at_zero")]
    pub lie_credibility_loss: f64,
    /// Fraction of trust lost when a violation of an agreement or pledge is attributed (default 0.3).
    pub violation_trust_loss: f64,
    /// Attribution confidence with which a state answers the other side's response (the spiral),
    /// in [0, 1] (default 1: it knows who acted, so its unsure cap does not apply; below its
    /// `sure_confidence` the cap does).
    #[serde(skip_serializing_if = "omitted_at_one")]
    pub spiral_confidence: f64,
}

impl Default for Dynamics {
    fn default() -> Self {
        Dynamics {
            tension_half_life_days: 180.0,
            default_trust: 0.2,
            honest_trust_gain: 0.1,
            lie_discovery: 0.5,
            lie_trust_loss: 0.5,
            lie_credibility_loss: 0.0,
            violation_trust_loss: 0.3,
            spiral_confidence: 1.0,
        }
    }
}

/// The four confidence-building measures of the seed article.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Measures {
    /// Regular full-scale inter-agency dialogue.
    pub dialogues: Vec<Dialogue>,
    /// Continuous communication channels: risk-reduction centres, CERT-to-CERT, senior officials.
    pub channels: Vec<Channel>,
    /// Agreements on the prevention of incidents in the information space.
    pub agreements: Vec<IncidentsAgreement>,
    /// Guarantees of non-interference in internal affairs.
    pub pledges: Vec<NonInterference>,
    /// Parties that decline a measure, or withdraw from it on a day or when their doctrine decides,
    /// in every arm where the measure is on (default none: every party keeps every measure).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub withdrawals: Vec<Withdrawal>,
}

/// A party's refusal of, or withdrawal from, a measure. A measure between two states needs both:
/// from the day one party leaves it, it lapses for both (the other is released from an agreement
/// or a pledge; a channel's line is closed; dialogue rounds stop and what they settled is void).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// Name of the measure.
    pub measure: String,
    /// The party that leaves it (one of the measure's two states).
    pub by: String,
    /// When it leaves.
    pub when: Exit,
}

/// When a party leaves a measure.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq)]
pub enum Exit {
    /// It declines the measure from the start: the measure is never in force.
    Declines,
    /// It withdraws on this day (0-based; a day at or after the horizon never comes): the measure is
    /// in force on the days before it.
    Day(u32),
    /// Its doctrine: it withdraws the day after it has publicly attributed this many violations
    /// (≥ 1) by the other party of any agreement or pledge between the two.
    Violations(#[schemars(range(min = 1))] u32),
    /// Its doctrine: it withdraws the day after the pair's escalation level (in rungs, the tension
    /// that decays with `tension_half_life_days`) first reaches this value, in (0, top rung].
    Tension(f64),
}

/// Regular inter-agency dialogue.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Dialogue {
    /// Unique measure name (arms refer to it).
    pub name: String,
    /// The two states.
    pub between: (String, String),
    /// Days between rounds, > 0.
    pub interval_days: f64,
    /// Probability a round takes place, in [0, 1].
    pub availability: f64,
    /// Fraction of the remaining distance to full trust gained per round held, in [0, 1].
    pub trust_gain: f64,
    /// Fraction of the worst-case bias removed while the dialogue runs (shared understanding of doctrine), in [0, 1].
    /// With `settled_per_round`, the most it removes once everything is settled.
    pub bias_reduction: f64,
    /// Share of the red lines and readings of intent still open that a round held settles, in
    /// (0, 1]: the bias removed is `bias_reduction × settled`, built round by round (default none:
    /// the whole `bias_reduction` from the first round held). Source: assumption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_per_round: Option<f64>,
    /// Share of what is settled that is lost when a round is missed, in [0, 1] (default 0).
    /// Source: assumption.
    #[serde(default, skip_serializing_if = "omitted_at_zero")]
    pub erosion_per_missed_round: f64,
    /// Agreed red lines: the share of the pair's tension that no longer weighs on a decision once
    /// everything is settled, in [0, 1] (default 0: tension weighs in full). Each side knows which
    /// steps the other treats as crossing a line, so a response, and above all an answer to the
    /// other side's response (the spiral), adds `tension × (1 − red_lines × settled)` instead of
    /// the full tension. Source: the seed article ("agreed red lines"); the value is an assumption.
    #[serde(default, skip_serializing_if = "omitted_at_zero")]
    pub red_lines: f64,
}

/// What a channel is (for reports; the mechanics are set by the flags).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub enum ChannelKind {
    /// A risk-reduction-centre hotline (like the nuclear risk reduction centres).
    RiskReductionCentre,
    /// Computer emergency response teams exchanging technical data.
    CertToCert,
    /// Senior officials overseeing international information security.
    SeniorOfficials,
}

/// A continuous communication channel between two states.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// Unique measure name (arms refer to it).
    pub name: String,
    /// What the channel is.
    pub kind: ChannelKind,
    /// The two states.
    pub between: (String, String),
    /// Probability the channel is up when called, in [0, 1].
    pub availability: f64,
    /// Probability a call that reaches the channel gets through to a counterpart who answers, in [0, 1].
    pub reliability: f64,
    /// Days before the answer arrives (the response waits this long when the call connects), ≥ 0.
    pub latency_days: f64,
    /// Consulted before the first response to an incident at or above this rung (None: not consulted
    /// before responding; answers in the spiral use `crisis_use` channels only).
    #[serde(default)]
    pub consult_from: Option<String>,
    /// Used in a crisis to talk the other side down before it escalates further.
    #[serde(default)]
    pub crisis_use: bool,
    /// Rungs a successful crisis call takes off the other side's next step, ≥ 0.
    #[serde(default)]
    pub crisis_de_escalation: u32,
    /// Used on detection to share technical indicators (CERT-to-CERT): a connected call gives analysts
    /// a second chance, with this probability, to see through misleading evidence; also how far the
    /// channel's evidence makes a denial credible regardless of trust, in [0, 1].
    #[serde(default)]
    pub evidence_weight: f64,
    /// Probability each party (in the order of `between`) refuses a call that reaches it, each in
    /// [0, 1] (default: none refuses). Source: the seed article (the US did not answer Moscow's
    /// offer of engagement); the values are assumptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<(f64, f64)>,
    /// Pre-emptive warnings given over the channel (default none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// A pre-emptive warning: a party tells the other, over the channel, that it expects interference
/// and will answer it (the one real use of the 2013 US–Russia link, 31 October 2016).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    /// The party that warns (the expected victim); the other party is warned.
    pub by: String,
    /// Day the warning is given (a call over the channel that must connect), from 0.
    pub day: u32,
    /// Days, from `day`, during which the warned party weighs it.
    #[schemars(range(min = 1))]
    pub window_days: u32,
    /// Sectors the warning is about (default: every sector).
    #[serde(default)]
    pub sectors: Vec<String>,
    /// Extra DCID points of punishment the warned sponsor expects for an operation against the
    /// warning party in those sectors during the window, ≥ 0: its acceptance is multiplied by
    /// `exp(−sensitivity × cost)`. Source: assumption.
    pub cost: f64,
}

/// An agreement on the prevention of incidents in the information space.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IncidentsAgreement {
    /// Unique measure name (arms refer to it).
    pub name: String,
    /// The two states.
    pub between: (String, String),
    /// Sectors the parties undertake not to target.
    pub protected_sectors: Vec<String>,
    /// Probability a party (or its controlled proxy) refrains from an operation against a protected sector, in [0, 1].
    pub compliance: f64,
    /// Probability that an incident in a protected sector is notified and answered through the
    /// agreement's mechanism (a consultation before responding), in [0, 1].
    pub notification: f64,
    /// Days the notification mechanism takes to answer, ≥ 0.
    pub notification_latency_days: f64,
    /// Probability that a notification, once sent, is answered, in [0, 1] (default 1: `notification`
    /// alone decides).
    #[serde(default = "one", skip_serializing_if = "omitted_at_one")]
    pub notification_reliability: f64,
    /// Compliance of each party, in the order of `between`, each in [0, 1] (default: both
    /// `compliance`). Source: assumption (the seed article says an agreement may "favour Russia").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_compliance: Option<(f64, f64)>,
    /// Advance notice: probability that a party announces to the other, before launch, an operation
    /// it runs against the other under the agreement's rules (outside the protected sectors) whose
    /// intent could be misread (a kind with ambiguity > 0); the victim then reads it without the
    /// worst-case bias, in [0, 1] (default 0: no notice). Source: INCSEA 1972 art. VI (notice of
    /// actions that could endanger the other side); its use for cyber operations is an assumption.
    #[serde(default, skip_serializing_if = "omitted_at_zero")]
    pub advance_notice: f64,
    /// Consultation after an incident outside the protected sectors: probability that the victim
    /// takes it to the agreement's mechanism before responding (answered with
    /// `notification_reliability`, after `notification_latency_days`), where the accused can deny
    /// (correcting a misattribution if believed) or acknowledge (lowering the response), in [0, 1]
    /// (default 0: only protected sectors are notified). Source: INCSEA 1972 art. VII (information
    /// on incidents); the probability is an assumption.
    #[serde(default, skip_serializing_if = "omitted_at_zero")]
    pub consultation: f64,
    /// Annual review: fraction of the remaining distance to full trust gained at a review (every year,
    /// 365.25 days, from the start) after a year in which no violation of the agreement was publicly
    /// attributed on the pair, in [0, 1] (default 0: no review is held). A year with violations
    /// gains nothing: each attributed violation already cost trust (`violation_trust_loss`).
    /// Source: INCSEA 1972 art. IX (annual review); the gain is an assumption.
    #[serde(default, skip_serializing_if = "omitted_at_zero")]
    pub review_trust_gain: f64,
}

/// A pledge of non-interference in elections and internal affairs: the operations it covers are
/// those of the `kinds` listed (in any sector) and every operation against the `sectors` listed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NonInterference {
    /// Unique measure name (arms refer to it).
    pub name: String,
    /// The two states.
    pub between: (String, String),
    /// Probability a party refrains from an operation the pledge covers against the other, in [0, 1].
    pub compliance: f64,
    /// Operation kinds covered in every sector (default: Influence, i.e. influence operations and
    /// election interference). Source: the seed article's "guarantees of non-interference in
    /// each other's internal affairs", read as covering election interference (the article's 2016
    /// context).
    #[serde(
        default = "influence_only",
        skip_serializing_if = "omitted_influence_only"
    )]
    pub kinds: Vec<OperationKind>,
    /// Sectors of internal affairs in which every operation is covered: an intrusion (espionage,
    /// the first half of a hack-and-leak), a disruption or a leak there counts as interference
    /// (default: none). The model has no separate leak kind: a leak is the intrusion that
    /// precedes it. Source: assumption (the 2016 DNC intrusion and leaks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
    /// Compliance of each party, in the order of `between`, each in [0, 1] (default: both
    /// `compliance`). Source: assumption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_compliance: Option<(f64, f64)>,
}

/// A named arm: which measures are switched on.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, rename = "Arm")]
pub struct ArmSpec {
    /// Arm name as it appears in reports.
    pub name: String,
    /// Names of the measures switched on in this arm (all others are off).
    pub measures: Vec<String>,
    /// Refusals and withdrawals in this arm only, on top of those of `Measures::withdrawals`
    /// (default none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withdrawals: Vec<Withdrawal>,
}

fn default_overreach() -> u8 {
    1
}
fn one() -> f64 {
    1.0
}
fn influence_only() -> Vec<OperationKind> {
    vec![OperationKind::Influence]
}
fn omitted_influence_only(k: &[OperationKind]) -> bool {
    k == [OperationKind::Influence] && !EVERY_FIELD.get()
}

thread_local! {
    /// Set while a scenario is serialised with every field (see [`with_every_field`]).
    static EVERY_FIELD: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with scenarios serialised with every field, including the parameters a resolved scenario
/// leaves out at their default (the sweep locates its parameters in this form).
pub fn with_every_field<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            EVERY_FIELD.set(self.0);
        }
    }
    let _restore = Restore(EVERY_FIELD.replace(true));
    f()
}

// Parameters added after results were published are left out of a serialised scenario at their
// default, so that a scenario that does not use them resolves to the same text as before (and its
// results keep their identity); reading them back gives the default.
fn omitted_at_one(x: &f64) -> bool {
    *x == 1.0 && !EVERY_FIELD.get()
}
fn omitted_at_zero(x: &f64) -> bool {
    *x == 0.0 && !EVERY_FIELD.get()
}
fn default_prior_floor() -> f64 {
    0.5
}
fn omitted_prior_floor(x: &f64) -> bool {
    *x == default_prior_floor() && !EVERY_FIELD.get()
}
fn omitted_overreach(x: &u8) -> bool {
    *x == default_overreach() && !EVERY_FIELD.get()
}

/// Most severity points a proxy may overreach by (from 1 to the top of the DCID scale).
pub const MAX_OVERREACH: u8 = DCID_MAX - 1;

fn default_horizon() -> u32 {
    1826
}
fn default_seed() -> u64 {
    1
}
fn default_replicates() -> u32 {
    1000
}
