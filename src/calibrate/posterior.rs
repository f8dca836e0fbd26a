//! Reading a calibration folder for `escalate run --posterior`: its calibration.json (format, the
//! scenario's name and fingerprint), its calibration.ron (the priors' scenario paths, checked
//! against the scenario being run) and its posterior.csv (weighted particles), each particle
//! compiled once into the pool the run draws from. Every refusal names the file, the field or line,
//! and what would be valid.

use super::load::{LoadedCalibration, Overrides, parse_calibration};
use super::output::{CALIBRATION_FORMAT, CalibrationInfo};
use crate::error::InputError;
use crate::montecarlo::posterior::PosteriorPool;
use crate::scenario::compile::Compiled;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A calibration's posterior, checked against the scenario being run and compiled.
#[derive(Debug, Clone)]
pub struct LoadedPosterior {
    /// The folder, as given.
    pub folder: PathBuf,
    /// The calibration's name.
    pub calibration: String,
    /// The scenario's fingerprint apart from the calibrated numbers (checked against the folder's
    /// when it records one).
    pub fingerprint: String,
    /// Whether the folder recorded a fingerprint to check (older folders do not).
    pub fingerprint_checked: bool,
    /// Parameter names, in posterior.csv's order.
    pub parameters: Vec<String>,
    /// Rows of posterior.csv (particles, of weight 0 too).
    pub rows: usize,
    /// SHA-256 of posterior.csv.
    pub posterior_sha256: String,
    /// The particles of positive weight, compiled.
    pub pool: Arc<PosteriorPool>,
}

fn file_error(path: &Path, line: Option<usize>, message: impl Into<String>) -> InputError {
    InputError::File {
        path: path.display().to_string(),
        line,
        message: message.into(),
    }
}

const WHAT_IT_HOLDS: &str = "the output folder of `escalate calibrate` holds posterior.csv, calibration.json and calibration.ron";

fn read(path: &Path) -> Result<String, InputError> {
    if !path.is_file() {
        return Err(file_error(path, None, format!("missing; {WHAT_IT_HOLDS}")));
    }
    crate::files::read_bounded_to_string(path, crate::files::MAX_RESULT_FILE_BYTES)
        .map_err(|e| file_error(path, None, format!("cannot be read: {e:#}")))
}

/// Reads the calibration folder `dir` for the scenario `base` (the scenario being run).
pub fn load_posterior(dir: &Path, base: &Compiled) -> Result<LoadedPosterior, InputError> {
    if !dir.is_dir() {
        return Err(InputError::Flag {
            flag: "--posterior".into(),
            message: format!(
                "{} is not a folder; give a calibration's output folder ({WHAT_IT_HOLDS})",
                dir.display()
            ),
        });
    }
    // calibration.json: the kind of folder, and whose scenario.
    let info_path = dir.join("calibration.json");
    let text = read(&info_path)?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| file_error(&info_path, Some(e.line()), format!("not JSON: {e}")))?;
    let format = value.get("format").and_then(|f| f.as_str());
    if format != Some(CALIBRATION_FORMAT) {
        return Err(file_error(
            &info_path,
            None,
            format!(
                "field \"format\" is {}, not \"{CALIBRATION_FORMAT}\": not a calibration folder of this escalate; {WHAT_IT_HOLDS}",
                format.map_or("missing".to_string(), |f| format!("\"{f}\""))
            ),
        ));
    }
    let info: CalibrationInfo =
        serde_json::from_value(value).map_err(|e| file_error(&info_path, None, format!("{e}")))?;
    let scenario = &base.scenario.name;
    if &info.scenario != scenario {
        return Err(file_error(
            &info_path,
            None,
            format!(
                "field \"scenario\": this posterior is of scenario \"{}\", not of \"{scenario}\", the scenario being run; \
                 run \"{}\" with it, or calibrate \"{scenario}\" first (escalate calibrate)",
                info.scenario, info.scenario
            ),
        ));
    }

    // calibration.ron: the parameters' paths, checked against this scenario.
    let ron_path = dir.join("calibration.ron");
    let ron_text = read(&ron_path)?;
    let loaded: LoadedCalibration = parse_calibration(
        &ron_path.display().to_string(),
        &ron_text,
        base,
        &Overrides::default(),
    )?;
    let names = loaded.names();
    if names != info.parameters {
        return Err(file_error(
            &info_path,
            None,
            format!(
                "field \"parameters\" lists {:?}, but calibration.ron's priors are {:?}: the folder's files come from different calibrations; calibrate again",
                info.parameters, names
            ),
        ));
    }
    let fingerprint = loaded.scenario_fingerprint();
    if let Some(recorded) = &info.scenario_fingerprint
        && recorded != &fingerprint
    {
        return Err(file_error(
            &info_path,
            None,
            format!(
                "field \"scenario_fingerprint\": the scenario \"{scenario}\" being run differs from the one calibrated in more than the calibrated parameters \
                 (fingerprint {} calibrated, {} now); a posterior holds only for the model it was calibrated on: calibrate this scenario again",
                &recorded[..recorded.len().min(12)],
                &fingerprint[..12]
            ),
        ));
    }

    // posterior.csv: the weighted particles.
    let csv_path = dir.join("posterior.csv");
    let csv_text = read(&csv_path)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text.as_bytes());
    let mut expected = vec!["particle".to_string(), "weight".into(), "distance".into()];
    expected.extend(names.iter().cloned());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| file_error(&csv_path, Some(1), format!("unreadable header: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    if header != expected {
        return Err(file_error(
            &csv_path,
            Some(1),
            format!(
                "the header is \"{}\"; calibration.ron's parameters make it \"{}\"",
                header.join(","),
                expected.join(",")
            ),
        ));
    }
    let bounds: Vec<(f64, f64)> = loaded.priors().iter().map(|d| d.bounds()).collect();
    let mut scenarios = Vec::new();
    let mut ids = Vec::new();
    let mut weights = Vec::new();
    let mut rows = 0;
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record =
            record.map_err(|e| file_error(&csv_path, Some(line), format!("not a CSV row: {e}")))?;
        rows += 1;
        if record.len() != expected.len() {
            return Err(file_error(
                &csv_path,
                Some(line),
                format!("{} fields; the header has {}", record.len(), expected.len()),
            ));
        }
        let number = |j: usize| -> Result<f64, InputError> {
            let field = &record[j];
            field
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    file_error(
                        &csv_path,
                        Some(line),
                        format!(
                            "column \"{}\" is \"{field}\", not a finite number",
                            expected[j]
                        ),
                    )
                })
        };
        let particle: u64 = record[0].trim().parse().map_err(|_| {
            file_error(
                &csv_path,
                Some(line),
                format!(
                    "column \"particle\" is \"{}\", not a particle number (0, 1, 2, …)",
                    &record[0]
                ),
            )
        })?;
        let weight = number(1)?;
        if weight < 0.0 {
            return Err(file_error(
                &csv_path,
                Some(line),
                format!("column \"weight\" is {weight}; a weight is 0 or more"),
            ));
        }
        let mut theta = Vec::with_capacity(names.len());
        for (j, (lo, hi)) in bounds.iter().enumerate() {
            let x = number(3 + j)?;
            if !(*lo..=*hi).contains(&x) {
                return Err(file_error(
                    &csv_path,
                    Some(line),
                    format!(
                        "column \"{}\" is {x}, outside its prior's support [{lo}, {hi}] in calibration.ron",
                        names[j]
                    ),
                ));
            }
            theta.push(x);
        }
        if weight == 0.0 {
            continue;
        }
        let compiled = loaded.scenario_at(&theta).map_err(|e| {
            file_error(
                &csv_path,
                Some(line),
                format!(
                    "particle {particle} makes the scenario invalid: {}: {}",
                    e.path, e.message
                ),
            )
        })?;
        if let Some(what) = changed_shape(base, &compiled) {
            return Err(file_error(
                &csv_path,
                Some(line),
                format!(
                    "particle {particle} changes the scenario's {what}; a posterior may set numbers only, not the scenario's shape"
                ),
            ));
        }
        scenarios.push(Arc::new(compiled));
        ids.push(particle);
        weights.push(weight);
    }
    if weights.is_empty() {
        return Err(file_error(
            &csv_path,
            None,
            if rows == 0 {
                "has no particles: it needs at least one row of positive weight".to_string()
            } else {
                format!("none of its {rows} particles has a positive weight")
            },
        ));
    }
    Ok(LoadedPosterior {
        folder: dir.to_path_buf(),
        calibration: loaded.spec.name.clone(),
        fingerprint,
        fingerprint_checked: info.scenario_fingerprint.is_some(),
        parameters: names,
        rows,
        posterior_sha256: {
            use sha2::{Digest, Sha256};
            format!("{:x}", Sha256::digest(csv_text.as_bytes()))
        },
        pool: Arc::new(PosteriorPool::new(scenarios, ids, &weights)),
    })
}

/// What a particle changed that aggregates are sized by, if anything.
fn changed_shape(base: &Compiled, c: &Compiled) -> Option<&'static str> {
    if c.arms.len() != base.arms.len() {
        Some("number of arms")
    } else if c.states.len() != base.states.len() {
        Some("number of states")
    } else if c.rung_count() != base.rung_count() {
        Some("number of rungs")
    } else if c.scenario.horizon_days != base.scenario.horizon_days {
        Some("horizon")
    } else {
        None
    }
}
