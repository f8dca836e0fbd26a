//! Writing a merged sweep: `sweep.csv`, `sweep.json`, `morris.csv`, `sobol.csv` and `sobol.md`, the
//! resolved sweep file, the manifest and the plots, each file through a temporary sibling and a rename.

use super::merge::{Merged, load_plot_data};
use crate::files::write_atomically;
use crate::report::manifest::Manifest;
use std::path::{Path, PathBuf};

/// Writes the merged sweep's files into `dir` (which exists); returns the plot files drawn.
pub fn write_merged(
    dir: &Path,
    merged: &Merged,
    manifest: &Manifest,
) -> anyhow::Result<Vec<PathBuf>> {
    write_atomically(&dir.join("sweep.csv"), merged.csv.as_bytes())?;
    write_atomically(
        &dir.join("sweep.json"),
        (serde_json::to_string_pretty(&merged.summary)? + "\n").as_bytes(),
    )?;
    if let Some(m) = &merged.morris_csv {
        write_atomically(&dir.join("morris.csv"), m.as_bytes())?;
    }
    if let Some((csv, md)) = &merged.sobol {
        write_atomically(&dir.join("sobol.csv"), csv.as_bytes())?;
        write_atomically(&dir.join("sobol.md"), md.as_bytes())?;
    }
    if let Some(r) = &merged.resolved {
        write_atomically(&dir.join("sweep.ron"), r.as_bytes())?;
    }
    write_atomically(&dir.join("manifest.json"), manifest.to_json()?.as_bytes())?;
    let drawn = crate::report::plots::draw_sweep(&merged.plot_data, dir)?;
    write_dictionary(dir, &merged.plot_data, &merged.csv, &drawn)?;
    Ok(drawn)
}

/// Draws the sweep plots of `dir` from its saved files alone.
pub fn draw(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let data = load_plot_data(dir)?;
    let drawn = crate::report::plots::draw_sweep(&data, dir)?;
    let csv = crate::files::read_bounded_to_string(
        &dir.join("sweep.csv"),
        crate::files::MAX_RESULT_FILE_BYTES,
    )?;
    write_dictionary(dir, &data, &csv, &drawn)?;
    Ok(drawn)
}

/// Writes the sweep folder's data dictionary (DATA.md) from the sweep's columns, parameters and plots.
fn write_dictionary(
    dir: &Path,
    data: &crate::report::sweep_plotdata::SweepPlotData,
    csv: &str,
    drawn: &[PathBuf],
) -> anyhow::Result<()> {
    let header: Vec<String> = csv::Reader::from_reader(csv.as_bytes())
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .map_err(|e| anyhow::anyhow!("cannot read the header of sweep.csv: {e}"))?;
    let parameters: Vec<(String, String)> = data
        .parameters
        .iter()
        .map(|p| (p.label.clone(), p.caption()))
        .collect();
    let plots: Vec<String> = drawn
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    write_atomically(
        &dir.join(crate::report::dictionary::DATA_DICTIONARY),
        crate::report::dictionary::sweep_dictionary(
            &header,
            &parameters,
            &plots,
            data.design == crate::report::sweep_plotdata::DesignKind::Sobol,
        )
        .as_bytes(),
    )
}

/// Peak resident memory of this process in bytes (Linux; None elsewhere).
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
