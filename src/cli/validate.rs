//! `escalate validate`: check a scenario and print it resolved.

use super::ValidateArgs;
use crate::scenario::load::{load_scenario, resolved_ron};

/// Prints the resolved scenario as RON on stdout and a short report on stderr.
pub fn validate(a: ValidateArgs) -> anyhow::Result<()> {
    let (c, label, _) = load_scenario(a.scenario.as_deref())?;
    let scenario = &c.scenario;
    let resolved = resolved_ron(scenario)?;
    eprintln!(
        "{label}: valid. {} states, {} proxies, {} mercenaries, {} independent groups, {} operation sources, {} measures; arms: {}.",
        scenario.states.len(),
        scenario.proxies.len(),
        scenario.mercenaries.len(),
        scenario.independents.len(),
        c.sources.len(),
        c.measures.len(),
        c.arms
            .iter()
            .map(|a| format!("\"{}\"", a.name))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for w in crate::scenario::validate::warnings(scenario) {
        eprintln!("warning: {}: {}", w.path, w.message);
    }
    println!("{resolved}");
    Ok(())
}
