//! `escalate run`: all arms of a scenario, paired replicates, a table and a result folder.

use super::RunArgs;
use super::options::{RunOptions, checkpoint};
use crate::montecarlo::{Engine, run_paired, run_paired_posterior};
use crate::report::folder::{FolderKind, ResultFolder};
use crate::report::manifest::{Manifest, PosteriorSource, Produced, RunManifest, Speed};
use crate::report::{csv_out, summary, table};
use crate::scenario::load::resolved_ron;
use anyhow::Context;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

/// Runs `escalate run`.
pub fn run(a: RunArgs) -> anyhow::Result<()> {
    let RunOptions {
        compiled,
        label,
        seed,
        replicates,
        out,
        force,
        quiet,
        engine,
        estimate,
        events,
    } = RunOptions::from_cli_arguments(&a)?;
    let threads = engine.threads;
    // Checked before any work: a posterior that does not belong to this scenario is refused.
    let posterior = match &a.posterior {
        Some(dir) => {
            let p = crate::calibrate::posterior::load_posterior(dir, &compiled)?;
            // Each worker keeps a simulator per particle: counted before any work.
            let mut with_simulators = estimate;
            with_simulators.memory_bytes += crate::montecarlo::posterior::simulators_memory(
                p.pool.len(),
                compiled.arms.len(),
                threads,
            );
            with_simulators.check_memory(super::options::max_memory(a.max_memory)?)?;
            Some(p)
        }
        None => None,
    };
    let params = Arc::new(compiled);
    if let Some((path, range)) = &events {
        crate::report::events::check_target(path, force)?;
        // Checked before any work: the size it implies, from its first replicate simulated now.
        let size = crate::report::events::estimate(&params, seed, range);
        if size.bytes > crate::report::events::MAX_EVENT_BYTES {
            return Err(crate::error::InputError::Flag {
                flag: "--events-replicates".into(),
                message: format!(
                    "replicates {}-{} would make an event log of about {:.1} GiB ({} rows, estimated from replicate {}); the limit is {} GiB: choose fewer replicates",
                    range.start(),
                    range.end(),
                    size.bytes as f64 / f64::from(1u32 << 30),
                    table::group_thousands(size.rows),
                    range.start(),
                    crate::report::events::MAX_EVENT_BYTES >> 30
                ),
            }
            .into());
        }
        if !quiet {
            eprintln!(
                "Event log of replicates {}-{} ({} arms): about {} rows, {:.1} MB (estimated from replicate {}), to {}.",
                range.start(),
                range.end(),
                params.arms.len(),
                table::group_thousands(size.rows),
                size.bytes as f64 / 1e6,
                range.start(),
                crate::scenario::load::shown_path(path)
            );
        }
    }
    let folder = ResultFolder::create(&out, FolderKind::Result, force)?;
    let scenario = &params.scenario;

    let resolved = resolved_ron(scenario)?;
    let hash = format!("{:x}", Sha256::digest(resolved.as_bytes()));
    folder.write("scenario.ron", &resolved)?;
    let arm_names: Vec<String> = params.arms.iter().map(|x| x.name.clone()).collect();
    let rung_names: Vec<String> = scenario
        .ladder
        .rungs
        .iter()
        .map(|r| r.name.clone())
        .collect();
    let csv_path = folder.file("replicates.csv");
    let file = std::fs::File::create(&csv_path)
        .with_context(|| format!("cannot create {}", csv_path.display()))?;
    let mut csv = std::io::BufWriter::new(file);
    let rows = csv_out::ReplicateRows {
        seed,
        arms: arm_names.clone(),
        rungs: rung_names,
    };
    csv.write_all(&rows.header()?)?;

    if !quiet {
        for w in crate::scenario::validate::warnings(scenario) {
            eprintln!("warning: {}: {}", w.path, w.message);
        }
        if let Some(w) = estimate.long_run_warning() {
            eprintln!("warning: {w}");
        }
        eprintln!(
            "Running {label}: {} arms × {replicates} replicates, seed {seed}, {threads} thread{}; results will go to {}.",
            arm_names.len(),
            if threads == 1 { "" } else { "s" },
            crate::scenario::load::shown_path(folder.target())
        );
    }
    let started = Instant::now();
    // Ctrl-C or SIGTERM stops the run within a block; the partial folder is removed, nothing is written.
    let engine = Engine::new(engine)?;
    let sink = |bytes: &[u8]| {
        csv.write_all(bytes)
            .with_context(|| folder.cannot_write("replicates.csv"))
    };
    let (agg, spread) = match &posterior {
        None => (
            run_paired(&engine, &params, seed, replicates, rows, sink)?,
            None,
        ),
        Some(p) => {
            let (agg, spread) =
                run_paired_posterior(&engine, &params, &p.pool, seed, replicates, rows, sink)?;
            (agg, Some(spread))
        }
    };
    let wall = started.elapsed().as_secs_f64();
    csv.flush()
        .with_context(|| folder.cannot_write("replicates.csv"))?;
    drop(csv);

    // From here on, Ctrl-C or SIGTERM stops between two files; the folder is removed, nothing is
    // committed.
    checkpoint("writing")?;
    let mut summary = summary::summary(&params, &agg, seed, replicates);
    let mut posterior_source = None;
    if let (Some(p), Some(spread)) = (&posterior, &spread) {
        let folder_label = p.folder.display().to_string();
        summary.posterior = Some(crate::report::posterior::section(
            &agg,
            spread,
            &crate::report::posterior::PosteriorSource {
                folder: &folder_label,
                calibration: &p.calibration,
                fingerprint: &p.fingerprint,
                parameters: &p.parameters,
                particles: p.pool.len(),
                effective_sample_size: p.pool.effective_sample_size,
            },
        ));
        posterior_source = Some(PosteriorSource {
            folder: folder_label,
            scenario_fingerprint: p.fingerprint.clone(),
            posterior_sha256: p.posterior_sha256.clone(),
        });
        folder.write("posterior_draws.csv", draws_csv(p, seed, replicates))?;
    }
    check_finite(&summary)?;
    folder.write("summary.json", summary.to_json()?)?;
    let manifest = Manifest::new(Produced::Run(RunManifest {
        scenario: scenario.name.clone(),
        scenario_source: label.clone(),
        scenario_description: scenario.description.clone(),
        scenario_sha256: hash,
        seed,
        replicates,
        speed: Speed {
            threads,
            wall_time_seconds: wall,
            replicate_arms_per_second: (replicates as f64 * arm_names.len() as f64)
                / wall.max(1e-9),
        },
        arms: arm_names,
        posterior: posterior_source,
    }));
    folder.write("manifest.json", manifest.to_json()?)?;
    crate::report::results::write_plot_files(&folder, &params, &agg)?;
    super::plot::render(&folder.file(""), false)?;
    // The event log is written before the results are committed: an interrupt or a failed write
    // while it is written leaves neither (the log through its temporary file, the folder unmoved).
    checkpoint("commit")?;
    if let Some((path, range)) = events {
        crate::report::events::write(&params, seed, range, &path, &mut || checkpoint("events"))?;
    }

    let out = folder.commit()?;
    if !quiet {
        let width = table::TERMINAL_WIDTH;
        let wrap = |text: String| table::wrap_prose(&text, width);
        print!(
            "{}",
            wrap(table::table(&agg, replicates, scenario.horizon_days))
        );
        println!();
        print!("{}", wrap(crate::report::mechanisms::terminal(&summary)));
        println!();
        if let Some(p) = &summary.posterior {
            print!("{}", wrap(crate::report::posterior::terminal(p)));
        }
        print!("{}", wrap(crate::report::pairs::terminal(&summary)));
        println!(
            "Results written to {} ({wall:.1} s).",
            crate::scenario::load::shown_path(&out)
        );
    }
    Ok(())
}

/// posterior_draws.csv: the particle each replicate drew (its number in the calibration's
/// posterior.csv), the same in every arm.
fn draws_csv(
    p: &crate::calibrate::posterior::LoadedPosterior,
    seed: u64,
    replicates: u64,
) -> String {
    let mut out = String::from("replicate,particle\n");
    for r in 0..replicates {
        let k = p.pool.draw(seed, r);
        let _ = writeln!(out, "{r},{}", p.pool.particle_ids[k]);
    }
    out
}

/// Refuses a result that is not a finite number (an infinite sum, which JSON would write as `null`),
/// naming the arm and the metric: validation bounds every input so that this does not happen, and a
/// result folder with a `null` where a number belongs would mislead every reader.
fn check_finite(summary: &summary::Summary) -> anyhow::Result<()> {
    let arms = summary
        .arms
        .iter()
        .map(|a| (a.name.as_str(), "", &a.metrics));
    let diffs = summary
        .paired_differences
        .iter()
        .map(|d| (d.arm.as_str(), "paired difference of ", &d.metrics));
    for (arm, what, metrics) in arms.chain(diffs) {
        for (id, i) in metrics.iter() {
            if [i.value, i.lo, i.hi].iter().any(|x| x.is_infinite()) {
                anyhow::bail!(
                    "the {what}`{}` of arm \"{arm}\" is not a finite number ({} [{}, {}]): a sum overflowed. \
                     Lower the scenario's rung scores or rates; nothing was written",
                    id.key(),
                    i.value,
                    i.lo,
                    i.hi
                );
            }
        }
    }
    Ok(())
}
