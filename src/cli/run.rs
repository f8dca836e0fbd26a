//! `escalate run`: all arms of a scenario, paired replicates, a table and a result folder.

use super::RunArgs;
use crate::error::InputError;
use crate::montecarlo::{RunConfig, run_paired};
use crate::report::folder::{Destination, FolderKind, ResultFolder};
use crate::report::{csv_out, summary, table};
use crate::scenario::load::{load_scenario, resolved_ron};
use anyhow::Context;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Largest thread count accepted.
const MAX_THREADS: usize = 1024;

/// Runs `escalate run`.
pub fn run(a: RunArgs) -> anyhow::Result<()> {
    let (compiled, label, _) = load_scenario(a.scenario.as_deref())?;
    let params = Arc::new(compiled);
    let scenario = &params.scenario;
    let replicates = a.replicates.unwrap_or(scenario.replicates as u64);
    if replicates == 0 {
        return Err(InputError::Flag {
            flag: "--replicates".into(),
            message: "must be at least 1".into(),
        }
        .into());
    }
    if a.threads > MAX_THREADS {
        return Err(InputError::Flag {
            flag: "--threads".into(),
            message: format!(
                "{} is too many; use 0 (all cores) or a number up to {MAX_THREADS}",
                a.threads
            ),
        }
        .into());
    }
    let seed = a.seed.unwrap_or(scenario.seed);
    let dest = match &a.out {
        Some(out) => Destination::Named(out.clone()),
        None => Destination::Numbered {
            parent: PathBuf::from("results").join("runs"),
            stem: scenario.name.clone(),
        },
    };
    let folder = ResultFolder::create(&dest, FolderKind::Result, a.force)?;

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
    let mut csv = csv::Writer::from_writer(std::io::BufWriter::new(file));
    csv.write_record(csv_out::header())?;

    let threads = if a.threads == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    } else {
        a.threads
    };
    if !a.quiet {
        for w in crate::scenario::validate::warnings(scenario) {
            eprintln!("warning: {}: {}", w.path, w.message);
        }
        eprintln!(
            "Running {label}: {} arms × {replicates} replicates, seed {seed}, {threads} thread{}; results will go to {}.",
            arm_names.len(),
            if threads == 1 { "" } else { "s" },
            folder.target().display()
        );
    }
    let started = Instant::now();
    // Ctrl-C or SIGTERM stops the run at the next chunk; the partial folder is removed, nothing is written.
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    let cfg = RunConfig {
        seed,
        replicates,
        threads,
        progress: !a.quiet,
        cancel: Some(cancel),
    };
    let agg = run_paired(params.clone(), &cfg, |r, runs| {
        csv_out::write_replicate(&mut csv, seed, r, &arm_names, &rung_names, runs)?;
        Ok(())
    })?;
    let wall = started.elapsed().as_secs_f64();
    csv.flush()?;
    drop(csv);

    let summary = summary::summary(&params, &agg, seed, replicates);
    folder.write(
        "summary.json",
        serde_json::to_string_pretty(&summary)? + "\n",
    )?;
    let manifest = serde_json::json!({
        "program": "escalate",
        "version": env!("CARGO_PKG_VERSION"),
        "scenario": scenario.name,
        "scenario_source": label,
        "scenario_description": scenario.description,
        "scenario_sha256": hash,
        "seed": seed,
        "replicates": replicates,
        "arms": arm_names,
        "threads": threads,
        "command_line": std::env::args().collect::<Vec<_>>(),
        "wall_time_seconds": wall,
        "replicate_arms_per_second": (replicates as f64 * arm_names.len() as f64) / wall.max(1e-9),
    });
    folder.write(
        "manifest.json",
        serde_json::to_string_pretty(&manifest)? + "\n",
    )?;
    crate::report::results::write_plot_files(&folder, &params, &agg)?;
    super::plot::render(&folder.file(""), false)?;

    let out = folder.commit()?;
    if !a.quiet {
        print!("{}", table::table(&agg, replicates, scenario.horizon_days));
        println!("Results written to {} ({wall:.1} s).", out.display());
    }
    Ok(())
}
