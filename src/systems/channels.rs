//! Channel calls: one mechanism for every use of a channel (consultation before a response, a crisis
//! call, CERT-to-CERT evidence sharing, an agreement's notification).
//!
//! A call tries the applicable channels in scenario order until one connects. Each attempt draws from
//! the channel stream keyed by (call, measure), so a channel that never connects leaves every other
//! draw, and so the run, as it would be without it.

use super::params::Effects;
use crate::model::InForce;
use crate::model::event_log::Event;
use crate::rng::{Process, combine};
use crate::scenario::compile::{Compiled, MeasureParams, StateId};

/// A channel that could carry a call: its measure index and how it behaves.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    /// Measure index.
    pub measure: usize,
    /// Probability it is up.
    pub availability: f64,
    /// Probability a call that reaches it is answered.
    pub reliability: f64,
    /// Days the answer takes.
    pub latency_days: f64,
    /// How far its evidence makes a message credible regardless of trust.
    pub evidence_weight: f64,
    /// Probability the party called refuses a call that reaches it.
    pub refusal: f64,
}

/// A call that connected.
#[derive(Debug, Clone, Copy)]
pub struct Connected {
    /// The line that carried it.
    pub line: Line,
    /// Uniform draw deciding whether what is said over it is believed (or, for evidence sharing,
    /// whether the evidence convinces).
    pub belief_draw: f64,
}

/// Whether a call that is up gets an answer, from one uniform `u`: below `reliability × (1 −
/// refusal)` it is answered; between that and `reliability` the party called refuses it; above, it
/// goes unanswered. A refusal only turns answers into refusals, leaving every other outcome as it was.
pub fn pick_up(u: f64, reliability: f64, refusal: f64) -> (bool, bool) {
    let answered = u < reliability * (1.0 - refusal);
    (answered, !answered && u < reliability)
}

/// Tries `lines` to `callee` in order on `day`; the first that is up and answers carries the call.
/// A refusal is logged.
pub fn place_call(
    lines: impl IntoIterator<Item = Line>,
    call_key: u64,
    callee: StateId,
    day: u32,
    out: &mut Effects,
) -> Option<Connected> {
    for line in lines {
        let mut d = out
            .streams
            .0
            .keyed(Process::Channels, combine(call_key, line.measure as u64));
        let up = d.chance(line.availability);
        let (answered, refused) = pick_up(d.uniform(), line.reliability, line.refusal);
        let belief_draw = d.uniform();
        out.tally.channel_calls += 1;
        if up && refused {
            out.record(day, || Event::Refused {
                by: callee,
                measure: line.measure,
                refusal: line.refusal,
            });
        }
        if up && answered {
            out.tally.channel_uses += 1;
            return Some(Connected { line, belief_draw });
        }
    }
    None
}

fn channel_lines<'a>(
    p: &'a Compiled,
    active: InForce<'a>,
    dyad: usize,
    callee: StateId,
    applies: impl Fn(&crate::scenario::types::Channel, Option<u8>) -> bool + 'a,
) -> impl Iterator<Item = Line> + 'a {
    p.measures
        .iter()
        .enumerate()
        .filter_map(move |(m, meas)| match &meas.params {
            MeasureParams::Channel(c, from, _, _)
                if active.has(m) && meas.dyad == dyad && applies(c, *from) =>
            {
                Some(Line {
                    measure: m,
                    availability: c.availability,
                    reliability: c.reliability,
                    latency_days: c.latency_days,
                    evidence_weight: c.evidence_weight,
                    refusal: p.measure_refusal(m, callee),
                })
            }
            _ => None,
        })
}

/// Lines consulted before a response at `rung`: channels whose `consult_from` it reaches, then, for an
/// incident between the parties of an active incidents agreement, the agreement's mechanism: its
/// notification for a protected sector, its consultation for any other.
pub fn consultation_lines(
    p: &Compiled,
    active: InForce,
    dyad: usize,
    callee: StateId,
    rung: u8,
    sector: Option<usize>,
) -> Vec<Line> {
    let mut lines: Vec<Line> = channel_lines(p, active, dyad, callee, |_, from| {
        from.is_some_and(|f| rung >= f)
    })
    .collect();
    if let Some(sector) = sector {
        lines.extend(
            p.measures
                .iter()
                .enumerate()
                .filter_map(|(m, meas)| match &meas.params {
                    MeasureParams::Agreement(a, mask, _) if active.has(m) && meas.dyad == dyad => {
                        // Consultation outside the protected sectors is a line only where the
                        // agreement provides it, so that without it nothing is drawn.
                        let availability = if mask[sector] {
                            a.notification
                        } else if a.consultation > 0.0 {
                            a.consultation
                        } else {
                            return None;
                        };
                        Some(Line {
                            measure: m,
                            availability,
                            reliability: a.notification_reliability,
                            latency_days: a.notification_latency_days,
                            evidence_weight: 0.0,
                            refusal: 0.0,
                        })
                    }
                    _ => None,
                }),
        );
    }
    lines
}

/// The line of channel measure `m` to `callee` (None for another kind of measure).
pub fn channel_line(p: &Compiled, m: usize, callee: StateId) -> Option<Line> {
    match &p.measures[m].params {
        MeasureParams::Channel(c, _, _, _) => Some(Line {
            measure: m,
            availability: c.availability,
            reliability: c.reliability,
            latency_days: c.latency_days,
            evidence_weight: c.evidence_weight,
            refusal: p.measure_refusal(m, callee),
        }),
        _ => None,
    }
}

/// Lines used in a crisis.
pub fn crisis_lines<'a>(
    p: &'a Compiled,
    active: InForce<'a>,
    dyad: usize,
    callee: StateId,
) -> impl Iterator<Item = Line> + 'a {
    channel_lines(p, active, dyad, callee, |c, _| c.crisis_use)
}

/// Lines that share technical evidence (CERT-to-CERT).
pub fn evidence_lines<'a>(
    p: &'a Compiled,
    active: InForce<'a>,
    dyad: usize,
    callee: StateId,
) -> impl Iterator<Item = Line> + 'a {
    channel_lines(p, active, dyad, callee, |c, _| c.evidence_weight > 0.0)
}

#[cfg(test)]
mod tests {
    use super::pick_up;

    #[test]
    fn a_refusal_only_turns_answers_into_refusals() {
        for i in 0..100 {
            let u = (f64::from(i) + 0.5) / 100.0;
            let (answered, refused) = pick_up(u, 0.8, 0.0);
            assert_eq!((answered, refused), (u < 0.8, false));
            let (a, r) = pick_up(u, 0.8, 0.25);
            assert!(
                !a || answered,
                "a refusal never answers a call that went unanswered"
            );
            assert_eq!(
                a || r,
                answered,
                "answered or refused exactly when answered without refusal"
            );
            assert!(
                !pick_up(u, 0.8, 1.0).0,
                "a party that refuses everything answers nothing"
            );
        }
    }
}
