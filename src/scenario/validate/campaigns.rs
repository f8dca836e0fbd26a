//! `campaigns`: who orders operations against whom, through which executor; and the operation
//! sources they become, with the freelancing proxies' and independent groups' own.

use super::Checker;
use super::actors::{Actors, push};
use crate::scenario::compile::{Source, SourceKind, StateId, kind_cdf, sector_cdf};
use crate::scenario::types::*;
use crate::units::DAYS_PER_YEAR;

/// A campaign's names resolved.
pub(super) struct CampaignIndex {
    sponsor: StateId,
    target: StateId,
    executor: usize,
    frame: Option<StateId>,
}

/// Checks every campaign; returns them resolved (None if a name does not resolve).
pub(super) fn check(c: &mut Checker) -> Option<Vec<CampaignIndex>> {
    let s = c.s;
    // Campaign executors: states, proxies and mercenaries, which are also the first executors.
    let mut executors: Vec<&str> = c.states.clone();
    executors.extend(s.proxies.iter().map(|x| x.name.as_str()));
    executors.extend(s.mercenaries.iter().map(|x| x.name.as_str()));
    let mut out = Some(Vec::new());
    for (i, camp) in s.campaigns.iter().enumerate() {
        push(&mut out, check_campaign(c, i, camp, &executors));
    }
    out
}

fn check_campaign(
    c: &mut Checker,
    i: usize,
    camp: &Campaign,
    executors: &[&str],
) -> Option<CampaignIndex> {
    let p = format!("campaigns[{i}]");
    let sponsor = c.state(&format!("{p}.sponsor"), &camp.sponsor);
    let target = c.state(&format!("{p}.target"), &camp.target);
    if sponsor.is_some() && target.is_some() && camp.sponsor == camp.target {
        c.add(
            format!("{p}.target"),
            "a state does not run operations against itself",
        );
    }
    let executor = match &camp.executor {
        Some(ex) => {
            let e = c.name_in(
                &format!("{p}.executor"),
                ex,
                "executor (state, proxy or mercenary)",
                executors,
            );
            if e.is_some() {
                check_executor_role(c, &p, camp, ex);
            }
            e
        }
        None => sponsor,
    };
    c.non_negative(&format!("{p}.rate_per_year"), camp.rate_per_year);
    c.kinds(&format!("{p}.kinds"), &camp.kinds, true);
    c.sector_weights(&format!("{p}.sectors"), &camp.sectors);
    c.probability(&format!("{p}.overt_share"), camp.overt_share);
    let frame = match &camp.false_flag {
        Some(ff) => {
            let frame = c.state(&format!("{p}.false_flag.frame"), &ff.frame);
            if frame.is_some() && (ff.frame == camp.sponsor || ff.frame == camp.target) {
                c.add(
                    format!("{p}.false_flag.frame"),
                    "a false flag frames a third state, not the sponsor or the target",
                );
            }
            c.probability(&format!("{p}.false_flag.share"), ff.share);
            Some(frame?)
        }
        None => None,
    };
    Some(CampaignIndex {
        sponsor: sponsor?,
        target: target?,
        executor: executor?,
        frame,
    })
}

/// A campaign's executor must work for its sponsor: the sponsor's own proxy, a mercenary that lists
/// it as a client, or the sponsor itself.
fn check_executor_role(c: &mut Checker, p: &str, camp: &Campaign, ex: &String) {
    let s = c.s;
    if let Some(px) = s.proxies.iter().find(|x| &x.name == ex) {
        if px.sponsor.as_ref() != Some(&camp.sponsor) {
            c.add(
                format!("{p}.executor"),
                format!(
                    "proxy \"{ex}\" is sponsored by {:?}, not by \"{}\"",
                    px.sponsor.as_deref().unwrap_or("nobody"),
                    camp.sponsor
                ),
            );
        }
    } else if let Some(m) = s.mercenaries.iter().find(|x| &x.name == ex) {
        if !m.clients.contains(&camp.sponsor) {
            c.add(
                format!("{p}.executor"),
                format!(
                    "mercenary \"{ex}\" does not list \"{}\" among its clients ({})",
                    camp.sponsor,
                    m.clients.join(", ")
                ),
            );
        }
    } else if ex != &camp.sponsor {
        c.add(format!("{p}.executor"), format!("state \"{ex}\" cannot execute operations sponsored by \"{}\"; use a proxy or mercenary, or the sponsor itself", camp.sponsor));
    }
}

/// The operation sources: campaigns, then freelancing proxies, then independent groups (those with
/// a positive rate), each a Poisson stream of operations.
pub(super) fn sources(s: &Scenario, actors: &Actors, campaigns: Vec<CampaignIndex>) -> Vec<Source> {
    let mut sources = Vec::new();
    for (camp, ix) in s.campaigns.iter().zip(campaigns) {
        sources.push(Source {
            kind: SourceKind::Campaign,
            sponsor: Some(ix.sponsor),
            executor: ix.executor,
            targets: vec![ix.target],
            rate_per_day: camp.rate_per_year / DAYS_PER_YEAR,
            kind_cdf: kind_cdf(&camp.kinds),
            sector_cdf: sector_cdf(s, &camp.sectors),
            overt_share: camp.overt_share,
            false_flag: camp
                .false_flag
                .as_ref()
                .zip(ix.frame)
                .map(|(f, frame)| (frame, f.share)),
            label: format!(
                "{} → {} via {}",
                camp.sponsor, camp.target, actors.executors[ix.executor].name
            ),
        });
    }
    let n = s.states.len();
    for (i, p) in s.proxies.iter().enumerate() {
        if p.freelance_per_year > 0.0 {
            sources.push(Source {
                kind: SourceKind::Freelance,
                sponsor: None,
                executor: n + i,
                targets: actors.freelance_targets[i].clone(),
                rate_per_day: p.freelance_per_year / DAYS_PER_YEAR,
                kind_cdf: kind_cdf(&p.freelance_kinds),
                sector_cdf: sector_cdf(s, &Default::default()),
                overt_share: 0.0,
                false_flag: None,
                label: format!("{} freelancing", p.name),
            });
        }
    }
    let first_independent = n + s.proxies.len() + s.mercenaries.len();
    for (i, ind) in s.independents.iter().enumerate() {
        if ind.rate_per_year > 0.0 {
            sources.push(Source {
                kind: SourceKind::Independent,
                sponsor: None,
                executor: first_independent + i,
                targets: actors.independent_targets[i].clone(),
                rate_per_day: ind.rate_per_year / DAYS_PER_YEAR,
                kind_cdf: kind_cdf(&ind.kinds),
                sector_cdf: sector_cdf(s, &ind.sectors),
                overt_share: 0.0,
                false_flag: None,
                label: ind.name.clone(),
            });
        }
    }
    sources
}
