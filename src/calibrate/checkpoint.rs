//! Checkpoints of a calibration: after each complete generation its state is written, atomically,
//! beside the output folder (`.NAME.calibration-checkpoint.json`); `--resume` carries on from it to
//! the result an uninterrupted run gives, byte for byte. Numbers are stored as their IEEE-754 bits,
//! so nothing is lost in the round trip (infinite tolerances and NaN statistics included).

use super::load::{LoadedCalibration, resolved};
use super::smc::{Checkpoint, GenerationSummary, Particle};
use crate::error::InputError;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Format tag of a checkpoint file.
pub const CHECKPOINT_FORMAT: &str = "escalate-calibration-checkpoint-1";

#[derive(Serialize, Deserialize)]
struct ParticleBits {
    theta: Vec<u64>,
    weight: u64,
    distance: u64,
    stats: Vec<u64>,
}

#[derive(Serialize, Deserialize)]
struct SummaryBits {
    generation: u32,
    tolerance: u64,
    proposals: u64,
    accepted: usize,
    ess: u64,
    simulations: u64,
}

#[derive(Serialize, Deserialize)]
struct CheckpointFile {
    format: String,
    /// SHA-256 of the resolved calibration, the resolved scenario and the program version.
    identity: String,
    generations: Vec<SummaryBits>,
    current: Vec<ParticleBits>,
    prior_sample: Vec<ParticleBits>,
    scales: Vec<u64>,
    scale_from_prior: Vec<bool>,
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn floats(v: &[u64]) -> Vec<f64> {
    v.iter().map(|x| f64::from_bits(*x)).collect()
}

fn to_bits(p: &Particle) -> ParticleBits {
    ParticleBits {
        theta: bits(&p.theta),
        weight: p.weight.to_bits(),
        distance: p.distance.to_bits(),
        stats: bits(&p.stats),
    }
}

fn from_bits(p: &ParticleBits) -> Particle {
    Particle {
        theta: floats(&p.theta),
        weight: f64::from_bits(p.weight),
        distance: f64::from_bits(p.distance),
        stats: floats(&p.stats),
    }
}

/// The identity a checkpoint must match: the resolved calibration (seed, settings, priors, targets),
/// the resolved scenario and the program version.
pub fn identity(loaded: &LoadedCalibration, scenario_resolved: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        resolved(&loaded.spec).as_str(),
        scenario_resolved,
        env!("CARGO_PKG_VERSION"),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    format!("{:x}", h.finalize())
}

/// Where the checkpoint of the output folder `out` is kept (a hidden sibling of it).
pub fn checkpoint_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "calibration".into());
    out.with_file_name(format!(".{name}.calibration-checkpoint.json"))
}

/// Writes `c` to `path` atomically.
pub fn write(path: &Path, identity: &str, c: &Checkpoint) -> anyhow::Result<()> {
    let file = CheckpointFile {
        format: CHECKPOINT_FORMAT.into(),
        identity: identity.into(),
        generations: c
            .generations
            .iter()
            .map(|g| SummaryBits {
                generation: g.generation,
                tolerance: g.tolerance.to_bits(),
                proposals: g.proposals,
                accepted: g.accepted,
                ess: g.ess.to_bits(),
                simulations: g.simulations,
            })
            .collect(),
        current: c.current.iter().map(to_bits).collect(),
        prior_sample: c.prior_sample.iter().map(to_bits).collect(),
        scales: bits(&c.scales),
        scale_from_prior: c.scale_from_prior.clone(),
    };
    crate::files::write_atomically(path, serde_json::to_string(&file)?.as_bytes())
        .with_context(|| format!("cannot write the checkpoint {}", path.display()))
}

/// Reads the checkpoint at `path`, which must have been written for `identity` (a calibration of
/// `parameters` parameters).
pub fn read(path: &Path, identity: &str, parameters: usize) -> Result<Checkpoint, InputError> {
    let bad = |message: String| InputError::File {
        path: path.display().to_string(),
        line: None,
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        bad(format!(
            "no checkpoint to resume from ({e}); run without --resume to start the calibration"
        ))
    })?;
    let file: CheckpointFile = serde_json::from_str(&text).map_err(|e| {
        bad(format!(
            "is not a calibration checkpoint escalate wrote ({e})"
        ))
    })?;
    if file.format != CHECKPOINT_FORMAT {
        return Err(bad(format!(
            "has format {:?}, this escalate reads {CHECKPOINT_FORMAT:?}",
            file.format
        )));
    }
    if file.identity != identity {
        return Err(bad("was written for another calibration file, scenario, override (--seed, -n, --population, --max-generations) or escalate version; run without --resume to start over".into()));
    }
    let n = file.scales.len();
    let consistent = |ps: &[ParticleBits]| {
        ps.iter()
            .all(|p| p.stats.len() == n && p.theta.len() == parameters)
    };
    if file.generations.is_empty()
        || file.current.is_empty()
        || !consistent(&file.current)
        || !consistent(&file.prior_sample)
        || file.scale_from_prior.len() != n
    {
        return Err(bad(
            "is incomplete or inconsistent; run without --resume to start over".into(),
        ));
    }
    Ok(Checkpoint {
        generations: file
            .generations
            .iter()
            .map(|g| GenerationSummary {
                generation: g.generation,
                tolerance: f64::from_bits(g.tolerance),
                proposals: g.proposals,
                accepted: g.accepted,
                ess: f64::from_bits(g.ess),
                simulations: g.simulations,
            })
            .collect(),
        current: file.current.iter().map(from_bits).collect(),
        prior_sample: file.prior_sample.iter().map(from_bits).collect(),
        scales: floats(&file.scales),
        scale_from_prior: file.scale_from_prior,
    })
}
