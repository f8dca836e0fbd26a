//! Every bundled scenario loads, validates and runs, and its outcomes satisfy the invariants.

mod common;

use common::*;

#[test]
fn every_bundled_scenario_loads_and_runs() {
    let mut found = 0;
    let mut entries: Vec<_> = std::fs::read_dir(repo().join("scenarios"))
        .expect("scenarios/")
        .collect();
    entries.sort_by_key(|e| e.as_ref().map(|e| e.path()).ok());
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        found += 1;
        let stem = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let s = bundled(&stem);
        assert_eq!(
            s.name,
            stem,
            "{}: name must match the file name",
            path.display()
        );
        let (p, runs) = run_all(&s, 1, 60);
        for (r, arms) in runs.iter().enumerate() {
            for (a, run) in arms.iter().enumerate() {
                check_invariants(&p, &run.outcome)
                    .unwrap_or_else(|e| panic!("{stem} replicate {r} arm {a}: {e}"));
            }
        }
        let launched: u32 = runs.iter().map(|a| a[0].outcome.ops_launched).sum();
        assert!(
            launched > 0,
            "{stem}: no operation launched in 60 replicates"
        );
    }
    assert!(
        found >= 6,
        "expected the six bundled scenarios, found {found}"
    );
}

#[test]
fn the_embedded_default_is_the_file_in_scenarios() {
    let file = std::fs::read_to_string(repo().join("scenarios/us_russia_2016.ron")).expect("file");
    assert_eq!(file, escalate::scenario::load::DEFAULT_SCENARIO);
}
