//! `operation_kinds`: one profile per kind, with ten severity weights.

use super::Checker;
use crate::scenario::compile::{KindParams, cdf};
use crate::units::DCID_LEVELS;
use std::collections::BTreeSet;

/// Checks the kind profiles; returns them by `OperationKind::index` (None: a kind not profiled).
pub(super) fn check(c: &mut Checker) -> [Option<KindParams>; 5] {
    let mut kinds: [Option<KindParams>; 5] = Default::default();
    let mut seen = BTreeSet::new();
    for (i, k) in c.s.operation_kinds.iter().enumerate() {
        let p = format!("operation_kinds[{i}]");
        if !seen.insert(k.kind) {
            c.add(
                format!("{p}.kind"),
                format!("{:?} is profiled twice", k.kind),
            );
        }
        if k.severity_weights.len() != DCID_LEVELS {
            c.add(
                format!("{p}.severity_weights"),
                format!(
                    "has {} entries; give exactly ten weights, for severities 1 to 10",
                    k.severity_weights.len()
                ),
            );
        }
        let mut all_valid = true;
        for (j, w) in k.severity_weights.iter().enumerate() {
            if !(w.is_finite() && *w >= 0.0) {
                all_valid = false;
                c.add(
                    format!("{p}.severity_weights[{j}]"),
                    format!("{w}: weights must be finite numbers ≥ 0"),
                );
            }
        }
        let sum = k.severity_weights.iter().sum::<f64>();
        if !all_valid {
            // Each bad weight is reported above; their sum says nothing more.
        } else if sum <= 0.0 {
            c.add(format!("{p}.severity_weights"), "the weights sum to zero");
        } else if !sum.is_finite() {
            c.add(
                format!("{p}.severity_weights"),
                "the weights are too large to add up; use relative weights of ordinary size",
            );
        }
        c.probability(&format!("{p}.detectability"), k.detectability);
        c.probability(&format!("{p}.ambiguity"), k.ambiguity);
        let mut w = [0.0; DCID_LEVELS];
        for (slot, x) in w.iter_mut().zip(&k.severity_weights) {
            *slot = *x;
        }
        kinds[k.kind.index()] = Some(KindParams {
            severity_cdf: cdf(w),
            detectability: k.detectability,
            ambiguity: k.ambiguity,
            objective: k.dcid_objective,
        });
    }
    kinds
}
