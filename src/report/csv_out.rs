//! `replicates.csv`: one tidy row per replicate × arm, written as results stream in.

use crate::model::Trigger;
use crate::rng::replicate_seed;
use crate::sim::RunResult;
use std::io::Write;

/// Column names of `replicates.csv`.
pub fn header() -> Vec<String> {
    let mut h: Vec<String> = [
        "replicate",
        "replicate_seed",
        "arm",
        "highest_rung",
        "highest_rung_name",
        "crisis",
        "crisis_day",
        "kinetic",
        "kinetic_day",
        "ops_launched",
        "ops_detected",
        "ops_attributed",
        "misattributions",
        "responses",
        "wrongful_responses",
        "channel_calls",
        "channel_uses",
        "de_escalations",
        "corrections",
        "lies",
        "dialogue_rounds",
        "violations",
        "violations_attributed",
        "restrained",
        "damage",
        "escalation_score",
        "final_trust",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    h.extend(
        Trigger::ALL
            .iter()
            .map(|t| format!("responses_{}", t.label())),
    );
    h
}

/// Writes the rows of one replicate.
pub fn write_replicate<W: Write>(
    w: &mut csv::Writer<W>,
    seed: u64,
    replicate: u64,
    arms: &[String],
    rungs: &[String],
    runs: &[RunResult],
) -> csv::Result<()> {
    let rs = replicate_seed(seed, replicate).to_string();
    let opt = |d: Option<u32>| d.map(|x| x.to_string()).unwrap_or_default();
    for (arm, run) in arms.iter().zip(runs) {
        let o = &run.outcome;
        let mut rec: Vec<String> = vec![
            replicate.to_string(),
            rs.clone(),
            arm.clone(),
            o.highest_rung.to_string(),
            rungs[o.highest_rung as usize].clone(),
            u8::from(o.crisis()).to_string(),
            opt(o.crisis_day),
            u8::from(o.kinetic()).to_string(),
            opt(o.kinetic_day),
        ];
        rec.extend(
            [
                o.ops_launched,
                o.ops_detected,
                o.ops_attributed,
                o.misattributions,
                o.responses,
                o.wrongful_responses,
                o.channel_calls,
                o.channel_uses,
                o.de_escalations,
                o.corrections,
                o.lies,
                o.dialogue_rounds,
                o.violations,
                o.violations_attributed,
                o.restrained,
            ]
            .iter()
            .map(|x| x.to_string()),
        );
        rec.push(o.damage.to_string());
        rec.push(o.escalation_score.to_string());
        rec.push(format!("{:.6}", o.final_trust));
        rec.extend(o.responses_by_trigger.iter().map(|x| x.to_string()));
        w.write_record(&rec)?;
    }
    Ok(())
}
