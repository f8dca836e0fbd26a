//! Unit tests of validation.

use super::*;
use crate::scenario::load::{DEFAULT_SCENARIO, parse_scenario};

fn default() -> Scenario {
    parse_scenario("default", DEFAULT_SCENARIO)
        .expect("valid")
        .scenario
}

fn paths(s: &Scenario) -> Vec<String> {
    validate(s)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|p| p.path)
        .collect()
}

#[test]
fn the_default_scenario_has_no_problem() {
    assert!(validate(&default()).is_ok());
}

#[test]
fn a_crisis_rung_above_the_first_kinetic_rung_is_rejected() {
    let mut s = default();
    s.ladder.crisis = "full kinetic conflict".into();
    assert!(paths(&s).contains(&"ladder.crisis".to_string()));
}

#[test]
fn decisions_and_dialogue_rounds_take_at_least_a_day() {
    let mut s = default();
    s.states[0].doctrine.decision_days = 0.5;
    s.measures.dialogues[0].interval_days = 0.2;
    let p = paths(&s);
    assert!(
        p.contains(&"states[0].doctrine.decision_days".to_string()),
        "{p:?}"
    );
    assert!(
        p.contains(&"measures.dialogues[0].interval_days".to_string()),
        "{p:?}"
    );
}

#[test]
fn a_pair_listed_twice_in_relations_is_rejected_in_either_order() {
    let mut s = default();
    let mut r = s.relations[0].clone();
    r.between = (r.between.1.clone(), r.between.0.clone());
    s.relations.push(r);
    assert!(paths(&s).contains(&format!("relations[{}].between", s.relations.len() - 1)));
}

#[test]
fn did_you_mean_finds_close_names_only() {
    assert_eq!(did_you_mean("RUSS", &["US", "RUS", "PRK"]), Some("RUS"));
    assert_eq!(
        did_you_mean("hotlien", &["hotline", "dialogue"]),
        Some("hotline")
    );
    assert_eq!(did_you_mean("completely different", &["US", "RUS"]), None);
}

#[test]
fn a_state_that_can_never_attribute_is_warned_about() {
    let mut s = default();
    s.states[0].attribution.ceiling = 0.7;
    let w = warnings(&s);
    assert!(
        w.iter().any(
            |p| p.path == "states[0].attribution.ceiling" && p.message.contains("US can never")
        ),
        "{w:?}"
    );
    assert!(warnings(&default()).is_empty());
}

#[test]
fn a_valid_scenario_comes_out_compiled_with_its_names_resolved() {
    use crate::scenario::compile::{MeasureParams, SourceKind, dyad_index};
    let c = validate(&default()).expect("valid");
    // States in file order: US 0, RUS 1, PRK 2; executors: the states, then the proxy CyberBerkut.
    let (us, rus) = (0, 1);
    assert_eq!(c.sources[0].kind, SourceKind::Campaign);
    assert_eq!(c.sources[0].sponsor, Some(rus));
    assert_eq!(c.sources[0].targets, vec![us]);
    assert_eq!(c.sources[0].executor, rus, "a state runs its own campaign");
    assert_eq!(
        c.executors[c.sources[1].executor].name,
        "crime-as-a-service"
    );
    assert_eq!(c.executors[c.sources[3].executor].name, "CyberBerkut");
    assert_eq!(c.executors[3].patron, Some(rus));
    assert_eq!(c.crisis_rung, 5, "\"disruptive attack\"");
    assert_eq!(c.kinetic_rung, Some(7));
    assert_eq!(c.states[us].unsure_cap, Some(3), "\"sanctions\"");
    assert_eq!(c.states[us].response[4], 0, "severity 5: \"competition\"");
    assert_eq!(
        c.states[us].response[5], 2,
        "severity 6: \"public attribution\""
    );
    assert_eq!(c.states[us].reply_rung, Some(4), "\"cyber retaliation\"");
    let hotline = c
        .measures
        .iter()
        .find(|m| m.name == "hotline")
        .expect("hotline");
    assert_eq!(hotline.dyad, dyad_index(3, us, rus));
    assert!(matches!(
        hotline.params,
        MeasureParams::Channel(_, Some(3), _, _)
    ));
    let only = c
        .arms
        .iter()
        .find(|a| a.name == "hotline only")
        .expect("arm");
    let on: Vec<&str> = c
        .measures
        .iter()
        .zip(&only.active)
        .filter(|(_, a)| **a)
        .map(|(m, _)| m.name.as_str())
        .collect();
    assert_eq!(on, ["hotline"]);
}

#[test]
fn names_that_do_not_resolve_are_problems_never_a_panic() {
    let mut s = default();
    s.campaigns[0].sponsor = "Atlantis".into();
    s.campaigns[1].executor = Some("Nobody".into());
    s.proxies[0].sponsor = None;
    s.states[0].doctrine.response[3] = "nope".into();
    s.states[1].doctrine.unsure_cap = Some("nope".into());
    s.measures.channels[0].consult_from = Some("nope".into());
    s.measures.agreements[0].protected_sectors[0] = "moon".into();
    s.relations[0].between.1 = "Atlantis".into();
    s.arms[0].measures[0] = "nope".into();
    let problems = validate(&s).expect_err("invalid");
    let p: Vec<&str> = problems.iter().map(|x| x.path.as_str()).collect();
    for expected in [
        "campaigns[0].sponsor",
        "campaigns[1].executor",
        "proxies[0].sponsor",
        "states[0].doctrine.response[3]",
        "states[1].doctrine.unsure_cap",
        "measures.channels[0].consult_from",
        "measures.agreements[0].protected_sectors[0]",
        "relations[0].between.1",
        "arms[0].measures[0]",
    ] {
        assert!(p.contains(&expected), "{expected} missing from {p:?}");
    }
}

#[test]
fn problems_are_listed_in_the_order_of_the_file() {
    let mut s = default();
    s.injects.push(Inject {
        day: 99_999,
        executor: "US".into(),
        sponsor: None,
        kind: OperationKind::Espionage,
        target: "RUS".into(),
        sector: None,
        severity: None,
        overt: false,
        false_flag: None,
        detected_after_days: None,
    });
    s.arms[0].measures[0] = "nope".into();
    s.dynamics.lie_discovery = 2.0;
    s.campaigns[0].overt_share = -1.0;
    s.states[0].honesty = 2.0;
    s.ladder.rungs[1].score = f64::NAN;
    s.operation_kinds[0].detectability = 2.0;
    s.replicates = 0;
    let p: Vec<String> = paths(&s);
    assert_eq!(
        p,
        [
            "replicates",
            "operation_kinds[0].detectability",
            "ladder.rungs[1].score",
            "states[0].honesty",
            "campaigns[0].overt_share",
            "dynamics.lie_discovery",
            "arms[0].measures[0]",
            "injects[0].day",
        ]
    );
}

#[test]
fn mechanism_parameters_out_of_range_are_named() {
    let mut s = default();
    s.proxies[0].overreach = 10;
    s.measures.agreements[0].notification_reliability = -0.1;
    s.dynamics.spiral_confidence = 1.5;
    let problems = validate(&s).expect_err("invalid");
    let find = |path: &str| {
        problems
            .iter()
            .find(|p| p.path == path)
            .unwrap_or_else(|| panic!("no problem at {path}: {problems:?}"))
            .message
            .clone()
    };
    assert_eq!(
        find("proxies[0].overreach"),
        "10 is out of range; use 0 to 9 severity points"
    );
    assert!(find("measures.agreements[0].notification_reliability").contains("not a probability"));
    assert!(find("dynamics.spiral_confidence").contains("not a probability"));
    s.proxies[0].overreach = 9;
    s.measures.agreements[0].notification_reliability = 0.0;
    s.dynamics.spiral_confidence = 0.0;
    assert!(validate(&s).is_ok(), "the ends of the ranges are valid");
}

#[test]
fn the_measures_new_parameters_are_checked_with_their_field_paths() {
    let mut s = default();
    let a = &mut s.measures.agreements[0];
    a.party_compliance = Some((0.5, 1.5));
    a.advance_notice = -0.1;
    a.consultation = 2.0;
    a.review_trust_gain = f64::NAN;
    let pl = &mut s.measures.pledges[0];
    pl.sectors = vec!["electons".into()];
    pl.party_compliance = Some((1.2, 0.0));
    let p = paths(&s);
    for path in [
        "measures.agreements[0].party_compliance.1",
        "measures.agreements[0].advance_notice",
        "measures.agreements[0].consultation",
        "measures.agreements[0].review_trust_gain",
        "measures.pledges[0].sectors[0]",
        "measures.pledges[0].party_compliance.0",
    ] {
        assert!(p.contains(&path.to_string()), "{path} not in {p:?}");
    }
    assert!(!p.contains(&"measures.agreements[0].party_compliance.0".to_string()));
    let ch = &mut s.measures.channels[0];
    ch.refusal = Some((0.0, -1.0));
    ch.warnings = vec![crate::scenario::types::Warning {
        by: "PRK".into(),
        day: 3,
        window_days: 0,
        sectors: vec!["moon".into()],
        cost: -1.0,
    }];
    let p = paths(&s);
    for path in [
        "measures.channels[0].refusal.1",
        "measures.channels[0].warnings[0].by",
        "measures.channels[0].warnings[0].window_days",
        "measures.channels[0].warnings[0].sectors[0]",
        "measures.channels[0].warnings[0].cost",
    ] {
        assert!(p.contains(&path.to_string()), "{path} not in {p:?}");
    }
    let mut s = default();
    s.measures.pledges[0].kinds.clear();
    s.measures.pledges[0].sectors.clear();
    assert!(paths(&s).contains(&"measures.pledges[0].kinds".to_string()));
}

#[test]
fn party_compliance_follows_the_state_ids_whatever_the_order_of_between() {
    let mut s = default();
    let a = &mut s.measures.agreements[0];
    a.between = (a.between.1.clone(), a.between.0.clone());
    a.party_compliance = Some((0.9, 0.1));
    let p = validate(&s).expect("valid");
    let first = p
        .states
        .iter()
        .position(|x| x.name == s.measures.agreements[0].between.0);
    let m = p
        .measures
        .iter()
        .find(|m| m.name == "incidents agreement")
        .expect("the agreement");
    let crate::scenario::compile::MeasureParams::Agreement(_, _, by_id) = &m.params else {
        panic!("an agreement")
    };
    // The first named party is the one with the higher id here (RUS after US).
    assert_eq!(first, Some(1));
    assert_eq!(*by_id, [0.1, 0.9]);
}

#[test]
fn withdrawals_name_a_measure_one_of_its_parties_and_a_condition_that_can_hold() {
    use crate::scenario::types::{Exit, Withdrawal};
    let w = |measure: &str, by: &str, when| Withdrawal {
        measure: measure.into(),
        by: by.into(),
        when,
    };
    let mut s = default();
    s.measures.withdrawals = vec![
        w("incidents agreemnt", "US", Exit::Declines),
        w("incidents agreement", "PRK", Exit::Day(10)),
        w("hotline", "US", Exit::Violations(0)),
        w("hotline", "RUS", Exit::Tension(0.0)),
        w("hotline", "RUS", Exit::Tension(f64::NAN)),
        w("dialogue", "USA", Exit::Day(1)),
    ];
    s.arms[0]
        .withdrawals
        .push(w("hotline", "US", Exit::Tension(99.0)));
    let problems = validate(&s).err().unwrap_or_default();
    let p: Vec<&str> = problems.iter().map(|x| x.path.as_str()).collect();
    assert_eq!(
        p,
        [
            "measures.withdrawals[0].measure",
            "measures.withdrawals[1].by",
            "measures.withdrawals[2].when",
            "measures.withdrawals[3].when",
            "measures.withdrawals[4].when",
            "measures.withdrawals[5].by",
            "arms[0].withdrawals[0].when",
        ]
    );
    assert!(
        problems[0]
            .message
            .contains("did you mean \"incidents agreement\"")
    );
    assert!(problems[1].message.contains("not a party"));
}

#[test]
fn withdrawals_reach_the_arms_that_run_their_measure() {
    use crate::scenario::types::{Exit, Withdrawal};
    let mut s = default();
    s.measures.withdrawals = vec![Withdrawal {
        measure: "hotline".into(),
        by: "RUS".into(),
        when: Exit::Day(100),
    }];
    let c = validate(&s).expect("valid");
    let hotline = c.measures.iter().position(|m| m.name == "hotline");
    let with = &c.arms[1];
    assert_eq!(with.withdrawals.len(), 1);
    assert_eq!(Some(with.withdrawals[0].measure), hotline);
    assert_eq!(with.scheduled_until()[with.withdrawals[0].measure], 100);
    // Off in "without channels"; on only in the arms that run the hotline.
    assert!(c.arms[0].withdrawals.is_empty());
    for (spec, arm) in s.arms.iter().zip(&c.arms[2..]) {
        let runs = spec.measures.iter().any(|m| m == "hotline");
        let own = spec.withdrawals.len();
        assert_eq!(
            arm.withdrawals.len(),
            usize::from(runs) + own,
            "{}",
            arm.name
        );
    }
}
