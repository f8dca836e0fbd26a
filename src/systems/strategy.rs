//! Strategic operations: a state's candidate operation goes ahead with a probability that falls with
//! the punishment it expects for it (Baliga, Bueno de Mesquita and Wolitzky, "Deterrence with
//! Imperfect Attribution", APSR 2020). The marginal expected punishment of an operation is the chance
//! the victim detects it and publicly blames the sponsor, times the chance the sponsor would *not*
//! have been blamed anyway within the deterrence window (others' operations misattributed to it),
//! times the cost of being blamed: the cost of exposure itself plus the severity of the victim's
//! doctrinal answer (and more if the operation breaks an agreement or pledge in force). Noisier attribution lowers the first factor and raises the blame others draw
//! onto the sponsor, so it brings more attacks; one attacker's aggression raises another's through
//! misattribution; fewer false alarms bring fewer attacks.
//!
//! The expectations are computed once per arm from the scenario (the measures switched on change
//! them), as an equilibrium of the sponsors' acceptance rates; each candidate's acceptance is then a
//! pure function of its attributes. Tension during a run does not enter (docs/MODEL.md §7).

use super::forensics::{Priors, blame_distribution, evidence_accuracy, read_evidence};
use super::planning::{binding_measure, notice_measure};
use crate::model::InForce;
use crate::scenario::compile::{
    Compiled, ExecutorRole, MeasureParams, Source, SourceKind, StateId,
};
use crate::scenario::types::OperationKind;
use crate::units::{DCID_LEVELS, DCID_MAX};

/// Iterations of the sponsors' best responses before giving up on an exact fixed point.
const MAX_ROUNDS: usize = 200;
/// Change in every acceptance rate below which the equilibrium is reached.
const TOLERANCE: f64 = 1e-12;

/// What the sponsors expect in one arm.
#[derive(Debug, Clone)]
pub struct Expectations {
    n: usize,
    sectors: usize,
    /// `own[si * n + v]`: probability that victim `v` publicly blames source `si`'s sponsor for a
    /// detected covert operation of the source, and the victim's confidence when it does.
    own: Vec<(f64, f64)>,
    /// `anyway[i * n + v]`: probability that `v` blames `i` within the window for operations `i`
    /// did not order.
    anyway: Vec<f64>,
    /// Mean acceptance of each source's candidates at the equilibrium.
    pub acceptance: Vec<f64>,
    /// Per strategic source, the acceptance of every candidate at the equilibrium, indexed by
    /// [`Expectations::slot`] (empty for a source nobody weighs).
    table: Vec<Vec<f64>>,
}

/// The attributes of a candidate operation that its acceptance depends on.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// The victim.
    pub victim: StateId,
    /// Kind.
    pub kind: OperationKind,
    /// DCID severity.
    pub severity: u8,
    /// Target sector.
    pub sector: usize,
    /// Overt rather than covert.
    pub overt: bool,
}

/// A class of a source's candidates with the same cost: victim, probability, and
/// `sensitivity × blamed_if × punishment` (acceptance is `exp(−cost × (1 − anyway))`).
#[derive(Debug, Clone, Copy)]
struct CostClass {
    victim: StateId,
    weight: f64,
    cost: f64,
}

/// Probabilities of a cumulative distribution's entries.
fn masses(cdf: &[f64]) -> impl Iterator<Item = (usize, f64)> + '_ {
    let total = cdf.last().copied().unwrap_or(1.0);
    cdf.iter().enumerate().map(move |(i, &c)| {
        let below = if i == 0 { 0.0 } else { cdf[i - 1] };
        (i, (c - below) / total)
    })
}

/// Where the evidence of a covert operation of `src` against `v` points before noise, over the
/// `n + 1` suspects: deception that analysts do not see through (false flag, reused mercenary tools,
/// mimicry, a freelancing proxy's patron) or else the true sponsor.
fn apparent(p: &Compiled, src: &Source, v: StateId) -> Vec<f64> {
    let n = p.states.len();
    let skill = p.states[v].spec.attribution.skill;
    let mut out = vec![0.0; n + 1];
    let mut truth = 1.0;
    let mut point = |who: usize, share: f64, truth: &mut f64| {
        out[who] += share;
        *truth -= share;
    };
    if let Some((frame, share)) = src.false_flag {
        point(frame, share * (1.0 - skill), &mut truth);
    }
    let flagged = src.false_flag.map_or(0.0, |f| f.1);
    match (&p.executors[src.executor].role, src.kind) {
        (_, SourceKind::Freelance) => {
            if let Some(patron) = p.executors[src.executor].patron {
                point(patron, truth * (1.0 - skill), &mut truth);
            }
        }
        (
            ExecutorRole::Mercenary {
                clients,
                tool_reuse,
            },
            _,
        ) => {
            let others: Vec<StateId> = clients
                .iter()
                .copied()
                .filter(|&c| Some(c) != src.sponsor && c != v)
                .collect();
            for &o in &others {
                let share = (1.0 - flagged) * tool_reuse * (1.0 - skill) / others.len() as f64;
                point(o, share, &mut truth);
            }
        }
        (
            ExecutorRole::Independent {
                resembles: Some(r),
                mimicry,
                ..
            },
            _,
        ) if *r != v => point(*r, mimicry * (1.0 - skill), &mut truth),
        _ => {}
    }
    out[src.sponsor.unwrap_or(n)] += truth.max(0.0);
    out
}

/// Probability that `v` detects a covert operation of `src`, averaged over its kinds.
fn mean_detection(p: &Compiled, src: &Source, v: StateId) -> f64 {
    let d = p.states[v].spec.detection;
    masses(&src.kind_cdf)
        .filter(|&(_, w)| w > 0.0)
        .map(|(k, w)| w * d * p.kind(OperationKind::ALL[k]).detectability)
        .sum()
}

/// The probability that the sponsor's controlled candidates go ahead is weighed by the sponsor; a
/// proxy's out-of-control share goes ahead regardless.
fn control(p: &Compiled, src: &Source) -> f64 {
    match p.executors[src.executor].role {
        ExecutorRole::Proxy { control, .. } => control,
        _ => 1.0,
    }
}

/// Whether a source's operations are ordered by a state that weighs them.
fn strategic(p: &Compiled, src: &Source) -> Option<StateId> {
    match (src.kind, src.sponsor) {
        (SourceKind::Campaign, Some(i)) if p.states[i].spec.deterrence.sensitivity > 0.0 => Some(i),
        _ => None,
    }
}

/// Severity (on the DCID scale, of the ladder rung) of the answer `v`'s doctrine gives, on average
/// over stochastic rounding, to an incident perceived with `perceived` severity, decided with
/// `confidence`.
pub fn expected_answer(p: &Compiled, v: StateId, perceived: f64, confidence: f64) -> f64 {
    let st = &p.states[v];
    let x = perceived.clamp(1.0, f64::from(DCID_MAX));
    let lo = x.floor() as usize;
    let frac = x - lo as f64;
    let hi = (lo + 1).min(DCID_LEVELS);
    let unsure = confidence < st.spec.doctrine.sure_confidence;
    let rungs = &p.scenario.ladder.rungs;
    // A sure victim replies in kind with its doctrine's propensity, carrying out the higher rung.
    let reply = match st.reply_rung {
        Some(rung) if !unsure => Some((rung, st.spec.doctrine.reply_in_kind)),
        _ => None,
    };
    let sev = |s: usize| {
        let mut r = st.response[s - 1];
        if unsure && let Some(cap) = st.unsure_cap {
            r = r.min(cap);
        }
        match reply {
            Some((rung, q)) => {
                (1.0 - q) * rungs[r as usize].severity + q * rungs[r.max(rung) as usize].severity
            }
            None => rungs[r as usize].severity,
        }
    };
    (1.0 - frac) * sev(lo) + frac * sev(hi)
}

/// Fraction of the worst-case bias removed on the dyad of `a` and `b` by an active dialogue.
fn dialogue_reduction(p: &Compiled, active: InForce, a: StateId, b: StateId) -> f64 {
    let dyad = crate::scenario::compile::dyad_index(p.states.len(), a, b);
    p.measures
        .iter()
        .enumerate()
        .filter(|(m, meas)| active.has(*m) && meas.dyad == dyad)
        .filter_map(|(_, meas)| match &meas.params {
            // Built up round by round, it is weighed at its expected mean over the run.
            MeasureParams::Dialogue(d) if d.settled_per_round.is_some() => Some(
                d.bias_reduction
                    * super::escalation::expected_mean_settled(d, p.scenario.horizon_days),
            ),
            MeasureParams::Dialogue(d) => Some(d.bias_reduction),
            _ => None,
        })
        .fold(0.0, f64::max)
}

impl Expectations {
    /// The sponsors' expectations in the arm whose measures are `active`: the equilibrium of their
    /// acceptance rates, reached by iterating best responses from "every candidate goes ahead".
    pub fn of(p: &Compiled, priors: &Priors, active: &[bool]) -> Expectations {
        let n = p.states.len();
        let ns = p.sources.len();
        // Blame of each suspect for a detected covert operation of each source against each victim.
        let mut blame = vec![Vec::new(); ns * n];
        let mut own = vec![(0.0, 0.0); ns * n];
        for (si, src) in p.sources.iter().enumerate() {
            for &v in &src.targets {
                let st = &p.states[v].spec.attribution;
                let a = evidence_accuracy(
                    st.skill,
                    st.forensic_noise,
                    p.executors[src.executor].deniability,
                );
                let prior = priors.of_victim(v);
                let dist = blame_distribution(
                    prior,
                    a,
                    &apparent(p, src, v),
                    st.ceiling,
                    st.public_threshold,
                );
                if let Some(i) = src.sponsor {
                    own[si * n + v] = (dist[i], st.ceiling * read_evidence(prior, a, i).1);
                }
                blame[si * n + v] = dist;
            }
        }
        let mut e = Expectations {
            n,
            sectors: p.scenario.sectors.len(),
            own,
            anyway: vec![0.0; n * n],
            acceptance: vec![1.0; ns],
            table: vec![Vec::new(); ns],
        };
        // Only `anyway` changes from round to round: each source's candidates are grouped once
        // into classes of equal cost.
        let until = InForce::schedule_of(active);
        let on = InForce::at(&until, 0);
        let classes: Vec<Vec<CostClass>> = (0..ns).map(|si| e.cost_classes(p, on, si)).collect();
        for _ in 0..MAX_ROUNDS {
            e.anyway = e.blamed_anyway(p, &blame);
            let next: Vec<f64> = (0..ns)
                .map(|si| e.mean_acceptance(p, si, &classes[si]))
                .collect();
            let change = next
                .iter()
                .zip(&e.acceptance)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            e.acceptance = next;
            if change < TOLERANCE {
                break;
            }
        }
        e.anyway = e.blamed_anyway(p, &blame);
        e.table = (0..ns).map(|si| e.acceptance_table(p, on, si)).collect();
        e
    }

    /// Probability that each victim blames each state within its window for operations that state
    /// did not order, at the current acceptance rates.
    fn blamed_anyway(&self, p: &Compiled, blame: &[Vec<f64>]) -> Vec<f64> {
        let n = self.n;
        let mut rate = vec![0.0; n * n];
        for (si, src) in p.sources.iter().enumerate() {
            let per_target = src.rate_per_day / src.targets.len().max(1) as f64;
            for &v in &src.targets {
                let seen = per_target
                    * self.acceptance[si]
                    * (1.0 - src.overt_share)
                    * mean_detection(p, src, v);
                for i in (0..n).filter(|&i| Some(i) != src.sponsor && i != v) {
                    rate[i * n + v] += seen * blame[si * n + v][i];
                }
            }
        }
        (0..n * n)
            .map(|iv| 1.0 - (-rate[iv] * p.states[iv / n].spec.deterrence.window_days).exp())
            .collect()
    }

    /// Every candidate a source can draw, with its probability: victim, kind, severity, sector,
    /// overtness (none for a source nobody weighs).
    fn candidates(p: &Compiled, si: usize) -> Vec<(f64, Candidate)> {
        let src = &p.sources[si];
        let mut out = Vec::new();
        if strategic(p, src).is_none() {
            return out;
        }
        let per_target = 1.0 / src.targets.len() as f64;
        for &victim in &src.targets {
            for (k, wk) in masses(&src.kind_cdf).filter(|&(_, w)| w > 0.0) {
                let kind = OperationKind::ALL[k];
                for (s, ws) in masses(&p.kind(kind).severity_cdf).filter(|&(_, w)| w > 0.0) {
                    for (sector, wsec) in masses(&src.sector_cdf).filter(|&(_, w)| w > 0.0) {
                        for (overt, wo) in [(true, src.overt_share), (false, 1.0 - src.overt_share)]
                        {
                            if wo > 0.0 {
                                let c = Candidate {
                                    victim,
                                    kind,
                                    severity: s as u8 + 1,
                                    sector,
                                    overt,
                                };
                                out.push((per_target * wk * ws * wsec * wo, c));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// A source's candidates grouped by victim and cost.
    fn cost_classes(&self, p: &Compiled, active: InForce, si: usize) -> Vec<CostClass> {
        let mut classes: Vec<CostClass> = Self::candidates(p, si)
            .into_iter()
            .map(|(weight, c)| CostClass {
                victim: c.victim,
                weight,
                cost: self.cost(p, active, si, &c),
            })
            .collect();
        classes.sort_by(|a, b| {
            (a.victim, a.cost)
                .partial_cmp(&(b.victim, b.cost))
                .expect("finite")
        });
        classes.dedup_by(|b, a| {
            let same = a.victim == b.victim && a.cost == b.cost;
            if same {
                a.weight += b.weight;
            }
            same
        });
        classes
    }

    /// Mean acceptance of a source's candidates (1 for a source nobody weighs); a proxy's
    /// out-of-control share goes ahead regardless.
    fn mean_acceptance(&self, p: &Compiled, si: usize, classes: &[CostClass]) -> f64 {
        let src = &p.sources[si];
        let Some(i) = strategic(p, src) else {
            return 1.0;
        };
        let total: f64 = classes
            .iter()
            .map(|c| c.weight * (-c.cost * (1.0 - self.anyway[i * self.n + c.victim])).exp())
            .sum();
        let ctl = control(p, src);
        ctl * total + (1.0 - ctl)
    }

    /// `sensitivity × blamed_if × punishment` of a candidate of a strategic source `si`: its
    /// acceptance is `exp(−cost × (1 − anyway))`.
    fn cost(&self, p: &Compiled, active: InForce, si: usize, c: &Candidate) -> f64 {
        let Some(i) = strategic(p, &p.sources[si]) else {
            return 0.0;
        };
        let v = c.victim;
        let vst = &p.states[v].spec;
        let (blamed, confidence) = if c.overt {
            (1.0, 1.0)
        } else {
            let (blame, confidence) = self.own[si * self.n + v];
            (
                vst.detection * p.kind(c.kind).detectability * blame,
                confidence,
            )
        };
        let perceived = f64::from(c.severity)
            + vst.worst_case_bias
                * p.kind(c.kind).ambiguity
                * (1.0 - dialogue_reduction(p, active, i, v));
        let deterrence = &p.states[i].spec.deterrence;
        let binding = binding_measure(p, active, i, v, c.kind, c.sector);
        let breach = binding.map_or(0.0, |_| deterrence.breach_cost);
        // An operation run under an agreement's rules is announced with the agreement's
        // probability of notice, and then read without the worst-case bias.
        let notice = match binding {
            None => notice_measure(p, active, i, v, c.kind, c.sector).map_or(0.0, |(_, q)| q),
            Some(_) => 0.0,
        };
        let answer = (1.0 - notice) * expected_answer(p, v, perceived, confidence)
            + notice * expected_answer(p, v, f64::from(c.severity), confidence);
        let punishment = deterrence.exposure_cost + answer + breach;
        deterrence.sensitivity * blamed * punishment
    }

    /// Position of a candidate in a source's acceptance table.
    fn slot(&self, c: &Candidate) -> usize {
        ((((c.victim * OperationKind::ALL.len() + c.kind.index()) * DCID_LEVELS
            + (c.severity as usize - 1))
            * self.sectors
            + c.sector)
            * 2)
            + usize::from(c.overt)
    }

    /// The acceptance of every candidate of source `si` at the equilibrium.
    fn acceptance_table(&self, p: &Compiled, active: InForce, si: usize) -> Vec<f64> {
        let Some(i) = strategic(p, &p.sources[si]) else {
            return Vec::new();
        };
        let mut table =
            vec![1.0; self.n * OperationKind::ALL.len() * DCID_LEVELS * self.sectors * 2];
        for (_, c) in Self::candidates(p, si) {
            let cost = self.cost(p, active, si, &c);
            table[self.slot(&c)] = (-cost * (1.0 - self.anyway[i * self.n + c.victim])).exp();
        }
        table
    }

    /// Probability that the sponsor of source `si` lets a candidate it controls go ahead:
    /// `exp(−sensitivity × expected punishment)` (1 for a source nobody weighs).
    pub fn acceptance_of(&self, si: usize, c: &Candidate) -> f64 {
        let table = &self.table[si];
        if table.is_empty() {
            1.0
        } else {
            table[self.slot(c)]
        }
    }

    /// Probability that victim `v` blames `i` within the window for operations `i` did not order.
    pub fn blamed_anyway_of(&self, i: StateId, v: StateId) -> f64 {
        self.anyway[i * self.n + v]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{DEFAULT_SCENARIO, parse_scenario};
    use crate::scenario::types::Scenario;
    use crate::scenario::validate::validate;

    fn scenario() -> Scenario {
        crate::scenario::load::ron_options()
            .from_str(DEFAULT_SCENARIO)
            .expect("the default scenario parses")
    }

    fn expectations(s: &Scenario) -> (Compiled, Expectations) {
        let p = validate(s).expect("valid");
        let pr = Priors::of(&p);
        let active = p.arms[0].active.clone();
        let e = Expectations::of(&p, &pr, &active);
        (p, e)
    }

    /// The default scenario's first source is Russia's own campaign against the US.
    const RUS_CAMPAIGN: usize = 0;

    #[test]
    fn the_answer_grows_with_severity_and_is_capped_when_unsure() {
        let p = parse_scenario("default", DEFAULT_SCENARIO).expect("valid");
        let mut last = 0.0;
        for tenths in 10..=100 {
            let s = expected_answer(&p, 0, tenths as f64 / 10.0, 1.0);
            assert!(s >= last, "{tenths}");
            last = s;
        }
        // US: severity 10 → "destructive attack" (7); unsure → at most "sanctions" (3).
        assert_eq!(expected_answer(&p, 0, 10.0, 1.0), 7.0);
        assert_eq!(expected_answer(&p, 0, 10.0, 0.5), 3.0);
        // Below the table's threshold a sure US still replies in kind (severity 4) a third of the
        // time; an unsure one does not.
        assert!((expected_answer(&p, 0, 2.0, 1.0) - 0.33 * 4.0).abs() < 1e-12);
        assert_eq!(expected_answer(&p, 0, 2.0, 0.5), 0.0);
    }

    #[test]
    fn acceptance_is_a_probability_that_falls_with_sensitivity() {
        let mut s = scenario();
        let (_, e) = expectations(&s);
        let c = Candidate {
            victim: 0,
            kind: OperationKind::Sabotage,
            severity: 5,
            sector: 2,
            overt: false,
        };
        let a = e.acceptance_of(RUS_CAMPAIGN, &c);
        assert!(a > 0.0 && a < 1.0, "{a}");
        s.states[1].deterrence.sensitivity *= 2.0;
        let (_, e2) = expectations(&s);
        assert!(e2.acceptance_of(RUS_CAMPAIGN, &c) < a);
        s.states[1].deterrence.sensitivity = 0.0;
        let (_, e0) = expectations(&s);
        assert_eq!(e0.acceptance_of(RUS_CAMPAIGN, &c), 1.0);
    }

    #[test]
    fn noisier_attribution_raises_acceptance_and_blame_anyway() {
        let mut s = scenario();
        let (_, sharp) = expectations(&s);
        s.states[0].attribution.skill = 0.1;
        let (_, noisy) = expectations(&s);
        assert!(noisy.acceptance[RUS_CAMPAIGN] > sharp.acceptance[RUS_CAMPAIGN]);
        assert!(noisy.blamed_anyway_of(1, 0) > sharp.blamed_anyway_of(1, 0));
    }

    #[test]
    fn an_agreement_in_force_deters_operations_it_covers() {
        let s = scenario();
        let p = validate(&s).expect("valid");
        let pr = Priors::of(&p);
        let without = Expectations::of(&p, &pr, &p.arms[0].active);
        let with = Expectations::of(&p, &pr, &p.arms[1].active);
        // Critical infrastructure (sector 2) is protected by the incidents agreement.
        let c = Candidate {
            victim: 0,
            kind: OperationKind::Sabotage,
            severity: 4,
            sector: 2,
            overt: false,
        };
        let a0 = without.acceptance_of(RUS_CAMPAIGN, &c);
        let a1 = with.acceptance_of(RUS_CAMPAIGN, &c);
        assert!(a1 < a0, "{a1} < {a0}");
    }
}
