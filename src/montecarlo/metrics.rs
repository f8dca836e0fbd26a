//! The outcome metrics reported per arm, defined once for tables, JSON, CSV and paired differences.

use crate::outcome::Outcome;

/// Whether a metric is a proportion (0/1 per run, Wilson interval) or a mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    /// An indicator per run.
    Proportion,
    /// A count or amount per run.
    Mean,
}

/// A reported metric.
pub struct Metric {
    /// Key in JSON and CSV.
    pub key: &'static str,
    /// Label in the terminal table.
    pub label: &'static str,
    /// Proportion or mean.
    pub kind: MetricKind,
    /// Value for one run.
    pub value: fn(&Outcome) -> f64,
}

/// Every metric, in report order.
pub const METRICS: &[Metric] = &[
    Metric {
        key: "crisis",
        label: "P(crisis)",
        kind: MetricKind::Proportion,
        value: |o| f64::from(u8::from(o.crisis())),
    },
    Metric {
        key: "kinetic",
        label: "P(kinetic conflict)",
        kind: MetricKind::Proportion,
        value: |o| f64::from(u8::from(o.kinetic())),
    },
    Metric {
        key: "highest_rung",
        label: "mean highest rung",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.highest_rung),
    },
    Metric {
        key: "ops_launched",
        label: "operations launched",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.ops_launched),
    },
    Metric {
        key: "ops_detected",
        label: "operations detected",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.ops_detected),
    },
    Metric {
        key: "ops_attributed",
        label: "operations attributed",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.ops_attributed),
    },
    Metric {
        key: "misattributions",
        label: "misattributions",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.misattributions),
    },
    Metric {
        key: "responses",
        label: "responses",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.responses),
    },
    Metric {
        key: "wrongful_responses",
        label: "responses against an innocent state",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.wrongful_responses),
    },
    Metric {
        key: "channel_calls",
        label: "channel calls",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.channel_calls),
    },
    Metric {
        key: "channel_uses",
        label: "channel uses (connected)",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.channel_uses),
    },
    Metric {
        key: "de_escalations",
        label: "de-escalations by a channel",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.de_escalations),
    },
    Metric {
        key: "corrections",
        label: "misattributions corrected",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.corrections),
    },
    Metric {
        key: "lies",
        label: "lies over a channel",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.lies),
    },
    Metric {
        key: "dialogue_rounds",
        label: "dialogue rounds",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.dialogue_rounds),
    },
    Metric {
        key: "violations",
        label: "agreement violations",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.violations),
    },
    Metric {
        key: "violations_attributed",
        label: "violations attributed",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.violations_attributed),
    },
    Metric {
        key: "restrained",
        label: "operations restrained",
        kind: MetricKind::Mean,
        value: |o| f64::from(o.restrained),
    },
    Metric {
        key: "damage",
        label: "total damage (severity points)",
        kind: MetricKind::Mean,
        value: |o| o.damage,
    },
    Metric {
        key: "escalation_score",
        label: "escalation score (Rivera)",
        kind: MetricKind::Mean,
        value: |o| o.escalation_score,
    },
    Metric {
        key: "final_trust",
        label: "trust at the end",
        kind: MetricKind::Mean,
        value: |o| o.final_trust,
    },
];

/// Looks a metric up by key.
pub fn metric(key: &str) -> Option<&'static Metric> {
    METRICS.iter().find(|m| m.key == key)
}
