//! `escalate discover`: scenario discovery (PRIM) over a sweep folder's points.

use crate::error::InputError;
use crate::files::write_atomically;
use crate::report::discovery::prim::PrimSettings;
use crate::report::discovery::{self, NoDiscovery, limit_phrase};
use crate::report::folder::{Destination, FolderKind, ResultFolder};
use clap::Args;
use std::path::PathBuf;

pub const EXAMPLES: &str = "Examples:
  escalate discover results/published/sweeps/attribution_vs_hotline \\
      --where 'diff_crisis_hi >= 0'      # where the channels do not clearly help
  escalate discover SWEEP_DIR --where 'crisis > 0.05' --arm 'without channels'
  escalate discover SWEEP_DIR --where '\"hotline only\" ...'   # quote columns with spaces

The condition reads the columns of sweep.csv for one arm's row at each point (see the sweep
folder's DATA.md): outcomes (crisis, kinetic, ...), their 95 % bounds (crisis_lo, crisis_hi), the
paired differences against the baseline (diff_crisis, diff_crisis_lo, ...) and the parameters.
Compare with < <= > >= == !=; join with and, or, not and parentheses.";

/// Options of `escalate discover`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct DiscoverArgs {
    /// A sweep folder written by `escalate sweep` or `escalate merge`.
    pub sweep: PathBuf,
    /// The condition that marks a point as a case of interest, on one arm's row of sweep.csv,
    /// e.g. 'diff_kinetic >= 0'.
    #[arg(long = "where", value_name = "CONDITION")]
    pub condition: String,
    /// The arm whose row the condition reads (default: the sweep's last arm).
    #[arg(long)]
    pub arm: Option<String>,
    /// Density the chosen box must reach: the share of its points where the condition holds
    /// (0 < T ≤ 1).
    #[arg(long, default_value_t = 0.8, value_name = "T")]
    pub threshold: f64,
    /// Share of the box's points removed by each peel (0 < A ≤ 0.5).
    #[arg(long, default_value_t = 0.05, value_name = "A")]
    pub peel: f64,
    /// Smallest box, as a share of all points (0 < M ≤ 1).
    #[arg(long, default_value_t = 0.05, value_name = "M")]
    pub min_mass: f64,
    /// Output folder (default: a fresh results/discoveries/<sweep name>-NNN/). An existing
    /// non-empty folder needs --force.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an existing --out folder, only if it holds nothing but an earlier discovery.
    #[arg(long)]
    pub force: bool,
    /// No messages; errors only.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

fn flag(name: &str, message: &str) -> InputError {
    InputError::Flag {
        flag: name.into(),
        message: message.into(),
    }
}

/// A folder name from a sweep's name: letters, digits, `-` and `_` kept, the rest `_`.
fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "sweep".into() } else { s }
}

/// Runs `escalate discover`.
pub fn discover(a: DiscoverArgs) -> anyhow::Result<()> {
    let in_range = |v: f64, hi: f64| v.is_finite() && v > 0.0 && v <= hi;
    if !in_range(a.threshold, 1.0) {
        return Err(flag(
            "--threshold",
            "must be a share above 0 and at most 1, e.g. 0.8",
        )
        .into());
    }
    if !in_range(a.peel, 0.5) {
        return Err(flag(
            "--peel",
            "must be a share above 0 and at most 0.5, e.g. 0.05",
        )
        .into());
    }
    if !in_range(a.min_mass, 1.0) {
        return Err(flag(
            "--min-mass",
            "must be a share above 0 and at most 1, e.g. 0.05",
        )
        .into());
    }
    let settings = PrimSettings {
        alpha: a.peel,
        min_mass: a.min_mass,
        threshold: a.threshold,
    };
    let read = crate::sweep::discover::sweep_cases(&a.sweep, &a.condition, a.arm.as_deref())?;
    let name = &read.summary.sweep.name;
    let d = discovery::discover(&read.cases, settings, name, &a.condition, &read.arm).map_err(
        |why| {
            let n = read.cases.x.len();
            flag(
                "--where",
                &match why {
                    NoDiscovery::NoPoints => format!("the sweep has no rows for arm \"{}\"", read.arm),
                    NoDiscovery::NoCases => format!(
                        "`{}` holds at none of the {n} points of arm \"{}\": there is nothing to find a box for",
                        a.condition, read.arm
                    ),
                    NoDiscovery::EveryPoint => format!(
                        "`{}` holds at every one of the {n} points of arm \"{}\": the whole space is the box",
                        a.condition, read.arm
                    ),
                },
            )
        },
    )?;
    let dest = match &a.out {
        Some(p) => Destination::Named(p.clone()),
        None => Destination::Numbered {
            parent: PathBuf::from("results").join("discoveries"),
            stem: slug(name),
        },
    };
    let folder = ResultFolder::create(&dest, FolderKind::Discovery, a.force)?;
    write_atomically(
        &folder.file("discovery.json"),
        (serde_json::to_string_pretty(&d)? + "\n").as_bytes(),
    )?;
    write_atomically(
        &folder.file("discovery.md"),
        discovery::markdown(&d).as_bytes(),
    )?;
    write_atomically(
        &folder.file("trajectory.csv"),
        discovery::trajectory_csv(&d).as_bytes(),
    )?;
    crate::report::plots::draw_discovery(&d, &folder.file(""))?;
    let at = folder.commit()?;
    if !a.quiet {
        println!("{}\n", d.sentence.replace('`', ""));
        for l in d.found.limits.iter().filter(|l| l.restricted) {
            println!(
                "  {:<50} p = {:.1e}",
                limit_phrase(l),
                l.p_value.unwrap_or(f64::NAN)
            );
        }
        println!(
            "\nBox: {} points, {} where it holds · coverage {:.0} % · density {:.0} % · step {} of {} on the peeling trajectory.",
            d.found.mass,
            d.found.cases,
            100.0 * d.found.coverage,
            100.0 * d.found.density,
            d.chosen_step,
            d.trajectory.len() - 1
        );
        println!(
            "Wrote discovery.md, discovery.json, trajectory.csv and discovery.png/.svg to {}.",
            crate::scenario::load::shown_path(&at)
        );
    }
    Ok(())
}
