//! `report.md` and a self-contained `report.html`: the scenario in two lines, the summary table,
//! each plot with one sentence generated from this run's numbers, the statistical caveats, and how
//! to reproduce the run. Built from the saved files alone.

use super::manifest::Manifest;
use super::plotdata::{MetricRow, PlotData};
use super::summary::Summary;
use super::table::{ArmColumn, precision_sentence, signed};
use crate::montecarlo::metrics::{METRICS, MetricId, MetricKind};
use crate::montecarlo::stats::Interval;
use crate::montecarlo::stats::Interval as Estimate;
use crate::scenario::types::Scenario;
use crate::units::DAYS_PER_YEAR;
use std::fmt::Write;
use std::path::Path;

/// One block of the report.
enum Block {
    Heading(String),
    Para(String),
    Table(super::table::Block),
    Figure {
        stem: String,
        title: String,
        sentence: String,
    },
    Code(String),
}

fn pct(x: f64) -> String {
    format!("{} %", signed(100.0 * x, 1, false))
}

/// The table's columns, read from summary.json: every arm's estimates, and the paired differences of
/// every arm but the first.
fn columns(summary: &Summary) -> Vec<ArmColumn<'_>> {
    summary
        .arms
        .iter()
        .map(|arm| {
            let name = arm.name.as_str();
            let diff = summary.paired_differences.iter().find(|d| d.arm == name);
            ArmColumn {
                name,
                estimate: Box::new(move |k| MetricId::from_key(k).map(|id| arm.metrics[id])),
                difference: Box::new(move |k| {
                    diff.zip(MetricId::from_key(k)).map(|(d, id)| d.metrics[id])
                }),
            }
        })
        .collect()
}

/// The widest interval among the probabilities the table shows: (arm, label, estimate).
fn widest_probability(summary: &Summary) -> Option<(&str, &'static str, Estimate)> {
    let mut best: Option<(&str, &'static str, Estimate)> = None;
    for arm in &summary.arms {
        for m in METRICS
            .iter()
            .filter(|m| m.kind == MetricKind::Proportion && super::table::ROWS.contains(&m.key))
        {
            let e = arm.metrics[m.id];
            if best.is_none_or(|(_, _, b)| e.width() > b.width()) {
                best = Some((arm.name.as_str(), m.label, e));
            }
        }
    }
    best
}

fn fmt_interval(i: &Interval, proportion: bool) -> String {
    super::table::format_estimate(i.value, i.lo, i.hi, proportion)
}

fn fmt_difference(i: &Interval, proportion: bool) -> String {
    super::table::format_difference(i.value, i.lo, i.hi, proportion)
}

fn row(d: &PlotData, id: MetricId) -> Option<&MetricRow> {
    d.metrics.iter().find(|m| m.metric == id)
}

fn diff_row(d: &PlotData, id: MetricId) -> Option<&MetricRow> {
    d.differences.iter().find(|m| m.metric == id)
}

/// The rung below which a share `q` of replicates sit, from a histogram over rungs.
pub fn quantile_rung(counts: &[u64], q: f64) -> usize {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return 0;
    }
    let mut acc = 0;
    for (r, c) in counts.iter().enumerate() {
        acc += c;
        if acc as f64 >= q * total as f64 {
            return r;
        }
    }
    counts.len() - 1
}

/// Share of publicly attributed incidents that blamed a state other than the true sponsor.
pub fn misattribution_share(d: &PlotData, arm: usize) -> Option<f64> {
    let m = d.attribution.get(arm)?;
    let mut total = 0u64;
    let mut wrong = 0u64;
    for (t, row) in m.iter().enumerate() {
        for (b, c) in row.iter().enumerate() {
            total += c;
            if t != b {
                wrong += c;
            }
        }
    }
    (total > 0).then(|| wrong as f64 / total as f64)
}

fn sentences(d: &PlotData, stem: &str) -> String {
    let base = d
        .arms
        .first()
        .map(String::as_str)
        .unwrap_or("the first arm");
    let second = d.arms.get(1).map(String::as_str);
    match stem {
        "escalation_over_time" => {
            let last = d.horizon_days.saturating_sub(1) as usize;
            let describe = |a: usize| -> String {
                let day = d.timeline.get(a).and_then(|t| t.get(last));
                match day {
                    Some(counts) => format!(
                        "the median run is at \"{}\" and the worst 5 % at \"{}\" or above",
                        d.rungs[quantile_rung(counts, 0.5)],
                        d.rungs[quantile_rung(counts, 0.95)]
                    ),
                    None => "no data".to_string(),
                }
            };
            match second {
                Some(s) => format!(
                    "On the last day, in \"{base}\" {}; in \"{s}\" {}.",
                    describe(0),
                    describe(1)
                ),
                None => format!("On the last day, {}.", describe(0)),
            }
        }
        "survival" => match (row(d, MetricId::Kinetic), row(d, MetricId::Crisis), second) {
            (Some(k), Some(c), Some(s)) => format!(
                "\"{s}\" changes P(kinetic conflict) from {} to {}, and P(crisis) from {} to {}.",
                fmt_interval(&k.by_arm[0], true),
                fmt_interval(&k.by_arm[1], true),
                fmt_interval(&c.by_arm[0], true),
                fmt_interval(&c.by_arm[1], true)
            ),
            (Some(k), Some(c), None) => format!(
                "P(kinetic conflict) is {} and P(crisis) {}.",
                fmt_interval(&k.by_arm[0], true),
                fmt_interval(&c.by_arm[0], true)
            ),
            _ => String::new(),
        },
        "highest_rung" => {
            let mode = |a: usize| -> String {
                let h = &d.highest_rung[a];
                let total: u64 = h.iter().sum();
                let (r, c) = h
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)))
                    .unwrap_or((0, &0));
                format!(
                    "\"{}\" ({})",
                    d.rungs[r],
                    pct(if total > 0 {
                        *c as f64 / total as f64
                    } else {
                        0.0
                    })
                )
            };
            match second {
                Some(s) => format!(
                    "The most common highest rung is {} in \"{base}\" and {} in \"{s}\".",
                    mode(0),
                    mode(1)
                ),
                None => format!("The most common highest rung is {}.", mode(0)),
            }
        }
        "outcomes" => match (
            diff_row(d, MetricId::Crisis),
            diff_row(d, MetricId::HighestRung),
            second,
        ) {
            (Some(c), Some(h), Some(s)) if !c.by_arm.is_empty() => format!(
                "Paired with the same random draws, \"{s}\" changes P(crisis) by {} and the mean highest rung by {} relative to \"{base}\".",
                fmt_difference(&c.by_arm[0], true),
                fmt_difference(&h.by_arm[0], false)
            ),
            _ => "There is a single arm: no paired difference to show.".to_string(),
        },
        "attribution" => {
            let share = |a: usize| {
                misattribution_share(d, a).map_or("no incident was attributed".to_string(), |x| {
                    format!("{} of public attributions blamed the wrong state", pct(x))
                })
            };
            match second {
                Some(s) => format!("In \"{base}\" {}; in \"{s}\" {}.", share(0), share(1)),
                None => format!("{}.", share(0)),
            }
        }
        "triggers" => {
            let describe = |a: usize| -> String {
                let r = &d.responses_by_trigger[a];
                let total: u64 = r.iter().sum();
                if total == 0 {
                    return "no response was made".to_string();
                }
                let spiral = d
                    .triggers
                    .iter()
                    .position(|t| t == "spiral")
                    .map_or(0, |i| r[i]);
                let correct = d
                    .triggers
                    .iter()
                    .position(|t| t == "correctly_attributed")
                    .map_or(0, |i| r[i]);
                let mis = total - spiral - correct;
                format!(
                    "{:.2} responses per run, {} answering the other side (the spiral) and {} set off by a misattribution",
                    total as f64 / d.replicates.max(1) as f64,
                    pct(spiral as f64 / total as f64),
                    pct(mis as f64 / total as f64)
                )
            };
            match second {
                Some(s) => format!("\"{base}\": {}; \"{s}\": {}.", describe(0), describe(1)),
                None => format!("{}.", describe(0)),
            }
        }
        _ => String::new(),
    }
}

fn blocks(
    d: &PlotData,
    summary: &Summary,
    manifest: Option<&Manifest>,
    scenario: Option<&Scenario>,
    plots: &[(&str, &str)],
) -> Vec<Block> {
    let mut b = Vec::new();
    b.push(Block::Heading(format!(
        "{}: escalation with and without confidence-building channels",
        d.scenario
    )));
    let run = manifest.and_then(Manifest::run);
    let description = run.map_or("", |r| r.scenario_description.as_str());
    b.push(Block::Para(format!(
        "{}{}{} paired replicates of {} arms ({}), {:.1} simulated years each, seed {}.",
        description,
        if description.is_empty() { "" } else { " " },
        d.replicates,
        d.arms.len(),
        d.arms
            .iter()
            .map(|a| format!("\"{a}\""))
            .collect::<Vec<_>>()
            .join(", "),
        d.horizon_days as f64 / DAYS_PER_YEAR,
        d.seed
    )));
    b.push(Block::Heading("Summary".into()));
    let columns = columns(summary);
    let (estimates, differences) = super::table::blocks(&columns);
    b.extend(estimates.into_iter().map(Block::Table));
    if !differences.is_empty() {
        b.push(Block::Para(
            "Paired differences: each arm minus the first, run on the same random draws."
                .to_string(),
        ));
        b.extend(differences.into_iter().map(Block::Table));
    }
    if let Some(p) = &summary.posterior {
        b.push(Block::Heading("With parameter uncertainty".into()));
        b.push(Block::Para(super::posterior::which_is_which(p).replace(
            "the table above gives the Monte Carlo interval",
            "the tables of the summary above give the Monte Carlo interval",
        )));
        b.push(Block::Para(format!(
            "How the second interval is made: {}",
            super::posterior::METHOD
        )));
        let (estimates, differences) =
            super::posterior::tables(p, super::table::Fit::PerBlock(super::table::ARMS_PER_BLOCK));
        b.extend(estimates.into_iter().map(Block::Table));
        if !differences.is_empty() {
            b.push(Block::Para(
                "Paired differences with parameter uncertainty: each arm minus the first, with the same parameters and random draws in both."
                    .to_string(),
            ));
            b.extend(differences.into_iter().map(Block::Table));
        }
    }
    if let Some(scenario) = scenario {
        let (paras, tables) = super::measure_effects::report_blocks(summary, scenario);
        if !tables.is_empty() {
            b.push(Block::Heading("What each measure carries".into()));
            let mut paras = paras.into_iter();
            // The explanation and the sums, the effects, then the assumptions' sentence and table.
            let last = paras.next_back();
            b.extend(paras.map(Block::Para));
            let mut tables = tables.into_iter();
            b.extend(tables.next().map(Block::Table));
            b.extend(last.map(Block::Para));
            b.extend(tables.map(Block::Table));
        }
    }
    let (shares, mechanism_differences) = super::mechanisms::report_blocks(summary);
    if !shares.is_empty() {
        b.push(Block::Heading("What began the crises".into()));
        let mut words = super::mechanisms::sentences(summary, 2).into_iter();
        if let Some(intro) = words.next() {
            b.push(Block::Para(intro));
        }
        b.extend(words.map(Block::Para));
        b.push(Block::Para(
            "Per arm: the replicates that reached a crisis or kinetic conflict, and the share of them whose chain began with each kind of operation (95 % Wilson intervals)."
                .to_string(),
        ));
        b.extend(shares.into_iter().map(Block::Table));
        if !mechanism_differences.is_empty() {
            b.push(Block::Para(
                "Paired differences, each arm minus the first: the change in the probability of a crisis (or kinetic conflict) whose chain began with each kind of operation."
                    .to_string(),
            ));
            b.extend(mechanism_differences.into_iter().map(Block::Table));
        }
    }
    let (pair_estimates, pair_differences) = super::pairs::report_blocks(summary);
    if !pair_estimates.is_empty() {
        b.push(Block::Heading("Who acted against whom".into()));
        b.extend(
            super::pairs::sentences(summary)
                .into_iter()
                .map(Block::Para),
        );
        b.extend(pair_estimates.into_iter().map(Block::Table));
        b.extend(pair_differences.into_iter().map(Block::Table));
    }
    b.push(Block::Heading("Plots".into()));
    for (stem, title) in plots {
        b.push(Block::Figure {
            stem: stem.to_string(),
            title: title.to_string(),
            sentence: sentences(d, stem),
        });
    }
    b.push(Block::Heading("Statistical caveats".into()));
    b.push(Block::Para(format!(
        "Intervals are 95 %: Wilson intervals for proportions, normal intervals for means and for paired differences (the arms share their random draws, so differences are estimated per replicate). \
         {} \
         The channels' parameters are assumptions stated in the scenario file: these numbers say what follows if the channels work as written.",
        precision_sentence(widest_probability(summary), d.replicates)
    )));
    b.push(Block::Heading("Reproduce".into()));
    let source = run.map_or("", |r| r.scenario_source.as_str());
    let scenario_arg = if source.is_empty() || source.ends_with("(built in)") {
        String::new()
    } else {
        format!(" {source}")
    };
    let version = manifest.map_or("?", |m| m.version.as_str());
    let sha = run.map_or("?", |r| r.scenario_sha256.as_str());
    b.push(Block::Code(format!(
        "escalate run{scenario_arg} --seed {} --replicates {}",
        d.seed, d.replicates
    )));
    b.push(Block::Para(format!(
        "escalate {version}; resolved scenario SHA-256 {sha} (`scenario.ron` in this folder). Any thread count gives the same numbers. \
         `escalate plot <this folder>` redraws the plots and this report from the saved files."
    )));
    b
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Markdown's `code` spans as HTML `<code>` (on text already escaped; an unpaired backtick stays).
fn inline_code(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return s.to_string();
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i % 2 == 1 {
                format!("<code>{p}</code>")
            } else {
                (*p).to_string()
            }
        })
        .collect()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `report.md`.
pub fn markdown(
    d: &PlotData,
    summary: &Summary,
    manifest: Option<&Manifest>,
    scenario: Option<&Scenario>,
    plots: &[(&str, &str)],
) -> String {
    let mut out = String::new();
    let mut first = true;
    for block in blocks(d, summary, manifest, scenario, plots) {
        match block {
            Block::Heading(h) => {
                let _ = writeln!(out, "{} {h}\n", if first { "#" } else { "##" });
                first = false;
            }
            Block::Para(p) => {
                let _ = writeln!(out, "{p}\n");
            }
            Block::Table(super::table::Block { header, rows }) => {
                let _ = writeln!(
                    out,
                    "| {} |",
                    header
                        .iter()
                        .map(|h| md_escape(h))
                        .collect::<Vec<_>>()
                        .join(" | ")
                );
                let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
                for r in rows {
                    let _ = writeln!(
                        out,
                        "| {} |",
                        r.iter()
                            .map(|c| md_escape(c))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    );
                }
                out.push('\n');
            }
            Block::Figure {
                stem,
                title,
                sentence,
            } => {
                // The picture carries its title: a heading above it would say it twice.
                let _ = writeln!(out, "![{title}]({stem}.png)\n\n{sentence}\n");
            }
            Block::Code(c) => {
                let _ = writeln!(out, "```sh\n{c}\n```\n");
            }
        }
    }
    out
}

/// `report.html`, with the SVGs read from `dir` and inlined, so it opens with no network and no other file.
pub fn html(
    d: &PlotData,
    summary: &Summary,
    manifest: Option<&Manifest>,
    scenario: Option<&Scenario>,
    plots: &[(&str, &str)],
    dir: &Path,
) -> anyhow::Result<String> {
    let mut body = String::new();
    let mut first = true;
    for block in blocks(d, summary, manifest, scenario, plots) {
        match block {
            Block::Heading(h) => {
                let tag = if first { "h1" } else { "h2" };
                first = false;
                let _ = writeln!(body, "<{tag}>{}</{tag}>", html_escape(&h));
            }
            Block::Para(p) => {
                let _ = writeln!(body, "<p>{}</p>", inline_code(&html_escape(&p)));
            }
            Block::Table(super::table::Block { header, rows }) => {
                let _ = writeln!(
                    body,
                    "<table><thead><tr>{}</tr></thead><tbody>",
                    header
                        .iter()
                        .map(|h| format!("<th>{}</th>", html_escape(h)))
                        .collect::<String>()
                );
                for r in rows {
                    let _ = writeln!(
                        body,
                        "<tr>{}</tr>",
                        r.iter()
                            .map(|c| {
                                // A long cell is prose (a list of measures or parameters): it
                                // wraps, so the table fits the page; figures never wrap.
                                // Words without figures (a measure's name) read from the left.
                                if c.chars().count() > 40 {
                                    format!("<td class=\"prose\">{}</td>", html_escape(c))
                                } else if !c.chars().any(|ch| ch.is_ascii_digit()) {
                                    format!("<td class=\"text\">{}</td>", html_escape(c))
                                } else {
                                    format!("<td>{}</td>", html_escape(c))
                                }
                            })
                            .collect::<String>()
                    );
                }
                let _ = writeln!(body, "</tbody></table>");
            }
            Block::Figure {
                stem,
                title,
                sentence,
            } => {
                let path = dir.join(format!("{stem}.svg"));
                let svg = std::fs::read_to_string(&path)
                    .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
                let svg = svg.trim_start_matches(|c| c != '<');
                let svg = if svg.starts_with("<?xml") {
                    svg.split_once("?>")
                        .map_or(svg, |(_, rest)| rest.trim_start())
                } else {
                    svg
                };
                // The SVG shows the title; the figure is labelled with it for screen readers only.
                let _ = writeln!(
                    body,
                    "<figure id=\"{stem}\" aria-label=\"{}\">\n{svg}\n<figcaption>{}</figcaption></figure>",
                    html_escape(&title),
                    html_escape(&sentence)
                );
            }
            Block::Code(c) => {
                let _ = writeln!(body, "<pre><code>{}</code></pre>", html_escape(&c));
            }
        }
    }
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>\n\
body {{ font-family: 'DejaVu Sans', sans-serif; max-width: 1240px; margin: 2em auto; padding: 0 1em; color: #222; }}\n\
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }}\n\
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; white-space: nowrap; }}\n\
th {{ white-space: normal; vertical-align: bottom; }}\n\
th:first-child, td:first-child {{ text-align: left; }}\n\
td.prose {{ white-space: normal; text-align: left; min-width: 16em; }}\n\
td.text {{ text-align: left; }}\n\
figure {{ margin: 2em 0; }} figure svg {{ max-width: 100%; height: auto; }}\n\
figcaption {{ font-style: italic; margin-top: 0.5em; }}\n\
pre {{ background: #f4f4f4; padding: 0.6em; }}\n\
</style></head><body>\n{body}</body></html>\n",
        html_escape(&d.scenario)
    ))
}
