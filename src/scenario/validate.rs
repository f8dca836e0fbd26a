//! Semantic validation: every problem of a parsed scenario, with its field path and what would be valid.

use super::types::*;
pub use crate::error::Problem;
use std::collections::{BTreeMap, BTreeSet};

/// Longest horizon accepted (100 years): bounds memory and keeps every day in range.
pub const MAX_HORIZON_DAYS: u32 = 36_525;
/// Most rungs a ladder may have (rungs are indexed by a byte).
pub const MAX_RUNGS: usize = 255;

struct Checker<'a> {
    s: &'a Scenario,
    problems: Vec<Problem>,
    states: Vec<&'a str>,
    rungs: Vec<&'a str>,
}

/// Levenshtein distance, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'c>(name: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates
        .iter()
        .map(|c| (edit_distance(name, c), *c))
        .filter(|(d, c)| *d <= (c.len().max(name.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

impl<'a> Checker<'a> {
    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn probability(&mut self, path: &str, v: f64) {
        if !(0.0..=1.0).contains(&v) || v.is_nan() {
            self.add(
                path,
                format!("{v} is not a probability; use a number in [0, 1]"),
            );
        }
    }

    fn fraction_below_one(&mut self, path: &str, v: f64) {
        if !(0.0..1.0).contains(&v) || v.is_nan() {
            self.add(path, format!("{v} is out of range; use a number in [0, 1)"));
        }
    }

    fn non_negative(&mut self, path: &str, v: f64) {
        if !(v >= 0.0 && v.is_finite()) {
            self.add(path, format!("{v} must be a finite number ≥ 0"));
        }
    }

    fn positive(&mut self, path: &str, v: f64) {
        if !(v > 0.0 && v.is_finite()) {
            self.add(path, format!("{v} must be a finite number > 0"));
        }
    }

    fn name_in(&mut self, path: &str, name: &str, what: &str, candidates: &[&str]) -> bool {
        if candidates.contains(&name) {
            return true;
        }
        let hint = match did_you_mean(name, candidates) {
            Some(c) => format!("; did you mean \"{c}\"?"),
            None => String::new(),
        };
        self.add(
            path,
            format!(
                "unknown {what} \"{name}\"{hint} (known: {})",
                candidates
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        false
    }

    fn state(&mut self, path: &str, name: &str) -> bool {
        let states = self.states.clone();
        self.name_in(path, name, "state", &states)
    }

    fn rung(&mut self, path: &str, name: &str) -> bool {
        let rungs = self.rungs.clone();
        self.name_in(path, name, "rung", &rungs)
    }

    fn pair(&mut self, path: &str, pair: &(String, String)) {
        let a = self.state(&format!("{path}.0"), &pair.0);
        let b = self.state(&format!("{path}.1"), &pair.1);
        if a && b && pair.0 == pair.1 {
            self.add(path, "a measure needs two different states");
        }
    }

    fn delay(&mut self, path: &str, d: &Delay) {
        self.positive(&format!("{path}.median_days"), d.median_days);
        self.non_negative(&format!("{path}.spread"), d.spread);
    }

    fn weights<K: std::fmt::Debug>(&mut self, path: &str, w: &BTreeMap<K, f64>, required: bool) {
        if w.is_empty() {
            if required {
                self.add(path, "no weights given; give at least one positive weight");
            }
            return;
        }
        for (k, v) in w {
            self.non_negative(&format!("{path}[{k:?}]"), *v);
        }
        let sum = w.values().sum::<f64>();
        if sum <= 0.0 {
            self.add(
                path,
                "the weights sum to zero; give at least one positive weight",
            );
        } else if !sum.is_finite() {
            self.add(
                path,
                "the weights are too large to add up; use relative weights of ordinary size",
            );
        }
    }

    fn sector_weights(&mut self, path: &str, w: &BTreeMap<String, f64>) {
        let sectors: Vec<&str> = self.s.sectors.iter().map(String::as_str).collect();
        for k in w.keys() {
            self.name_in(&format!("{path}[\"{k}\"]"), k, "sector", &sectors);
        }
        self.weights(path, w, false);
    }

    fn kinds(&mut self, path: &str, w: &BTreeMap<OperationKind, f64>, required: bool) {
        self.weights(path, w, required);
        let profiled: BTreeSet<OperationKind> =
            self.s.operation_kinds.iter().map(|k| k.kind).collect();
        for (k, v) in w {
            if *v > 0.0 && !profiled.contains(k) {
                self.add(
                    format!("{path}[{k:?}]"),
                    format!("kind {k:?} has no entry in operation_kinds; add one"),
                );
            }
        }
    }
}

fn unique<'n>(
    c: &mut Checker,
    what: &str,
    names: impl Iterator<Item = (String, &'n str)>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for (path, n) in names {
        if n.trim().is_empty() {
            c.add(path.clone(), format!("{what} name is empty"));
        }
        if !seen.insert(n.to_string()) {
            c.add(
                path,
                format!("{what} name \"{n}\" is used twice; names must be unique"),
            );
        }
    }
    seen
}

/// Checks a parsed scenario for meaning; returns every problem found (empty when valid).
pub fn validate(s: &Scenario) -> Vec<Problem> {
    let mut c = Checker {
        s,
        problems: Vec::new(),
        states: s.states.iter().map(|x| x.name.as_str()).collect(),
        rungs: s.ladder.rungs.iter().map(|r| r.name.as_str()).collect(),
    };
    if s.name.trim().is_empty() || s.name.contains(['/', '\\']) || s.name.starts_with('.') {
        c.add(
            "name",
            "give a non-empty name without slashes (it names the result folder)",
        );
    }
    if s.horizon_days == 0 || s.horizon_days > MAX_HORIZON_DAYS {
        c.add(
            "horizon_days",
            format!(
                "{} is out of range; use 1 to {MAX_HORIZON_DAYS} days (100 years)",
                s.horizon_days
            ),
        );
    }
    if s.replicates == 0 {
        c.add("replicates", "must be at least 1");
    }
    if s.sectors.is_empty() {
        c.add("sectors", "list at least one sector");
    }
    unique(
        &mut c,
        "sector",
        s.sectors
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("sectors[{i}]"), n.as_str())),
    );

    // Operation kinds.
    let mut seen_kinds = BTreeSet::new();
    for (i, k) in s.operation_kinds.iter().enumerate() {
        let p = format!("operation_kinds[{i}]");
        if !seen_kinds.insert(k.kind) {
            c.add(
                format!("{p}.kind"),
                format!("{:?} is profiled twice", k.kind),
            );
        }
        if k.severity_weights.len() != 10 {
            c.add(
                format!("{p}.severity_weights"),
                format!(
                    "has {} entries; give exactly ten weights, for severities 1 to 10",
                    k.severity_weights.len()
                ),
            );
        }
        for (j, w) in k.severity_weights.iter().enumerate() {
            c.non_negative(&format!("{p}.severity_weights[{j}]"), *w);
        }
        let sum = k.severity_weights.iter().sum::<f64>();
        if sum <= 0.0 {
            c.add(format!("{p}.severity_weights"), "the weights sum to zero");
        } else if !sum.is_finite() {
            c.add(
                format!("{p}.severity_weights"),
                "the weights are too large to add up; use relative weights of ordinary size",
            );
        }
        c.probability(&format!("{p}.detectability"), k.detectability);
        c.probability(&format!("{p}.ambiguity"), k.ambiguity);
    }

    // Ladder.
    let rungs = &s.ladder.rungs;
    if rungs.len() > MAX_RUNGS {
        c.add(
            "ladder.rungs",
            format!(
                "has {} rungs; a ladder has at most {MAX_RUNGS}",
                rungs.len()
            ),
        );
    }
    if rungs.len() < 2 {
        c.add(
            "ladder.rungs",
            "a ladder needs at least two rungs (the status quo and one response)",
        );
    }
    unique(
        &mut c,
        "rung",
        rungs
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("ladder.rungs[{i}].name"), r.name.as_str())),
    );
    for (i, r) in rungs.iter().enumerate() {
        let p = format!("ladder.rungs[{i}]");
        if !r.score.is_finite() {
            c.add(format!("{p}.score"), "must be a finite number");
        }
        if !(0.0..=10.0).contains(&r.severity) {
            c.add(
                format!("{p}.severity"),
                format!("{} is outside the DCID scale; use 0 to 10", r.severity),
            );
        }
        if i > 0 {
            let prev = &rungs[i - 1];
            if r.score < prev.score || r.severity < prev.severity {
                c.add(
                    p.clone(),
                    format!(
                        "the ladder is not ordered: \"{}\" (score {}, severity {}) is below \"{}\" (score {}, severity {}); list rungs from lowest to highest",
                        r.name, r.score, r.severity, prev.name, prev.score, prev.severity
                    ),
                );
            }
            if prev.kinetic && !r.kinetic {
                c.add(format!("{p}.kinetic"), "kinetic rungs must be the top ones; a non-kinetic rung cannot follow a kinetic one");
            }
        }
    }
    if rungs.first().is_some_and(|r| r.kinetic) {
        c.add(
            "ladder.rungs[0].kinetic",
            "the lowest rung is the status quo and cannot be kinetic",
        );
    }
    if let (Some(ci), Some(ki)) = (
        rungs.iter().position(|r| r.name == s.ladder.crisis),
        rungs.iter().position(|r| r.kinetic),
    ) && ci > ki
    {
        c.add(
            "ladder.crisis",
            format!("the crisis rung \"{}\" is above the first kinetic rung \"{}\"; a kinetic conflict must count as a crisis", s.ladder.crisis, rungs[ki].name),
        );
    }
    if c.rung("ladder.crisis", &s.ladder.crisis)
        && s.ladder.rungs.first().map(|r| &r.name) == Some(&s.ladder.crisis)
    {
        c.add("ladder.crisis", "the crisis rung cannot be the lowest rung");
    }

    // States.
    if s.states.len() < 2 {
        c.add("states", "a scenario needs at least two states");
    }
    let mut all_actor_names: Vec<(String, &str)> = Vec::new();
    for (i, st) in s.states.iter().enumerate() {
        all_actor_names.push((format!("states[{i}].name"), st.name.as_str()));
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
        c.non_negative(&format!("{p}.worst_case_bias"), st.worst_case_bias);
        c.probability(&format!("{p}.honesty"), st.honesty);
        let d = &st.doctrine;
        let dp = format!("{p}.doctrine");
        if d.response.len() != 10 {
            c.add(
                format!("{dp}.response"),
                format!(
                    "has {} entries; give exactly ten rung names, for perceived severities 1 to 10",
                    d.response.len()
                ),
            );
        }
        for (j, r) in d.response.iter().enumerate() {
            c.rung(&format!("{dp}.response[{j}]"), r);
        }
        c.non_negative(&format!("{dp}.tension_sensitivity"), d.tension_sensitivity);
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
        if let Some(cap) = &d.unsure_cap {
            c.rung(&format!("{dp}.unsure_cap"), cap);
        }
    }

    // Proxies.
    for (i, px) in s.proxies.iter().enumerate() {
        all_actor_names.push((format!("proxies[{i}].name"), px.name.as_str()));
        let p = format!("proxies[{i}]");
        match &px.sponsor {
            None => c.add(
                format!("{p}.sponsor"),
                "a proxy needs a sponsor: name the state that sponsors it",
            ),
            Some(sp) => {
                c.state(&format!("{p}.sponsor"), sp);
            }
        }
        c.probability(&format!("{p}.control"), px.control);
        c.fraction_below_one(&format!("{p}.deniability"), px.deniability);
        c.non_negative(&format!("{p}.freelance_per_year"), px.freelance_per_year);
        for (j, t) in px.freelance_targets.iter().enumerate() {
            if c.state(&format!("{p}.freelance_targets[{j}]"), t) && Some(t) == px.sponsor.as_ref()
            {
                c.add(
                    format!("{p}.freelance_targets[{j}]"),
                    "a proxy does not freelance against its own sponsor",
                );
            }
        }
        if px.freelance_per_year > 0.0 {
            if px.freelance_targets.is_empty() {
                c.add(
                    format!("{p}.freelance_targets"),
                    "freelance_per_year > 0 but no freelance_targets are given",
                );
            }
            c.kinds(&format!("{p}.freelance_kinds"), &px.freelance_kinds, true);
        }
    }

    // Mercenaries.
    for (i, m) in s.mercenaries.iter().enumerate() {
        all_actor_names.push((format!("mercenaries[{i}].name"), m.name.as_str()));
        let p = format!("mercenaries[{i}]");
        if m.clients.is_empty() {
            c.add(
                format!("{p}.clients"),
                "a mercenary needs at least one client state",
            );
        }
        for (j, cl) in m.clients.iter().enumerate() {
            c.state(&format!("{p}.clients[{j}]"), cl);
        }
        c.fraction_below_one(&format!("{p}.deniability"), m.deniability);
        c.probability(&format!("{p}.tool_reuse"), m.tool_reuse);
    }

    // Independents.
    for (i, ind) in s.independents.iter().enumerate() {
        all_actor_names.push((format!("independents[{i}].name"), ind.name.as_str()));
        let p = format!("independents[{i}]");
        c.non_negative(&format!("{p}.rate_per_year"), ind.rate_per_year);
        if ind.targets.is_empty() {
            c.add(format!("{p}.targets"), "list at least one target state");
        }
        for (j, t) in ind.targets.iter().enumerate() {
            c.state(&format!("{p}.targets[{j}]"), t);
        }
        c.kinds(&format!("{p}.kinds"), &ind.kinds, true);
        c.sector_weights(&format!("{p}.sectors"), &ind.sectors);
        if let Some(r) = &ind.resembles {
            c.state(&format!("{p}.resembles"), r);
        }
        c.probability(&format!("{p}.mimicry"), ind.mimicry);
        c.fraction_below_one(&format!("{p}.deniability"), ind.deniability);
    }
    unique(&mut c, "actor", all_actor_names.into_iter());

    // Campaigns.
    let proxies: Vec<&str> = s.proxies.iter().map(|x| x.name.as_str()).collect();
    let mercs: Vec<&str> = s.mercenaries.iter().map(|x| x.name.as_str()).collect();
    let mut executors: Vec<&str> = c.states.clone();
    executors.extend(&proxies);
    executors.extend(&mercs);
    for (i, camp) in s.campaigns.iter().enumerate() {
        let p = format!("campaigns[{i}]");
        let a = c.state(&format!("{p}.sponsor"), &camp.sponsor);
        let b = c.state(&format!("{p}.target"), &camp.target);
        if a && b && camp.sponsor == camp.target {
            c.add(
                format!("{p}.target"),
                "a state does not run operations against itself",
            );
        }
        if let Some(ex) = &camp.executor
            && c.name_in(
                &format!("{p}.executor"),
                ex,
                "executor (state, proxy or mercenary)",
                &executors,
            )
        {
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
        c.non_negative(&format!("{p}.rate_per_year"), camp.rate_per_year);
        c.kinds(&format!("{p}.kinds"), &camp.kinds, true);
        c.sector_weights(&format!("{p}.sectors"), &camp.sectors);
        c.probability(&format!("{p}.overt_share"), camp.overt_share);
        if let Some(ff) = &camp.false_flag {
            if c.state(&format!("{p}.false_flag.frame"), &ff.frame)
                && (ff.frame == camp.sponsor || ff.frame == camp.target)
            {
                c.add(
                    format!("{p}.false_flag.frame"),
                    "a false flag frames a third state, not the sponsor or the target",
                );
            }
            c.probability(&format!("{p}.false_flag.share"), ff.share);
        }
    }

    // Relations and dynamics.
    let mut pairs_seen = BTreeSet::new();
    for (i, r) in s.relations.iter().enumerate() {
        c.pair(&format!("relations[{i}].between"), &r.between);
        let key = if r.between.0 <= r.between.1 {
            (&r.between.0, &r.between.1)
        } else {
            (&r.between.1, &r.between.0)
        };
        if !pairs_seen.insert(key) {
            c.add(
                format!("relations[{i}].between"),
                format!(
                    "the pair ({}, {}) is listed twice; list each pair once",
                    r.between.0, r.between.1
                ),
            );
        }
        c.probability(&format!("relations[{i}].trust"), r.trust);
    }
    let dy = &s.dynamics;
    c.positive("dynamics.tension_half_life_days", dy.tension_half_life_days);
    c.probability("dynamics.default_trust", dy.default_trust);
    c.probability("dynamics.honest_trust_gain", dy.honest_trust_gain);
    c.probability("dynamics.lie_discovery", dy.lie_discovery);
    c.probability("dynamics.lie_trust_loss", dy.lie_trust_loss);
    c.probability("dynamics.violation_trust_loss", dy.violation_trust_loss);

    // Measures.
    let m = &s.measures;
    let mut names: Vec<(String, &str)> = Vec::new();
    for (i, d) in m.dialogues.iter().enumerate() {
        let p = format!("measures.dialogues[{i}]");
        names.push((format!("{p}.name"), d.name.as_str()));
        c.pair(&format!("{p}.between"), &d.between);
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
    }
    for (i, ch) in m.channels.iter().enumerate() {
        let p = format!("measures.channels[{i}]");
        names.push((format!("{p}.name"), ch.name.as_str()));
        c.pair(&format!("{p}.between"), &ch.between);
        c.probability(&format!("{p}.availability"), ch.availability);
        c.probability(&format!("{p}.reliability"), ch.reliability);
        c.non_negative(&format!("{p}.latency_days"), ch.latency_days);
        if let Some(r) = &ch.consult_from {
            c.rung(&format!("{p}.consult_from"), r);
        }
        c.probability(&format!("{p}.evidence_weight"), ch.evidence_weight);
    }
    for (i, a) in m.agreements.iter().enumerate() {
        let p = format!("measures.agreements[{i}]");
        names.push((format!("{p}.name"), a.name.as_str()));
        c.pair(&format!("{p}.between"), &a.between);
        let sectors: Vec<&str> = s.sectors.iter().map(String::as_str).collect();
        if a.protected_sectors.is_empty() {
            c.add(
                format!("{p}.protected_sectors"),
                "list at least one protected sector",
            );
        }
        for (j, sec) in a.protected_sectors.iter().enumerate() {
            c.name_in(
                &format!("{p}.protected_sectors[{j}]"),
                sec,
                "sector",
                &sectors,
            );
        }
        c.probability(&format!("{p}.compliance"), a.compliance);
        c.probability(&format!("{p}.notification"), a.notification);
        c.non_negative(
            &format!("{p}.notification_latency_days"),
            a.notification_latency_days,
        );
    }
    for (i, pl) in m.pledges.iter().enumerate() {
        let p = format!("measures.pledges[{i}]");
        names.push((format!("{p}.name"), pl.name.as_str()));
        c.pair(&format!("{p}.between"), &pl.between);
        c.probability(&format!("{p}.compliance"), pl.compliance);
    }
    let measure_names: Vec<&str> = names.iter().map(|(_, n)| *n).collect();
    unique(&mut c, "measure", names.clone().into_iter());

    // Arms.
    let mut arm_names: Vec<(String, &str)> = vec![
        (
            "(built-in arm)".to_string(),
            crate::scenario::compile::ARM_WITHOUT,
        ),
        (
            "(built-in arm)".to_string(),
            crate::scenario::compile::ARM_WITH,
        ),
    ];
    for (i, arm) in s.arms.iter().enumerate() {
        arm_names.push((format!("arms[{i}].name"), arm.name.as_str()));
        for (j, mn) in arm.measures.iter().enumerate() {
            c.name_in(
                &format!("arms[{i}].measures[{j}]"),
                mn,
                "measure",
                &measure_names,
            );
        }
    }
    unique(&mut c, "arm", arm_names.into_iter());
    check_injects(&mut c);
    c.problems
}

/// Scripted operations: known names, a sponsor that fits the executor's role, a day in the run.
fn check_injects(c: &mut Checker) {
    let s = c.s;
    let executors: Vec<&str> = s
        .states
        .iter()
        .map(|x| x.name.as_str())
        .chain(s.proxies.iter().map(|x| x.name.as_str()))
        .chain(s.mercenaries.iter().map(|x| x.name.as_str()))
        .chain(s.independents.iter().map(|x| x.name.as_str()))
        .collect();
    let sectors: Vec<&str> = s.sectors.iter().map(String::as_str).collect();
    for (i, inj) in s.injects.iter().enumerate() {
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
        let known_executor = c.name_in(
            &format!("{p}.executor"),
            &inj.executor,
            "executor",
            &executors,
        );
        let target_ok = c.state(&format!("{p}.target"), &inj.target);
        if let Some(sec) = &inj.sector {
            c.name_in(&format!("{p}.sector"), sec, "sector", &sectors);
        }
        if let Some(f) = &inj.false_flag
            && c.state(&format!("{p}.false_flag"), f)
            && *f == inj.target
        {
            c.add(
                format!("{p}.false_flag"),
                "a false flag must point at a state other than the target",
            );
        }
        if let Some(sev) = inj.severity
            && !(1..=10).contains(&sev)
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
        if target_ok && inj.executor == inj.target {
            c.add(format!("{p}.target"), "a state does not attack itself");
        }
        let Some(sponsor) = &inj.sponsor else {
            continue;
        };
        if !c.state(&format!("{p}.sponsor"), sponsor) || !known_executor {
            continue;
        }
        let role_problem = if s.states.iter().any(|x| x.name == inj.executor) {
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
        };
        if let Some(msg) = role_problem {
            c.add(format!("{p}.sponsor"), msg);
        }
        if *sponsor == inj.target {
            c.add(format!("{p}.sponsor"), "a state does not attack itself");
        }
    }
}

/// Settings that are valid but probably not what the author meant; printed, never fatal.
pub fn warnings(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    // Victims each executor actually works against.
    let victims_of = |name: &str| -> BTreeSet<&str> {
        let mut v: BTreeSet<&str> = s
            .campaigns
            .iter()
            .filter(|c| c.executor.as_deref() == Some(name))
            .map(|c| c.target.as_str())
            .collect();
        for p in s.proxies.iter().filter(|p| p.name == name) {
            v.extend(p.freelance_targets.iter().map(String::as_str));
        }
        for i in s.independents.iter().filter(|i| i.name == name) {
            v.extend(i.targets.iter().map(String::as_str));
        }
        v
    };
    let executors = s
        .proxies
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("proxies[{i}].deniability"), &p.name, p.deniability))
        .chain(s.mercenaries.iter().enumerate().map(|(i, m)| {
            (
                format!("mercenaries[{i}].deniability"),
                &m.name,
                m.deniability,
            )
        }))
        .chain(s.independents.iter().enumerate().map(|(i, m)| {
            (
                format!("independents[{i}].deniability"),
                &m.name,
                m.deniability,
            )
        }));
    for (path, name, d) in executors {
        let victims = victims_of(name);
        for st in s
            .states
            .iter()
            .filter(|st| victims.contains(st.name.as_str()))
        {
            let reach = st.attribution.ceiling * (1.0 - d);
            if reach <= st.attribution.public_threshold {
                out.push(Problem {
                    path: path.clone(),
                    message: format!(
                        "{} can never publicly attribute an operation by \"{name}\": its confidence ceiling {} × (1 − deniability {d}) = {reach:.3} does not exceed its public threshold {}",
                        st.name, st.attribution.ceiling, st.attribution.public_threshold
                    ),
                });
            }
        }
    }
    for (i, c) in s.campaigns.iter().enumerate() {
        if c.rate_per_year == 0.0 {
            out.push(Problem {
                path: format!("campaigns[{i}].rate_per_year"),
                message: "is 0: this campaign never runs".into(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{DEFAULT_SCENARIO, parse_scenario};

    fn default() -> Scenario {
        parse_scenario("default", DEFAULT_SCENARIO).expect("valid")
    }

    fn paths(s: &Scenario) -> Vec<String> {
        validate(s).into_iter().map(|p| p.path).collect()
    }

    #[test]
    fn the_default_scenario_has_no_problem() {
        assert!(validate(&default()).is_empty());
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
    fn unattributable_executors_are_warned_about() {
        let mut s = default();
        s.proxies[0].deniability = 0.5;
        let w = warnings(&s);
        assert!(
            w.iter()
                .any(|p| p.path == "proxies[0].deniability" && p.message.contains("US can never")),
            "{w:?}"
        );
        assert!(warnings(&default()).is_empty());
    }
}
