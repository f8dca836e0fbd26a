//! Model tests: schedule ordering, common random numbers, invariants, and mechanisms checked against
//! bands that follow from the statistics.

mod common;

use bevy_ecs::schedule::LogLevel;
use common::*;
use escalate::outcome::Outcome;
use escalate::scenario::types::*;
use escalate::sim::Simulator;
use std::sync::Arc;

/// Outcome with the one field that legitimately differs when a channel is called but never
/// connects: the count of calls attempted.
fn without_calls(o: &Outcome) -> Outcome {
    Outcome {
        channel_calls: 0,
        ..o.clone()
    }
}

#[test]
fn schedules_have_no_ambiguous_system_order() {
    let p = Arc::new(compile(&default_scenario()));
    let mut sim = Simulator::with_ambiguity(p, LogLevel::Error);
    sim.initialize()
        .expect("no ambiguities: every system is in an ordered phase");
}

#[test]
fn a_run_is_a_function_of_seed_replicate_and_arm() {
    let s = default_scenario();
    let p = Arc::new(compile(&s));
    let mut a = Simulator::new(p.clone());
    let mut b = Simulator::new(p);
    // b runs other replicates first: a reused world must not remember them.
    for r in 0..5 {
        b.run(99, r + 100, 1);
    }
    for r in 0..20 {
        for arm in 0..2 {
            assert_eq!(
                a.run(3, r, arm),
                b.run(3, r, arm),
                "replicate {r} arm {arm}"
            );
        }
    }
}

#[test]
fn two_arms_with_identical_settings_give_identical_outcomes_replicate_by_replicate() {
    let mut s = default_scenario();
    let all: Vec<String> = s.arms.iter().flat_map(|a| a.measures.clone()).collect();
    let mut names: Vec<String> = s.measures.channels.iter().map(|c| c.name.clone()).collect();
    names.extend(s.measures.dialogues.iter().map(|c| c.name.clone()));
    names.extend(s.measures.agreements.iter().map(|c| c.name.clone()));
    names.extend(s.measures.pledges.iter().map(|c| c.name.clone()));
    assert!(!all.is_empty());
    s.arms.push(ArmSpec {
        name: "everything again".into(),
        measures: names,
        withdrawals: Vec::new(),
    });
    let (p, runs) = run_all(&s, 11, 300);
    let with = arm_index(&p, "with channels");
    let again = arm_index(&p, "everything again");
    let mut differing_from_baseline = 0;
    for (r, arms) in runs.iter().enumerate() {
        assert_eq!(arms[with], arms[again], "replicate {r}");
        differing_from_baseline += usize::from(arms[with].outcome != arms[0].outcome);
    }
    // The comparison is not vacuous: the channels do change most runs.
    assert!(differing_from_baseline > 150, "{differing_from_baseline}");
}

fn dead_hotline(
    reliability: f64,
    availability: f64,
    consult_from: Option<&str>,
    crisis_use: bool,
) -> Channel {
    Channel {
        name: "dead hotline".into(),
        kind: ChannelKind::RiskReductionCentre,
        between: ("US".into(), "RUS".into()),
        availability,
        reliability,
        latency_days: 2.0,
        consult_from: consult_from.map(str::to_string),
        crisis_use,
        crisis_de_escalation: 1,
        evidence_weight: 0.5,
        refusal: None,
        warnings: Vec::new(),
    }
}

#[test]
fn a_channel_with_reliability_zero_changes_nothing_but_the_count_of_calls() {
    let mut s = default_scenario();
    s.measures
        .channels
        .push(dead_hotline(0.0, 1.0, Some("diplomatic protest"), true));
    s.arms.push(ArmSpec {
        name: "dead".into(),
        measures: vec!["dead hotline".into()],
        withdrawals: Vec::new(),
    });
    let (p, runs) = run_all(&s, 5, 400);
    let dead = arm_index(&p, "dead");
    let mut calls = 0;
    for (r, arms) in runs.iter().enumerate() {
        assert_eq!(
            without_calls(&arms[dead].outcome),
            without_calls(&arms[0].outcome),
            "replicate {r}"
        );
        assert_eq!(arms[dead].incidents, arms[0].incidents, "replicate {r}");
        assert_eq!(arms[dead].outcome.channel_uses, 0);
        calls += arms[dead].outcome.channel_calls;
    }
    // It was called (so the test exercises the failure path), and never connected.
    assert!(calls > 100, "{calls}");
}

#[test]
fn a_channel_that_is_never_consulted_gives_the_same_run() {
    let mut s = default_scenario();
    // Consulted only before a full kinetic response, never in a crisis, no evidence sharing.
    let mut ch = dead_hotline(1.0, 1.0, Some("full kinetic conflict"), false);
    ch.evidence_weight = 0.0;
    s.measures.channels.push(ch);
    s.arms.push(ArmSpec {
        name: "unused".into(),
        measures: vec!["dead hotline".into()],
        withdrawals: Vec::new(),
    });
    let (p, runs) = run_all(&s, 8, 400);
    let unused = arm_index(&p, "unused");
    for (r, arms) in runs.iter().enumerate() {
        assert_eq!(arms[unused], arms[0], "replicate {r}");
    }
}

#[test]
fn invariants_hold_in_every_arm_of_the_default_scenario() {
    let (p, runs) = run_all(&default_scenario(), 21, 500);
    for (r, arms) in runs.iter().enumerate() {
        for (a, run) in arms.iter().enumerate() {
            check_invariants(&p, &run.outcome)
                .unwrap_or_else(|e| panic!("replicate {r} arm {a}: {e}"));
        }
        let base = &arms[0].outcome;
        assert_eq!(
            base.channel_calls + base.dialogue_rounds + base.violations + base.restrained,
            0
        );
    }
}

/// A scenario where nothing responds: operations, detection and attribution only (nothing deters an
/// operation, and forensic evidence is never uninformative).
fn quiet(rate: f64, detection: f64, detectability: f64) -> Scenario {
    let mut s = default_scenario();
    for st in &mut s.states {
        st.deterrence = Default::default();
        st.attribution.forensic_noise = 0.0;
        st.doctrine.response = vec!["competition".into(); 10];
        st.detection = detection;
        st.detection_delay = Delay {
            median_days: 1.0,
            spread: 0.0,
        };
    }
    s.proxies.clear();
    s.independents.clear();
    s.campaigns = vec![Campaign {
        sponsor: "RUS".into(),
        target: "US".into(),
        executor: None,
        rate_per_year: rate,
        kinds: [(OperationKind::Espionage, 1.0)].into_iter().collect(),
        sectors: Default::default(),
        overt_share: 0.0,
        false_flag: None,
    }];
    s.operation_kinds
        .iter_mut()
        .for_each(|k| k.detectability = detectability);
    s.arms.clear();
    s
}

#[test]
fn operations_arrive_at_the_scenario_rate() {
    // Poisson: the mean of n runs has sd sqrt(λ/n); a 4.5 sd band fails about once in 150 000.
    let s = quiet(10.0, 0.5, 1.0);
    let runs = run_arm(&s, 1, 2000, 0);
    let lambda = 10.0 * s.horizon_days as f64 / 365.25;
    let mean = runs
        .iter()
        .map(|r| r.outcome.ops_launched as f64)
        .sum::<f64>()
        / runs.len() as f64;
    let sd = (lambda / runs.len() as f64).sqrt();
    assert!(
        (mean - lambda).abs() < 4.5 * sd,
        "mean {mean}, expected {lambda} ± {}",
        4.5 * sd
    );
}

#[test]
fn detection_follows_skill_times_detectability() {
    // Detection probability 0.6 × 0.5 = 0.3; binomial band on the pooled share.
    let s = quiet(10.0, 0.6, 0.5);
    let runs = run_arm(&s, 2, 1000, 0);
    let launched: u32 = runs.iter().map(|r| r.outcome.ops_launched).sum();
    let detected: u32 = runs.iter().map(|r| r.outcome.ops_detected).sum();
    let share = detected as f64 / launched as f64;
    // Detection delay is 1 day: only operations launched on the last day escape.
    let sd = (0.3 * 0.7 / launched as f64).sqrt();
    assert!((share - 0.3).abs() < 4.5 * sd + 0.001, "share {share}");
}

#[test]
fn false_flags_cause_misattribution_at_the_rate_analysts_fail_to_see_through_them() {
    // Every covert operation carries a flag framing PRK; analysts see through with skill 0.6, and
    // nothing else misleads, so the share of attributions blamed on PRK is 1 − 0.6 = 0.4.
    let mut s = quiet(10.0, 1.0, 1.0);
    s.campaigns[0].false_flag = Some(FalseFlag {
        frame: "PRK".into(),
        share: 1.0,
    });
    let runs = run_arm(&s, 4, 1000, 0);
    let attributed: u32 = runs.iter().map(|r| r.outcome.ops_attributed).sum();
    let mis: u32 = runs.iter().map(|r| r.outcome.misattributions).sum();
    let share = mis as f64 / attributed as f64;
    let sd = (0.4 * 0.6 / attributed as f64).sqrt();
    assert!(attributed > 5000);
    assert!(
        (share - 0.4).abs() < 4.5 * sd,
        "share {share} of {attributed}"
    );
}

#[test]
fn channels_lower_the_risk_of_crisis_in_the_default_scenario() {
    // A mechanism test: the paired difference of P(crisis) between the arms must exclude zero. If
    // consultation, crisis calls or dialogue stop working, the difference collapses to zero.
    let (p, runs) = run_all(&default_scenario(), 2016, 3000);
    let with = arm_index(&p, "with channels");
    let d: Vec<f64> = runs
        .iter()
        .map(|a| {
            f64::from(u8::from(a[with].outcome.crisis()))
                - f64::from(u8::from(a[0].outcome.crisis()))
        })
        .collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let hi = mean + 1.96 * (var / n).sqrt();
    assert!(
        hi < 0.0,
        "channels should lower P(crisis): mean difference {mean}, upper bound {hi}"
    );
    let uses: u32 = runs.iter().map(|a| a[with].outcome.channel_uses).sum();
    let de: u32 = runs.iter().map(|a| a[with].outcome.de_escalations).sum();
    assert!(uses > 0 && de > 0);
}

#[test]
fn an_agreement_with_full_compliance_restrains_every_operation_against_protected_sectors() {
    let mut s = quiet(20.0, 1.0, 1.0);
    s.campaigns[0].sectors = [("critical_infrastructure".to_string(), 1.0)]
        .into_iter()
        .collect();
    s.measures.agreements[0].compliance = 1.0;
    s.arms = vec![ArmSpec {
        name: "agreement".into(),
        measures: vec!["incidents agreement".into()],
        withdrawals: Vec::new(),
    }];
    let (p, runs) = run_all(&s, 6, 200);
    let arm = arm_index(&p, "agreement");
    for a in &runs {
        assert_eq!(a[arm].outcome.ops_launched, 0);
        assert_eq!(a[arm].outcome.restrained, a[0].outcome.ops_launched);
    }
}

/// The operations launched in one run, by key: (executor, severity).
fn launched_by_key(
    p: &Arc<escalate::scenario::Compiled>,
    seed: u64,
    arm: usize,
) -> std::collections::BTreeMap<u64, (usize, u8)> {
    use escalate::model::event_log::Event;
    let (_, log) = Simulator::new(p.clone()).run_logged(seed, 0, arm);
    log.entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::Launched { op, .. } => Some((op.key, (op.executor, op.severity))),
            _ => None,
        })
        .collect()
}

#[test]
fn a_proxy_out_of_control_overreaches_by_its_overreach_and_stays_on_the_scale() {
    // Control 0: every operation of the proxy overreaches. The draws are the same whatever the
    // overreach, so each operation of the proxy is the same operation, 9 points more severe but at
    // most 10, and every other operation is unchanged.
    let mut s = default_scenario();
    s.proxies[0].control = 0.0;
    s.proxies[0].overreach = 0;
    let none = Arc::new(compile(&s));
    s.proxies[0].overreach = 9;
    let nine = Arc::new(compile(&s));
    let proxy = s.states.len();
    let (mut seen, mut capped) = (0, 0);
    for seed in 1..40 {
        let (a, b) = (
            launched_by_key(&none, seed, 0),
            launched_by_key(&nine, seed, 0),
        );
        for (key, &(executor, severity)) in &a {
            let Some(&(_, after)) = b.get(key) else {
                continue; // dropped from one log: its dyad was at war by then
            };
            if executor == proxy {
                assert_eq!(after, (severity + 9).min(10), "operation {key}");
                seen += 1;
                capped += usize::from(severity + 9 > 10);
            } else {
                assert_eq!(after, severity, "operation {key} is not the proxy's");
            }
        }
    }
    assert!(seen > 20, "the proxy ran {seen} operations");
    assert!(capped > 0, "some reach the top of the scale");
}

#[test]
fn the_spiral_confidence_below_sure_caps_every_answer_in_kind() {
    use escalate::model::Trigger;
    use escalate::model::event_log::Event;
    // Every state's unsure cap is "sanctions" (rung 3); answered with confidence 0, no answer in the
    // spiral goes above it. With the default confidence 1 some do (the test is not vacuous).
    let spiral_rungs = |confidence: f64| -> Vec<u8> {
        let mut s = default_scenario();
        s.dynamics.spiral_confidence = confidence;
        let p = Arc::new(compile(&s));
        let mut sim = Simulator::new(p);
        (0..300)
            .flat_map(|seed| sim.run_logged(seed, 0, 0).1.entries)
            .filter_map(|e| match e.event {
                Event::Responded {
                    trigger: Trigger::Spiral,
                    rung,
                    ..
                } => Some(rung),
                _ => None,
            })
            .collect()
    };
    let sure = spiral_rungs(1.0);
    assert!(sure.iter().any(|&r| r > 3), "{sure:?}");
    let unsure = spiral_rungs(0.0);
    assert!(!unsure.is_empty());
    assert!(unsure.iter().all(|&r| r <= 3), "{unsure:?}");
}

#[test]
fn an_agreement_whose_notifications_are_never_answered_never_connects() {
    // In the agreement-only arm the agreement's notification is the only line a victim can call.
    let uses = |reliability: f64| -> (u32, u32) {
        let mut s = default_scenario();
        s.measures.agreements[0].notification_reliability = reliability;
        let (p, runs) = run_all(&s, 8, 400);
        let arm = arm_index(&p, "agreement and pledge only");
        runs.iter().fold((0, 0), |(calls, uses), a| {
            (
                calls + a[arm].outcome.channel_calls,
                uses + a[arm].outcome.channel_uses,
            )
        })
    };
    let (calls, used) = uses(1.0);
    assert!(calls > 0 && used > 0, "{calls} calls, {used} answered");
    let (calls, used) = uses(0.0);
    assert!(calls > 0, "notifications are still sent");
    assert_eq!(used, 0);
}
