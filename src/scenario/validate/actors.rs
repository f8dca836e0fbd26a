//! `states`, `proxies`, `mercenaries`, `independents`: who acts, with unique names.

use super::{Checker, unique};
use crate::scenario::compile::{ExecutorParams, ExecutorRole, StateId, StateParams};
use crate::scenario::types::*;
use crate::units::DCID_LEVELS;

/// The actors resolved: states, every executor (states first), and whom the groups that act on
/// their own account target.
pub(super) struct Actors {
    /// States, by `StateId`.
    pub states: Vec<StateParams>,
    /// States, then proxies, mercenaries and independents, in file order.
    pub executors: Vec<ExecutorParams>,
    /// Per proxy: the states it freelances against.
    pub freelance_targets: Vec<Vec<StateId>>,
    /// Per independent group: the states it targets.
    pub independent_targets: Vec<Vec<StateId>>,
}

/// Checks every actor; returns them resolved (None if a name does not resolve).
pub(super) fn check(c: &mut Checker) -> Option<Actors> {
    let s = c.s;
    if s.states.len() < 2 {
        c.add("states", "a scenario needs at least two states");
    }
    let mut names: Vec<(String, &str)> = Vec::new();
    let mut states = Some(Vec::new());
    let mut executors = Some(Vec::new());
    for (i, st) in s.states.iter().enumerate() {
        names.push((format!("states[{i}].name"), st.name.as_str()));
        push(&mut states, check_state(c, i, st));
        push(
            &mut executors,
            Some(ExecutorParams {
                name: st.name.clone(),
                role: ExecutorRole::State,
                deniability: 0.0,
                patron: Some(i),
            }),
        );
    }
    let mut freelance_targets = Some(Vec::new());
    for (i, px) in s.proxies.iter().enumerate() {
        names.push((format!("proxies[{i}].name"), px.name.as_str()));
        let (executor, targets) = check_proxy(c, i, px).unzip();
        push(&mut executors, executor);
        push(&mut freelance_targets, targets);
    }
    for (i, m) in s.mercenaries.iter().enumerate() {
        names.push((format!("mercenaries[{i}].name"), m.name.as_str()));
        push(&mut executors, check_mercenary(c, i, m));
    }
    let mut independent_targets = Some(Vec::new());
    for (i, ind) in s.independents.iter().enumerate() {
        names.push((format!("independents[{i}].name"), ind.name.as_str()));
        let (executor, targets) = check_independent(c, i, ind).unzip();
        push(&mut executors, executor);
        push(&mut independent_targets, targets);
    }
    unique(c, "actor", names.into_iter());
    Some(Actors {
        states: states?,
        executors: executors?,
        freelance_targets: freelance_targets?,
        independent_targets: independent_targets?,
    })
}

/// Appends `item` to `list`, or makes the whole list unresolved.
pub(super) fn push<T>(list: &mut Option<Vec<T>>, item: Option<T>) {
    match (list.as_mut(), item) {
        (Some(v), Some(x)) => v.push(x),
        _ => *list = None,
    }
}

/// Resolves every name of `names` (None if any fails; each failure is reported).
pub(super) fn all<T>(names: impl Iterator<Item = Option<T>>) -> Option<Vec<T>> {
    let mut out = Some(Vec::new());
    for x in names {
        push(&mut out, x);
    }
    out
}

/// One state: detection, attribution, bias, honesty, doctrine.
fn check_state(c: &mut Checker, i: usize, st: &StateActor) -> Option<StateParams> {
    let p = format!("states[{i}]");
    c.probability(&format!("{p}.detection"), st.detection);
    c.delay(&format!("{p}.detection_delay"), &st.detection_delay);
    c.probability(&format!("{p}.attribution.skill"), st.attribution.skill);
    c.delay(
        &format!("{p}.attribution.time_scale"),
        &st.attribution.time_scale,
    );
    if !(st.attribution.ceiling > 0.0 && st.attribution.ceiling <= 1.0) {
        c.add(
            format!("{p}.attribution.ceiling"),
            format!(
                "{} is out of range; use a number in (0, 1]",
                st.attribution.ceiling
            ),
        );
    }
    if !(st.attribution.public_threshold > 0.0 && st.attribution.public_threshold < 1.0) {
        c.add(
            format!("{p}.attribution.public_threshold"),
            format!(
                "{} is out of range; use a number in (0, 1)",
                st.attribution.public_threshold
            ),
        );
    }
    c.probability(
        &format!("{p}.attribution.forensic_noise"),
        st.attribution.forensic_noise,
    );
    c.non_negative(
        &format!("{p}.attribution.prior_floor_per_year"),
        st.attribution.prior_floor_per_year,
    );
    c.non_negative(&format!("{p}.worst_case_bias"), st.worst_case_bias);
    c.probability(&format!("{p}.honesty"), st.honesty);
    c.non_negative(
        &format!("{p}.deterrence.sensitivity"),
        st.deterrence.sensitivity,
    );
    c.positive(
        &format!("{p}.deterrence.window_days"),
        st.deterrence.window_days,
    );
    c.non_negative(
        &format!("{p}.deterrence.exposure_cost"),
        st.deterrence.exposure_cost,
    );
    c.non_negative(
        &format!("{p}.deterrence.breach_cost"),
        st.deterrence.breach_cost,
    );
    let (response, unsure_cap, reply_rung) =
        check_doctrine(c, &format!("{p}.doctrine"), &st.doctrine)?;
    Some(StateParams {
        name: st.name.clone(),
        spec: st.clone(),
        response,
        unsure_cap,
        reply_rung,
    })
}

/// Rung indices a doctrine names: the response table, the cap while unsure, the reply in kind's rung.
type DoctrineRungs = ([u8; DCID_LEVELS], Option<u8>, Option<u8>);

/// A doctrine: ten rungs by perceived severity, noise, timing, the cap while unsure, the reply in
/// kind. Returns the rungs it names, resolved to indices.
fn check_doctrine(c: &mut Checker, dp: &str, d: &Doctrine) -> Option<DoctrineRungs> {
    if d.response.len() != DCID_LEVELS {
        c.add(
            format!("{dp}.response"),
            format!(
                "has {} entries; give exactly ten rung names, for perceived severities 1 to 10",
                d.response.len()
            ),
        );
    }
    let rungs = all(d
        .response
        .iter()
        .enumerate()
        .map(|(j, r)| c.rung(&format!("{dp}.response[{j}]"), r)));
    let response = rungs.and_then(|r| <[u8; DCID_LEVELS]>::try_from(r).ok());
    c.non_negative(&format!("{dp}.tension_sensitivity"), d.tension_sensitivity);
    if let Some(t) = d.incident_tension {
        c.non_negative(&format!("{dp}.incident_tension"), t);
    }
    c.probability(&format!("{dp}.restraint"), d.restraint);
    c.probability(&format!("{dp}.escalation"), d.escalation);
    if d.restraint + d.escalation > 1.0 {
        c.add(
            format!("{dp}.escalation"),
            format!(
                "restraint + escalation = {} exceeds 1",
                d.restraint + d.escalation
            ),
        );
    }
    if !(d.decision_days >= 1.0 && d.decision_days.is_finite()) {
        c.add(
            format!("{dp}.decision_days"),
            format!(
                "{} is too short; a decision takes at least 1 day",
                d.decision_days
            ),
        );
    }
    c.probability(&format!("{dp}.sure_confidence"), d.sure_confidence);
    let unsure_cap = match &d.unsure_cap {
        Some(cap) => c.rung(&format!("{dp}.unsure_cap"), cap).map(Some),
        None => Some(None),
    };
    c.probability(&format!("{dp}.reply_in_kind"), d.reply_in_kind);
    let reply_rung = match &d.reply_rung {
        Some(rung) => c.rung(&format!("{dp}.reply_rung"), rung).map(Some),
        None if d.reply_in_kind > 0.0 => {
            c.add(
                format!("{dp}.reply_rung"),
                "is missing; a reply in kind (reply_in_kind > 0) needs the rung it is carried out at"
                    .to_string(),
            );
            None
        }
        None => Some(None),
    };
    Some((response?, unsure_cap?, reply_rung?))
}

/// One proxy: its sponsor, control, deniability and freelancing. Returns it as an executor, with
/// the states it freelances against.
fn check_proxy(c: &mut Checker, i: usize, px: &Proxy) -> Option<(ExecutorParams, Vec<StateId>)> {
    let p = format!("proxies[{i}]");
    let patron = match &px.sponsor {
        None => {
            c.add(
                format!("{p}.sponsor"),
                "a proxy needs a sponsor: name the state that sponsors it",
            );
            None
        }
        Some(sp) => c.state(&format!("{p}.sponsor"), sp),
    };
    c.probability(&format!("{p}.control"), px.control);
    if px.overreach > MAX_OVERREACH {
        c.add(
            format!("{p}.overreach"),
            format!(
                "{} is out of range; use 0 to {MAX_OVERREACH} severity points",
                px.overreach
            ),
        );
    }
    c.fraction_below_one(&format!("{p}.deniability"), px.deniability);
    c.non_negative(&format!("{p}.freelance_per_year"), px.freelance_per_year);
    let targets = all(px.freelance_targets.iter().enumerate().map(|(j, t)| {
        let target = c.state(&format!("{p}.freelance_targets[{j}]"), t);
        if target.is_some() && Some(t) == px.sponsor.as_ref() {
            c.add(
                format!("{p}.freelance_targets[{j}]"),
                "a proxy does not freelance against its own sponsor",
            );
        }
        target
    }));
    if px.freelance_per_year > 0.0 {
        if px.freelance_targets.is_empty() {
            c.add(
                format!("{p}.freelance_targets"),
                "freelance_per_year > 0 but no freelance_targets are given",
            );
        }
        c.kinds(&format!("{p}.freelance_kinds"), &px.freelance_kinds, true);
    }
    let executor = ExecutorParams {
        name: px.name.clone(),
        role: ExecutorRole::Proxy {
            control: px.control,
            overreach: px.overreach,
        },
        deniability: px.deniability,
        patron: Some(patron?),
    };
    Some((executor, targets?))
}

/// One mercenary: its clients, deniability and tool reuse.
fn check_mercenary(c: &mut Checker, i: usize, m: &Mercenary) -> Option<ExecutorParams> {
    let p = format!("mercenaries[{i}]");
    if m.clients.is_empty() {
        c.add(
            format!("{p}.clients"),
            "a mercenary needs at least one client state",
        );
    }
    let clients = all(m
        .clients
        .iter()
        .enumerate()
        .map(|(j, cl)| c.state(&format!("{p}.clients[{j}]"), cl)));
    c.fraction_below_one(&format!("{p}.deniability"), m.deniability);
    c.probability(&format!("{p}.tool_reuse"), m.tool_reuse);
    Some(ExecutorParams {
        name: m.name.clone(),
        role: ExecutorRole::Mercenary {
            clients: clients?,
            tool_reuse: m.tool_reuse,
        },
        deniability: m.deniability,
        patron: None,
    })
}

/// One independent group: its rate, targets, mix, and whom it resembles. Returns it as an executor,
/// with the states it targets.
fn check_independent(
    c: &mut Checker,
    i: usize,
    ind: &Independent,
) -> Option<(ExecutorParams, Vec<StateId>)> {
    let p = format!("independents[{i}]");
    c.non_negative(&format!("{p}.rate_per_year"), ind.rate_per_year);
    if ind.targets.is_empty() {
        c.add(format!("{p}.targets"), "list at least one target state");
    }
    let targets = all(ind
        .targets
        .iter()
        .enumerate()
        .map(|(j, t)| c.state(&format!("{p}.targets[{j}]"), t)));
    c.kinds(&format!("{p}.kinds"), &ind.kinds, true);
    c.sector_weights(&format!("{p}.sectors"), &ind.sectors);
    let resembles = match &ind.resembles {
        Some(r) => c.state(&format!("{p}.resembles"), r).map(Some),
        None => Some(None),
    };
    c.probability(&format!("{p}.mimicry"), ind.mimicry);
    c.fraction_below_one(&format!("{p}.deniability"), ind.deniability);
    let executor = ExecutorParams {
        name: ind.name.clone(),
        role: ExecutorRole::Independent {
            kind: ind.kind,
            resembles: resembles?,
            mimicry: ind.mimicry,
        },
        deniability: ind.deniability,
        patron: None,
    };
    Some((executor, targets?))
}
