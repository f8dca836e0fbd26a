//! `injects`: scripted operations with known names, a sponsor that fits the executor's role, and a
//! day in the run; each becomes an operation source of its own.

use super::Checker;
use super::actors::push;
use crate::scenario::compile::{
    CompiledInject, Source, SourceKind, StateId, inject_sponsor, sector_cdf,
};
use crate::scenario::types::*;
use crate::units::DCID_MAX;

/// An inject's names resolved.
pub(super) struct InjectIndex {
    executor: usize,
    target: StateId,
    sponsor: Option<StateId>,
    sector: Option<usize>,
    false_flag: Option<StateId>,
}

/// Checks every inject; returns them resolved (None if a name does not resolve).
pub(super) fn check(c: &mut Checker) -> Option<Vec<InjectIndex>> {
    let s = c.s;
    let executors: Vec<&str> = s
        .states
        .iter()
        .map(|x| x.name.as_str())
        .chain(s.proxies.iter().map(|x| x.name.as_str()))
        .chain(s.mercenaries.iter().map(|x| x.name.as_str()))
        .chain(s.independents.iter().map(|x| x.name.as_str()))
        .collect();
    let mut out = Some(Vec::new());
    for (i, inj) in s.injects.iter().enumerate() {
        push(&mut out, check_inject(c, i, inj, &executors));
    }
    out
}

fn check_inject(
    c: &mut Checker,
    i: usize,
    inj: &Inject,
    executors: &[&str],
) -> Option<InjectIndex> {
    let s = c.s;
    let p = format!("injects[{i}]");
    if inj.day >= s.horizon_days {
        c.add(
            format!("{p}.day"),
            format!(
                "day {} is not in the run; use a day from 0 to {}",
                inj.day,
                s.horizon_days.saturating_sub(1)
            ),
        );
    }
    let executor = c.name_in(
        &format!("{p}.executor"),
        &inj.executor,
        "executor",
        executors,
    );
    let target = c.state(&format!("{p}.target"), &inj.target);
    let sector = match &inj.sector {
        Some(sec) => c.sector(&format!("{p}.sector"), sec).map(Some),
        None => Some(None),
    };
    let false_flag = match &inj.false_flag {
        Some(f) => {
            let framed = c.state(&format!("{p}.false_flag"), f);
            if framed.is_some() && *f == inj.target {
                c.add(
                    format!("{p}.false_flag"),
                    "a false flag must point at a state other than the target",
                );
            }
            framed.map(Some)
        }
        None => Some(None),
    };
    if let Some(sev) = inj.severity
        && !(1..=DCID_MAX).contains(&sev)
    {
        c.add(
            format!("{p}.severity"),
            format!("{sev} is not a DCID severity; use 1 to 10"),
        );
    }
    if !s.operation_kinds.iter().any(|k| k.kind == inj.kind) {
        c.add(
            format!("{p}.kind"),
            format!(
                "kind {:?} has no entry in operation_kinds; add one",
                inj.kind
            ),
        );
    }
    if target.is_some() && inj.executor == inj.target {
        c.add(format!("{p}.target"), "a state does not attack itself");
    }
    let sponsor = check_sponsor(c, &p, inj, executor.is_some());
    Some(InjectIndex {
        executor: executor?,
        target: target?,
        sponsor: sponsor?,
        sector: sector?,
        false_flag: false_flag?,
    })
}

/// The inject's sponsor, as written (checked against the executor's role) or by default (see
/// [`inject_sponsor`]); Some(None) for an operation nobody ordered, None if it does not resolve.
fn check_sponsor(
    c: &mut Checker,
    p: &str,
    inj: &Inject,
    known_executor: bool,
) -> Option<Option<StateId>> {
    let s = c.s;
    if let Some(sponsor) = &inj.sponsor {
        let resolved = c.state(&format!("{p}.sponsor"), sponsor);
        if resolved.is_none() || !known_executor {
            return resolved.map(Some);
        }
        if let Some(msg) = role_problem(s, inj, sponsor) {
            c.add(format!("{p}.sponsor"), msg);
        }
        if *sponsor == inj.target {
            c.add(format!("{p}.sponsor"), "a state does not attack itself");
        }
        return resolved.map(Some);
    }
    match inject_sponsor(s, inj) {
        None => Some(None),
        // The default sponsor is a state named by the executor's own entry, checked there.
        Some(name) => s.states.iter().position(|x| x.name == name).map(Some),
    }
}

/// What is wrong with `sponsor` ordering an operation by the inject's executor, if anything.
fn role_problem(s: &Scenario, inj: &Inject, sponsor: &String) -> Option<String> {
    if s.states.iter().any(|x| x.name == inj.executor) {
        (*sponsor != inj.executor).then(|| {
            format!(
                "a state acts for itself; drop the sponsor or make it \"{}\"",
                inj.executor
            )
        })
    } else if let Some(px) = s.proxies.iter().find(|x| x.name == inj.executor) {
        (px.sponsor.as_ref() != Some(sponsor)).then(|| {
            format!(
                "proxy \"{}\" works for {}",
                px.name,
                px.sponsor.as_deref().unwrap_or("no state")
            )
        })
    } else if let Some(m) = s.mercenaries.iter().find(|x| x.name == inj.executor) {
        (!m.clients.contains(sponsor)).then(|| {
            format!(
                "mercenary \"{}\" works for {}",
                m.name,
                m.clients
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    } else {
        Some(format!(
            "independent group \"{}\" works for no state; drop the sponsor",
            inj.executor
        ))
    }
}

/// Each inject becomes a source of its own after every drawn source (rate 0: planning never draws
/// from it), and a scripted operation on it.
pub(super) fn compile(
    s: &Scenario,
    sources: &mut Vec<Source>,
    injects: Vec<InjectIndex>,
) -> Vec<CompiledInject> {
    let mut out = Vec::new();
    for (i, (inj, ix)) in s.injects.iter().zip(injects).enumerate() {
        out.push(CompiledInject {
            source: sources.len(),
            day: inj.day,
            kind: inj.kind,
            severity: inj.severity,
            sector: ix.sector,
            overt: inj.overt,
            false_flag: ix.false_flag,
            detected_after_days: inj.detected_after_days,
        });
        sources.push(Source {
            kind: if ix.sponsor.is_some() {
                SourceKind::Campaign
            } else {
                SourceKind::Independent
            },
            sponsor: ix.sponsor,
            executor: ix.executor,
            targets: vec![ix.target],
            rate_per_day: 0.0,
            kind_cdf: [1.0; 5],
            sector_cdf: sector_cdf(s, &Default::default()),
            overt_share: 0.0,
            false_flag: None,
            label: format!("inject {}", i + 1),
        });
    }
    out
}
