//! `escalate plot`: redraw every plot and the report of a result folder from its saved files alone.

use super::PlotArgs;
use super::options::checkpoint;
use crate::error::InputError;
use crate::files::write_atomically;
use crate::report::manifest::Manifest;
use crate::report::plotdata::PlotData;
use crate::report::plots::{PLOTS, draw_all_checked};
use crate::report::summary::Summary;
use crate::report::{dictionary, document};
use std::path::Path;

/// Draws the plots and writes report.md and report.html into `dir`, from the files in `dir`; stops
/// with [`crate::montecarlo::Interrupted`] at Ctrl-C or SIGTERM, between two files (each file is
/// written whole or not at all).
pub fn render(dir: &Path, verbose: bool) -> anyhow::Result<()> {
    checkpoint("plotting")?;
    let check = || checkpoint("").map_err(anyhow::Error::from);
    let summary = Summary::load(dir)?;
    // A plot file that disagrees with summary.json, or was damaged, is bad input (exit 2), named
    // with the folder it is in.
    let data = PlotData::read(dir, &summary).map_err(|e| match e.downcast::<InputError>() {
        Ok(input) => input,
        Err(e) => InputError::File {
            path: crate::scenario::load::shown_path(dir),
            line: None,
            message: format!(
                "{e:#}; the folder's files were changed or damaged since escalate wrote them (run the scenario again to write them whole)"
            ),
        },
    })?;
    let manifest_path = dir.join("manifest.json");
    let manifest = if manifest_path.exists() {
        Some(Manifest::load(&manifest_path)?)
    } else {
        None
    };
    // The resolved scenario the run saved, for the measures' section; a folder without one (or
    // with one this version cannot read) gets a report without that section.
    let scenario = crate::files::read_bounded_to_string(
        &dir.join("scenario.ron"),
        crate::files::MAX_RESULT_FILE_BYTES,
    )
    .ok()
    .and_then(|text| crate::scenario::load::parse_scenario("scenario.ron", &text).ok())
    .map(|c| c.scenario);
    let written = draw_all_checked(&data, dir, &check)?;
    check()?;
    write_atomically(
        &dir.join("report.md"),
        document::markdown(&data, &summary, manifest.as_ref(), scenario.as_ref(), PLOTS).as_bytes(),
    )?;
    let html = document::html(
        &data,
        &summary,
        manifest.as_ref(),
        scenario.as_ref(),
        PLOTS,
        dir,
    )?;
    check()?;
    write_atomically(&dir.join("report.html"), html.as_bytes())?;
    check()?;
    write_atomically(
        &dir.join(dictionary::DATA_DICTIONARY),
        (dictionary::result_dictionary(&crate::report::csv_out::header(), &data.rungs, PLOTS)
            + &summary
                .posterior
                .as_ref()
                .map(|_| dictionary::posterior_dictionary())
                .unwrap_or_default())
            .as_bytes(),
    )?;
    if verbose {
        eprintln!(
            "Drew {} plot files and report.md / report.html.",
            written.len()
        );
    }
    Ok(())
}

/// Runs `escalate plot`.
pub fn plot(a: PlotArgs) -> anyhow::Result<()> {
    if a.results.join("sweep.json").is_file() {
        let n = crate::sweep::output::draw(&a.results)?.len();
        if !a.quiet {
            println!(
                "{n} sweep plot files redrawn in {}.",
                crate::scenario::load::shown_path(&a.results)
            );
        }
        return Ok(());
    }
    if !a.results.join("summary.json").is_file() {
        let what = if a.results.is_dir() {
            "is not an escalate result folder: it holds neither summary.json (written by escalate run) nor sweep.json (a sweep folder)"
        } else if a.results.exists() {
            "is not a folder; give a result folder of escalate run or a sweep folder"
        } else {
            "does not exist"
        };
        return Err(crate::error::InputError::Flag {
            flag: a.results.display().to_string(),
            message: what.into(),
        }
        .into());
    }
    render(&a.results, !a.quiet)?;
    if !a.quiet {
        println!(
            "Plots and report redrawn in {}.",
            crate::scenario::load::shown_path(&a.results)
        );
    }
    Ok(())
}
