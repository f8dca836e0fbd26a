//! Settings that are valid but probably not what the author meant: printed, never fatal.

use super::Problem;
use crate::scenario::types::Scenario;
use std::collections::{BTreeMap, BTreeSet};

/// Settings that are valid but probably not what the author meant; printed, never fatal.
pub fn warnings(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    // Victims each executor actually works against, gathered in one pass (looking them up per
    // executor was quadratic: a minute for 100,000 proxies).
    let mut victims: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in &s.campaigns {
        if let Some(e) = c.executor.as_deref() {
            victims.entry(e).or_default().insert(c.target.as_str());
        }
    }
    for p in &s.proxies {
        let v = victims.entry(p.name.as_str()).or_default();
        v.extend(p.freelance_targets.iter().map(String::as_str));
    }
    for i in &s.independents {
        let v = victims.entry(i.name.as_str()).or_default();
        v.extend(i.targets.iter().map(String::as_str));
    }
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
        let Some(victims) = victims.get(name.as_str()) else {
            continue;
        };
        // In the scenario's order of states (at most 100 of them).
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
