//! The outcome metrics reported per arm, defined once for tables, JSON, CSV and paired differences:
//! one list gives both the [`MetricId`] enum and the [`METRICS`] table, in the same order.

use crate::outcome::Outcome;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
    /// Which metric.
    pub id: MetricId,
    /// Key in JSON and CSV.
    pub key: &'static str,
    /// Label in the terminal table.
    pub label: &'static str,
    /// Proportion or mean.
    pub kind: MetricKind,
    /// Value for one run.
    pub value: fn(&Outcome) -> f64,
}

/// Defines `MetricId` and `METRICS` from one list, so they cannot disagree.
macro_rules! metrics {
    ($($id:ident = $key:literal, $label:literal, $kind:ident, |$o:ident| $value:expr;)*) => {
        /// A reported metric, by name (its index in [`METRICS`] is `id as usize`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum MetricId {
            $(
                #[doc = concat!("`", $key, "`: ", $label, ".")]
                $id,
            )*
        }

        /// Every metric, in report order (the order of [`MetricId`]).
        pub const METRICS: &[Metric] = &[
            $(Metric {
                id: MetricId::$id,
                key: $key,
                label: $label,
                kind: MetricKind::$kind,
                value: |$o| $value,
            },)*
        ];
    };
}

metrics! {
    Crisis = "crisis", "P(crisis)", Proportion, |o| f64::from(u8::from(o.crisis()));
    Kinetic = "kinetic", "P(kinetic conflict)", Proportion, |o| f64::from(u8::from(o.kinetic()));
    HighestRung = "highest_rung", "mean highest rung", Mean, |o| f64::from(o.highest_rung);
    OpsLaunched = "ops_launched", "operations launched", Mean, |o| f64::from(o.ops_launched);
    OpsDetected = "ops_detected", "operations detected", Mean, |o| f64::from(o.ops_detected);
    OpsAttributed = "ops_attributed", "operations attributed", Mean, |o| f64::from(o.ops_attributed);
    Misattributions = "misattributions", "misattributions", Mean, |o| f64::from(o.misattributions);
    Responses = "responses", "responses", Mean, |o| f64::from(o.responses);
    WrongfulResponses = "wrongful_responses", "responses against an innocent state", Mean, |o| f64::from(o.wrongful_responses);
    ChannelCalls = "channel_calls", "channel calls", Mean, |o| f64::from(o.channel_calls);
    ChannelUses = "channel_uses", "channel uses (connected)", Mean, |o| f64::from(o.channel_uses);
    DeEscalations = "de_escalations", "de-escalations by a channel", Mean, |o| f64::from(o.de_escalations);
    Corrections = "corrections", "misattributions corrected", Mean, |o| f64::from(o.corrections);
    Lies = "lies", "lies over a channel", Mean, |o| f64::from(o.lies);
    DialogueRounds = "dialogue_rounds", "dialogue rounds", Mean, |o| f64::from(o.dialogue_rounds);
    Violations = "violations", "agreement violations", Mean, |o| f64::from(o.violations);
    ViolationsAttributed = "violations_attributed", "violations attributed", Mean, |o| f64::from(o.violations_attributed);
    Restrained = "restrained", "operations restrained", Mean, |o| f64::from(o.restrained);
    Damage = "damage", "total damage (severity points)", Mean, |o| o.damage;
    EscalationScore = "escalation_score", "escalation score (Rivera)", Mean, |o| o.escalation_score;
    FinalTrust = "final_trust", "trust at the end", Mean, |o| o.final_trust;
}

impl MetricId {
    /// Its entry in [`METRICS`].
    pub fn metric(self) -> &'static Metric {
        &METRICS[self as usize]
    }

    /// Key in JSON and CSV.
    pub fn key(self) -> &'static str {
        self.metric().key
    }

    /// Label in tables and plots.
    pub fn label(self) -> &'static str {
        self.metric().label
    }

    /// Proportion or mean.
    pub fn kind(self) -> MetricKind {
        self.metric().kind
    }

    /// Whether it is a proportion.
    pub fn is_proportion(self) -> bool {
        self.kind() == MetricKind::Proportion
    }

    /// The metric of a key.
    pub fn from_key(key: &str) -> Option<MetricId> {
        METRICS.iter().find(|m| m.key == key).map(|m| m.id)
    }

    /// Every metric, in report order.
    pub fn all() -> impl Iterator<Item = MetricId> {
        METRICS.iter().map(|m| m.id)
    }
}

impl Serialize for MetricId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for MetricId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<MetricId, D::Error> {
        let key = String::deserialize(d)?;
        MetricId::from_key(&key).ok_or_else(|| {
            let keys: Vec<&str> = METRICS.iter().map(|m| m.key).collect();
            serde::de::Error::custom(format!(
                "unknown metric \"{key}\"; known: {}",
                keys.join(", ")
            ))
        })
    }
}

/// One value per metric, indexed by [`MetricId`]; written as a map from metric key to value in
/// report order, and read back only with every metric present.
#[derive(Debug, Clone, PartialEq)]
pub struct PerMetric<T>(Vec<T>);

impl<T> PerMetric<T> {
    /// The value of every metric, computed in report order.
    pub fn from_fn(f: impl FnMut(MetricId) -> T) -> PerMetric<T> {
        PerMetric(MetricId::all().map(f).collect())
    }

    /// (metric, value) pairs in report order.
    pub fn iter(&self) -> impl Iterator<Item = (MetricId, &T)> {
        MetricId::all().zip(&self.0)
    }
}

impl<T> std::ops::Index<MetricId> for PerMetric<T> {
    type Output = T;
    fn index(&self, id: MetricId) -> &T {
        &self.0[id as usize]
    }
}

impl<T: Serialize> Serialize for PerMetric<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter().map(|(id, v)| (id.key(), v)))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PerMetric<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PerMetric<T>, D::Error> {
        let mut by_key: std::collections::BTreeMap<MetricId, T> =
            std::collections::BTreeMap::deserialize(d)?;
        let mut out = Vec::with_capacity(METRICS.len());
        for m in METRICS {
            let v = by_key
                .remove(&m.id)
                .ok_or_else(|| serde::de::Error::custom(format!("missing metric `{}`", m.key)))?;
            out.push(v);
        }
        Ok(PerMetric(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_index_the_table_and_keys_round_trip() {
        for (i, m) in METRICS.iter().enumerate() {
            assert_eq!(m.id as usize, i);
            assert_eq!(MetricId::from_key(m.key), Some(m.id));
            let json = serde_json::to_string(&m.id).expect("serialises");
            assert_eq!(json, format!("\"{}\"", m.key));
            assert_eq!(
                serde_json::from_str::<MetricId>(&json).expect("reads"),
                m.id
            );
        }
        let e = serde_json::from_str::<MetricId>("\"crises\"").expect_err("unknown");
        assert!(e.to_string().contains("unknown metric \"crises\""), "{e}");
    }

    #[test]
    fn per_metric_values_need_every_metric() {
        let all = PerMetric::from_fn(|id| id as u32);
        let json = serde_json::to_string(&all).expect("serialises");
        assert!(json.starts_with("{\"crisis\":0,\"kinetic\":1,"), "{json}");
        assert_eq!(
            serde_json::from_str::<PerMetric<u32>>(&json).expect("reads"),
            all
        );
        let without = json.replace("\"kinetic\":1,", "");
        let e = serde_json::from_str::<PerMetric<u32>>(&without).expect_err("kinetic missing");
        assert!(e.to_string().contains("missing metric `kinetic`"), "{e}");
    }
}
