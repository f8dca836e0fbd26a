//! Parameter paths: `states[US].attribution.skill` names numbers inside a scenario.
//!
//! A path is a dot-separated list of field names, each optionally followed by a selector in brackets:
//! an index (`[0]`), every element (`[*]`), or a name (`[US]`, matched against the element's `name`
//! or `kind`; campaigns also answer to `[RUS->USA]` (carried out by the sponsor) or `[RUS->USA via GRU]`, pairs such as relations
//! to `[RUS<->USA]`). Map entries are fields: `campaigns[0].kinds.Sabotage`. The scenario is handled
//! as a JSON value, so every numeric field of the scenario can be swept without code per field.

use crate::scenario::validate::did_you_mean;
use serde_json::Value;

/// One parsed segment of a path.
#[derive(Debug, Clone, PartialEq)]
struct Segment {
    field: String,
    selector: Option<Selector>,
    /// Byte offset of the segment in the path (for carets).
    at: usize,
}

/// An element selector.
#[derive(Debug, Clone, PartialEq)]
enum Selector {
    All,
    Index(usize),
    Name(String),
}

/// A path that does not parse or does not lead to a number of the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct PathError {
    /// Byte offset of the problem in the path.
    pub at: usize,
    /// What is wrong and what would be valid.
    pub message: String,
}

/// A step of a resolved location.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// A resolved place in the scenario holding a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    steps: Vec<Step>,
    /// Readable form, e.g. `states[1].attribution.skill`.
    pub display: String,
    /// The field holds an integer (values are rounded to the nearest integer).
    pub integer: bool,
}

/// Fields that are not model parameters (the sweep sets them itself).
const NOT_SWEEPABLE: &[(&str, &str)] = &[
    ("seed", "the sweep's own `seed` sets the master seed"),
    (
        "replicates",
        "the sweep's own `replicates` sets the replicates per point",
    ),
];

fn parse(path: &str) -> Result<Vec<Segment>, PathError> {
    let mut segments = Vec::new();
    let bytes = path.as_bytes();
    let mut i = 0;
    if path.trim().is_empty() {
        return Err(PathError {
            at: 0,
            message: "the path is empty; write e.g. `states[US].attribution.skill`".into(),
        });
    }
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i == start {
            return Err(PathError {
                at: i,
                message: "expected a field name (letters, digits, `_`)".into(),
            });
        }
        let field = path[start..i].to_string();
        let mut selector = None;
        if i < bytes.len() && bytes[i] == b'[' {
            let open = i;
            let close = path[open..].find(']').map(|c| open + c).ok_or(PathError {
                at: open,
                message: "`[` without a closing `]`".into(),
            })?;
            let inner = path[open + 1..close].trim().trim_matches('"').trim();
            selector = Some(if inner == "*" {
                Selector::All
            } else if let Ok(n) = inner.parse::<usize>() {
                Selector::Index(n)
            } else if inner.is_empty() {
                return Err(PathError {
                    at: open + 1,
                    message: "empty selector: write an index, `*` or a name".into(),
                });
            } else {
                Selector::Name(inner.to_string())
            });
            i = close + 1;
        }
        segments.push(Segment {
            field,
            selector,
            at: start,
        });
        if i == bytes.len() {
            return Ok(segments);
        }
        if bytes[i] != b'.' {
            return Err(PathError {
                at: i,
                message: format!(
                    "unexpected `{}`: segments are joined by `.`",
                    &path[i..].chars().next().unwrap_or(' ')
                ),
            });
        }
        i += 1;
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty (None)",
        Value::Bool(_) => "a true/false switch",
        Value::Number(_) => "a number",
        Value::String(_) => "a name",
        Value::Array(_) => "a list",
        Value::Object(_) => "a group of fields",
    }
}

fn str_field<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// The names an element answers to.
fn element_names(v: &Value) -> Vec<String> {
    let mut names = Vec::new();
    for key in ["name", "kind"] {
        if let Some(n) = str_field(v, key) {
            names.push(n.to_string());
        }
    }
    if let (Some(s), Some(t)) = (str_field(v, "sponsor"), str_field(v, "target")) {
        // A campaign through an executor answers only to `S->T via E`, so `S->T` stays unambiguous.
        match str_field(v, "executor") {
            Some(e) => names.push(format!("{s}->{t} via {e}")),
            None => names.push(format!("{s}->{t}")),
        }
    }
    if let Some(Value::Array(pair)) = v.get("between")
        && let [Value::String(a), Value::String(b)] = pair.as_slice()
    {
        names.push(format!("{a}<->{b}"));
        names.push(format!("{b}<->{a}"));
    }
    names
}

/// Resolves `path` in `scenario` (the scenario as JSON) to every number it names.
pub fn locate(scenario: &Value, path: &str) -> Result<Vec<Location>, PathError> {
    let segments = parse(path)?;
    if let Some((_, why)) = NOT_SWEEPABLE
        .iter()
        .find(|(f, _)| segments.len() == 1 && segments[0].field == *f)
    {
        return Err(PathError {
            at: 0,
            message: format!("`{}` cannot be swept: {why}", segments[0].field),
        });
    }
    let mut found = vec![(scenario, Vec::new(), String::new())];
    for seg in &segments {
        let mut next = Vec::new();
        for (value, steps, display) in found {
            let Value::Object(map) = value else {
                return Err(PathError {
                    at: seg.at,
                    message: format!(
                        "`{display}` is {}, it has no field `{}`",
                        kind_of(value),
                        seg.field
                    ),
                });
            };
            let Some(child) = map.get(&seg.field) else {
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                let hint = did_you_mean(&seg.field, &keys)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                let at = if display.is_empty() {
                    "the scenario".to_string()
                } else {
                    format!("`{display}`")
                };
                return Err(PathError {
                    at: seg.at,
                    message: format!(
                        "{at} has no field `{}`{hint} (fields: {})",
                        seg.field,
                        keys.join(", ")
                    ),
                });
            };
            let mut steps = steps.clone();
            steps.push(Step::Key(seg.field.clone()));
            let display = if display.is_empty() {
                seg.field.clone()
            } else {
                format!("{display}.{}", seg.field)
            };
            match &seg.selector {
                None => next.push((child, steps, display)),
                Some(sel) => {
                    let Value::Array(items) = child else {
                        return Err(PathError {
                            at: seg.at + seg.field.len(),
                            message: format!(
                                "`{display}` is {}, not a list: remove the `[…]`",
                                kind_of(child)
                            ),
                        });
                    };
                    let picked: Vec<usize> = match sel {
                        Selector::All => (0..items.len()).collect(),
                        Selector::Index(n) if *n < items.len() => vec![*n],
                        Selector::Index(n) => {
                            return Err(PathError {
                                at: seg.at + seg.field.len() + 1,
                                message: format!(
                                    "`{display}` has {} element{}; index {n} is out of range (0 to {})",
                                    items.len(),
                                    if items.len() == 1 { "" } else { "s" },
                                    items.len().saturating_sub(1)
                                ),
                            });
                        }
                        Selector::Name(name) => {
                            let hits: Vec<usize> = (0..items.len())
                                .filter(|&i| element_names(&items[i]).iter().any(|n| n == name))
                                .collect();
                            if hits.is_empty() {
                                let all: Vec<String> = items
                                    .iter()
                                    .filter_map(|it| element_names(it).into_iter().next())
                                    .collect();
                                let refs: Vec<&str> = all.iter().map(String::as_str).collect();
                                let hint = did_you_mean(name, &refs)
                                    .map(|k| format!("did you mean `{k}`? "))
                                    .unwrap_or_default();
                                return Err(PathError {
                                    at: seg.at + seg.field.len() + 1,
                                    message: format!(
                                        "`{display}` has no element named `{name}`; {hint}valid: {}, an index from 0 to {}, or `*`",
                                        if refs.is_empty() {
                                            "(none has a name)".to_string()
                                        } else {
                                            refs.join(", ")
                                        },
                                        items.len().saturating_sub(1)
                                    ),
                                });
                            }
                            if hits.len() > 1 {
                                return Err(PathError {
                                    at: seg.at + seg.field.len() + 1,
                                    message: format!(
                                        "`{name}` names {} elements of `{display}` (indices {:?}); use an index or a more specific name",
                                        hits.len(),
                                        hits
                                    ),
                                });
                            }
                            hits
                        }
                    };
                    for i in picked {
                        let mut s = steps.clone();
                        s.push(Step::Index(i));
                        next.push((&items[i], s, format!("{display}[{i}]")));
                    }
                }
            }
        }
        found = next;
    }
    if found.is_empty() {
        return Err(PathError {
            at: 0,
            message: "the path selects nothing (an empty list under `[*]`)".into(),
        });
    }
    found
        .into_iter()
        .map(|(value, steps, display)| match value {
            Value::Number(n) => Ok(Location {
                steps,
                display,
                integer: !n.is_f64(),
            }),
            other => Err(PathError {
                at: segments.last().map_or(0, |s| s.at),
                message: format!(
                    "`{display}` is {}; only numbers can be swept",
                    kind_of(other)
                ),
            }),
        })
        .collect()
}

/// The number at `loc`, located in this same `scenario` (the Python extension's `Scenario[path]`
/// reads with it the places [`set`] writes).
pub fn get<'a>(scenario: &'a Value, loc: &Location) -> &'a Value {
    loc.steps.iter().fold(scenario, |v, step| match step {
        Step::Key(k) => v.get(k.as_str()).expect("invariant: a located key exists"),
        Step::Index(i) => v.get(*i).expect("invariant: a located index exists"),
    })
}

/// Sets the number at `loc` to `x` (rounded for integer fields).
pub fn set(scenario: &mut Value, loc: &Location, x: f64) {
    let mut v = scenario;
    for step in &loc.steps {
        v = match step {
            Step::Key(k) => v
                .get_mut(k.as_str())
                .expect("invariant: a located key exists"),
            Step::Index(i) => v.get_mut(*i).expect("invariant: a located index exists"),
        };
    }
    *v = if loc.integer {
        let r = x.round();
        if r >= 0.0 {
            Value::from(r as u64)
        } else {
            Value::from(r as i64)
        }
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::DEFAULT_SCENARIO;
    use crate::scenario::parse_scenario;

    fn scenario() -> Value {
        serde_json::to_value(parse_scenario("d", DEFAULT_SCENARIO).unwrap().scenario).unwrap()
    }

    #[test]
    fn names_indices_and_wildcards_resolve() {
        let s = scenario();
        let one = locate(&s, "states[US].attribution.skill").unwrap();
        assert_eq!(one.len(), 1);
        assert!(one[0].display.starts_with("states["));
        let all = locate(&s, "states[*].detection").unwrap();
        assert_eq!(all.len(), s["states"].as_array().unwrap().len());
        let idx = locate(&s, "campaigns[0].rate_per_year").unwrap();
        assert_eq!(idx[0].display, "campaigns[0].rate_per_year");
        let horizon = locate(&s, "horizon_days").unwrap();
        assert!(horizon[0].integer);
    }

    #[test]
    fn get_reads_what_set_wrote() {
        let mut s = scenario();
        let locs = locate(&s, "states[*].attribution.skill").unwrap();
        let before: Vec<f64> = locs.iter().map(|l| get(&s, l).as_f64().unwrap()).collect();
        assert_eq!(
            before[0],
            s["states"][0]["attribution"]["skill"].as_f64().unwrap()
        );
        set(&mut s, &locs[1], 0.321);
        assert_eq!(get(&s, &locs[1]), &serde_json::json!(0.321));
        assert_eq!(get(&s, &locs[0]).as_f64(), Some(before[0]));
        let horizon = &locate(&s, "horizon_days").unwrap()[0];
        set(&mut s, horizon, 365.4);
        assert_eq!(get(&s, horizon), &serde_json::json!(365));
    }

    #[test]
    fn set_changes_exactly_the_located_numbers() {
        let mut s = scenario();
        let before = s.clone();
        let locs = locate(&s, "states[*].attribution.skill").unwrap();
        for l in &locs {
            set(&mut s, l, 0.123);
        }
        for st in s["states"].as_array().unwrap() {
            assert_eq!(st["attribution"]["skill"], 0.123);
        }
        for l in &locs {
            set(
                &mut s,
                l,
                before["states"][0]["attribution"]["skill"]
                    .as_f64()
                    .unwrap(),
            );
        }
        assert_eq!(s["campaigns"], before["campaigns"]);
    }

    #[test]
    fn errors_point_at_the_problem() {
        let s = scenario();
        let e = locate(&s, "states[US].atribution.skill").unwrap_err();
        assert!(
            e.message.contains("did you mean `attribution`"),
            "{}",
            e.message
        );
        assert_eq!(e.at, "states[US].".len());
        let e = locate(&s, "states[Narnia].detection").unwrap_err();
        assert!(
            e.message.contains("no element named `Narnia`"),
            "{}",
            e.message
        );
        let e = locate(&s, "states[US].name").unwrap_err();
        assert!(e.message.contains("only numbers"), "{}", e.message);
        let e = locate(&s, "states[99].detection").unwrap_err();
        assert!(e.message.contains("out of range"), "{}", e.message);
        let e = locate(&s, "seed").unwrap_err();
        assert!(e.message.contains("cannot be swept"), "{}", e.message);
        for bad in ["", "states[", "states..x", "states[].x", "states[US]x"] {
            assert!(locate(&s, bad).is_err(), "{bad:?} should not parse");
        }
    }
}
