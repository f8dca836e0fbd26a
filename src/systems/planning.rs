//! Planning: every candidate operation of the replicate is drawn at the start (arrival, kind,
//! severity, sector, overt or covert, false flag), kept or held back by its sponsor's deterrence
//! (systems/strategy.rs), filtered by agreement and pledge compliance, then given its detection and
//! attribution timeline (systems/forensics.rs). Only public attributions enter the agenda as events.

use super::channels::{channel_line, evidence_lines, place_call};
use super::forensics::{Priors, evidence_accuracy, read_evidence, suspect_at, suspect_index};
use super::params::{Effects, RunContext};
use super::strategy::{Candidate, Expectations};
use crate::model::event_log::{Event, OpFacts};
use crate::model::plan::{AttributionDraws, CandidateOperation, DetectionDraws, ReplicatePlan};
use crate::model::*;
use crate::rng::{Draws, Process, Streams, box_muller, combine};
use crate::scenario::compile::{
    Compiled, CompiledInject, CompiledWarning, ExecutorParams, ExecutorRole, MeasureParams, Source,
    SourceKind, StateId, dyad_index,
};
use crate::scenario::types::{OperationKind, StateActor};
use crate::units::DCID_MAX;
use bevy_ecs::prelude::*;

/// Sub-stream tag of an operation's advance notice, distinct from its compliance draw.
const NOTICE_KEY: u64 = 0x4E07_1CE0;

/// Stable key of the `seq`-th operation of source `source`.
pub fn operation_key(source: usize, seq: u64) -> u64 {
    ((source as u64 + 1) << 40) | seq
}

/// The active agreement or pledge (index, the sponsor's compliance) that binds `sponsor` not to run
/// an operation of `kind` in `sector` against `victim`, if any (an agreement for its protected
/// sectors; a pledge for its kinds anywhere and for any kind in its sectors): what a complying sponsor holds back, and what a
/// victim who blames `sponsor` counts as a breach.
pub fn binding_measure(
    p: &Compiled,
    active: InForce,
    sponsor: StateId,
    victim: StateId,
    kind: OperationKind,
    sector: usize,
) -> Option<(usize, f64)> {
    let dyad = dyad_index(p.states.len(), sponsor, victim);
    p.measures.iter().enumerate().find_map(|(m, meas)| {
        if !active.has(m) || meas.dyad != dyad {
            return None;
        }
        match &meas.params {
            MeasureParams::Agreement(_, mask, compliance) if mask[sector] => {
                Some((m, compliance[usize::from(sponsor > victim)]))
            }
            MeasureParams::Pledge(pl, covered, compliance)
                if covered[sector] || pl.kinds.contains(&kind) =>
            {
                Some((m, compliance[usize::from(sponsor > victim)]))
            }
            _ => None,
        }
    })
}

/// The active agreement (index, probability of notice) under whose rules `sponsor` announces an
/// operation of `kind` in `sector` against `victim` in advance: an agreement on the pair that does
/// not protect the sector, for a kind whose intent could be misread.
pub fn notice_measure(
    p: &Compiled,
    active: InForce,
    sponsor: StateId,
    victim: StateId,
    kind: OperationKind,
    sector: usize,
) -> Option<(usize, f64)> {
    if p.kind(kind).ambiguity <= 0.0 {
        return None;
    }
    let dyad = dyad_index(p.states.len(), sponsor, victim);
    p.measures
        .iter()
        .enumerate()
        .find_map(|(m, meas)| match &meas.params {
            MeasureParams::Agreement(a, mask, _)
                if active.has(m)
                    && meas.dyad == dyad
                    && !mask[sector]
                    && a.advance_notice > 0.0 =>
            {
                Some((m, a.advance_notice))
            }
            _ => None,
        })
}

fn draw_detection(d: &mut Draws) -> DetectionDraws {
    DetectionDraws {
        seen: d.uniform(),
        delay_u: (d.uniform(), d.uniform()),
    }
}

fn draw_attribution(d: &mut Draws) -> AttributionDraws {
    AttributionDraws {
        reuse: d.uniform(),
        pick: d.uniform(),
        mimic: d.uniform(),
        see: d.uniform(),
        scale_u: (d.uniform(), d.uniform()),
        informative: d.uniform(),
        lookalike: d.uniform(),
    }
}

fn draw_response(d: &mut Draws) -> ResponseDraws {
    ResponseDraws {
        noise: d.uniform(),
        rounding: d.uniform(),
    }
}

/// What planning draws about an operation of a source (after its arrival time).
#[derive(Debug, Clone, Copy)]
struct Drawn {
    victim: StateId,
    kind: OperationKind,
    severity: u8,
    sector: usize,
    overt: bool,
    false_flag: Option<StateId>,
    /// A proxy acting against its sponsor's restraint (it overreaches, and nothing deters it).
    rogue: bool,
    /// Uniform thinning the candidate stream: the candidate goes ahead if below its acceptance.
    keep: f64,
}

/// The facts of a candidate (not launched) operation for the event log; `false_flag` as the event
/// reports it.
fn facts(c: &CandidateOperation, src: &Source, false_flag: Option<StateId>) -> OpFacts {
    OpFacts {
        key: c.key,
        executor: src.executor,
        sponsor: src.sponsor,
        victim: c.victim,
        kind: c.kind,
        severity: c.severity,
        sector: c.sector,
        overt: c.overt,
        false_flag,
        injected: false,
    }
}

/// How far the executor of a source follows its sponsor: the probability it does (1 for anyone but
/// a proxy), and the severity points an operation gains when it does not.
#[derive(Debug, Clone, Copy)]
struct Control {
    control: f64,
    overreach: u8,
}

impl Control {
    fn of(p: &Compiled, src: &Source) -> Control {
        match p.executors[src.executor].role {
            ExecutorRole::Proxy { control, overreach } => Control { control, overreach },
            _ => Control {
                control: 1.0,
                overreach: 0,
            },
        }
    }
}

/// Draws an operation's attributes from its source's planning sequence (a fixed number of draws,
/// whatever comes out); an executor out of control overreaches, staying on the DCID scale.
fn draw_operation(p: &Compiled, src: &Source, ctl: Control, d: &mut Draws) -> Drawn {
    let victim = src.targets[d.index(src.targets.len())];
    let kind = OperationKind::ALL[d.pick(&src.kind_cdf)];
    let mut severity = 1 + d.pick(&p.kind(kind).severity_cdf) as u8;
    let rogue = d.chance(1.0 - ctl.control);
    if rogue {
        severity = severity.saturating_add(ctl.overreach).min(DCID_MAX);
    }
    let sector = d.pick(&src.sector_cdf);
    let overt = d.chance(src.overt_share);
    let flag_draw = d.uniform();
    let false_flag = match src.false_flag {
        Some((frame, share)) if !overt && flag_draw < share => Some(frame),
        _ => None,
    };
    let keep = d.uniform();
    Drawn {
        victim,
        kind,
        severity,
        sector,
        overt,
        false_flag,
        rogue,
        keep,
    }
}

/// The day the victim detects an operation launched on `launch_day` (None: never, or not within
/// the horizon). Overt operations are seen at once; `detect_after` forces detection (injects).
pub fn detection_day(
    overt: bool,
    launch_day: u32,
    victim: &StateActor,
    detectability: f64,
    draws: &DetectionDraws,
    detect_after: Option<u32>,
    horizon: f64,
) -> Option<u32> {
    let detected = overt || draws.seen < victim.detection * detectability;
    let delay = if overt {
        0.0
    } else {
        let dd = &victim.detection_delay;
        dd.median_days * (dd.spread * box_muller(draws.delay_u.0, draws.delay_u.1)).exp()
    };
    let (detected, delay) = match detect_after {
        Some(days) => (true, days as f64),
        None => (detected, delay),
    };
    let day = launch_day as f64 + delay.round();
    (detected && day < horizon).then_some(day as u32)
}

/// Whom the evidence of a covert operation points at, and what misleading evidence there was: a
/// planted false flag, a freelancing proxy's patron, a mercenary's other client (reused tools), the
/// state an independent group resembles (mimicry), or else the true sponsor.
pub fn apparent_culprit(
    executor: &ExecutorParams,
    source_kind: SourceKind,
    op: &Operation,
    false_flag: Option<StateId>,
    att: &AttributionDraws,
) -> (Option<StateId>, Deception) {
    if let Some(frame) = false_flag {
        return (Some(frame), Deception::FalseFlag);
    }
    match (&executor.role, source_kind) {
        (_, SourceKind::Freelance) => (executor.patron, Deception::Freelance),
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
                .filter(|c| Some(*c) != op.sponsor && *c != op.victim)
                .collect();
            if att.reuse < *tool_reuse && !others.is_empty() {
                let i = ((att.pick * others.len() as f64) as usize).min(others.len() - 1);
                (Some(others[i]), Deception::ToolReuse)
            } else {
                (op.sponsor, Deception::None)
            }
        }
        (
            ExecutorRole::Independent {
                resembles, mimicry, ..
            },
            _,
        ) => match resembles {
            Some(r) if *r != op.victim && att.mimic < *mimicry => (Some(*r), Deception::Mimicry),
            _ => (None, Deception::None),
        },
        _ => (op.sponsor, Deception::None),
    }
}

/// The day of public attribution: when confidence `ceiling·(1 − e^(−t/time_scale))` after detection
/// crosses `threshold` (None when it never does, or only at or after `horizon`).
pub fn public_attribution_day(
    ceiling: f64,
    threshold: f64,
    time_scale: f64,
    detect_day: u32,
    horizon: u32,
) -> Option<u32> {
    if ceiling <= threshold {
        return None;
    }
    let days = time_scale * (ceiling / (ceiling - threshold)).ln();
    let day = detect_day as f64 + days.round();
    (day < horizon as f64).then_some(day as u32)
}

/// An operation that happens, with the draws of what follows it.
struct Planned {
    op: Operation,
    /// Day the victim detects it (see [`detection_day`]).
    detect_day: Option<u32>,
    att: AttributionDraws,
    response: ResponseDraws,
    false_flag: Option<StateId>,
    source_kind: SourceKind,
}

/// Whether the replicate plan was drawn for another replicate than the one whose streams are set
/// (the run condition of [`draw_candidates`]: the arms of a replicate, and a rerun after a
/// doctrine's withdrawal, read the plan the first of them drew).
pub fn plan_is_stale(plan: Res<ReplicatePlan>, streams: Res<RandomStreams>) -> bool {
    plan.seed != Some(streams.0.seed())
}

/// Draws the candidate operations of the replicate, once for all its arms.
///
/// Each source has one planning, one detection, one attribution and one response sequence, and
/// every candidate consumes a fixed number of draws from each whatever happens to it, so the
/// candidates of all arms are the same draws even when an agreement restrains some of them in one
/// arm: nothing here depends on the arm.
pub fn draw_candidates(
    params: Res<Params>,
    clock: Res<Clock>,
    streams: Res<RandomStreams>,
    mut plan: ResMut<ReplicatePlan>,
) {
    let p = &params.0;
    let plan = &mut *plan;
    plan.seed = Some(streams.0.seed());
    plan.candidates.clear();
    for (si, src) in p.sources.iter().enumerate() {
        if src.rate_per_day > 0.0 {
            draw_source(p, si, src, clock.horizon, &streams.0, &mut plan.candidates);
        }
    }
}

/// Every candidate of one drawn source, in arrival order, appended to `out`.
fn draw_source(
    p: &Compiled,
    si: usize,
    src: &Source,
    horizon: u32,
    streams: &Streams,
    out: &mut Vec<CandidateOperation>,
) {
    let ctl = Control::of(p, src);
    let mut plan_rng = streams.sequence(Process::Planning, si as u64);
    let mut detect_rng = streams.sequence(Process::Detection, si as u64);
    let mut attrib_rng = streams.sequence(Process::Attribution, si as u64);
    let mut respond_rng = streams.sequence(Process::Response, si as u64);
    let mut t = 0.0;
    for seq in 0u64.. {
        let mut d = Draws::from(&mut plan_rng);
        t += d.exponential(src.rate_per_day);
        if t >= horizon as f64 {
            break;
        }
        let drawn = draw_operation(p, src, ctl, &mut d);
        let launch_day = t as u32;
        let detection = draw_detection(&mut Draws::from(&mut detect_rng));
        let attribution = draw_attribution(&mut Draws::from(&mut attrib_rng));
        let response = draw_response(&mut Draws::from(&mut respond_rng));
        let detect_day = detection_day(
            drawn.overt,
            launch_day,
            &p.states[drawn.victim].spec,
            p.kind(drawn.kind).detectability,
            &detection,
            None,
            horizon as f64,
        );
        out.push(CandidateOperation {
            key: operation_key(si, seq),
            source: si,
            launch_day,
            victim: drawn.victim,
            kind: drawn.kind,
            severity: drawn.severity,
            sector: drawn.sector,
            overt: drawn.overt,
            false_flag: drawn.false_flag,
            rogue: drawn.rogue,
            keep: drawn.keep,
            detect_day,
            detection,
            attribution,
            response,
        });
    }
}

/// Decides in the arm which candidates of the replicate plan happen, spawns those that will be
/// publicly attributed, and schedules their attributions; then the scripted operations (injects).
pub fn plan_operations(
    mut commands: Commands,
    ctx: RunContext,
    mut out: Effects,
    mut ledger: ResMut<Ledger>,
    plan: Res<ReplicatePlan>,
    mut known: Local<Foresight>,
) {
    let p = ctx.scenario();
    let active = ctx.active();
    let (priors, periods) = known.of(p, active, ctx.horizon());
    let warnings = deliver_warnings(p, active, ctx.horizon(), &mut out);
    let mut planner = Planner {
        p,
        priors,
        periods,
        active,
        horizon: ctx.horizon(),
        warnings,
        out: &mut out,
        ledger: &mut ledger,
        commands: &mut commands,
    };
    for c in &plan.candidates {
        planner.plan_candidate(c);
    }
    for inj in &p.injects {
        planner.plan_inject(inj);
    }
}

/// Sub-stream tag of a pre-emptive warning's call, distinct from every operation's keys.
const WARNING_KEY: u64 = 0x5741_524E_0000_0000;

/// Pre-emptive warnings of the active channels given before the horizon: each is a call over its
/// channel on its day (its own keyed draws), and only a warning that got through is weighed by the
/// state warned. Every warning is logged, delivered or not.
fn deliver_warnings(
    p: &Compiled,
    active: InForce,
    horizon: u32,
    out: &mut Effects,
) -> Vec<CompiledWarning> {
    let mut delivered = Vec::new();
    for (m, meas) in p.measures.iter().enumerate() {
        let MeasureParams::Channel(_, _, _, warnings) = &meas.params else {
            continue;
        };
        for (j, w) in warnings
            .iter()
            .enumerate()
            .filter(|(_, w)| w.day < horizon && active.on(w.day).has(m))
        {
            let line = channel_line(p, m, w.to);
            let key = combine(WARNING_KEY, combine(m as u64, j as u64));
            let connected = place_call(line, key, w.to, w.day, out).is_some();
            out.record(w.day, || Event::Warned {
                by: w.by,
                to: w.to,
                measure: m,
                delivered: connected,
                until: w.until,
            });
            if connected {
                delivered.push(w.clone());
            }
        }
    }
    delivered
}

/// Expected punishment a delivered warning adds to a candidate of `sponsor` (DCID points).
fn warning_cost(
    warnings: &[CompiledWarning],
    sponsor: StateId,
    victim: StateId,
    sector: usize,
    day: u32,
) -> f64 {
    warnings
        .iter()
        .filter(|w| {
            w.to == sponsor
                && w.by == victim
                && w.sectors[sector]
                && (w.day..w.until).contains(&day)
        })
        .map(|w| w.cost)
        .sum()
}

/// What the simulator knows before any replicate and keeps between them (a simulator runs one
/// scenario): the victims' priors over suspects and, per set of measures in force, the sponsors'
/// expectations.
#[derive(Default)]
pub struct Foresight {
    priors: Option<Priors>,
    sets: Vec<(Vec<bool>, Expectations)>,
}

/// The sponsors' expectations from a day on (until the next period's first day).
type Period<'a> = (u32, &'a Expectations);

impl Foresight {
    /// The priors and, for each period of the run in which the same measures are in force (they
    /// change only when a party leaves one), its first day and the sponsors' expectations then,
    /// computed on first use. A sponsor weighs the measures in force on the day it acts.
    fn of(&mut self, p: &Compiled, active: InForce, horizon: u32) -> (&Priors, Vec<Period<'_>>) {
        let priors = self.priors.get_or_insert_with(|| Priors::of(p));
        let mut starts: Vec<u32> = active
            .until()
            .iter()
            .copied()
            .filter(|&d| d > 0 && d < horizon)
            .collect();
        starts.push(0);
        starts.sort_unstable();
        starts.dedup();
        let index: Vec<usize> = starts
            .iter()
            .map(|&d| {
                let mask = active.on(d).mask();
                match self.sets.iter().position(|(k, _)| *k == mask) {
                    Some(i) => i,
                    None => {
                        let e = Expectations::of(p, priors, &mask);
                        self.sets.push((mask, e));
                        self.sets.len() - 1
                    }
                }
            })
            .collect();
        let periods = starts
            .into_iter()
            .zip(index)
            .map(|(d, i)| (d, &self.sets[i].1))
            .collect();
        (priors, periods)
    }
}

/// What the planning of the operations reads and writes.
struct Planner<'a, 'w, 'c, 's> {
    p: &'a Compiled,
    priors: &'a Priors,
    /// The sponsors' expectations by period, in time order (the first from day 0).
    periods: Vec<Period<'a>>,
    /// The measures in force (on day 0; `.on(day)` for a later day).
    active: InForce<'a>,
    horizon: u32,
    /// Pre-emptive warnings that got through.
    warnings: Vec<CompiledWarning>,
    out: &'a mut Effects<'w>,
    ledger: &'a mut Ledger,
    commands: &'a mut Commands<'c, 's>,
}

impl Planner<'_, '_, '_, '_> {
    /// One candidate of the plan: whether it goes ahead in this arm, then its follow-up.
    fn plan_candidate(&mut self, c: &CandidateOperation) {
        let p = self.p;
        let src = &p.sources[c.source];
        let ctl = Control::of(p, src);
        if !self.goes_ahead(c) {
            return;
        }
        let Some(violates) = self.comply(c, src, ctl.control) else {
            return;
        };
        let noticed = match violates {
            None if !c.rogue => self.give_notice(c, src),
            _ => None,
        };
        let op = Operation {
            key: c.key,
            source: c.source,
            kind: c.kind,
            severity: c.severity,
            sector: c.sector,
            executor: src.executor,
            sponsor: src.sponsor,
            victim: c.victim,
            launch_day: c.launch_day,
            overt: c.overt,
            violates,
            noticed,
        };
        self.follow_up(Planned {
            op,
            detect_day: c.detect_day,
            att: c.attribution,
            response: c.response,
            false_flag: c.false_flag,
            source_kind: src.kind,
        });
    }

    /// Whether the sponsor lets a candidate go ahead: its uniform against the acceptance the sponsor's
    /// expected punishment gives it (a rogue proxy goes ahead regardless). A candidate held back
    /// consumed all its draws, so it shifts nobody's later ones.
    fn goes_ahead(&mut self, drawn: &CandidateOperation) -> bool {
        let (si, launch_day) = (drawn.source, drawn.launch_day);
        if drawn.rogue {
            return true;
        }
        let c = Candidate {
            victim: drawn.victim,
            kind: drawn.kind,
            severity: drawn.severity,
            sector: drawn.sector,
            overt: drawn.overt,
        };
        let expect = self
            .periods
            .iter()
            .rev()
            .find(|(from, _)| *from <= launch_day)
            .map_or(self.periods[0].1, |(_, e)| *e);
        let mut acceptance = expect.acceptance_of(si, &c);
        // A warning the sponsor received raises the punishment it expects for this candidate.
        if let Some(sponsor) = self.p.sources[si].sponsor
            && !self.warnings.is_empty()
        {
            let sensitivity = self.p.states[sponsor].spec.deterrence.sensitivity;
            let cost = warning_cost(
                &self.warnings,
                sponsor,
                drawn.victim,
                drawn.sector,
                launch_day,
            );
            acceptance *= (-sensitivity * cost).exp();
        }
        if drawn.keep < acceptance {
            return true;
        }
        self.out.tally.deterred += 1;
        let src = &self.p.sources[si];
        self.out.record(launch_day, || Event::Deterred {
            op: facts(drawn, src, drawn.false_flag),
            acceptance,
        });
        false
    }

    /// Compliance with an active agreement or pledge that binds the sponsor (arm-dependent, its own
    /// stream): None if the sponsor holds the operation back, else the measure it breaches, if any.
    fn comply(
        &mut self,
        drawn: &CandidateOperation,
        src: &Source,
        control: f64,
    ) -> Option<Option<usize>> {
        let (key, launch_day) = (drawn.key, drawn.launch_day);
        let Some(sponsor) = src.sponsor else {
            return Some(None);
        };
        let Some((m, compliance)) = binding_measure(
            self.p,
            self.active.on(launch_day),
            sponsor,
            drawn.victim,
            drawn.kind,
            drawn.sector,
        ) else {
            return Some(None);
        };
        let mut c = self
            .out
            .streams
            .0
            .keyed(Process::Compliance, combine(key, m as u64));
        if !c.chance(compliance * control) {
            return Some(Some(m));
        }
        self.out.tally.restrained += 1;
        self.out.record(launch_day, || Event::Restrained {
            op: facts(drawn, src, None),
            measure: m,
        });
        None
    }

    /// Advance notice under an active agreement's rules (its own sub-stream of the compliance
    /// process): the agreement whose mechanism carried the notice, if the sponsor gave one.
    fn give_notice(&mut self, drawn: &CandidateOperation, src: &Source) -> Option<usize> {
        let (key, launch_day) = (drawn.key, drawn.launch_day);
        let sponsor = src.sponsor?;
        let (m, notice) = notice_measure(
            self.p,
            self.active.on(launch_day),
            sponsor,
            drawn.victim,
            drawn.kind,
            drawn.sector,
        )?;
        let mut c = self.out.streams.0.keyed(
            Process::Compliance,
            combine(combine(key, m as u64), NOTICE_KEY),
        );
        if !c.chance(notice) {
            return None;
        }
        self.out.record(launch_day, || Event::Noticed {
            op: facts(drawn, src, None),
            measure: m,
        });
        Some(m)
    }

    /// Detection, attribution and (for operations that will be publicly attributed) the entity and
    /// its agenda event.
    fn follow_up(&mut self, planned: Planned) {
        let p = self.p;
        let op = &planned.op;
        let detect_day = planned.detect_day;
        self.ledger.0.push(LedgerEntry {
            sponsor: op.sponsor,
            victim: op.victim,
            launch_day: op.launch_day,
            severity: op.severity,
            violates: op.violates.is_some(),
            detect_day,
        });
        self.out.record(op.launch_day, || Event::Launched {
            op: OpFacts {
                key: op.key,
                executor: op.executor,
                sponsor: op.sponsor,
                victim: op.victim,
                kind: op.kind,
                severity: op.severity,
                sector: op.sector,
                overt: op.overt,
                false_flag: planned.false_flag,
                injected: p.sources[op.source].rate_per_day <= 0.0,
            },
            detect_day,
        });
        let Some(detect_day) = detect_day else {
            return;
        };
        self.out
            .record(detect_day, || Event::Detected { op: op.key });
        let belief = self.attribute(&planned, detect_day);
        // Only operations that will be publicly attributed become entities: they are the ones
        // the response systems act on.
        if let (Some(day), Some(blamed)) = (belief.public_day, belief.blamed) {
            let Planned { op, response, .. } = planned;
            let detection = Detection { day: detect_day };
            let entity = self.commands.spawn((op, detection, belief, response)).id();
            self.out.agenda.schedule(
                day,
                AgendaEvent::Attributed(OperationAttributed { op: entity, blamed }),
            );
        }
    }

    /// The victim's attribution of a detected operation: whom the evidence points at, whether
    /// analysts (or a CERT-to-CERT link) see through misleading evidence, and when confidence is
    /// high enough to blame someone publicly.
    fn attribute(&mut self, planned: &Planned, detect_day: u32) -> AttributionBelief {
        let p = self.p;
        let op = &planned.op;
        let victim = &p.states[op.victim].spec;
        let executor = &p.executors[op.executor];
        if op.overt {
            return AttributionBelief {
                blamed: op.sponsor,
                deception: Deception::None,
                saw_through: false,
                ceiling: 1.0,
                time_scale: 1.0,
                public_day: Some(detect_day),
            };
        }
        let ts = &victim.attribution.time_scale;
        let (u1, u2) = planned.att.scale_u;
        let time_scale = ts.median_days * (ts.spread * box_muller(u1, u2)).exp();
        let (apparent, deception) = apparent_culprit(
            executor,
            planned.source_kind,
            op,
            planned.false_flag,
            &planned.att,
        );
        let mut deception = deception;
        let mut saw_through =
            deception != Deception::None && planned.att.see < victim.attribution.skill;
        // Where the executor's traces point once analysts have (or have not) seen through deception.
        let traces = if saw_through { op.sponsor } else { apparent };
        // Honest forensics: uninformative evidence points at a suspect from the victim's prior; the
        // state blamed is the one with the highest posterior, and confidence follows the posterior.
        let n = p.states.len();
        let att = &victim.attribution;
        let accuracy = evidence_accuracy(att.skill, att.forensic_noise, executor.deniability);
        let prior = self.priors.of_victim(op.victim);
        let signal = if planned.att.informative < accuracy {
            traces
        } else {
            self.priors.lookalike(op.victim, planned.att.lookalike)
        };
        let (read, mut posterior) = read_evidence(prior, accuracy, suspect_index(n, signal));
        let mut blamed = suspect_at(n, read);
        if blamed != traces {
            deception = Deception::HonestError;
        }
        // A CERT-to-CERT link with the state wrongly blamed gives a second look.
        if deception != Deception::None
            && !saw_through
            && blamed != op.sponsor
            && let Some(accused) = blamed
            && self.share_evidence(op, accused, detect_day)
        {
            saw_through = true;
            blamed = op.sponsor;
            posterior = read_evidence(prior, accuracy, suspect_index(n, op.sponsor)).1;
        }
        let ceiling = att.ceiling * posterior;
        let public_day = blamed.and_then(|_| {
            public_attribution_day(
                ceiling,
                victim.attribution.public_threshold,
                time_scale,
                detect_day,
                p.scenario.horizon_days,
            )
        });
        AttributionBelief {
            blamed,
            deception,
            saw_through,
            ceiling,
            time_scale,
            public_day,
        }
    }

    /// A CERT-to-CERT link with the state the evidence points at gives a second look: whether its
    /// evidence convinces the victim's analysts that `accused` did not do it.
    fn share_evidence(&mut self, op: &Operation, accused: StateId, detect_day: u32) -> bool {
        let p = self.p;
        let dyad = dyad_index(p.states.len(), op.victim, accused);
        let active = self.active.on(detect_day);
        let lines = evidence_lines(p, active, dyad, accused);
        let call = place_call(lines, op.key, accused, detect_day, self.out);
        let convinced = call.is_some_and(|c| c.belief_draw < c.line.evidence_weight);
        self.out.tally.corrections += u32::from(convinced);
        if self.out.logging() {
            let first = evidence_lines(p, active, dyad, accused)
                .next()
                .map(|l| l.measure);
            if let Some(measure) = call.map(|c| c.line.measure).or(first) {
                self.out.record(detect_day, || Event::EvidenceShared {
                    op: op.key,
                    accused,
                    measure,
                    connected: call.is_some(),
                    convinced,
                });
            }
        }
        convinced
    }

    /// A scripted operation: what the inject says, the rest drawn from the inject's own stream (keyed
    /// by its source), in the same order and number as for a drawn operation.
    fn plan_inject(&mut self, inj: &CompiledInject) {
        let p = self.p;
        if inj.day >= self.horizon {
            return;
        }
        let src = &p.sources[inj.source];
        let mut rng = self
            .out
            .streams
            .0
            .sequence(Process::Inject, inj.source as u64);
        let mut d = Draws::from(&mut rng);
        let profile = p.kind(inj.kind);
        let drawn_severity = 1 + d.pick(&profile.severity_cdf) as u8;
        let drawn_sector = d.pick(&src.sector_cdf);
        let det = draw_detection(&mut d);
        let att = draw_attribution(&mut d);
        let response = draw_response(&mut d);
        let victim = src.targets[0];
        let sector = inj.sector.unwrap_or(drawn_sector);
        // A scripted operation happens: an agreement it breaks is breached, not complied with.
        let violates = src.sponsor.and_then(|s| {
            binding_measure(p, self.active.on(inj.day), s, victim, inj.kind, sector).map(|(m, _)| m)
        });
        let detect_day = detection_day(
            inj.overt,
            inj.day,
            &p.states[victim].spec,
            profile.detectability,
            &det,
            inj.detected_after_days,
            self.horizon as f64,
        );
        let op = Operation {
            key: operation_key(inj.source, 0),
            source: inj.source,
            kind: inj.kind,
            severity: inj.severity.unwrap_or(drawn_severity),
            sector,
            executor: src.executor,
            sponsor: src.sponsor,
            victim,
            launch_day: inj.day,
            overt: inj.overt,
            violates,
            noticed: None,
        };
        self.follow_up(Planned {
            op,
            detect_day,
            att,
            response,
            false_flag: inj.false_flag.filter(|_| !inj.overt),
            source_kind: src.kind,
        });
    }
}

/// Schedules the first round of every active dialogue and the first annual review of every active
/// incidents agreement that holds reviews.
pub fn schedule_dialogues(ctx: RunContext, mut out: Effects) {
    for (m, meas) in ctx.scenario().measures.iter().enumerate() {
        // Only a measure in force at the start; a later round or review checks it on its day.
        if let MeasureParams::Agreement(a, _, _) = &meas.params
            && ctx.active().has(m)
            && a.review_trust_gain > 0.0
        {
            super::escalation::schedule_review(&mut out, ctx.horizon(), m, 1);
        }
        if let MeasureParams::Dialogue(d) = &meas.params
            && ctx.active().has(m)
        {
            let day = d.interval_days.round().max(1.0) as u32;
            if day < ctx.horizon() {
                out.agenda.schedule(
                    day,
                    AgendaEvent::DialogueRound(DialogueRoundDue {
                        measure: m,
                        round: 1,
                    }),
                );
            }
        }
    }
}
