//! A fit of the seat's doctrine to decisions: which parameters move, the maximum of the
//! log-likelihood, profile intervals and the goodness of fit.

use super::Game;
use super::fit::{Observed, Param, choice_likelihood, choice_probabilities, most_likely};
use super::fit_search::{Interval, SEARCH_SWEEPS, maximise, profile_interval};
use crate::model::seat::{Choice, Decider, SeatView};
use crate::scenario::compile::{Compiled, StateId};
use crate::scenario::types::StateActor;
use rayon::prelude::*;
use std::sync::{Arc, Mutex};

/// A decider that replays saved choices in order and keeps what the seat saw at each.
struct Capture {
    choices: Vec<Choice>,
    seen: Arc<Mutex<Vec<Observed>>>,
}

impl Decider for Capture {
    fn decide(&mut self, view: &SeatView, options: &[Choice], doctrine: &Choice) -> Choice {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let choice = self.choices.get(seen.len()).copied().unwrap_or(*doctrine);
        seen.push(Observed {
            view: view.clone(),
            options: options.to_vec(),
            choice,
        });
        choice
    }
}

/// Plays `game` again with the saved `choices` and returns what the seat saw at each decision, with
/// the doctrine's choice and the options the game offered (to check them against the file).
pub fn replay_views(game: &Game, choices: &[Choice]) -> Vec<(Observed, Choice)> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let path = game.play(Box::new(Capture {
        choices: choices.to_vec(),
        seen: seen.clone(),
    }));
    let seen = std::mem::take(&mut *seen.lock().unwrap_or_else(|e| e.into_inner()));
    seen.into_iter()
        .zip(path.taken.iter().map(|t| t.doctrine))
        .collect()
}

/// Bounds of the lapse (the share of choices made at random among the options).
const LAPSE_BOUNDS: (f64, f64) = (0.0, 1.0);

/// A fitted parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// Which (None: the lapse, which is not a doctrine parameter).
    pub param: Option<Param>,
    /// The scenario's value.
    pub default: f64,
    /// The maximum-likelihood value.
    pub value: f64,
    /// 95 % profile-likelihood interval.
    pub interval: Interval,
    /// Decisions whose likelihood depends on it (others at the maximum).
    pub informing: usize,
}

/// A parameter left at the scenario's value, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    /// Which.
    pub param: Param,
    /// Its value.
    pub value: f64,
    /// Why it is not fitted.
    pub why: String,
}

/// The result of a fit.
#[derive(Debug, Clone)]
pub struct FitResult {
    /// Decisions fitted.
    pub decisions: usize,
    /// The parameters fitted, then the lapse.
    pub fitted: Vec<Fitted>,
    /// The parameters not fitted.
    pub kept: Vec<Kept>,
    /// Log-likelihood at the maximum.
    pub log_likelihood: f64,
    /// Log-likelihood of the scenario's doctrine (its lapse fitted).
    pub default_log_likelihood: f64,
    /// Lapse of the scenario's doctrine at its best.
    pub default_lapse: f64,
    /// Log-likelihood of a uniform chooser.
    pub uniform_log_likelihood: f64,
    /// Choices that are the fitted doctrine's most likely option.
    pub predicted: usize,
    /// Choices that are the scenario's doctrine's most likely option.
    pub default_predicted: usize,
    /// The scenario with the seat's fitted values.
    pub params: Compiled,
}

/// The log-likelihood of decisions as a function of the free parameters and the lapse.
struct Likelihood<'a> {
    base: &'a Compiled,
    seat: StateId,
    recorded: &'a StateActor,
    params: &'a [Param],
    decisions: &'a [Observed],
}

impl Likelihood<'_> {
    /// The scenario with the seat's parameters set from `x` (the last coordinate is the lapse).
    fn with(&self, x: &[f64]) -> Compiled {
        let mut p = self.base.clone();
        self.set(&mut p, x);
        p
    }

    fn set(&self, p: &mut Compiled, x: &[f64]) {
        for (param, v) in self.params.iter().zip(x) {
            param.set(&mut p.states[self.seat].spec, *v);
        }
    }

    fn log_likelihood(&self, work: &mut Compiled, x: &[f64]) -> f64 {
        let (values, lapse) = x.split_at(self.params.len());
        let doc = {
            self.set(work, values);
            &work.states[self.seat].spec.doctrine
        };
        if doc.restraint + doc.escalation > 1.0 {
            return f64::NEG_INFINITY;
        }
        self.decisions
            .iter()
            .map(|d| choice_likelihood(work, self.seat, self.recorded, d, lapse[0]).ln())
            .sum()
    }

    /// How many decisions' likelihoods move when coordinate `k` of `x` spans its bounds.
    fn informing(&self, x: &[f64], k: usize, bounds: (f64, f64)) -> usize {
        let at = |v: f64| {
            let mut y = x.to_vec();
            y[k] = v;
            let p = self.with(&y);
            let lapse = y[self.params.len()];
            self.decisions
                .iter()
                .map(|d| choice_likelihood(&p, self.seat, self.recorded, d, lapse))
                .collect::<Vec<_>>()
        };
        let (lo, hi) = bounds;
        let (a, b, c) = (at(lo), at((lo + hi) / 2.0), at(hi));
        (0..self.decisions.len())
            .filter(|&i| (a[i] - b[i]).abs() > 1e-12 || (a[i] - c[i]).abs() > 1e-12)
            .count()
    }

    /// Decisions whose choice is the doctrine's most likely option under `p`.
    fn predicted(&self, p: &Compiled) -> usize {
        self.decisions
            .iter()
            .filter(|d| {
                let probs = choice_probabilities(p, self.seat, self.recorded, &d.view, &d.options);
                d.options[most_likely(&probs)] == d.choice
            })
            .count()
    }
}

/// Fits the doctrine of `seat` in `base` (the scenario the decisions were taken on) to `decisions`.
pub fn fit(base: &Compiled, seat: StateId, decisions: &[Observed]) -> FitResult {
    let recorded = base.states[seat].spec.clone();
    let mut params = Vec::new();
    let mut kept = Vec::new();
    for param in Param::ALL {
        match param.unfittable(base, seat) {
            Some(why) => kept.push(Kept {
                param,
                value: param.get(&recorded),
                why: why.to_string(),
            }),
            None => params.push(param),
        }
    }
    let like = Likelihood {
        base,
        seat,
        recorded: &recorded,
        params: &params,
        decisions,
    };
    let mut bounds: Vec<(f64, f64)> = params.iter().map(|p| p.bounds()).collect();
    bounds.push(LAPSE_BOUNDS);
    let defaults: Vec<f64> = params.iter().map(|p| p.get(&recorded)).collect();
    // Start at the scenario's doctrine with a small lapse (every choice then has some probability).
    let mut start = defaults.clone();
    start.push(0.05);
    // Each search owns a working copy of the scenario, whose seat's parameters it sets in place.
    let shared = &like;
    let objective = || {
        let mut work = base.clone();
        move |x: &[f64]| shared.log_likelihood(&mut work, x)
    };
    let mut f = objective();
    let all_free = vec![true; bounds.len()];
    let (mle, top) = maximise(&mut f, &start, &bounds, &all_free, true, SEARCH_SWEEPS);
    // The scenario's doctrine: only its lapse moves.
    let mut lapse_only = vec![false; bounds.len()];
    lapse_only[params.len()] = true;
    let (at_default, default_ll) =
        maximise(&mut f, &start, &bounds, &lapse_only, true, SEARCH_SWEEPS);
    let mut uniform = defaults.clone();
    uniform.push(1.0);
    let uniform_ll = f(&uniform);
    let fitted = (0..bounds.len())
        .into_par_iter()
        .map(|k| Fitted {
            param: params.get(k).copied(),
            default: if k < params.len() { defaults[k] } else { 0.0 },
            value: mle[k],
            interval: profile_interval(&mut objective(), &mle, top, &bounds, &all_free, k),
            informing: like.informing(&mle, k, bounds[k]),
        })
        .collect();
    let fitted_params = like.with(&mle);
    FitResult {
        decisions: decisions.len(),
        fitted,
        kept,
        log_likelihood: top,
        default_log_likelihood: default_ll,
        default_lapse: at_default[params.len()],
        uniform_log_likelihood: uniform_ll,
        predicted: like.predicted(&fitted_params),
        default_predicted: like.predicted(base),
        params: fitted_params,
    }
}
