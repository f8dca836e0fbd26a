//! What each measure carries: every arm's paired difference from "without channels", its share of
//! the "with channels" arm's difference, and the parameters each measure's effect rests on — all
//! assumptions, since no calibration target constrains a measure. Built from the run's summary and
//! its resolved scenario (`scenario.ron` in the result folder).

use super::summary::Summary;
use super::table::{Block, format_difference, signed};
use crate::montecarlo::metrics::MetricId;
use crate::montecarlo::stats::Interval;
use crate::scenario::compile::{ARM_WITH, ARM_WITHOUT};
use crate::scenario::types::Scenario;

/// One measure of the scenario with its parameters as written.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureParameters {
    /// The measure's name.
    pub name: String,
    /// Which of the four measures it is.
    pub kind: &'static str,
    /// (field, value) for every field but the name, in the order of the scenario format.
    pub parameters: Vec<(String, String)>,
}

/// The scenario's measures, each with its parameters read from its fields (so a field added to a
/// measure appears here without a change to this code).
pub fn measures(s: &Scenario) -> Vec<MeasureParameters> {
    fn each<T: serde::Serialize>(
        out: &mut Vec<MeasureParameters>,
        kind: &'static str,
        items: &[T],
    ) {
        for item in items {
            let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(item) else {
                continue;
            };
            let name = fields
                .get("name")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let parameters = fields
                .iter()
                .filter(|(k, _)| k.as_str() != "name")
                .map(|(k, v)| (k.clone(), show(v)))
                .collect();
            out.push(MeasureParameters {
                name,
                kind,
                parameters,
            });
        }
    }
    let m = &s.measures;
    let mut out = Vec::new();
    each(&mut out, "dialogue", &m.dialogues);
    each(&mut out, "channel", &m.channels);
    each(&mut out, "incidents agreement", &m.agreements);
    each(&mut out, "non-interference pledge", &m.pledges);
    out
}

/// A withdrawal as a reader would say it.
fn leaves(w: &crate::scenario::types::Withdrawal) -> String {
    use crate::scenario::types::Exit;
    let when = match w.when {
        Exit::Declines => return format!("{} declines the {}", w.by, w.measure),
        Exit::Day(d) => format!("on day {d}"),
        Exit::Violations(k) => format!("after {k} attributed violations by the other party"),
        Exit::Tension(x) => format!("when the pair's level reaches {x} rungs"),
    };
    format!("{} leaves the {} {when}", w.by, w.measure)
}

/// A field's value as a reader would write it: strings bare, lists and pairs in brackets.
fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "none".into(),
        serde_json::Value::Array(items) => format!(
            "({})",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        serde_json::Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{k}: {}", show(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// One arm's row: its measures, and per metric its paired difference and share of the
/// all-measures arm's difference.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmShare {
    /// Arm name.
    pub arm: String,
    /// The measures the arm holds.
    pub measures: Vec<String>,
    /// Per metric (P(crisis), P(kinetic)): the paired difference and the share of the "with
    /// channels" difference (`None` when that difference's interval holds zero: no share of an
    /// effect not shown to exist).
    pub effects: Vec<(Interval, Option<f64>)>,
    /// The arm holds only some of the measures, and no one leaves them: its share is one part of
    /// the whole (the arms summed in "add up to").
    pub part: bool,
}

/// The metrics the section compares.
pub const METRICS: [MetricId; 2] = [MetricId::Crisis, MetricId::Kinetic];

/// Every arm but the baseline, "with channels" first, with its share of that arm's effect. Empty
/// when the run has no "with channels" arm against "without channels".
pub fn shares(summary: &Summary, scenario: &Scenario) -> Vec<ArmShare> {
    let Some(all) = summary
        .paired_differences
        .iter()
        .find(|d| d.arm == ARM_WITH && d.versus == ARM_WITHOUT)
    else {
        return Vec::new();
    };
    let every_measure: Vec<String> = measures(scenario).into_iter().map(|m| m.name).collect();
    let mut rows = Vec::new();
    for d in std::iter::once(all).chain(
        summary
            .paired_differences
            .iter()
            .filter(|d| d.arm != ARM_WITH && d.versus == ARM_WITHOUT),
    ) {
        let spec = scenario.arms.iter().find(|a| a.name == d.arm);
        let mut held = if d.arm == ARM_WITH {
            every_measure.clone()
        } else {
            spec.map(|a| a.measures.clone()).unwrap_or_default()
        };
        // Who leaves which measure when, so that two arms with the same measures read apart.
        let leaving: Vec<String> = (scenario.measures.withdrawals.iter())
            .chain(spec.iter().flat_map(|a| &a.withdrawals))
            .filter(|w| held.contains(&w.measure))
            .map(leaves)
            .collect();
        let part = held.len() < every_measure.len() && leaving.is_empty();
        held.extend(leaving);
        let effects = METRICS
            .iter()
            .map(|&id| {
                let whole = &all.metrics[id];
                let this = d.metrics[id];
                let shown = whole.lo > 0.0 || whole.hi < 0.0;
                (this, shown.then(|| this.value / whole.value))
            })
            .collect();
        rows.push(ArmShare {
            arm: d.arm.clone(),
            measures: held,
            effects,
            part,
        });
    }
    rows
}

/// The section: an explanation, the table of effects and shares, and the table of the parameters
/// each measure rests on. Empty when the run has no "with channels" arm.
pub fn report_blocks(summary: &Summary, scenario: &Scenario) -> (Vec<String>, Vec<Block>) {
    let rows = shares(summary, scenario);
    if rows.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut paras = vec![format!(
        "Each arm's paired difference from \"{ARM_WITHOUT}\" (arm minus baseline, in percentage points, with its 95 % interval) and its share of the \"{ARM_WITH}\" arm's difference. \
         Shares need not add up to 100 %: measures interact (one can make another redundant, or need it), and an arm can hold several. \
         A share is not given where the \"{ARM_WITH}\" difference's interval holds zero."
    )];
    // Only the arms that each hold a part of the measures: an arm with every measure (one where a
    // party leaves them, say) is another whole, not a part.
    let own: Vec<&ArmShare> = rows.iter().skip(1).filter(|r| r.part).collect();
    if !own.is_empty() {
        for (k, &id) in METRICS.iter().enumerate() {
            let parts: Vec<f64> = own.iter().filter_map(|r| r.effects[k].1).collect();
            if parts.len() == own.len() {
                paras.push(format!(
                    "For {}, the shares of the arms that hold only some of the measures add up to {} % of the \"{ARM_WITH}\" effect.",
                    crate::montecarlo::metrics::METRICS[id as usize].label,
                    signed(100.0 * parts.iter().sum::<f64>(), 0, false)
                ));
            }
        }
    }
    let mut header = vec!["arm".to_string(), "measures".to_string()];
    for &id in &METRICS {
        let label = crate::montecarlo::metrics::METRICS[id as usize].label;
        header.push(format!("Δ {label}"));
        header.push("share".to_string());
    }
    let table = Block {
        header,
        rows: rows
            .iter()
            .map(|r| {
                let mut cells = vec![r.arm.clone(), r.measures.join(", ")];
                for (d, share) in &r.effects {
                    cells.push(format_difference(d.value, d.lo, d.hi, true));
                    cells.push(share.map_or("–".to_string(), |s| {
                        format!("{} %", signed(100.0 * s, 0, false))
                    }));
                }
                cells
            })
            .collect(),
    };
    paras.push(
        "What these effects rest on: every parameter of every measure is an assumption — no calibration target constrains a measure (docs/CALIBRATION.md, \"What the calibration does not pin down\"). The values this run used:"
            .to_string(),
    );
    let assumptions = Block {
        header: vec![
            "measure".to_string(),
            "kind".to_string(),
            "parameters (all assumptions)".to_string(),
        ],
        rows: measures(scenario)
            .into_iter()
            .map(|m| {
                let parameters = m
                    .parameters
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                vec![m.name, m.kind.to_string(), parameters]
            })
            .collect(),
    };
    (paras, vec![table, assumptions])
}
