//! The field reference of scenario and sweep files (`docs/SCENARIO.md`), generated from the serde
//! types themselves (their doc comments, defaults and constraints, through their JSON schema), so
//! the reference cannot drift from what the loader accepts. `tests/scenario_reference.rs` keeps the
//! committed file equal to this output.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The JSON schema of a scenario file (doc comments, defaults and constraints of the serde types;
/// every default, those a resolved scenario leaves out included).
pub fn scenario_schema() -> Value {
    let schema = super::types::with_every_field(|| schemars::schema_for!(super::Scenario));
    serde_json::to_value(schema).expect("invariant: a schema serialises to JSON")
}

/// The whole reference, as Markdown: scenario files, then sweep files (whose schema the sweep layer
/// supplies, as this layer sits below it).
pub fn markdown(scenario: &Value, sweep: &Value) -> String {
    let mut out = String::from(HEADER);
    out.push_str("# Part 1: scenario files\n\n");
    let examples = bundled_examples(scenario);
    document(
        &mut out,
        scenario,
        "Scenario",
        &mut BTreeSet::new(),
        &examples,
    );
    out.push_str("# Part 2: sweep files\n\n");
    out.push_str(SWEEP_INTRO);
    document(
        &mut out,
        sweep,
        "Sweep",
        &mut BTreeSet::new(),
        &Examples::new(),
    );
    out
}

/// An example value of a field, by (type name, field name), written as RON.
type Examples = BTreeMap<(String, String), String>;

/// The longest example the reference shows (a longer value, a list of structs say, is left to the
/// bundled scenarios themselves).
const MAX_EXAMPLE_CHARS: usize = 40;

/// The first value each field takes in the bundled scenarios (the default one first), found by
/// walking each scenario's JSON along the schema.
fn bundled_examples(schema: &Value) -> Examples {
    let defs = schema.get("$defs").cloned().unwrap_or(Value::Null);
    let mut examples = Examples::new();
    for (name, text) in super::builtin::BUILTIN {
        let Ok(compiled) = super::load::parse_scenario(name, text) else {
            continue;
        };
        let Ok(value) = serde_json::to_value(&compiled.scenario) else {
            continue;
        };
        walk(schema, &value, "Scenario", &defs, &mut examples);
    }
    examples
}

/// Records, for the struct `name` whose schema is `schema`, each field's value in `value` (the first
/// seen wins), and descends into the fields' own types.
fn walk(schema: &Value, value: &Value, name: &str, defs: &Value, examples: &mut Examples) {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let def = target.trim_start_matches("#/$defs/");
        if let Some(s) = defs.get(def) {
            walk(s, value, def, defs, examples);
        }
        return;
    }
    if let Some(alternatives) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
    {
        // An option (one alternative besides null), or an enum variant with data, written
        // `{"Variant": …}` and matched by its tag; nothing else is guessed at.
        let non_null: Vec<&Value> = alternatives
            .iter()
            .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
            .collect();
        if let [only] = non_null[..] {
            if !value.is_null() {
                walk(only, value, name, defs, examples);
            }
        } else if let Some(tagged) = value.as_object().filter(|o| o.len() == 1) {
            for a in non_null {
                if let Some(props) = a.get("properties").and_then(Value::as_object)
                    && let Some((tag, inner)) = tagged.iter().next()
                    && let Some(p) = props.get(tag)
                {
                    walk(p, inner, name, defs, examples);
                }
            }
        }
        return;
    }
    if let (Some(props), Some(object)) = (
        schema.get("properties").and_then(Value::as_object),
        value.as_object(),
    ) {
        for (field, p) in props {
            if let Some(v) = object.get(field) {
                let shown = example_text(p, v);
                if !v.is_null() && shown.chars().count() <= MAX_EXAMPLE_CHARS {
                    examples
                        .entry((name.to_string(), field.clone()))
                        .or_insert(shown);
                }
                walk(p, v, "", defs, examples);
            }
        }
        return;
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for v in list {
            walk(items, v, "", defs, examples);
        }
        return;
    }
    if let (Some(inner), Some(map)) = (schema.get("additionalProperties"), value.as_object()) {
        for v in map.values() {
            walk(inner, v, "", defs, examples);
        }
    }
}

const HEADER: &str = "\
<!-- Generated from src/scenario/types.rs and src/sweep/spec.rs by
     `UPDATE_REFERENCE=1 cargo test --release --test scenario_reference`; do not edit by hand. -->
# The scenario file, field by field

A scenario is a RON file (Rusty Object Notation) that an analyst edits: `escalate new NAME` writes a
commented starter, `escalate validate FILE` checks it and prints it with every default filled in,
and the bundled scenarios under `scenarios/` are commented examples of every part. The model behind
each field is described in `docs/MODEL.md`; where a number comes from, in each scenario's comments
and `docs/CALIBRATION.md`.

How to read the tables: **field** is the name you write (`detection: 0.6`); **type** is what it
holds; **default** is used when the field is left out (a field without a default must be written: its
example is the value a bundled scenario gives it);
**meaning** gives the unit and the valid range. In RON, a struct is written `Name(field: value, …)`
(the name may be left out), a list `[a, b]`, a map `{key: value}`, an enum by its variant
(`Espionage`), text in double quotes, and an optional value directly (`patron: \"RUS\"`, no `Some`).
Misspelt fields and variants are errors with a \"did you mean\"; a value out of range is reported with
its field path and its line and column.

";

const SWEEP_INTRO: &str = "\
A sweep file names a base scenario and the parameters to vary; `escalate sweep FILE` runs it. The
bundled sweeps under `scenarios/sweeps/` are commented examples.

";

/// Writes the section of `name` (the root when `name` is the schema's title), then every type it
/// refers to that has not been written yet, in order of first reference.
fn document(
    out: &mut String,
    root: &Value,
    name: &str,
    done: &mut BTreeSet<String>,
    examples: &Examples,
) {
    let defs = root.get("$defs").cloned().unwrap_or(Value::Null);
    let mut queue = vec![(name.to_string(), root.clone())];
    while let Some((name, schema)) = (!queue.is_empty()).then(|| queue.remove(0)) {
        if !done.insert(name.clone()) {
            continue;
        }
        let mut refs = Vec::new();
        section(out, &name, &schema, &mut refs, examples);
        for r in refs {
            if !done.contains(&r)
                && let Some(s) = defs.get(&r)
            {
                queue.push((r, s.clone()));
            }
        }
    }
}

fn section(
    out: &mut String,
    name: &str,
    schema: &Value,
    refs: &mut Vec<String>,
    examples: &Examples,
) {
    let _ = writeln!(out, "## {name}\n");
    if let Some(d) = schema.get("description").and_then(Value::as_str) {
        let _ = writeln!(out, "{}\n", one_line(d));
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        field_table(out, name, schema, props, refs, examples);
    } else if let Some(variants) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
    {
        out.push_str("One of:\n\n");
        for v in variants {
            let desc = v.get("description").and_then(Value::as_str).map(one_line);
            let label = if let Some(c) = v.get("const").and_then(Value::as_str) {
                format!("`{c}`")
            } else if let Some(e) = v.get("enum").and_then(Value::as_array) {
                e.iter()
                    .filter_map(Value::as_str)
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else if let Some(props) = v.get("properties").and_then(Value::as_object) {
                props
                    .iter()
                    .map(|(k, inner)| format!("`{k}(…)`: {}", type_of(inner, refs)))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                type_of(v, refs)
            };
            match desc {
                Some(d) => {
                    let _ = writeln!(out, "- {label}: {d}");
                }
                None => {
                    let _ = writeln!(out, "- {label}");
                }
            }
        }
        out.push('\n');
    } else if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        let names: Vec<String> = e
            .iter()
            .filter_map(Value::as_str)
            .map(|s| format!("`{s}`"))
            .collect();
        let _ = writeln!(out, "One of: {}.\n", names.join(", "));
    }
}

/// A short description of what a property holds, with links to the sections of named types.
/// The table of a struct's fields: name, type, default (or, for a required field, an example from
/// the bundled scenarios), meaning.
fn field_table(
    out: &mut String,
    name: &str,
    schema: &Value,
    props: &serde_json::Map<String, Value>,
    refs: &mut Vec<String>,
    examples: &Examples,
) {
    let required: BTreeSet<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    out.push_str("| field | type | default | meaning |\n|---|---|---|---|\n");
    for (field, p) in props {
        let default = match p.get("default") {
            Some(v) => format!("`{}`", cell(&ron_like(v))),
            None if required.contains(field.as_str()) => {
                match examples.get(&(name.to_string(), field.clone())) {
                    Some(e) => format!("required, e.g. `{}`", cell(e)),
                    None => "required".into(),
                }
            }
            None => "none (optional)".into(),
        };
        let _ = writeln!(
            out,
            "| `{field}` | {} | {default} | {} |",
            type_of(p, refs),
            cell(&one_line(
                p.get("description").and_then(Value::as_str).unwrap_or("")
            ))
        );
    }
    out.push('\n');
}

/// A number's kind with the range validation accepts, as its type declares it (`#[schemars(range)]`):
/// "whole number from 1 to 36525", "number ≥ 0".
fn bounded(kind: &str, p: &Value) -> String {
    let show = |x: f64| {
        if x.fract() == 0.0 && x.abs() < 1e15 {
            format!("{}", x as i64)
        } else {
            format!("{x}")
        }
    };
    // An unsigned type declares minimum 0 and the largest value of its width; the width is not a
    // limit the reference needs to state.
    let max = p
        .get("maximum")
        .and_then(Value::as_f64)
        .filter(|m| ![255.0, 65_535.0, 4_294_967_295.0].contains(m) && *m < 1.8e19);
    match (p.get("minimum").and_then(Value::as_f64), max) {
        (Some(a), Some(b)) => format!("{kind} from {} to {}", show(a), show(b)),
        (Some(a), None) => format!("{kind} ≥ {}", show(a)),
        (None, Some(b)) => format!("{kind} ≤ {}", show(b)),
        (None, None) => kind.to_string(),
    }
}

fn type_of(p: &Value, refs: &mut Vec<String>) -> String {
    if let Some(r) = p.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r).to_string();
        let link = format!("[{name}](#{})", name.to_lowercase());
        refs.push(name);
        return link;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = p.get(key).and_then(Value::as_array) {
            let non_null: Vec<&Value> = alts
                .iter()
                .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            let optional = non_null.len() < alts.len();
            let inner: Vec<String> = non_null.iter().map(|a| type_of(a, refs)).collect();
            return format!(
                "{}{}",
                inner.join(" or "),
                if optional { " (optional)" } else { "" }
            );
        }
    }
    if let Some(c) = p.get("const") {
        return format!("`{}`", ron_like(c));
    }
    let kinds: Vec<&str> = match p.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let optional = kinds.contains(&"null");
    let main = kinds.iter().find(|k| **k != "null").copied().unwrap_or("");
    let base = match main {
        "string" => "text".to_string(),
        "boolean" => "true or false".to_string(),
        "number" => bounded("number", p),
        "integer" => bounded("whole number", p),
        "array" => {
            let item = p.get("items").map_or("values".into(), |i| type_of(i, refs));
            match (p.get("minItems"), p.get("maxItems")) {
                (Some(a), Some(b)) if a == b => format!("list of {a} × {item}"),
                _ => format!("list of {item}"),
            }
        }
        "object" => {
            let value = p
                .get("additionalProperties")
                .map_or("values".into(), |v| type_of(v, refs));
            let key = p
                .get("propertyNames")
                .map_or("name".into(), |k| type_of(k, refs));
            format!("map of {key} → {value}")
        }
        _ => "value".to_string(),
    };
    if optional {
        format!("{base} (optional)")
    } else {
        base
    }
}

/// A field's value as a scenario writes it: a map in braces (enum keys bare, text keys quoted),
/// anything else as [`ron_like`] writes it.
fn example_text(p: &Value, v: &Value) -> String {
    match (p.get("additionalProperties"), v.as_object()) {
        (Some(_), Some(map)) => {
            // Enum variants (CamelCase) are written bare, names of things (sectors) quoted.
            let bare = map.keys().all(|k| {
                k.starts_with(|c: char| c.is_ascii_uppercase())
                    && k.chars().all(|c| c.is_ascii_alphanumeric())
            });
            format!(
                "{{{}}}",
                map.iter()
                    .map(|(k, x)| if bare {
                        format!("{k}: {}", ron_like(x))
                    } else {
                        format!("{k:?}: {}", ron_like(x))
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        _ => ron_like(v),
    }
}

/// A JSON value written the way it is written in RON.
fn ron_like(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(ron_like).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(o) => format!(
            "({})",
            o.iter()
                .map(|(k, v)| format!("{k}: {}", ron_like(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_the_scenario_types_is_documented() {
        let sweep = serde_json::json!({"title": "Sweep", "type": "object", "properties": {}});
        let md = markdown(&scenario_schema(), &sweep);
        for needle in [
            "## Scenario",
            "| `horizon_days` | whole number from 1 to 36525 | `1826` |",
            "## Sweep",
            "`Espionage`: Intelligence gathering.",
            // A required field shows a value a bundled scenario gives it.
            "| `rate_per_year` | number from 0 to 1000000 | required, e.g. `",
        ] {
            assert!(md.contains(needle), "missing {needle:?}");
        }
        // No field without a meaning: every table row has a non-empty last cell.
        for row in md.lines().filter(|l| l.starts_with("| `")) {
            assert!(!row.ends_with("|  |"), "undocumented field: {row}");
        }
    }
}
