//! `escalate sweep`: run a parameter sweep (whole, or one shard), resumable; `escalate merge`: join shards.

use super::options::SweepOptions;
use super::{MergeArgs, SweepArgs};
use crate::error::InputError;
use crate::report::folder::{
    Destination, FolderKind, Lock, ResultFolder, check_replaceable, check_writable, is_empty_dir,
    process_alive,
};
use crate::report::manifest::{Manifest, MergeManifest, Produced, Speed, SweepManifest};
use crate::sweep::merge::merge_dir;
use crate::sweep::output::{peak_rss_bytes, write_merged};
use crate::sweep::run::{Shard, SweepConfig, run_shard};
use crate::sweep::shard::shards_dir;
use std::path::{Path, PathBuf};

/// The sweep stopped before its points were all done; what was completed is kept.
#[derive(Debug, thiserror::Error)]
#[error(
    "interrupted: {done} of {total} points of this shard are saved in {dir}; carry on with the same command and --resume"
)]
pub struct SweepInterrupted {
    /// Points completed (now and before).
    pub done: usize,
    /// Points of the shard.
    pub total: usize,
    /// The output folder.
    pub dir: String,
}

fn is_sweep_folder(dir: &Path) -> bool {
    shards_dir(dir).is_dir() || dir.join("sweep.json").is_file()
}

/// A shard lock in the sweep folder held by a running process: its PID and path.
fn live_shard_lock(out: &Path) -> Option<(u32, PathBuf)> {
    let entries = std::fs::read_dir(shards_dir(out)).ok()?;
    entries.filter_map(|e| e.ok()).find_map(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(".shard-") && name.ends_with(".lock")) {
            return None;
        }
        let pid = std::fs::read_to_string(e.path())
            .ok()?
            .trim()
            .parse::<u32>()
            .ok()?;
        process_alive(pid).then(|| (pid, e.path()))
    })
}

/// Runs `escalate sweep`.
pub fn sweep(a: SweepArgs) -> anyhow::Result<()> {
    let SweepOptions {
        sweep: s,
        shard,
        out,
        resume,
        force,
        quiet,
        engine,
        estimate,
    } = SweepOptions::from_cli_arguments(&a)?;

    // What may be written: a new or empty folder, or a sweep folder this run may continue or replace.
    if let Ok(meta) = std::fs::symlink_metadata(&out)
        && !meta.is_dir()
    {
        // A file, a device or a link is never written into or replaced.
        check_writable(&out, FolderKind::Sweep, true)?;
    }
    let whole = shard.is_none();
    if out.is_dir() && !is_empty_dir(&out) {
        if !is_sweep_folder(&out) {
            return Err(InputError::Flag {
                flag: "--out".into(),
                message: format!("{} exists and is not a sweep folder; choose another --out (escalate never writes into or deletes a folder it did not make)", out.display()),
            }
            .into());
        }
        if whole && !resume && !force {
            return Err(InputError::Flag {
                flag: "--out".into(),
                message: format!("{} already holds a sweep; pass --resume to carry on with it, --force to start over, or choose another --out", out.display()),
            }
            .into());
        }
        if whole && force {
            // Only a folder of escalate's own files, with no shard being written, is deleted.
            check_replaceable(&out, FolderKind::Sweep)?;
            if let Some((pid, lock)) = live_shard_lock(&out) {
                return Err(InputError::OutputLocked {
                    path: out.display().to_string(),
                    pid,
                    lock: lock.display().to_string(),
                }
                .into());
            }
            std::fs::remove_dir_all(&out)
                .map_err(|e| anyhow::anyhow!("cannot remove {}: {e}", out.display()))?;
        }
    }
    std::fs::create_dir_all(shards_dir(&out))
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", shards_dir(&out).display()))?;
    let shard = shard.unwrap_or(Shard::WHOLE);
    // One writer per shard: a second process (a fresh run beside a --resume, a requeued task) is refused.
    let stem = crate::sweep::shard::stem(shard.index, shard.count);
    let _lock = Lock::acquire(
        &shards_dir(&out).join(format!(".{stem}.lock")),
        &shards_dir(&out).join(format!("{stem}.csv")),
    )?;
    crate::files::write_atomically(&shards_dir(&out).join("sweep.ron"), s.resolved.as_bytes())?;

    let threads = engine.threads;
    if !quiet && let Some(w) = estimate.long_run_warning() {
        eprintln!("warning: {w}");
    }
    if !quiet {
        let owned = (0..s.points.len()).filter(|p| shard.owns(*p)).count();
        eprintln!(
            "Sweep {}: {} design, {} points{}{} × {} replicates{} × {} arms, seed {}, {threads} thread{}.",
            s.spec.name,
            s.spec.design.kind().label().replace('_', " "),
            s.points.len(),
            match s.spec.design {
                crate::sweep::spec::Design::Sobol { samples, .. } => format!(
                    " ({samples} base rows × ({} parameters + 2))",
                    s.spec.parameters.len()
                ),
                _ => String::new(),
            },
            if whole {
                String::new()
            } else {
                format!(" ({owned} in shard {}/{})", shard.index, shard.count)
            },
            s.spec.replicates,
            s.spec.precision.as_ref().map_or(String::new(), |p| format!(
                " (more, up to {}, until intervals are narrower than {})",
                p.max_replicates, p.width
            )),
            s.arms.len(),
            s.spec.seed,
            if threads == 1 { "" } else { "s" },
        );
    }
    let cfg = SweepConfig {
        engine,
        resume,
        force,
    };
    let report = match run_shard(&s, shard, &out, &cfg) {
        Ok(r) => r,
        Err(e) if e.downcast_ref::<crate::montecarlo::Interrupted>().is_some() => {
            let csv = shards_dir(&out).join(format!(
                "{}.csv",
                crate::sweep::shard::stem(shard.index, shard.count)
            ));
            let names = s.parameter_names();
            let morris = matches!(s.spec.design, crate::sweep::spec::Design::Morris { .. });
            let done = crate::sweep::shard::read_rows(
                &csv,
                &crate::sweep::rows::header_line(&names, morris),
                s.arms.len(),
            )
            .map_or(0, |r| r.points.len());
            return Err(SweepInterrupted {
                done,
                total: (0..s.points.len()).filter(|p| shard.owns(*p)).count(),
                dir: out.display().to_string(),
            }
            .into());
        }
        Err(e) => return Err(e),
    };
    if !quiet && report.resumed > 0 {
        eprintln!(
            "Resumed: {} of {} points were already done.",
            report.resumed, report.points
        );
    }
    let rate = report.replicates as f64 * s.arms.len() as f64 / report.seconds.max(1e-9);
    if !whole {
        if !quiet {
            println!(
                "Shard {}/{} done: {} points ({} run now, {:.1} s, {rate:.0} replicate-arms/s) in {}.\nWhen every shard is done: escalate merge {} --out MERGED",
                shard.index,
                shard.count,
                report.points,
                report.run,
                report.seconds,
                crate::scenario::load::shown_path(&out),
                crate::scenario::load::shown_path(&out)
            );
        }
        return Ok(());
    }
    let all_saved = || SweepInterrupted {
        done: report.points,
        total: report.points,
        dir: out.display().to_string(),
    };
    // Every point is saved in the shard files; an interrupt here leaves the merge to --resume.
    super::options::checkpoint("sweep-output").map_err(|_| all_saved())?;
    let merged = merge_dir(&out)?;
    let manifest = Manifest::new(Produced::Sweep(SweepManifest {
        sweep: s.spec.name.clone(),
        sweep_source: s.label.clone(),
        identity: s.identity.clone(),
        seed: s.spec.seed,
        design: s.spec.design.kind(),
        points: s.points.len(),
        arms: s.arm_names.clone(),
        shards: vec![(0, 1)],
        points_resumed: report.resumed,
        replicates_run_now: report.replicates,
        speed: Speed {
            threads,
            wall_time_seconds: report.seconds,
            replicate_arms_per_second: rate,
        },
        peak_rss_bytes: peak_rss_bytes(),
    }));
    let plots = write_merged(&out, &merged, &manifest)?;
    if !quiet {
        print!("{}", crate::sweep::table::summary(&merged.plot_data));
        println!(
            "{} points × {} arms ({}–{} replicates per point) in {:.1} s ({rate:.0} replicate-arms/s). Results in {}: sweep.csv, sweep.json{}, {} plot files.",
            s.points.len(),
            s.arms.len(),
            merged.summary.replicates_used.0,
            merged.summary.replicates_used.1,
            report.seconds,
            crate::scenario::load::shown_path(&out),
            extra_files(&merged),
            plots.len()
        );
    }
    Ok(())
}

/// The design's own files, for the closing line: ", morris.csv" or ", sobol.csv, sobol.md".
fn extra_files(merged: &crate::sweep::merge::Merged) -> &'static str {
    if merged.morris_csv.is_some() {
        ", morris.csv"
    } else if merged.sobol.is_some() {
        ", sobol.csv, sobol.md"
    } else {
        ""
    }
}

/// Runs `escalate merge`.
pub fn merge(a: MergeArgs) -> anyhow::Result<()> {
    let merged = merge_dir(&a.sweep_dir)?;
    let manifest = Manifest::new(Produced::Merge(MergeManifest {
        sweep: merged.summary.sweep.name.clone(),
        identity: merged.summary.identity.clone(),
        seed: merged.summary.sweep.seed,
        design: merged.summary.sweep.design,
        points: merged.summary.sweep.points,
        arms: merged.summary.sweep.arms.clone(),
        merged_from: a.sweep_dir.display().to_string(),
        shards: merged.shards.clone(),
    }));
    let (target, plots) = match &a.out {
        Some(out) => {
            let folder =
                ResultFolder::create(&Destination::Named(out.clone()), FolderKind::Sweep, a.force)?;
            let plots = write_merged(&folder.file(""), &merged, &manifest)?;
            folder.commit()?;
            (out.clone(), plots.len())
        }
        None => {
            if a.sweep_dir.join("sweep.csv").exists() && !a.force {
                return Err(InputError::Flag {
                    flag: "--out".into(),
                    message: format!("{} already holds merged results; pass --force to merge again in place, or give --out", a.sweep_dir.display()),
                }
                .into());
            }
            let plots = write_merged(&a.sweep_dir, &merged, &manifest)?;
            (a.sweep_dir.clone(), plots.len())
        }
    };
    if !a.quiet {
        println!(
            "Merged {} shard{} ({} points × {} arms) into {}: sweep.csv, sweep.json{}, {plots} plot files.",
            merged.shards.len(),
            if merged.shards.len() == 1 { "" } else { "s" },
            merged.summary.sweep.points,
            merged.summary.sweep.arms.len(),
            crate::scenario::load::shown_path(&target),
            extra_files(&merged),
        );
    }
    Ok(())
}
