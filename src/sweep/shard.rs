//! A shard's files: `shards/shard-IIII-of-NNNN.json` (who wrote it, for which sweep) and
//! `shards/shard-IIII-of-NNNN.csv` (the rows of its completed points, appended point by point).
//!
//! A point's rows are appended with one write, so a killed process leaves at most one partial point
//! at the end of the file; reading a shard back keeps the complete points and drops that tail.

use crate::error::InputError;
use crate::montecarlo::metrics::MetricId;
use crate::report::sweep_plotdata::{DesignKind, ParamInfo, SobolSettings};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Format tag of a shard's JSON file.
pub const SHARD_FORMAT: &str = "escalate-sweep-shard-1";

/// The shard's identity and the sweep's description (enough to merge and plot without the sweep file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// Always [`SHARD_FORMAT`].
    pub format: String,
    /// escalate's version.
    pub version: String,
    /// SHA-256 of the resolved sweep, base scenario and version.
    pub identity: String,
    /// This shard's index (0-based).
    pub shard: u32,
    /// Number of shards.
    pub shards: u32,
    /// The sweep's description.
    pub sweep: SweepInfo,
}

/// What the merge and the plots need to know about the sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepInfo {
    /// Sweep name.
    pub name: String,
    /// Sweep description.
    pub description: String,
    /// Base scenario name.
    pub scenario: String,
    /// Where the base scenario came from.
    pub scenario_source: String,
    /// Horizon in days.
    pub horizon_days: u32,
    /// Master seed.
    pub seed: u64,
    /// The design.
    pub design: DesignKind,
    /// Points in the whole design.
    pub points: usize,
    /// Replicates per point (the first batch with a precision target).
    pub replicates: u64,
    /// Precision target, if any: (width, cap).
    pub precision: Option<(f64, u64)>,
    /// Parameters.
    pub parameters: Vec<ParamInfo>,
    /// Compared arms, baseline first.
    pub arms: Vec<String>,
    /// Headline outcome.
    pub outcome: MetricId,
    /// A Sobol' design's settings (absent for the other designs, whose files stay as they were).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sobol: Option<SobolSettings>,
}

/// File stem of shard `i` of `n`.
pub fn stem(i: u32, n: u32) -> String {
    format!("shard-{i:04}-of-{n:04}")
}

/// The `shards` folder of a sweep output folder.
pub fn shards_dir(out: &Path) -> PathBuf {
    out.join("shards")
}

/// Reads a shard's JSON file.
pub fn read_info(path: &Path) -> anyhow::Result<ShardInfo> {
    let text = crate::files::read_bounded_to_string(path, crate::files::MAX_RESULT_FILE_BYTES)?;
    let info: ShardInfo = serde_json::from_str(&text).map_err(|e| InputError::File {
        path: path.display().to_string(),
        line: None,
        message: format!("is not a shard description written by escalate sweep ({e})"),
    })?;
    if info.format != SHARD_FORMAT {
        return Err(InputError::File {
            path: path.display().to_string(),
            line: None,
            message: format!(
                "has format \"{}\"; this escalate reads \"{SHARD_FORMAT}\"",
                info.format
            ),
        }
        .into());
    }
    Ok(info)
}

/// The complete points of a shard's CSV: point index → its lines (one per arm, with newlines), and
/// the byte length of the file up to the end of the last complete point.
pub struct ShardRows {
    /// Rows per point.
    pub points: BTreeMap<usize, String>,
    /// Bytes of the file that hold complete points (header included).
    pub complete_len: u64,
}

/// Reads a shard's CSV, checking its header; a partial point at the end is left out.
pub fn read_rows(path: &Path, header: &str, arms: usize) -> anyhow::Result<ShardRows> {
    let text = crate::files::read_bounded_to_string(path, crate::files::MAX_RESULT_FILE_BYTES)?;
    let bad = |line: usize, message: String| InputError::File {
        path: path.display().to_string(),
        line: Some(line),
        message,
    };
    if text.is_empty() {
        return Ok(ShardRows {
            points: BTreeMap::new(),
            complete_len: 0,
        });
    }
    if !text.starts_with(header) {
        return Err(bad(
            1,
            "the header does not match this sweep's columns (a different sweep file?)".into(),
        )
        .into());
    }
    let mut points = BTreeMap::new();
    let mut complete_len = header.len() as u64;
    let mut offset = header.len();
    let mut current: Option<(usize, String, usize)> = None;
    for (k, line) in text[header.len()..].split_inclusive('\n').enumerate() {
        let line_no = k + 2;
        if !line.ends_with('\n') {
            break; // a partial line: the process stopped while writing it
        }
        let point: usize = line
            .split(',')
            .next()
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| bad(line_no, "a row does not start with a point index".into()))?;
        offset += line.len();
        match &mut current {
            Some((p, rows, n)) if *p == point => {
                rows.push_str(line);
                *n += 1;
            }
            Some((p, _, n)) => {
                return Err(bad(
                    line_no,
                    format!("point {p} has {n} of its {arms} arm rows before point {point} begins: the file is damaged"),
                )
                .into());
            }
            None => current = Some((point, line.to_string(), 1)),
        }
        if let Some((p, rows, n)) = current.take() {
            if n == arms {
                if points.insert(p, rows).is_some() {
                    return Err(bad(line_no, format!("point {p} appears twice")).into());
                }
                complete_len = offset as u64;
            } else {
                current = Some((p, rows, n));
            }
        }
    }
    Ok(ShardRows {
        points,
        complete_len,
    })
}
