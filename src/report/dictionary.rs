//! `DATA.md`, the data dictionary of a result or sweep folder: every file, every column, its unit.
//! Generated from the code's own definitions ([`METRICS`], the `replicates.csv` header, the triggers,
//! the ladder), so it cannot drift from what is written; `tests/data_dictionary.rs` checks that every
//! file and every CSV column of real folders is described.

use crate::model::Trigger;
use crate::montecarlo::metrics::{METRICS, Metric, MetricKind};
use std::fmt::Write;

/// The file name of the data dictionary.
pub const DATA_DICTIONARY: &str = "DATA.md";

/// What a metric counts or measures, and its unit for one run. Pairs of states are unordered: each
/// pair the scenario's states form once (US–RUS and RUS–US are one pair).
pub const METRIC_NOTES: &[(&str, &str, &str)] = &[
    (
        "crisis",
        "0 or 1",
        "1 if some pair of states reached the ladder's crisis rung during the run",
    ),
    (
        "kinetic",
        "0 or 1",
        "1 if some pair of states went to kinetic conflict during the run",
    ),
    (
        "highest_rung",
        "rung index (0: the lowest rung)",
        "the highest rung any pair of states reached",
    ),
    (
        "ops_launched",
        "operations",
        "cyber operations launched, by every sponsor (states, proxies, mercenaries, independent groups), before the horizon and before their pair went kinetic",
    ),
    (
        "ops_detected",
        "operations",
        "of those, operations their victim detected",
    ),
    (
        "ops_attributed",
        "operations",
        "operations a victim publicly attributed to a state",
    ),
    (
        "misattributions",
        "operations",
        "public attributions that blamed a state that did not order the operation",
    ),
    (
        "responses",
        "responses",
        "responses carried out by every state (any rung above the lowest)",
    ),
    (
        "wrongful_responses",
        "responses",
        "responses against a state that did not order the operation answered",
    ),
    (
        "channel_calls",
        "calls",
        "calls attempted over a confidence-building channel, every pair of states",
    ),
    ("channel_uses", "calls", "of those, calls that connected"),
    (
        "de_escalations",
        "responses",
        "responses withdrawn or lowered thanks to a channel",
    ),
    (
        "corrections",
        "misattributions",
        "misattributions corrected over a channel",
    ),
    ("lies", "messages", "lies told over a channel"),
    (
        "dialogue_rounds",
        "rounds",
        "dialogue rounds held, every pair of states",
    ),
    (
        "violations",
        "operations",
        "operations launched in breach of an active agreement or pledge",
    ),
    (
        "violations_attributed",
        "breaches",
        "breaches, real or perceived, that the victim attributed",
    ),
    (
        "restrained",
        "operations",
        "operations every sponsor did not launch because it complied with an agreement or pledge",
    ),
    (
        "damage",
        "severity points",
        "DCID severities (1–10) of every operation launched plus the rung severities of every response, summed over every pair of states",
    ),
    (
        "escalation_score",
        "score points",
        "escalation scores of every response (Rivera et al. 2024 weights), summed over every pair of states",
    ),
    (
        "final_trust",
        "0 to 1",
        "trust on the last day, averaged over the pairs of states (each pair's trust: how far each believes the other over a channel)",
    ),
];

/// The note of a metric, if it has one.
pub fn metric_note(key: &str) -> Option<(&'static str, &'static str)> {
    METRIC_NOTES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, unit, meaning)| (*unit, *meaning))
}

fn note(m: &Metric) -> (&'static str, &'static str) {
    metric_note(m.key).unwrap_or(("", m.label))
}

/// A metric's unit as a summary over runs: a fraction of runs for a 0/1 metric, a mean otherwise.
fn summary_unit(m: &Metric) -> String {
    match m.kind {
        MetricKind::Proportion => "fraction of runs, 0 to 1 (not a percentage)".to_string(),
        MetricKind::Mean => format!("mean per run, in {}", note(m).0),
    }
}

struct Table {
    rows: Vec<[String; 3]>,
}

impl Table {
    fn new() -> Self {
        Table { rows: Vec::new() }
    }
    fn row(
        &mut self,
        column: impl Into<String>,
        unit: impl Into<String>,
        meaning: impl Into<String>,
    ) {
        self.rows.push([column.into(), unit.into(), meaning.into()]);
    }
    fn write(&self, out: &mut String) {
        let _ = writeln!(out, "| column | unit | meaning |\n|---|---|---|");
        for [c, u, m] in &self.rows {
            let _ = writeln!(
                out,
                "| `{c}` | {} | {} |",
                u.replace('|', "\\|"),
                m.replace('|', "\\|")
            );
        }
        out.push('\n');
    }
}

fn file(out: &mut String, name: &str, what: &str) {
    let _ = writeln!(out, "## `{name}`\n\n{what}\n");
}

/// The columns of `replicates.csv` described, from its writer's own header.
fn replicates_table(header: &[String]) -> Table {
    let mut t = Table::new();
    for col in header {
        let (unit, meaning): (String, String) = match col.as_str() {
            "replicate" => ("index from 0".into(), "the replicate: one run of every arm, all arms on the same random draws".into()),
            "replicate_seed" => ("integer".into(), "the seed of this replicate's random streams (from the master seed and the replicate)".into()),
            "arm" => ("name".into(), "the arm (the scenario with some channels switched on or off)".into()),
            "highest_rung_name" => ("rung name".into(), "the name of `highest_rung`".into()),
            "crisis_day" => ("day from 0 (empty: never)".into(), "the day the first pair of states reached the crisis rung".into()),
            "kinetic_day" => ("day from 0 (empty: never)".into(), "the day the first pair of states went to kinetic conflict".into()),
            c if c.starts_with("responses_") && Trigger::ALL.iter().any(|t| format!("responses_{}", t.label()) == c) => (
                "responses".into(),
                format!("responses that answered: {}", trigger_words(&c["responses_".len()..])),
            ),
            c => match METRICS.iter().find(|m| m.key == c) {
                Some(m) => (note(m).0.to_string(), format!("{}; in the tables: “{}”", note(m).1, m.label)),
                None => (String::new(), String::new()),
            },
        };
        t.row(col.clone(), unit, meaning);
    }
    t
}

/// What a trigger key means, in words.
pub fn trigger_words(key: &str) -> &'static str {
    match key {
        "correctly_attributed" => "an operation correctly attributed to the state that ordered it",
        "false_flag" => "a false flag (an operation made to look like another state's)",
        "mercenary" => "a mercenary's operation blamed on a state",
        "independent_actor" => "an independent group's operation blamed on a state",
        "freelancing_proxy" => "a proxy acting on its own, blamed on its patron state",
        "honest_error" => {
            "an operation blamed on a state that did not order it through noisy evidence, with no deceiver"
        }
        "spiral" => "the other side's response (the spiral), not an operation",
        _ => "",
    }
}

/// `DATA.md` of a result folder. `replicates_header`: the header `replicates.csv` is written with;
/// `rungs`: the ladder, lowest first.
pub fn result_dictionary(
    replicates_header: &[String],
    rungs: &[String],
    plots: &[(&str, &str)],
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# The files of this result folder\n\n\
         Written by `escalate run` (and `escalate plot`, which redraws the plots, the reports and this file from the saved data). \
         Units: a *fraction* is 0 to 1 (0.046 is 4.6 %); a *percentage point* is a difference of percentages. \
         A *pair of states* is unordered: each two states of the scenario form one pair. \
         A *run* is one replicate of one arm.\n"
    );
    file(
        &mut out,
        "replicates.csv",
        "One row per replicate and arm: the outcome of that run (tens of MB for a large run; the published results leave it out).",
    );
    replicates_table(replicates_header).write(&mut out);

    file(
        &mut out,
        "summary.json",
        "Every metric per arm over all runs, with 95 % intervals (Wilson for 0/1 metrics, normal otherwise), and the paired differences against the first arm (the baseline).",
    );
    let mut t = Table::new();
    t.row(
        "format",
        "text",
        format!(
            "the results format, `{}` (`escalate plot` also reads {})",
            super::summary::RESULTS_FORMAT,
            super::summary::OLDER_RESULTS_FORMATS
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    t.row(
        "scenario, seed, replicates, horizon_days",
        "name, integer, runs per arm, days",
        "what was run",
    );
    t.row(
        "rungs, crisis_rung, states",
        "names, index from 0, names",
        "the ladder (lowest first), the first crisis rung, the states",
    );
    t.row(
        "arms[].metrics.KEY.value / .lo / .hi",
        "as the metric below",
        "the estimate and its 95 % interval",
    );
    t.row("paired_differences[].metrics.KEY", "as the metric below (a difference)", "`arm` minus `versus` (the baseline), run on the same random draws; the baseline has no entry");
    t.row(
        "arms[].highest_rung_distribution, responses_by_trigger_per_run, calibration",
        "fractions, responses per run, counts",
        "the distributions behind the plots, and calibration tallies",
    );
    t.row(
        "arms[].mechanisms.crises, .kinetic_conflicts",
        "runs",
        "the runs that reached a crisis, and kinetic conflict",
    );
    t.row(
        "arms[].mechanisms.began_with.KIND.share_of_crises / .share_of_kinetic_conflicts",
        "fraction (value, lo, hi)",
        format!(
            "the share of those crises (kinetic conflicts) whose chain of responses began with an operation of that KIND (95 % Wilson; null without a crisis). A chain begins with the incident the victim answered first; every later answer inherits it. KIND: {}; one operation can be of several kinds",
            crate::outcome::OriginKind::ALL
                .iter()
                .map(|k| format!("`{}` ({})", k.key(), k.words()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    t.row(
        "arms[].mechanisms.began_with.KIND.crisis / .kinetic",
        "fraction of runs",
        "the probability per run of a crisis (kinetic conflict) whose chain began with an operation of that KIND",
    );
    t.row(
        "paired_differences[].mechanisms.KIND.crisis / .kinetic",
        "difference of fractions",
        "paired difference of those probabilities, `arm` minus the baseline",
    );
    t.row(
        "arms[].pairs[].actor, .target",
        "state names",
        "an ordered pair of states: who acted against whom (every ordered pair of the scenario's states)",
    );
    t.row(
        "arms[].pairs[].crisis, .kinetic",
        "fraction of runs (value, lo, hi; Wilson)",
        "the probability that the actor's response took the pair to the crisis rung (the first to reach it), or that the actor went kinetic against the target",
    );
    t.row(
        "arms[].pairs[].responses, .wrongful_responses",
        "responses per run (value, lo, hi)",
        "responses by the actor against the target, and those against a target that did not order the operation answered; summed over the pairs they give the metrics `responses` and `wrongful_responses`",
    );
    t.row(
        "arms[].pairs[].final_trust",
        "0 to 1, mean over runs",
        "trust between the two states at the end (the same in both directions)",
    );
    t.row(
        "paired_differences[].pairs[]",
        "as above (a difference)",
        "per ordered pair, `arm` minus the baseline, run on the same random draws: who gains from the arm's measures",
    );
    t.row(
        "precision",
        "as the metric",
        "the widest headline interval (of any unit) and the replicates that would halve it",
    );
    t.write(&mut out);
    let mut t = Table::new();
    for m in METRICS {
        t.row(
            m.key,
            summary_unit(m),
            format!("{} ({})", note(m).1, m.label),
        );
    }
    let _ = writeln!(
        out,
        "The metrics (KEY above; in `summary.json` a 0/1 metric becomes the fraction of runs, a count the mean per run):\n"
    );
    t.write(&mut out);

    file(
        &mut out,
        "timeline.csv",
        "Day by day, how many runs of each arm stand on each rung (the highest rung over the pairs of states that day).",
    );
    let mut t = Table::new();
    t.row("arm", "name", "the arm");
    t.row("day", "day from 0", "the day");
    for r in rungs {
        t.row(
            r.clone(),
            "runs",
            format!("runs whose current rung that day is \"{r}\""),
        );
    }
    t.write(&mut out);

    file(
        &mut out,
        "survival.csv",
        "Day by day, how many runs have reached a crisis and kinetic conflict so far (cumulative counts).",
    );
    let mut t = Table::new();
    t.row("arm", "name", "the arm");
    t.row("day", "day from 0", "the day");
    t.row(
        "crisis_by_day",
        "runs",
        "runs that reached the crisis rung on or before that day",
    );
    t.row(
        "kinetic_by_day",
        "runs",
        "runs that went to kinetic conflict on or before that day",
    );
    t.write(&mut out);

    file(
        &mut out,
        "highest_rung.csv",
        "How many runs reached each rung as their highest.",
    );
    let mut t = Table::new();
    t.row("arm", "name", "the arm");
    t.row("rung", "rung index from 0", "the rung");
    t.row("rung_name", "name", "its name");
    t.row("replicates", "runs", "runs whose highest rung was this one");
    t.write(&mut out);

    file(
        &mut out,
        "attribution.csv",
        "Publicly attributed incidents: who really sponsored them against which state was blamed, summed over every run of the arm (divide by `replicates` for a mean per run).",
    );
    let mut t = Table::new();
    t.row("arm", "name", "the arm");
    t.row(
        "true_sponsor",
        "name",
        "the state that ordered the operation, or \"freelancing proxy\" or \"independent group\"",
    );
    t.row("blamed", "state name", "the state publicly blamed");
    t.row(
        "incidents",
        "incidents, all runs",
        "publicly attributed incidents with that sponsor and that blamed state",
    );
    t.write(&mut out);

    file(
        &mut out,
        "triggers.csv",
        "Responses by what they answered, summed over every run of the arm (divide by `replicates` for a mean per run).",
    );
    let mut t = Table::new();
    t.row("arm", "name", "the arm");
    t.row(
        "trigger",
        "key",
        format!(
            "what the response answered: {}",
            Trigger::ALL
                .iter()
                .map(|t| format!("`{}`: {}", t.label(), trigger_words(t.label())))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    );
    t.row(
        "responses",
        "responses, all runs",
        "responses with that trigger",
    );
    t.write(&mut out);

    file(
        &mut out,
        "manifest.json",
        "How the folder was made: program and version, the scenario's source, description and SHA-256, seed, replicates, arms, threads, the command line, the wall time. The only file that differs between two identical runs.",
    );
    file(
        &mut out,
        "scenario.ron",
        "The scenario as run, every default filled in: `escalate run scenario.ron` with the same seed and replicates reproduces this folder.",
    );
    file(
        &mut out,
        "report.md, report.html",
        "The report: the summary table, each plot with one sentence from this run's numbers, the caveats; the HTML inlines the plots and opens with no network.",
    );
    let list = plots
        .iter()
        .map(|(s, t)| format!("`{s}.png` / `{s}.svg`: {t}"))
        .collect::<Vec<_>>()
        .join("; ");
    file(
        &mut out,
        "plots (PNG and SVG)",
        &format!("Drawn from the CSV files and summary.json alone: {list}."),
    );
    file(&mut out, DATA_DICTIONARY, "This file.");
    file(
        &mut out,
        "the event log (`escalate run --events FILE`, outside this folder)",
        "One row per event of the replicates chosen with `--events-replicates` (default 0-9), every arm, in replicate, arm and time order; empty cells where a column does not apply to the event. The replicates are simulated again with the same draws, so their rows agree with `replicates.csv`: the `response` rows of a run are its `responses`, their highest `rung` its `highest_rung`; `operation` and `detection` rows are `ops_launched` and `ops_detected`. Keys are stable across arms: the same operation has the same key in every arm.",
    );
    let mut t = Table::new();
    for (column, meaning) in super::events::COLUMNS {
        let unit = match *column {
            "replicate" => "index from 0",
            "day" => "day from 0",
            "operation" | "decision" | "answers" | "origin" => "key (integer)",
            "severity" => "1 to 10",
            "confidence" => "0 to 1",
            "rung" => "index from 0",
            "level" => "rungs",
            "saw_through" | "wrongful" | "kinetic" | "connected" | "believed" => "0/1",
            "event" | "deception" => "label",
            _ => "name",
        };
        t.row(*column, unit, *meaning);
    }
    t.write(&mut out);
    out
}

/// The part of `DATA.md` a run under a posterior adds (`escalate run --posterior`): its extra file,
/// and the extra section of summary.json.
pub fn posterior_dictionary() -> String {
    let mut out = String::new();
    file(
        &mut out,
        "posterior_draws.csv",
        "Written by `escalate run --posterior` only: the particle of the calibration's posterior each replicate drew, by weight, from a stream keyed by the seed and the replicate; every arm of a replicate ran with that particle's parameters.",
    );
    let mut t = Table::new();
    t.row(
        "replicate",
        "index from 0",
        "the replicate (as in `replicates.csv`)",
    );
    t.row(
        "particle",
        "index from 0",
        "the particle's number in the calibration folder's `posterior.csv`",
    );
    t.write(&mut out);
    file(
        &mut out,
        "summary.json → posterior",
        "Written by `escalate run --posterior` only: the calibration folder, its name, the scenario fingerprint checked against it, the parameters, the particles and their effective sample size, how many were drawn, and, per arm and per paired difference, every metric's estimate with its 95 % interval with parameter uncertainty (`value`, `lo`, `hi`) and `between_draw_sd`, the standard deviation between parameter draws it was widened by; `method` says how, in words. The intervals of `arms` and `paired_differences` above it are the Monte Carlo ones.",
    );
    out
}

/// `DATA.md` of a sweep folder. `csv_header`: the header of `sweep.csv`; `parameters`: (label, the
/// scenario places it sets); `proportion`: whether the headline outcome is a 0/1 metric.
/// `sobol`: whether the sweep is a Sobol' design (its two files are described then only, so the
/// other designs' dictionaries stay as they were).
pub fn sweep_dictionary(
    csv_header: &[String],
    parameters: &[(String, String)],
    plots: &[String],
    sobol: bool,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# The files of this sweep folder\n\n\
         Written by `escalate sweep` (and `escalate plot`, which redraws the plots and this file). \
         Units: a *fraction* is 0 to 1 (0.046 is 4.6 %); the plots show fractions as percentages and their differences in percentage points. \
         A *pair of states* is unordered.\n"
    );
    file(
        &mut out,
        "sweep.csv",
        "One row per point of the design and arm: every metric's estimate with its 95 % interval, and its paired difference against the first arm (the baseline) at the same point.",
    );
    let mut t = Table::new();
    for col in csv_header {
        let (unit, meaning) = sweep_column(col, parameters);
        t.row(col.clone(), unit, meaning);
    }
    t.write(&mut out);
    file(
        &mut out,
        "sweep.json",
        "The sweep's identity and summary: name, description, scenario and its source, horizon_days, seed, design, points, replicates per point and arm, parameters (name, the scenario places set, min, max, levels), arms, the headline outcome, and the replicates each point used.",
    );
    file(
        &mut out,
        "morris.csv",
        "Morris designs only: per target quantity and parameter, the elementary effects of moving the parameter from its lowest to its highest value. `target`: the quantity screened (a metric key, or `diff_` and a key for a paired difference); `parameter`: the parameter's name; `mu`: their mean; `mu_star`: the mean of their absolute values; `sigma`: their standard deviation; `effects`: how many. Unit: the target's unit in sweep.csv — a fraction for a probability (0.66 is 66 percentage points, as the Morris plot shows it), a mean per run otherwise.",
    );
    if sobol {
        file(
            &mut out,
            "sobol.csv",
            "Sobol' designs only: per target quantity (each arm's headline outcome, then each paired difference against the first arm) and parameter, the Sobol' indices from a Saltelli design (point p of sweep.csv is base row p ÷ (parameters + 2); within a row the points are A, B, then A with the i-th parameter taken from B, in parameter order). `target`: the quantity in words; `column`: its sweep.csv column (a metric key, or `diff_` and a key); `arm`; `parameter`; `s1`, `s1_lo`, `s1_hi`: the first-order index (the share of the quantity's variance the parameter explains alone) with its 95 % bootstrap interval; `st`, `st_lo`, `st_hi`: the total index (with every interaction); `s1_reading`, `st_reading`: `zero` when the interval includes 0, `noise` when the whole interval is below the noise share, `positive` otherwise; `variance`: the quantity's variance over the design's A and B points (its unit squared); `noise_share`: the part of that variance that is the Monte Carlo noise of the points' own estimates (0 to 1). Indices are fractions of variance, 0 to 1; an estimate can fall a little outside by its error.",
        );
        file(
            &mut out,
            "sobol.md",
            "Sobol' designs only: the parameters the headline is most sensitive to, in words; every index; and how Monte Carlo noise biases the indices.",
        );
    }
    file(
        &mut out,
        "sweep.ron",
        "The sweep as run, every default filled in.",
    );
    file(
        &mut out,
        "manifest.json",
        "How the folder was made: version, command line, wall time, memory.",
    );
    file(
        &mut out,
        "shards/",
        "The per-shard results the sweep was merged from (not committed with the published results).",
    );
    file(
        &mut out,
        "plots (PNG and SVG)",
        &format!(
            "Drawn from sweep.csv and morris.csv alone: {}.",
            plots
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    file(&mut out, DATA_DICTIONARY, "This file.");
    out
}

/// The unit and meaning of a column of `sweep.csv`.
pub fn sweep_column(col: &str, parameters: &[(String, String)]) -> (String, String) {
    if let Some((_, paths)) = parameters.iter().find(|(label, _)| label == col) {
        return (
            "parameter value".into(),
            format!("the swept parameter, which sets {paths}"),
        );
    }
    match col {
        "point" => return ("index from 0".into(), "the point of the design".into()),
        "trajectory" => {
            return (
                "index from 0".into(),
                "Morris designs: the trajectory the point belongs to".into(),
            );
        }
        "arm" => return ("name".into(), "the arm".into()),
        "replicates" => return ("runs".into(), "runs of this arm at this point".into()),
        _ => {}
    }
    let (diff, rest) = match col.strip_prefix("diff_") {
        Some(r) => (true, r),
        None => (false, col),
    };
    let (key, bound) = match (rest.strip_suffix("_lo"), rest.strip_suffix("_hi")) {
        (Some(k), _) => (k, " (lower bound of the 95 % interval)"),
        (_, Some(k)) => (k, " (upper bound of the 95 % interval)"),
        _ => (rest, ""),
    };
    match METRICS.iter().find(|m| m.key == key) {
        Some(m) if diff => (
            match m.kind {
                MetricKind::Proportion => {
                    "difference of fractions (0.01 is 1 percentage point)".to_string()
                }
                MetricKind::Mean => format!("difference of means per run, in {}", note(m).0),
            },
            format!(
                "this arm minus the baseline at the same point, on the same random draws: {}{bound}; empty on the baseline's own rows",
                m.label
            ),
        ),
        Some(m) => (
            summary_unit(m),
            format!("{}{bound}: {}", m.label, note(m).1),
        ),
        None => (String::new(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_has_a_unit_and_a_meaning() {
        for m in METRICS {
            let (unit, meaning) =
                metric_note(m.key).unwrap_or_else(|| panic!("{} has no note", m.key));
            assert!(!unit.is_empty() && !meaning.is_empty(), "{}", m.key);
        }
        for (key, _, _) in METRIC_NOTES {
            assert!(METRICS.iter().any(|m| m.key == *key), "{key} is no metric");
        }
        for t in Trigger::ALL {
            assert!(!trigger_words(t.label()).is_empty(), "{}", t.label());
        }
    }

    #[test]
    fn every_replicates_column_is_described() {
        let t = replicates_table(&crate::report::csv_out::header());
        for [col, unit, meaning] in &t.rows {
            assert!(!unit.is_empty() && !meaning.is_empty(), "{col}");
        }
    }

    #[test]
    fn sweep_columns_are_described_and_unknown_ones_are_not() {
        let params = vec![("hotline reliability".to_string(), "measures.x".to_string())];
        for col in [
            "point",
            "hotline reliability",
            "crisis",
            "crisis_lo",
            "diff_damage_hi",
            "final_trust",
        ] {
            let (unit, meaning) = sweep_column(col, &params);
            assert!(!unit.is_empty() && !meaning.is_empty(), "{col}");
        }
        assert!(sweep_column("crisis", &params).0.contains("fraction"));
        assert_eq!(
            sweep_column("nonsense", &params),
            (String::new(), String::new())
        );
    }
}
