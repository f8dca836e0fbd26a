//! Settings that are valid but probably not what the author meant: printed, never fatal.

use super::Problem;
use crate::scenario::types::Scenario;
use std::collections::BTreeSet;

/// Settings that are valid but probably not what the author meant; printed, never fatal.
pub fn warnings(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    // Victims each executor actually works against.
    let victims_of = |name: &str| -> BTreeSet<&str> {
        let mut v: BTreeSet<&str> = s
            .campaigns
            .iter()
            .filter(|c| c.executor.as_deref() == Some(name))
            .map(|c| c.target.as_str())
            .collect();
        for p in s.proxies.iter().filter(|p| p.name == name) {
            v.extend(p.freelance_targets.iter().map(String::as_str));
        }
        for i in s.independents.iter().filter(|i| i.name == name) {
            v.extend(i.targets.iter().map(String::as_str));
        }
        v
    };
    let executors = s
        .proxies
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("proxies[{i}].deniability"), &p.name, p.deniability))
        .chain(s.mercenaries.iter().enumerate().map(|(i, m)| {
            (
                format!("mercenaries[{i}].deniability"),
                &m.name,
                m.deniability,
            )
        }))
        .chain(s.independents.iter().enumerate().map(|(i, m)| {
            (
                format!("independents[{i}].deniability"),
                &m.name,
                m.deniability,
            )
        }));
    for (path, name, d) in executors {
        let victims = victims_of(name);
        for st in s
            .states
            .iter()
            .filter(|st| victims.contains(st.name.as_str()))
        {
            let reach = st.attribution.ceiling * (1.0 - d);
            if reach <= st.attribution.public_threshold {
                out.push(Problem {
                    path: path.clone(),
                    message: format!(
                        "{} can never publicly attribute an operation by \"{name}\": its confidence ceiling {} × (1 − deniability {d}) = {reach:.3} does not exceed its public threshold {}",
                        st.name, st.attribution.ceiling, st.attribution.public_threshold
                    ),
                });
            }
        }
    }
    for (i, c) in s.campaigns.iter().enumerate() {
        if c.rate_per_year == 0.0 {
            out.push(Problem {
                path: format!("campaigns[{i}].rate_per_year"),
                message: "is 0: this campaign never runs".into(),
            });
        }
    }
    out
}
