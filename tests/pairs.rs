//! Results per ordered pair of states: each replicate-arm's pairs add up to its outcome, and the
//! summary's pair estimates add up to its pooled ones.

mod common;

use common::*;

#[test]
fn the_pairs_of_a_run_add_up_to_its_outcome() {
    for stem in ["us_russia_2016", "mercenary_market", "multipolar"] {
        let (p, runs) = run_all(&bundled(stem), 3, 150);
        let n = p.states.len();
        let mut crises = 0;
        for (r, arms) in runs.iter().enumerate() {
            for (a, run) in arms.iter().enumerate() {
                let o = &run.outcome;
                let at = format!("{stem} replicate {r} arm {a}");
                assert_eq!(run.pairs.len(), n * n, "{at}");
                let responses: u32 = run.pairs.iter().map(|x| x.responses).sum();
                let wrongful: u32 = run.pairs.iter().map(|x| x.wrongful_responses).sum();
                assert_eq!(responses, o.responses, "{at}");
                assert_eq!(wrongful, o.wrongful_responses, "{at}");
                assert_eq!(run.pairs.iter().any(|x| x.crisis), o.crisis(), "{at}");
                assert_eq!(run.pairs.iter().any(|x| x.kinetic), o.kinetic(), "{at}");
                for s in 0..n {
                    assert_eq!(
                        run.pairs[s * n + s].responses,
                        0,
                        "{at}: nobody answers itself"
                    );
                    for t in 0..n {
                        let (x, y) = (&run.pairs[s * n + t], &run.pairs[t * n + s]);
                        assert_eq!(x.final_trust, y.final_trust, "{at}");
                        // One side takes a pair to crisis (the first to reach it).
                        assert!(!(x.crisis && y.crisis), "{at}");
                    }
                }
                let mean_trust = if n > 1 {
                    (0..n)
                        .flat_map(|s| ((s + 1)..n).map(move |t| (s, t)))
                        .map(|(s, t)| run.pairs[s * n + t].final_trust)
                        .sum::<f64>()
                        / (n * (n - 1) / 2) as f64
                } else {
                    0.0
                };
                assert!((mean_trust - o.final_trust).abs() < 1e-12, "{at}");
                crises += usize::from(o.crisis());
            }
        }
        assert!(crises > 0, "{stem}: not vacuous");
    }
}

#[test]
fn the_summary_pairs_add_up_to_the_pooled_estimates() {
    let dir = tempfile::tempdir().expect("temp dir");
    escalate_ok(
        dir.path(),
        &[
            "run",
            &repo().join("scenarios/classroom.ron").display().to_string(),
            "--replicates",
            "400",
            "--seed",
            "11",
            "--quiet",
            "--out",
            "r",
        ],
    );
    let s = escalate::report::summary::Summary::load(&dir.path().join("r")).expect("reads");
    let n = s.states.len();
    let crisis = escalate::montecarlo::metrics::MetricId::Crisis;
    let responses = escalate::montecarlo::metrics::MetricId::Responses;
    let wrongful = escalate::montecarlo::metrics::MetricId::WrongfulResponses;
    for arm in &s.arms {
        let pairs = arm.pairs.as_ref().expect("format 2 has pairs");
        assert_eq!(pairs.len(), n * (n - 1));
        let total = |f: fn(&escalate::report::summary::PairResult) -> f64| -> f64 {
            pairs.iter().map(f).sum()
        };
        // Responses are split between the ordered pairs, every one counted once.
        assert!((total(|p| p.responses.value) - arm.metrics[responses].value).abs() < 1e-9);
        assert!((total(|p| p.wrongful_responses.value) - arm.metrics[wrongful].value).abs() < 1e-9);
        // A run with a crisis has one in at least one pair, and at most one per unordered pair.
        let c = arm.metrics[crisis].value;
        let sum = total(|p| p.crisis.value);
        assert!(
            sum >= c - 1e-12 && sum <= c * (n * (n - 1) / 2) as f64 + 1e-12,
            "{sum} vs {c}"
        );
    }
    for d in &s.paired_differences {
        let pairs = d.pairs.as_ref().expect("format 2 has pairs");
        let total: f64 = pairs.iter().map(|p| p.responses.value).sum();
        assert!((total - d.metrics[responses].value).abs() < 1e-9);
    }
    // Not vacuous: some arm has a crisis.
    assert!(s.arms.iter().any(|a| a.metrics[crisis].value > 0.0));
}
