//! A validated scenario resolved into indices: what the simulation reads (no names, no maps).
//! Only [`super::validate::validate`] builds one, so every index in it is valid.

use super::types::*;
use crate::units::DCID_LEVELS;

/// Name of the built-in arm with every measure off.
pub const ARM_WITHOUT: &str = "without channels";
/// Name of the built-in arm with every measure as written.
pub const ARM_WITH: &str = "with channels";

/// Index of a state in `Scenario::states`.
pub type StateId = usize;

/// Resolved parameters of one state.
#[derive(Debug, Clone)]
pub struct StateParams {
    /// Name.
    pub name: String,
    /// The scenario entry.
    pub spec: StateActor,
    /// Rung answered to each perceived severity 1..=10.
    pub response: [u8; DCID_LEVELS],
    /// Rung cap while unsure.
    pub unsure_cap: Option<u8>,
    /// Rung of a reply in kind (None: the doctrine never replies in kind).
    pub reply_rung: Option<u8>,
}

/// Who executes an operation.
#[derive(Debug, Clone, PartialEq)]
pub enum ExecutorRole {
    /// The sponsoring state itself.
    State,
    /// A proxy of a sponsor.
    Proxy {
        /// Probability it follows its sponsor's restraint.
        control: f64,
        /// Severity points an operation gains when it does not.
        overreach: u8,
    },
    /// A mercenary with its clients.
    Mercenary {
        /// Client states.
        clients: Vec<StateId>,
        /// Probability evidence points at another client.
        tool_reuse: f64,
    },
    /// A criminal or hacktivist group.
    Independent {
        /// Which.
        kind: IndependentKind,
        /// The state its evidence may point at.
        resembles: Option<StateId>,
        /// Probability it does.
        mimicry: f64,
    },
}

/// Any actor that executes operations.
#[derive(Debug, Clone)]
pub struct ExecutorParams {
    /// Name.
    pub name: String,
    /// Role and role-specific parameters.
    pub role: ExecutorRole,
    /// Reduction of the victim's confidence ceiling, in [0, 1).
    pub deniability: f64,
    /// The state behind it, if any (a proxy's patron, a state itself).
    pub patron: Option<StateId>,
}

/// Why an operation source exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A campaign ordered by a state.
    Campaign,
    /// A proxy acting on its own account.
    Freelance,
    /// An independent criminal or hacktivist group.
    Independent,
}

/// One Poisson stream of operations.
#[derive(Debug, Clone)]
pub struct Source {
    /// Campaign, freelance or independent.
    pub kind: SourceKind,
    /// The ordering state (None when nobody ordered it).
    pub sponsor: Option<StateId>,
    /// Index into `Compiled::executors`.
    pub executor: usize,
    /// Candidate victims (uniform choice).
    pub targets: Vec<StateId>,
    /// Operations per day.
    pub rate_per_day: f64,
    /// Cumulative weights over `OperationKind::ALL`.
    pub kind_cdf: [f64; 5],
    /// Cumulative weights over sectors.
    pub sector_cdf: Vec<f64>,
    /// Share of overt operations.
    pub overt_share: f64,
    /// Framed state and share of flagged covert operations.
    pub false_flag: Option<(StateId, f64)>,
    /// Label for reports.
    pub label: String,
}

/// Resolved operation-kind profile.
#[derive(Debug, Clone)]
pub struct KindParams {
    /// Cumulative severity weights for 1..=10.
    pub severity_cdf: [f64; DCID_LEVELS],
    /// Detectability multiplier.
    pub detectability: f64,
    /// Ambiguity of intent.
    pub ambiguity: f64,
    /// DCID objective.
    pub objective: DcidObjective,
}

/// A measure resolved to its dyad.
#[derive(Debug, Clone)]
pub enum MeasureParams {
    /// Regular dialogue.
    Dialogue(Dialogue),
    /// A communication channel; `consult_from` resolved to a rung; the probability each state
    /// refuses a call over it (by `StateId`; 0 for a state not party to it).
    Channel(Channel, Option<u8>, Vec<f64>, Vec<CompiledWarning>),
    /// An incidents agreement; protected sectors as a mask; each party's compliance (the party
    /// with the lower state id first).
    Agreement(IncidentsAgreement, Vec<bool>, [f64; 2]),
    /// A non-interference pledge; its covered sectors as a mask; each party's compliance (the
    /// party with the lower state id first).
    Pledge(NonInterference, Vec<bool>, [f64; 2]),
}

/// A pre-emptive warning resolved: who warns whom, when, about which sectors (a mask).
#[derive(Debug, Clone)]
pub struct CompiledWarning {
    /// The state that warns.
    pub by: StateId,
    /// The state warned.
    pub to: StateId,
    /// Day given.
    pub day: u32,
    /// First day after the window.
    pub until: u32,
    /// Sectors covered.
    pub sectors: Vec<bool>,
    /// Extra expected punishment, DCID points.
    pub cost: f64,
}

/// A measure between two states.
#[derive(Debug, Clone)]
pub struct Measure {
    /// Unique name.
    pub name: String,
    /// Index of the dyad it covers.
    pub dyad: usize,
    /// Its parameters.
    pub params: MeasureParams,
}

/// An arm: which measures are on, and who leaves them when.
#[derive(Debug, Clone)]
pub struct Arm {
    /// Name used in reports.
    pub name: String,
    /// `active[m]` for each measure.
    pub active: Vec<bool>,
    /// Refusals and withdrawals from the arm's measures (the scenario's, then the arm's own).
    pub withdrawals: Vec<CompiledWithdrawal>,
}

impl Arm {
    /// First day each measure is no longer in force before any doctrine decides (0: off in the
    /// arm or declined; `u32::MAX`: in force all run unless a doctrine withdraws).
    pub fn scheduled_until(&self) -> Vec<u32> {
        let mut until: Vec<u32> = self
            .active
            .iter()
            .map(|on| if *on { u32::MAX } else { 0 })
            .collect();
        for w in &self.withdrawals {
            if let ExitRule::Day(d) = w.rule {
                until[w.measure] = until[w.measure].min(d);
            }
        }
        until
    }
}

/// When a party leaves a measure, resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExitRule {
    /// From this day (0: declined from the start).
    Day(u32),
    /// The day after the party has publicly attributed this many violations by the other party.
    Violations(u32),
    /// The day after the pair's escalation level first reaches this many rungs.
    Tension(f64),
}

/// A party's refusal of, or withdrawal from, a measure, resolved to indices.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledWithdrawal {
    /// Index of the measure.
    pub measure: usize,
    /// The party that leaves.
    pub by: StateId,
    /// The other party.
    pub other: StateId,
    /// When.
    pub rule: ExitRule,
}

/// Everything the simulation needs, resolved.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The scenario as written (defaults filled).
    pub scenario: Scenario,
    /// States, by `StateId`.
    pub states: Vec<StateParams>,
    /// Executors: states first (same index as `StateId`), then proxies, mercenaries, independents.
    pub executors: Vec<ExecutorParams>,
    /// Operation sources: campaigns, then freelancing proxies, then independents.
    pub sources: Vec<Source>,
    /// Kind profiles indexed by `OperationKind::index`.
    pub kinds: [Option<KindParams>; 5],
    /// Index of the crisis rung.
    pub crisis_rung: u8,
    /// Index of the first kinetic rung, if any.
    pub kinetic_rung: Option<u8>,
    /// Initial trust per dyad.
    pub initial_trust: Vec<f64>,
    /// Measures in scenario order: dialogues, channels, agreements, pledges.
    pub measures: Vec<Measure>,
    /// Arms: "without channels", "with channels", then the scenario's own.
    pub arms: Vec<Arm>,
    /// Scripted operations; each has its own source (rate 0, after every drawn source).
    pub injects: Vec<CompiledInject>,
}

/// A scripted operation resolved to indices.
#[derive(Debug, Clone)]
pub struct CompiledInject {
    /// Its source in `Compiled::sources` (rate 0: planning never draws from it).
    pub source: usize,
    /// Day of launch.
    pub day: u32,
    /// Kind.
    pub kind: OperationKind,
    /// Severity, or None to draw it.
    pub severity: Option<u8>,
    /// Sector, or None to draw it.
    pub sector: Option<usize>,
    /// Overt.
    pub overt: bool,
    /// Framed state.
    pub false_flag: Option<StateId>,
    /// Days to detection, or None to draw detection as usual.
    pub detected_after_days: Option<u32>,
}

/// The state that ordered an inject: as written, or the default (the state itself, a proxy's
/// patron, the sponsor of a campaign of the mercenary against the target or else its first client
/// other than the target; none for an independent group). Names are those of a validated scenario.
pub fn inject_sponsor(s: &Scenario, inj: &Inject) -> Option<String> {
    if inj.sponsor.is_some() {
        return inj.sponsor.clone();
    }
    if s.states.iter().any(|x| x.name == inj.executor) {
        return Some(inj.executor.clone());
    }
    if let Some(p) = s.proxies.iter().find(|p| p.name == inj.executor) {
        return p.sponsor.clone();
    }
    if let Some(m) = s.mercenaries.iter().find(|m| m.name == inj.executor) {
        let hired = s.campaigns.iter().find(|c| {
            c.executor.as_deref() == Some(inj.executor.as_str()) && c.target == inj.target
        });
        return hired
            .map(|c| c.sponsor.clone())
            .or_else(|| m.clients.iter().find(|c| **c != inj.target).cloned());
    }
    None
}

/// Index of the unordered pair {a, b} among `n` states.
pub fn dyad_index(n: usize, a: StateId, b: StateId) -> usize {
    let (i, j) = if a < b { (a, b) } else { (b, a) };
    i * n - i * (i + 1) / 2 + (j - i - 1)
}

/// Number of unordered pairs among `n` states.
pub fn dyad_count(n: usize) -> usize {
    n * n.saturating_sub(1) / 2
}

/// Cumulative distribution of weights (the last entry exactly 1).
pub(super) fn cdf<const N: usize>(w: [f64; N]) -> [f64; N] {
    let total: f64 = w.iter().sum();
    let mut acc = 0.0;
    let mut out = [0.0; N];
    for (o, x) in out.iter_mut().zip(w) {
        acc += x / total;
        *o = acc;
    }
    out[N - 1] = 1.0;
    out
}

/// Cumulative weights over the scenario's sectors (uniform when none are given).
pub(super) fn sector_cdf(s: &Scenario, w: &std::collections::BTreeMap<String, f64>) -> Vec<f64> {
    let weights: Vec<f64> = if w.is_empty() {
        vec![1.0; s.sectors.len()]
    } else {
        s.sectors
            .iter()
            .map(|n| w.get(n).copied().unwrap_or(0.0))
            .collect()
    };
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    let mut out: Vec<f64> = weights
        .iter()
        .map(|x| {
            acc += x / total;
            acc
        })
        .collect();
    if let Some(last) = out.last_mut() {
        *last = 1.0;
    }
    out
}

/// Cumulative weights over `OperationKind::ALL`.
pub(super) fn kind_cdf(w: &std::collections::BTreeMap<OperationKind, f64>) -> [f64; 5] {
    let mut arr = [0.0; 5];
    for (k, v) in w {
        arr[k.index()] = *v;
    }
    cdf(arr)
}

impl Compiled {
    /// Probability that `callee` refuses a call over measure `m` (0 for anything but a channel).
    pub fn measure_refusal(&self, m: usize, callee: StateId) -> f64 {
        match &self.measures[m].params {
            MeasureParams::Channel(_, _, refusal, _) => refusal[callee],
            _ => 0.0,
        }
    }

    /// The profile of an operation kind the scenario uses (validation rejects a positive weight
    /// or an inject for a kind without a profile, so no other kind is ever drawn).
    pub fn kind(&self, kind: OperationKind) -> &KindParams {
        self.kinds[kind.index()]
            .as_ref()
            .expect("invariant: validation profiles every kind the scenario uses")
    }

    /// Number of rungs on the ladder.
    pub fn rung_count(&self) -> usize {
        self.scenario.ladder.rungs.len()
    }

    /// Index of the top rung.
    pub fn top_rung(&self) -> u8 {
        (self.rung_count() - 1) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dyad_indices_are_a_bijection() {
        for n in 2..7 {
            let mut seen = vec![false; dyad_count(n)];
            for a in 0..n {
                for b in (a + 1)..n {
                    let i = dyad_index(n, a, b);
                    assert_eq!(i, dyad_index(n, b, a));
                    assert!(!seen[i]);
                    seen[i] = true;
                }
            }
            assert!(seen.iter().all(|x| *x));
        }
    }
}
