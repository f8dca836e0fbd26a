//! `escalate validate`: check a scenario and print it resolved.

use super::ValidateArgs;
use crate::scenario::compile::Compiled;
use crate::scenario::load::load_scenario;

/// Prints the resolved scenario as RON on stdout and a short report on stderr.
pub fn validate(a: ValidateArgs) -> anyhow::Result<()> {
    let (scenario, label, _) = load_scenario(a.scenario.as_deref())?;
    let resolved = resolved_ron(&scenario)?;
    let c = Compiled::new(&scenario);
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
    for w in crate::scenario::validate::warnings(&scenario) {
        eprintln!("warning: {}: {}", w.path, w.message);
    }
    println!("{resolved}");
    Ok(())
}

/// The scenario serialised back to RON with every default filled in.
pub fn resolved_ron(s: &crate::scenario::Scenario) -> anyhow::Result<String> {
    let cfg = ron::ser::PrettyConfig::new()
        .depth_limit(6)
        .struct_names(true);
    let body = crate::scenario::load::ron_options().to_string_pretty(s, cfg)?;
    Ok(format!(
        "// {} resolved by escalate {}: every default filled in.\n{body}\n",
        s.name,
        env!("CARGO_PKG_VERSION")
    ))
}
