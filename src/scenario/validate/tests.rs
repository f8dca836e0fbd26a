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
    assert!(matches!(hotline.params, MeasureParams::Channel(_, Some(3))));
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
