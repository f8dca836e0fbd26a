//! `measures` and `arms`: dialogues, channels, agreements and pledges between pairs of states, with
//! unique names; the arms that switch them on.

use super::actors::{all, push};
use super::{Checker, unique};
use crate::scenario::compile::{
    ARM_WITH, ARM_WITHOUT, Arm, CompiledWarning, Measure, MeasureParams,
};
use crate::scenario::types::{Channel, Dialogue, IncidentsAgreement, NonInterference, Warning};

/// Checks the measures and the arms; returns the measures in scenario order (dialogues, channels,
/// agreements, pledges) and the arms (the two built-in ones first), None where a name does not
/// resolve.
pub(super) fn check(c: &mut Checker) -> (Option<Vec<Measure>>, Option<Vec<Arm>>) {
    let measures = check_measures(c);
    let arms = check_arms(c, measures.as_deref());
    (measures, arms)
}

fn check_measures(c: &mut Checker) -> Option<Vec<Measure>> {
    let m = &c.s.measures;
    let mut names: Vec<(String, &str)> = Vec::new();
    let mut out = Some(Vec::new());
    for (i, d) in m.dialogues.iter().enumerate() {
        let p = format!("measures.dialogues[{i}]");
        names.push((format!("{p}.name"), d.name.as_str()));
        push(&mut out, dialogue(c, &p, d));
    }
    for (i, ch) in m.channels.iter().enumerate() {
        let p = format!("measures.channels[{i}]");
        names.push((format!("{p}.name"), ch.name.as_str()));
        push(&mut out, channel(c, &p, ch));
    }
    for (i, a) in m.agreements.iter().enumerate() {
        let p = format!("measures.agreements[{i}]");
        names.push((format!("{p}.name"), a.name.as_str()));
        push(&mut out, agreement(c, &p, a));
    }
    for (i, pl) in m.pledges.iter().enumerate() {
        let p = format!("measures.pledges[{i}]");
        names.push((format!("{p}.name"), pl.name.as_str()));
        push(&mut out, pledge(c, &p, pl));
    }
    unique(c, "measure", names.into_iter());
    out
}

/// Regular dialogue: rounds at least a day apart, their availability, what they build.
fn dialogue(c: &mut Checker, p: &str, d: &Dialogue) -> Option<Measure> {
    let dyad = c.pair(&format!("{p}.between"), &d.between);
    if !(d.interval_days >= 1.0 && d.interval_days.is_finite()) {
        c.add(
            format!("{p}.interval_days"),
            format!(
                "{} is too short; rounds are at least 1 day apart",
                d.interval_days
            ),
        );
    }
    c.probability(&format!("{p}.availability"), d.availability);
    c.probability(&format!("{p}.trust_gain"), d.trust_gain);
    c.probability(&format!("{p}.bias_reduction"), d.bias_reduction);
    if let Some(share) = d.settled_per_round
        && !(share > 0.0 && share <= 1.0)
    {
        c.add(
            format!("{p}.settled_per_round"),
            format!("{share} is out of range; use a number in (0, 1]"),
        );
    }
    c.probability(
        &format!("{p}.erosion_per_missed_round"),
        d.erosion_per_missed_round,
    );
    c.probability(&format!("{p}.red_lines"), d.red_lines);
    measure(&d.name, dyad, MeasureParams::Dialogue(d.clone()))
}

/// A channel: how it connects, from which rung it is consulted, what its evidence proves.
fn channel(c: &mut Checker, p: &str, ch: &Channel) -> Option<Measure> {
    let dyad = c.pair(&format!("{p}.between"), &ch.between);
    c.probability(&format!("{p}.availability"), ch.availability);
    c.probability(&format!("{p}.reliability"), ch.reliability);
    c.non_negative(&format!("{p}.latency_days"), ch.latency_days);
    let from = match &ch.consult_from {
        Some(r) => c.rung(&format!("{p}.consult_from"), r).map(Some),
        None => Some(None),
    };
    c.probability(&format!("{p}.evidence_weight"), ch.evidence_weight);
    let mut refusal = vec![0.0; c.states.len()];
    if let Some((first, second)) = ch.refusal {
        c.probability(&format!("{p}.refusal.0"), first);
        c.probability(&format!("{p}.refusal.1"), second);
        for (name, r) in [(&ch.between.0, first), (&ch.between.1, second)] {
            if let Some(i) = c.states.iter().position(|s| *s == name.as_str()) {
                refusal[i] = r;
            }
        }
    }
    let mut warnings = Some(Vec::new());
    for (j, w) in ch.warnings.iter().enumerate() {
        push(
            &mut warnings,
            warning(c, &format!("{p}.warnings[{j}]"), ch, w),
        );
    }
    measure(
        &ch.name,
        dyad,
        MeasureParams::Channel(ch.clone(), from?, refusal, warnings?),
    )
}

/// A pre-emptive warning: given by a party of the channel, over a window of at least a day, about
/// known sectors, at a non-negative cost.
fn warning(c: &mut Checker, p: &str, ch: &Channel, w: &Warning) -> Option<CompiledWarning> {
    let parties = [ch.between.0.as_str(), ch.between.1.as_str()];
    let side = c.name_in(&format!("{p}.by"), &w.by, "party of the channel", &parties);
    if w.window_days < 1 {
        c.add(format!("{p}.window_days"), "a warning lasts at least 1 day");
    }
    c.non_negative(&format!("{p}.cost"), w.cost);
    let sectors = all(w
        .sectors
        .iter()
        .enumerate()
        .map(|(j, sec)| c.sector(&format!("{p}.sectors[{j}]"), sec)))?;
    let side = side?;
    let by = c.states.iter().position(|s| *s == parties[side])?;
    let to = c.states.iter().position(|s| *s == parties[1 - side])?;
    Some(CompiledWarning {
        by,
        to,
        day: w.day,
        until: w.day.saturating_add(w.window_days),
        sectors: (0..c.s.sectors.len())
            .map(|k| sectors.is_empty() || sectors.contains(&k))
            .collect(),
        cost: w.cost,
    })
}

/// An incidents agreement: the sectors it protects (as a mask over the scenario's sectors),
/// compliance and notification.
fn agreement(c: &mut Checker, p: &str, a: &IncidentsAgreement) -> Option<Measure> {
    let dyad = c.pair(&format!("{p}.between"), &a.between);
    if a.protected_sectors.is_empty() {
        c.add(
            format!("{p}.protected_sectors"),
            "list at least one protected sector",
        );
    }
    let protected = all(a
        .protected_sectors
        .iter()
        .enumerate()
        .map(|(j, sec)| c.sector(&format!("{p}.protected_sectors[{j}]"), sec)));
    c.probability(&format!("{p}.compliance"), a.compliance);
    let by_id = party_compliance(c, p, &a.between, a.compliance, a.party_compliance);
    c.probability(&format!("{p}.advance_notice"), a.advance_notice);
    c.probability(&format!("{p}.consultation"), a.consultation);
    c.probability(&format!("{p}.review_trust_gain"), a.review_trust_gain);
    c.probability(&format!("{p}.notification"), a.notification);
    c.probability(
        &format!("{p}.notification_reliability"),
        a.notification_reliability,
    );
    c.non_negative(
        &format!("{p}.notification_latency_days"),
        a.notification_latency_days,
    );
    let protected = protected?;
    let mask = (0..c.s.sectors.len())
        .map(|k| protected.contains(&k))
        .collect();
    measure(
        &a.name,
        dyad,
        MeasureParams::Agreement(a.clone(), mask, by_id),
    )
}

/// Each party's compliance in state id order (`between` may name the higher id first), checking
/// `party_compliance` when it is given.
fn party_compliance(
    c: &mut Checker,
    p: &str,
    between: &(String, String),
    compliance: f64,
    party: Option<(f64, f64)>,
) -> [f64; 2] {
    let (first, second) = party.unwrap_or((compliance, compliance));
    if party.is_some() {
        c.probability(&format!("{p}.party_compliance.0"), first);
        c.probability(&format!("{p}.party_compliance.1"), second);
    }
    let first_is_lower = c.states.iter().position(|s| *s == between.0.as_str())
        < c.states.iter().position(|s| *s == between.1.as_str());
    if first_is_lower {
        [first, second]
    } else {
        [second, first]
    }
}

/// A non-interference pledge: the kinds and sectors it covers, compliance per party.
fn pledge(c: &mut Checker, p: &str, pl: &NonInterference) -> Option<Measure> {
    let dyad = c.pair(&format!("{p}.between"), &pl.between);
    c.probability(&format!("{p}.compliance"), pl.compliance);
    let compliance = party_compliance(c, p, &pl.between, pl.compliance, pl.party_compliance);
    if pl.kinds.is_empty() && pl.sectors.is_empty() {
        c.add(
            format!("{p}.kinds"),
            "the pledge covers nothing; list at least one kind or sector",
        );
    }
    let covered = all(pl
        .sectors
        .iter()
        .enumerate()
        .map(|(j, sec)| c.sector(&format!("{p}.sectors[{j}]"), sec)))?;
    let mask = (0..c.s.sectors.len())
        .map(|k| covered.contains(&k))
        .collect();
    measure(
        &pl.name,
        dyad,
        MeasureParams::Pledge(pl.clone(), mask, compliance),
    )
}

fn measure(name: &str, dyad: Option<usize>, params: MeasureParams) -> Option<Measure> {
    Some(Measure {
        name: name.to_string(),
        dyad: dyad?,
        params,
    })
}

/// Arms are chosen on the command line by name or by slug (`--arm with-channels`): two different
/// names with one slug would make that choice ambiguous.
fn slugs_distinct(c: &mut Checker, names: &[(String, &str)]) {
    let mut seen: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    for (path, name) in names {
        let slug = crate::scenario::text::slug(name);
        match seen.get(&slug) {
            Some(first) if first != name => c.add(
                path.clone(),
                format!(
                    "arm \"{name}\" has the same short name \"{slug}\" as arm \"{first}\" (arms are chosen by it, e.g. --arm {slug}); rename one of them"
                ),
            ),
            Some(_) => {}
            None => {
                seen.insert(slug, name);
            }
        }
    }
}

/// The arms: the two built-in ones, then the scenario's, each naming known measures; unique names.
fn check_arms(c: &mut Checker, measures: Option<&[Measure]>) -> Option<Vec<Arm>> {
    let s = c.s;
    let m = &s.measures;
    let measure_names: Vec<&str> = (m.dialogues.iter().map(|x| x.name.as_str()))
        .chain(m.channels.iter().map(|x| x.name.as_str()))
        .chain(m.agreements.iter().map(|x| x.name.as_str()))
        .chain(m.pledges.iter().map(|x| x.name.as_str()))
        .collect();
    let mut names: Vec<(String, &str)> = vec![
        ("(built-in arm)".to_string(), ARM_WITHOUT),
        ("(built-in arm)".to_string(), ARM_WITH),
    ];
    for (i, arm) in s.arms.iter().enumerate() {
        names.push((format!("arms[{i}].name"), arm.name.as_str()));
        for (j, mn) in arm.measures.iter().enumerate() {
            c.name_in(
                &format!("arms[{i}].measures[{j}]"),
                mn,
                "measure",
                &measure_names,
            );
        }
    }
    slugs_distinct(c, &names);
    unique(c, "arm", names.into_iter());
    let common =
        super::withdrawals::check(c, "measures.withdrawals", &s.measures.withdrawals, measures);
    let own: Vec<_> = s
        .arms
        .iter()
        .enumerate()
        .map(|(i, a)| {
            super::withdrawals::check(
                c,
                &format!("arms[{i}].withdrawals"),
                &a.withdrawals,
                measures,
            )
        })
        .collect();
    let measures = measures?;
    let common = common?;
    let mut arms = vec![
        Arm {
            name: ARM_WITHOUT.to_string(),
            active: vec![false; measures.len()],
            withdrawals: Vec::new(),
        },
        Arm {
            name: ARM_WITH.to_string(),
            active: vec![true; measures.len()],
            withdrawals: common.clone(),
        },
    ];
    for (a, own) in s.arms.iter().zip(own) {
        let active: Vec<bool> = measures
            .iter()
            .map(|m| a.measures.contains(&m.name))
            .collect();
        let withdrawals = common
            .iter()
            .chain(&own?)
            .filter(|w| active[w.measure])
            .cloned()
            .collect();
        arms.push(Arm {
            name: a.name.clone(),
            active,
            withdrawals,
        });
    }
    Some(arms)
}
