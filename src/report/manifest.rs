//! `manifest.json`: what produced a result folder (program, version, command line, inputs, speed).
//! One serde type for `run`, `sweep` and `merge`, written and read back by the same code.

use super::sweep_plotdata::DesignKind;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Version of the manifest's layout (1: the untyped manifests before it carried a version).
pub const MANIFEST_FORMAT_VERSION: u32 = 2;

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`MANIFEST_FORMAT_VERSION`].
    pub format_version: u32,
    /// "escalate".
    pub program: String,
    /// escalate's version.
    pub version: String,
    /// What was run, and its inputs and speed.
    #[serde(flatten)]
    pub produced: Produced,
    /// The command line, as given.
    pub command_line: Vec<String>,
}

/// The command that wrote the folder (the `command` key), with what it records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "lowercase")]
pub enum Produced {
    /// `escalate run`.
    Run(RunManifest),
    /// `escalate sweep` (the whole design, merged).
    Sweep(SweepManifest),
    /// `escalate merge`.
    Merge(MergeManifest),
}

/// What `escalate run` records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunManifest {
    /// Scenario name.
    pub scenario: String,
    /// Where the scenario came from (a path, or the built-in label).
    pub scenario_source: String,
    /// The scenario's description.
    pub scenario_description: String,
    /// SHA-256 of the resolved scenario (`scenario.ron`).
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Replicates per arm.
    pub replicates: u64,
    /// Arm names.
    pub arms: Vec<String>,
    /// How fast it ran.
    #[serde(flatten)]
    pub speed: Speed,
    /// The calibration whose posterior the parameters were drawn from (`--posterior`; absent in a
    /// plain run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posterior: Option<PosteriorSource>,
}

/// The posterior a run drew its parameters from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PosteriorSource {
    /// The calibration folder, as given.
    pub folder: String,
    /// SHA-256 of the scenario apart from the calibrated numbers, as checked against the folder.
    pub scenario_fingerprint: String,
    /// SHA-256 of the folder's posterior.csv.
    pub posterior_sha256: String,
}

/// What `escalate sweep` records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepManifest {
    /// Sweep name.
    pub sweep: String,
    /// Where the sweep file came from.
    pub sweep_source: String,
    /// Identity of the sweep (resolved sweep, base scenario and version).
    pub identity: String,
    /// Master seed.
    pub seed: u64,
    /// The design.
    pub design: DesignKind,
    /// Points in the design.
    pub points: usize,
    /// Compared arms.
    pub arms: Vec<String>,
    /// Shards merged: (index, count).
    pub shards: Vec<(u32, u32)>,
    /// Points found done from an earlier run.
    pub points_resumed: usize,
    /// Replicates run by this command (each runs every arm).
    pub replicates_run_now: u64,
    /// How fast it ran.
    #[serde(flatten)]
    pub speed: Speed,
    /// Peak resident memory (Linux).
    pub peak_rss_bytes: Option<u64>,
}

/// What `escalate merge` records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeManifest {
    /// Sweep name.
    pub sweep: String,
    /// Identity of the sweep.
    pub identity: String,
    /// Master seed.
    pub seed: u64,
    /// The design.
    pub design: DesignKind,
    /// Points in the design.
    pub points: usize,
    /// Compared arms.
    pub arms: Vec<String>,
    /// The folder the shards were read from.
    pub merged_from: String,
    /// Shards merged: (index, count).
    pub shards: Vec<(u32, u32)>,
}

/// The speed of a simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Speed {
    /// Worker threads.
    pub threads: usize,
    /// Wall time of the simulation.
    pub wall_time_seconds: f64,
    /// Replicate-arms simulated per second of wall time.
    pub replicate_arms_per_second: f64,
}

impl Manifest {
    /// A manifest of this program, this version and this process's command line.
    pub fn new(produced: Produced) -> Manifest {
        Manifest {
            format_version: MANIFEST_FORMAT_VERSION,
            program: "escalate".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            produced,
            command_line: std::env::args().collect(),
        }
    }

    /// The JSON text written to `manifest.json`.
    pub fn to_json(&self) -> anyhow::Result<String> {
        Ok(serde_json::to_string_pretty(self)? + "\n")
    }

    /// Reads `path`; a missing or mistyped key is an error naming the file and the key.
    pub fn load(path: &Path) -> anyhow::Result<Manifest> {
        let text = crate::files::read_bounded_to_string(path, crate::files::MAX_RESULT_FILE_BYTES)?;
        let m: Manifest =
            serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        if m.format_version != MANIFEST_FORMAT_VERSION {
            anyhow::bail!(
                "{}: manifest format {}, this escalate reads {MANIFEST_FORMAT_VERSION}",
                path.display(),
                m.format_version
            );
        }
        Ok(m)
    }

    /// The run's record, if `escalate run` wrote it.
    pub fn run(&self) -> Option<&RunManifest> {
        match &self.produced {
            Produced::Run(r) => Some(r),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speed() -> Speed {
        Speed {
            threads: 2,
            wall_time_seconds: 1.25,
            replicate_arms_per_second: 38_000.5,
        }
    }

    #[test]
    fn every_kind_of_manifest_round_trips() {
        let kinds = [
            Produced::Run(RunManifest {
                scenario: "s".into(),
                scenario_source: "s.ron".into(),
                scenario_description: "d".into(),
                scenario_sha256: "ab".repeat(32),
                seed: 7,
                replicates: 100,
                arms: vec!["a".into(), "b".into()],
                speed: speed(),
                posterior: Some(PosteriorSource {
                    folder: "calibrated/".into(),
                    scenario_fingerprint: "cd".repeat(32),
                    posterior_sha256: "ef".repeat(32),
                }),
            }),
            Produced::Sweep(SweepManifest {
                sweep: "w".into(),
                sweep_source: "w.ron".into(),
                identity: "id".into(),
                seed: 1,
                design: DesignKind::LatinHypercube,
                points: 25,
                arms: vec!["a".into()],
                shards: vec![(0, 1)],
                points_resumed: 3,
                replicates_run_now: 4400,
                speed: speed(),
                peak_rss_bytes: None,
            }),
            Produced::Merge(MergeManifest {
                sweep: "w".into(),
                identity: "id".into(),
                seed: 1,
                design: DesignKind::Morris,
                points: 30,
                arms: vec!["a".into(), "b".into()],
                merged_from: "out".into(),
                shards: vec![(0, 2), (1, 2)],
            }),
        ];
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("manifest.json");
        for produced in kinds {
            let m = Manifest::new(produced);
            std::fs::write(&path, m.to_json().expect("serialises")).expect("written");
            assert_eq!(Manifest::load(&path).expect("reads back"), m);
        }
    }

    #[test]
    fn a_run_manifest_keeps_its_keys_at_the_top_level() {
        let m = Manifest::new(Produced::Run(RunManifest {
            scenario: "s".into(),
            scenario_source: "s.ron".into(),
            scenario_description: String::new(),
            scenario_sha256: String::new(),
            seed: 7,
            replicates: 100,
            arms: Vec::new(),
            speed: speed(),
            posterior: None,
        }));
        let v: serde_json::Value =
            serde_json::from_str(&m.to_json().expect("serialises")).expect("JSON");
        assert_eq!(v["command"], "run");
        assert_eq!(v["seed"], 7);
        assert_eq!(v["replicate_arms_per_second"], 38_000.5);
        assert_eq!(v["format_version"], MANIFEST_FORMAT_VERSION);
    }

    #[test]
    fn a_missing_or_mistyped_key_names_the_file_and_the_key() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("manifest.json");
        let m = Manifest::new(Produced::Merge(MergeManifest {
            sweep: "w".into(),
            identity: "id".into(),
            seed: 1,
            design: DesignKind::Grid,
            points: 4,
            arms: Vec::new(),
            merged_from: "out".into(),
            shards: Vec::new(),
        }));
        let text = m.to_json().expect("serialises");
        std::fs::write(&path, text.replace("\"seed\": 1,", "")).expect("written");
        let e = Manifest::load(&path).expect_err("seed missing").to_string();
        assert!(
            e.contains("manifest.json") && e.contains("missing field `seed`"),
            "{e}"
        );
        std::fs::write(&path, text.replace("\"grid\"", "\"gird\"")).expect("written");
        let e = Manifest::load(&path)
            .expect_err("unknown design")
            .to_string();
        assert!(e.contains("manifest.json") && e.contains("gird"), "{e}");
    }
}
