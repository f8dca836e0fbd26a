//! The current rung day by day, reconstructed from a run's level changes without ticking the calendar.
//!
//! A dyad's level jumps at each response and decays with the half-life in between (frozen once the
//! dyad is at war); its rung on a day is the floor of its level. The run's current rung is the highest
//! over dyads. Crossing days are found analytically, so the cost follows the responses, not the days.

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

/// The current rung as runs `(first day, rung)` from day 0, given the level changes
/// `(dyad, day, level, kinetic)` in the order they happened. `buf` is scratch space.
pub fn rung_runs(
    changes: &[(usize, u32, f64, bool)],
    dyads: usize,
    horizon: u32,
    half_life: f64,
    buf: &mut Vec<u8>,
) -> Vec<(u32, u8)> {
    if changes.is_empty() {
        return vec![(0, 0)];
    }
    buf.clear();
    buf.resize(horizon as usize, 0);
    for dyad in 0..dyads {
        let mine: Vec<&(usize, u32, f64, bool)> = changes.iter().filter(|c| c.0 == dyad).collect();
        for (i, &&(_, from, level, kinetic)) in mine.iter().enumerate() {
            let to = mine.get(i + 1).map_or(horizon, |c| c.1).min(horizon);
            if from >= to {
                continue;
            }
            let top = level.floor().max(0.0) as u32;
            if kinetic {
                for b in &mut buf[from as usize..horizon as usize] {
                    *b = (*b).max(top as u8);
                }
                break;
            }
            let mut t = from;
            for k in (1..=top).rev() {
                let end = first_day_below(level, from, to, k as f64, half_life);
                for b in &mut buf[t as usize..end as usize] {
                    *b = (*b).max(k as u8);
                }
                t = t.max(end);
                if t >= to {
                    break;
                }
            }
        }
    }
    let mut runs = Vec::new();
    for (day, r) in buf.iter().enumerate() {
        if runs.last().is_none_or(|&(_, last)| last != *r) {
            runs.push((day as u32, *r));
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rung on every day by brute force, for comparison.
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
            let runs = rung_runs(&c, 3, 1826, h, &mut buf);
            assert_eq!(expand(&runs, 1826), brute(&c, 3, 1826, h), "{c:?}");
            assert_eq!(runs[0].0, 0);
        }
    }
}
