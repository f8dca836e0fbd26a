//! Planning: every operation of the replicate is drawn at the start (arrival, kind, severity, sector,
//! overt or covert, false flag), then filtered by agreement and pledge compliance, then given its
//! detection and attribution timeline. Only public attributions enter the agenda as events.

use super::channels::{evidence_lines, place_call};
use crate::model::event_log::{Event, EventLog, OpFacts};
use crate::model::*;
use crate::rng::{Draws, Process, box_muller, combine};
use crate::scenario::compile::{
    Compiled, ExecutorRole, MeasureParams, SourceKind, StateId, dyad_index,
};
use crate::scenario::types::OperationKind;
use bevy_ecs::prelude::*;

/// Stable key of the `seq`-th operation of source `source`.
pub fn operation_key(source: usize, seq: u64) -> u64 {
    ((source as u64 + 1) << 40) | seq
}

/// A measure (agreement or pledge) that binds `sponsor` not to run this operation, if active.
fn binding_measure(
    p: &Compiled,
    active: &[bool],
    sponsor: StateId,
    victim: StateId,
    kind: OperationKind,
    sector: usize,
) -> Option<(usize, f64)> {
    let dyad = dyad_index(p.states.len(), sponsor, victim);
    p.measures.iter().enumerate().find_map(|(m, meas)| {
        if !active[m] || meas.dyad != dyad {
            return None;
        }
        match &meas.params {
            MeasureParams::Agreement(a, mask) if mask[sector] => Some((m, a.compliance)),
            MeasureParams::Pledge(pl) if kind == OperationKind::Influence => {
                Some((m, pl.compliance))
            }
            _ => None,
        }
    })
}

/// The detection draws of one operation (drawn for every operation, so streams stay aligned).
struct DetectionDraws {
    seen: f64,
    delay_u: (f64, f64),
}

/// The attribution draws of one operation.
struct AttributionDraws {
    reuse: f64,
    pick: f64,
    mimic: f64,
    see: f64,
    scale_u: (f64, f64),
}

/// Draws the operations of the replicate, spawns them, and schedules their public attributions.
///
/// Each source has one planning, one detection and one attribution sequence, and every operation
/// consumes a fixed number of draws from each whatever happens to it, so the operations of all arms
/// are the same draws even when an agreement restrains some of them in one arm.
#[allow(clippy::too_many_arguments)]
pub fn plan_operations(
    mut commands: Commands,
    params: Res<Params>,
    arm: Res<ArmState>,
    clock: Res<Clock>,
    mut streams: ResMut<RandomStreams>,
    mut agenda: ResMut<Agenda>,
    mut tally: ResMut<Tally>,
    mut ledger: ResMut<Ledger>,
    mut chronicle: Option<ResMut<EventLog>>,
) {
    let p = &*params.0;
    let horizon = clock.horizon as f64;
    let mut ctx = Planner {
        p,
        active: &arm.active,
        horizon,
        streams: &mut streams,
        tally: &mut tally,
        ledger: &mut ledger,
        agenda: &mut agenda,
        commands: &mut commands,
        chronicle: chronicle.as_deref_mut(),
    };
    for (si, src) in p.sources.iter().enumerate() {
        if src.rate_per_day <= 0.0 {
            continue;
        }
        let executor = &p.executors[src.executor];
        let control = match executor.role {
            ExecutorRole::Proxy { control } => control,
            _ => 1.0,
        };
        let mut plan_rng = ctx.streams.0.sequence(Process::Planning, si as u64);
        let mut detect_rng = ctx.streams.0.sequence(Process::Detection, si as u64);
        let mut attrib_rng = ctx.streams.0.sequence(Process::Attribution, si as u64);
        let mut respond_rng = ctx.streams.0.sequence(Process::Response, si as u64);
        let mut t = 0.0;
        for seq in 0u64.. {
            let key = operation_key(si, seq);
            let mut d = Draws::from(&mut plan_rng);
            t += d.exponential(src.rate_per_day);
            if t >= horizon {
                break;
            }
            let victim = src.targets[d.index(src.targets.len())];
            let kind = OperationKind::ALL[d.pick(&src.kind_cdf)];
            let profile = p.kinds[kind.index()]
                .as_ref()
                .expect("invariant: validated scenario profiles every kind it uses");
            let mut severity = 1 + d.pick(&profile.severity_cdf) as u8;
            if d.chance(1.0 - control) {
                // An uncontrolled proxy overreaches.
                severity = (severity + 1).min(10);
            }
            let sector = d.pick(&src.sector_cdf);
            let overt = d.chance(src.overt_share);
            let flag_draw = d.uniform();
            let false_flag = match src.false_flag {
                Some((frame, share)) if !overt && flag_draw < share => Some(frame),
                _ => None,
            };
            let launch_day = t as u32;
            let mut d = Draws::from(&mut detect_rng);
            let det = DetectionDraws {
                seen: d.uniform(),
                delay_u: (d.uniform(), d.uniform()),
            };
            let mut d = Draws::from(&mut attrib_rng);
            let att = AttributionDraws {
                reuse: d.uniform(),
                pick: d.uniform(),
                mimic: d.uniform(),
                see: d.uniform(),
                scale_u: (d.uniform(), d.uniform()),
            };

            let mut d = Draws::from(&mut respond_rng);
            let response = ResponseDraws {
                noise: d.uniform(),
                rounding: d.uniform(),
            };

            // Compliance with active agreements and pledges (arm-dependent, own stream).
            let mut violates = None;
            if let Some(sponsor) = src.sponsor
                && let Some((m, compliance)) =
                    binding_measure(p, ctx.active, sponsor, victim, kind, sector)
            {
                let mut c = ctx
                    .streams
                    .0
                    .keyed(Process::Compliance, combine(key, m as u64));
                if c.chance(compliance * control) {
                    ctx.tally.restrained += 1;
                    if let Some(ch) = ctx.chronicle.as_deref_mut() {
                        let op = facts(key, src, victim, kind, severity, sector, overt);
                        ch.record(launch_day, Event::Restrained { op, measure: m });
                    }
                    continue;
                }
                violates = Some(m);
            }

            let op = Operation {
                key,
                source: si,
                kind,
                severity,
                sector,
                executor: src.executor,
                sponsor: src.sponsor,
                victim,
                launch_day,
                overt,
                violates,
            };
            ctx.follow_up(
                op, profile, &det, &att, response, false_flag, src.kind, None,
            );
        }
    }
    for inj in &p.injects {
        plan_inject(&mut ctx, inj);
    }
}

/// What the planning of one operation writes to.
struct Planner<'a, 'w, 's> {
    p: &'a Compiled,
    active: &'a [bool],
    horizon: f64,
    streams: &'a mut RandomStreams,
    tally: &'a mut Tally,
    ledger: &'a mut Ledger,
    agenda: &'a mut Agenda,
    commands: &'a mut Commands<'w, 's>,
    chronicle: Option<&'a mut EventLog>,
}

/// The facts of an operation for the chronicle.
fn facts(
    key: u64,
    src: &crate::scenario::compile::Source,
    victim: StateId,
    kind: OperationKind,
    severity: u8,
    sector: usize,
    overt: bool,
) -> OpFacts {
    OpFacts {
        key,
        executor: src.executor,
        sponsor: src.sponsor,
        victim,
        kind,
        severity,
        sector,
        overt,
        false_flag: None,
        injected: false,
    }
}

impl Planner<'_, '_, '_> {
    /// Detection, attribution and (for operations that will be publicly attributed) the entity and
    /// its agenda event; `detect_after` forces detection after that many days (injects).
    #[allow(clippy::too_many_arguments)]
    fn follow_up(
        &mut self,
        op: Operation,
        profile: &crate::scenario::compile::KindParams,
        det: &DetectionDraws,
        att: &AttributionDraws,
        response: ResponseDraws,
        false_flag: Option<StateId>,
        source_kind: SourceKind,
        detect_after: Option<u32>,
    ) {
        let p = self.p;
        let horizon = self.horizon;
        let launch_day = op.launch_day;
        let victim_spec = &p.states[op.victim].spec;

        // Detection.
        let detected = op.overt || det.seen < victim_spec.detection * profile.detectability;
        let delay = if op.overt {
            0.0
        } else {
            let dd = &victim_spec.detection_delay;
            dd.median_days * (dd.spread * box_muller(det.delay_u.0, det.delay_u.1)).exp()
        };
        let (detected, delay) = match detect_after {
            Some(days) => (true, days as f64),
            None => (detected, delay),
        };
        let detect_day = launch_day as f64 + delay.round();
        let detect_day = (detected && detect_day < horizon).then_some(detect_day as u32);
        self.ledger.0.push(LedgerEntry {
            sponsor: op.sponsor,
            victim: op.victim,
            launch_day,
            severity: op.severity,
            violates: op.violates.is_some(),
            detect_day,
        });
        if let Some(ch) = self.chronicle.as_deref_mut() {
            let facts = OpFacts {
                key: op.key,
                executor: op.executor,
                sponsor: op.sponsor,
                victim: op.victim,
                kind: op.kind,
                severity: op.severity,
                sector: op.sector,
                overt: op.overt,
                false_flag,
                injected: p.sources[op.source].rate_per_day <= 0.0,
            };
            ch.record(
                launch_day,
                Event::Launched {
                    op: facts,
                    detect_day,
                },
            );
            if let Some(d) = detect_day {
                ch.record(d, Event::Detected { op: op.key });
            }
        }
        let Some(detect_day) = detect_day else {
            return;
        };
        let belief = attribute(
            p,
            self.active,
            self.streams,
            self.tally,
            self.chronicle.as_deref_mut(),
            &op,
            att,
            false_flag,
            detect_day,
            source_kind,
        );
        // Only operations that will be publicly attributed become entities: they are the ones
        // the response systems act on.
        if let Some(day) = belief.public_day.filter(|_| belief.blamed.is_some()) {
            let entity = self
                .commands
                .spawn((op, Detection { day: detect_day }, belief, response))
                .id();
            self.agenda.schedule(day, AgendaEvent::Attributed(entity));
        }
    }
}

/// A scripted operation: what the inject says, the rest drawn from the inject's own stream (keyed by
/// its source), in the same order and number as for a drawn operation.
fn plan_inject(ctx: &mut Planner, inj: &crate::scenario::compile::CompiledInject) {
    let p = ctx.p;
    if inj.day as f64 >= ctx.horizon {
        return;
    }
    let src = &p.sources[inj.source];
    let key = operation_key(inj.source, 0);
    let mut rng = ctx.streams.0.sequence(Process::Inject, inj.source as u64);
    let mut d = Draws::from(&mut rng);
    let profile = p.kinds[inj.kind.index()]
        .as_ref()
        .expect("invariant: validated inject kinds are profiled");
    let drawn_severity = 1 + d.pick(&profile.severity_cdf) as u8;
    let drawn_sector = d.pick(&src.sector_cdf);
    let det = DetectionDraws {
        seen: d.uniform(),
        delay_u: (d.uniform(), d.uniform()),
    };
    let att = AttributionDraws {
        reuse: d.uniform(),
        pick: d.uniform(),
        mimic: d.uniform(),
        see: d.uniform(),
        scale_u: (d.uniform(), d.uniform()),
    };
    let response = ResponseDraws {
        noise: d.uniform(),
        rounding: d.uniform(),
    };
    let victim = src.targets[0];
    let sector = inj.sector.unwrap_or(drawn_sector);
    // A scripted operation happens: an agreement it breaks is breached, not complied with.
    let violates = src
        .sponsor
        .and_then(|s| binding_measure(p, ctx.active, s, victim, inj.kind, sector).map(|(m, _)| m));
    let op = Operation {
        key,
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
    };
    let false_flag = inj.false_flag.filter(|_| !inj.overt);
    ctx.follow_up(
        op,
        profile,
        &det,
        &att,
        response,
        false_flag,
        src.kind,
        inj.detected_after_days,
    );
}

/// The victim's attribution of a detected operation.
#[allow(clippy::too_many_arguments)]
fn attribute(
    p: &Compiled,
    active: &[bool],
    streams: &mut RandomStreams,
    tally: &mut Tally,
    chronicle: Option<&mut EventLog>,
    op: &Operation,
    att: &AttributionDraws,
    false_flag: Option<StateId>,
    detect_day: u32,
    source_kind: SourceKind,
) -> AttributionBelief {
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
    let time_scale = ts.median_days * (ts.spread * box_muller(att.scale_u.0, att.scale_u.1)).exp();
    let (apparent, deception) = if let Some(frame) = false_flag {
        (Some(frame), Deception::FalseFlag)
    } else {
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
                Some(r) if *r != op.victim && att.mimic < *mimicry => {
                    (Some(*r), Deception::Mimicry)
                }
                _ => (None, Deception::None),
            },
            _ => (op.sponsor, Deception::None),
        }
    };
    let mut saw_through = false;
    if deception != Deception::None {
        saw_through = att.see < victim.attribution.skill;
        if !saw_through && let Some(accused) = apparent {
            // A CERT-to-CERT link with the state the evidence points at gives a second look.
            let dyad = dyad_index(p.states.len(), op.victim, accused);
            let call = place_call(evidence_lines(p, active, dyad), op.key, streams, tally);
            if let Some(call) = call
                && call.belief_draw < call.line.evidence_weight
            {
                saw_through = true;
                tally.corrections += 1;
            }
            if let Some(ch) = chronicle {
                let first = evidence_lines(p, active, dyad).next().map(|l| l.measure);
                if let Some(measure) = call.map(|c| c.line.measure).or(first) {
                    ch.record(
                        detect_day,
                        Event::EvidenceShared {
                            op: op.key,
                            accused,
                            measure,
                            connected: call.is_some(),
                            convinced: saw_through,
                        },
                    );
                }
            }
        }
    }
    let blamed = if saw_through { op.sponsor } else { apparent };
    let ceiling = victim.attribution.ceiling * (1.0 - executor.deniability);
    let threshold = victim.attribution.public_threshold;
    let public_day = if blamed.is_some() && ceiling > threshold {
        let days = time_scale * (ceiling / (ceiling - threshold)).ln();
        let day = detect_day as f64 + days.round();
        (day < p.scenario.horizon_days as f64).then_some(day as u32)
    } else {
        None
    };
    AttributionBelief {
        blamed,
        deception,
        saw_through,
        ceiling,
        time_scale,
        public_day,
    }
}

/// Schedules the first round of every active dialogue.
pub fn schedule_dialogues(
    params: Res<Params>,
    arm: Res<ArmState>,
    clock: Res<Clock>,
    mut agenda: ResMut<Agenda>,
) {
    for (m, meas) in params.0.measures.iter().enumerate() {
        if let MeasureParams::Dialogue(d) = &meas.params
            && arm.active[m]
        {
            let day = d.interval_days.round().max(1.0) as u32;
            if day < clock.horizon {
                agenda.schedule(
                    day,
                    AgendaEvent::DialogueRound {
                        measure: m,
                        round: 1,
                    },
                );
            }
        }
    }
}
