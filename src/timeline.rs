//! The current rung day by day, reconstructed from a run's level changes without ticking the calendar.
//!
//! A dyad's level jumps at each response and decays with the half-life in between (frozen once the
//! dyad is at war); its rung on a day is the floor of its level. The run's current rung is the highest
//! over dyads. Crossing days are found analytically, so the cost follows the responses, not the days.

use crate::model::LevelChange;

/// Level on day `t` of a level `level` set on day `from` (as `Dyad::level_on`).
fn decayed(level: f64, from: u32, t: u32, half_life: f64) -> f64 {
    level * (-std::f64::consts::LN_2 * (t - from) as f64 / half_life).exp()
}

/// First day in `from..to` on which the decayed level is below `k` (or `to`).
fn first_day_below(level: f64, from: u32, to: u32, k: f64, half_life: f64) -> u32 {
    let guess = from as f64 + (half_life * (level / k).log2()).floor() + 1.0;
    let mut t = guess.clamp(from as f64, to as f64) as u32;
    // Settle rounding at the boundary with the exact formula.
    while t > from && decayed(level, from, t - 1, half_life) < k {
        t -= 1;
    }
    while t < to && decayed(level, from, t, half_life) >= k {
        t += 1;
    }
    t
}

/// The current rung as runs `(first day, rung)` from day 0, given the level changes in the order
/// they happened. Works on the change points only (no
/// per-day buffer): each dyad's step function is generated from its level changes and the days its
/// decaying level crosses a whole rung, then the dyads are merged by a sweep taking the highest.
pub fn rung_runs(
    changes: &[LevelChange],
    dyads: usize,
    horizon: u32,
    half_life: f64,
    points: &mut Vec<(u32, usize, u8)>,
) -> Vec<(u32, u8)> {
    if changes.is_empty() {
        return vec![(0, 0)];
    }
    points.clear();
    for dyad in 0..dyads {
        let mut mine = changes.iter().filter(|c| c.dyad == dyad).peekable();
        while let Some(&LevelChange {
            day: from,
            level,
            kinetic,
            ..
        }) = mine.next()
        {
            let to = mine.peek().map_or(horizon, |c| c.day).min(horizon);
            if from >= to {
                continue;
            }
            let top = level.floor().max(0.0) as u32;
            points.push((from, dyad, top as u8));
            if kinetic {
                // The dyad's run ends at war: its level stays where it is.
                break;
            }
            for k in (1..=top).rev() {
                let end = first_day_below(level, from, to, k as f64, half_life);
                if end >= to {
                    break;
                }
                points.push((end, dyad, (k - 1) as u8));
            }
        }
    }
    // Stable sort: for one dyad and one day, the point generated last wins.
    points.sort_by_key(|p| p.0);
    let mut current = vec![0u8; dyads];
    let mut runs: Vec<(u32, u8)> = vec![(0, 0)];
    for &(day, dyad, rung) in points.iter() {
        current[dyad] = rung;
        let top = current.iter().copied().max().unwrap_or(0);
        match runs.last_mut() {
            Some(last) if last.0 == day => last.1 = top,
            Some(last) if last.1 == top => {}
            _ => runs.push((day, top)),
        }
    }
    // Merging equal neighbours left by same-day updates.
    runs.dedup_by(|b, a| a.1 == b.1);
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(dyad: usize, day: u32, level: f64, kinetic: bool) -> LevelChange {
        LevelChange {
            dyad,
            day,
            level,
            kinetic,
        }
    }

    /// The rung on every day by brute force, for comparison (changes as tuples
    /// `(dyad, day, level, kinetic)`).
    fn brute(changes: &[(usize, u32, f64, bool)], dyads: usize, horizon: u32, h: f64) -> Vec<u8> {
        (0..horizon)
            .map(|t| {
                (0..dyads)
                    .map(|d| {
                        let last = changes.iter().rfind(|c| c.0 == d && c.1 <= t);
                        match last {
                            None => 0,
                            Some(&(_, from, level, kinetic)) => {
                                let l = if kinetic
                                    || changes.iter().any(|c| c.0 == d && c.3 && c.1 <= t)
                                {
                                    let k = changes
                                        .iter()
                                        .find(|c| c.0 == d && c.3 && c.1 <= t)
                                        .expect("kinetic");
                                    k.2
                                } else {
                                    decayed(level, from, t, h)
                                };
                                l.floor() as u8
                            }
                        }
                    })
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    fn expand(runs: &[(u32, u8)], horizon: u32) -> Vec<u8> {
        let mut out = vec![0; horizon as usize];
        for (i, &(start, r)) in runs.iter().enumerate() {
            let end = runs.get(i + 1).map_or(horizon, |x| x.0);
            out[start as usize..end as usize].fill(r);
        }
        out
    }

    #[test]
    fn runs_match_the_day_by_day_rung() {
        let h = 180.0;
        let cases: Vec<Vec<(usize, u32, f64, bool)>> = vec![
            vec![],
            vec![(0, 10, 3.0, false)],
            vec![
                (0, 10, 3.0, false),
                (0, 100, 3.4, false),
                (1, 50, 5.0, false),
            ],
            vec![
                (0, 10, 2.0, false),
                (0, 300, 7.0, true),
                (1, 20, 4.0, false),
            ],
            vec![(2, 0, 1.0, false), (2, 0, 6.0, false), (0, 1825, 8.0, true)],
        ];
        let mut buf = Vec::new();
        for c in cases {
            let changes: Vec<LevelChange> =
                c.iter().map(|&(d, t, l, k)| change(d, t, l, k)).collect();
            let runs = rung_runs(&changes, 3, 1826, h, &mut buf);
            assert!(
                runs.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 != w[1].1),
                "{runs:?}"
            );
            assert_eq!(expand(&runs, 1826), brute(&c, 3, 1826, h), "{c:?}");
            assert_eq!(runs[0].0, 0);
        }
    }

    #[test]
    fn runs_match_the_day_by_day_rung_on_random_histories() {
        let mut x: u64 = 12345;
        let mut next = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        let mut buf = Vec::new();
        for _ in 0..300 {
            let dyads = 1 + next(4) as usize;
            let horizon = 30 + next(700) as u32;
            let mut day = 0;
            let mut changes = Vec::new();
            let mut warred = vec![false; dyads];
            for _ in 0..next(12) {
                day += next(60) as u32;
                if day >= horizon {
                    break;
                }
                let d = next(dyads as u64) as usize;
                if warred[d] {
                    continue;
                }
                let kinetic = next(10) == 0;
                warred[d] |= kinetic;
                changes.push((d, day, next(80) as f64 / 10.0, kinetic));
            }
            let half_life = 40.0 + next(200) as f64;
            let typed: Vec<LevelChange> = changes
                .iter()
                .map(|&(d, t, l, k)| change(d, t, l, k))
                .collect();
            let runs = rung_runs(&typed, dyads, horizon, half_life, &mut buf);
            assert_eq!(runs[0].0, 0);
            assert_eq!(
                expand(&runs, horizon),
                brute(&changes, dyads, horizon, half_life),
                "{changes:?}"
            );
        }
    }
}
