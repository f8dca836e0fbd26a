//! `replicates.csv`: one tidy row per replicate × arm, formatted on the workers, written in
//! replicate order as blocks are merged.

use crate::model::Trigger;
use crate::montecarlo::paired::RowFormat;
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
    // Field by field, integers through itoa: no allocation per field.
    let mut ints = itoa::Buffer::new();
    let mut text = String::new();
    let rs = replicate_seed(seed, replicate);
    for (arm, run) in arms.iter().zip(runs) {
        let o = &run.outcome;
        w.write_field(ints.format(replicate))?;
        w.write_field(ints.format(rs))?;
        w.write_field(arm)?;
        w.write_field(ints.format(o.highest_rung))?;
        w.write_field(&rungs[o.highest_rung as usize])?;
        w.write_field(ints.format(u8::from(o.crisis())))?;
        w.write_field(o.crisis_day.map_or("", |d| ints.format(d)))?;
        w.write_field(ints.format(u8::from(o.kinetic())))?;
        w.write_field(o.kinetic_day.map_or("", |d| ints.format(d)))?;
        for x in [
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
        ] {
            w.write_field(ints.format(x))?;
        }
        for x in [o.damage, o.escalation_score] {
            text.clear();
            let _ = std::fmt::Write::write_fmt(&mut text, format_args!("{x}"));
            w.write_field(&text)?;
        }
        text.clear();
        let _ = std::fmt::Write::write_fmt(&mut text, format_args!("{:.6}", o.final_trust));
        w.write_field(&text)?;
        for x in o.responses_by_trigger {
            w.write_field(ints.format(x))?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    Ok(())
}

/// The rows of `replicates.csv`, formatted on the worker that simulated them.
pub struct ReplicateRows {
    /// Master seed.
    pub seed: u64,
    /// Arm names, in arm order.
    pub arms: Vec<String>,
    /// Rung names, lowest first.
    pub rungs: Vec<String>,
}

impl ReplicateRows {
    /// The header line, as the writer of the rows formats it.
    pub fn header(&self) -> anyhow::Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header())?;
        Ok(w.into_inner().map_err(|e| e.into_error())?)
    }
}

impl RowFormat for ReplicateRows {
    type Buffer = csv::Writer<Vec<u8>>;

    fn start(&self) -> Self::Buffer {
        csv::Writer::from_writer(Vec::new())
    }

    fn replicate(
        &self,
        w: &mut Self::Buffer,
        replicate: u64,
        runs: &[RunResult],
    ) -> anyhow::Result<()> {
        Ok(write_replicate(
            w,
            self.seed,
            replicate,
            &self.arms,
            &self.rungs,
            runs,
        )?)
    }

    fn finish(&self, w: Self::Buffer) -> anyhow::Result<Vec<u8>> {
        Ok(w.into_inner().map_err(|e| e.into_error())?)
    }
}
