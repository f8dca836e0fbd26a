//! docs/SCENARIO.md is the reference generated from the scenario and sweep types: it must equal what
//! the types say today. After changing a type, regenerate it with
//! `UPDATE_REFERENCE=1 cargo test --release --test scenario_reference` (the test then fails once more
//! if the file could not be written, and passes on the next run).

use escalate::scenario::reference::{markdown, scenario_schema};

#[test]
fn the_scenario_reference_matches_the_types() {
    let sweep =
        serde_json::to_value(schemars::schema_for!(escalate::sweep::spec::Sweep)).expect("schema");
    let generated = markdown(&scenario_schema(), &sweep);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/SCENARIO.md");
    if std::env::var_os("UPDATE_REFERENCE").is_some() {
        std::fs::write(&path, &generated).expect("docs/SCENARIO.md written");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/SCENARIO.md is out of date with the scenario types: regenerate it with \
         UPDATE_REFERENCE=1 cargo test --release --test scenario_reference"
    );
    // Every field of the default scenario as resolved appears in the reference.
    let resolved: serde_json::Value = serde_json::to_value(
        escalate::scenario::parse_scenario("default", escalate::scenario::load::DEFAULT_SCENARIO)
            .expect("valid"),
    )
    .expect("json");
    let sectors: Vec<&str> = resolved["sectors"]
        .as_array()
        .expect("sectors")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    let mut missing = Vec::new();
    collect_fields(&resolved, &mut |f| {
        // Sector names are map keys (data), not fields.
        if !sectors.contains(&f) && !generated.contains(&format!("| `{f}` |")) {
            missing.push(f.to_string());
        }
    });
    assert!(
        missing.is_empty(),
        "fields without a row in the reference: {missing:?}"
    );
}

fn collect_fields(v: &serde_json::Value, f: &mut dyn FnMut(&str)) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                // Map keys (sector names, operation kinds) are data, not fields.
                if k.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !k.contains(' ') {
                    f(k);
                }
                collect_fields(x, f);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_fields(x, f)),
        _ => {}
    }
}
