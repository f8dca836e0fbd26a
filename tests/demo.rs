//! `escalate demo`: the narration of a fixed seed (golden, plain text when piped), the divergence
//! point, injects (parsing, errors, effect, pairing), `--find` (re-run and checked), arms, pictures.

mod common;

use assert_cmd::Command;
use common::{bundled, compile, repo};
use escalate::demo::find::Contrast;
use escalate::demo::inject::parse_inject;
use escalate::demo::narrate::{ArmStory, Style, narrate};
use escalate::model::event_log::{Event, divergence};
use escalate::scenario::compile::Compiled;
use escalate::sim::Simulator;
use std::path::Path;
use std::sync::Arc;

fn escalate() -> Command {
    let mut c = Command::cargo_bin("escalate").expect("binary");
    c.env_remove("NO_COLOR").env("COLUMNS", "100");
    c
}

fn check_golden(name: &str, actual: &str) {
    let path = repo().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing; run with UPDATE_GOLDEN=1", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs at line {}:\n  golden: {:?}\n  actual: {:?}\n(UPDATE_GOLDEN=1 regenerates it)",
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>")
        );
    }
}

fn stories(p: &Arc<Compiled>, seed: u64, arms: &[usize]) -> Vec<ArmStory> {
    let mut sim = Simulator::new(p.clone());
    arms.iter()
        .map(|&a| {
            let (result, ch) = sim.run_logged(seed, 0, a);
            ArmStory {
                name: p.arms[a].name.clone(),
                result,
                entries: ch.entries,
            }
        })
        .collect()
}

#[test]
fn narration_of_the_default_demo_matches_the_golden_file_without_colour_codes() {
    let out = escalate().arg("demo").output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(!text.contains('\x1b'), "colour codes in piped output");
    assert!(text.contains("◆ Day 59, the arms part: in B, the hotline clears Borealis"));
    check_golden("demo_classroom_seed9.txt", &text);
    // Two columns on a wide terminal: the same events, side by side.
    let wide = escalate()
        .env("COLUMNS", "160")
        .args(["demo", "--seed", "9"])
        .output()
        .expect("runs");
    let wide = String::from_utf8(wide.stdout).expect("utf-8");
    assert!(wide.contains(" ┃ "), "no column separator at 160 columns");
    assert!(!wide.contains('\x1b'));
    check_golden("demo_classroom_seed9_wide.txt", &wide);
}

#[test]
fn the_marked_divergence_is_the_first_event_that_differs() {
    let p = Arc::new(compile(&bundled("classroom")));
    for seed in [9, 1, 2, 3] {
        let s = stories(&p, seed, &[0, 1]);
        let (a, b) = (&s[0].entries, &s[1].entries);
        let Some(d) = divergence(a, b) else {
            assert_eq!(a, b);
            continue;
        };
        assert_eq!(
            a[..d],
            b[..d],
            "seed {seed}: entries before the divergence differ"
        );
        assert!(
            a.get(d) != b.get(d),
            "seed {seed}: entry {d} does not differ"
        );
        let n = narrate(
            &p,
            seed,
            &s,
            Style {
                color: false,
                width: 100,
            },
        );
        assert_eq!(n.divergence, Some(d));
        let day = a.get(d).into_iter().chain(b.get(d)).map(|e| e.day).min();
        assert_eq!(n.divergence_day, day);
        // The marker comes right before the first line that belongs to one arm only.
        let text = n.text();
        let marker = text.find("◆ Day ").expect("marker");
        let first_tagged = text
            .lines()
            .position(|l| l.starts_with("A day") || l.starts_with("B day"))
            .expect("a tagged line");
        let marker_line = text[..marker].lines().count();
        assert!(marker_line <= first_tagged, "seed {seed}");
    }
    // An arm compared with itself never parts.
    let s = stories(&p, 9, &[1, 1]);
    assert_eq!(divergence(&s[0].entries, &s[1].entries), None);
}

#[test]
fn an_inject_takes_effect_and_every_drawn_operation_stays_as_it_was() {
    let base = bundled("classroom");
    let mut with = base.clone();
    with.injects.push(
        parse_inject(
            "day 40: mercenary \"Sandfly\" destroys Aurelia power grid, false flag Borealis, detected after 2 days",
            &base,
        )
        .expect("valid inject"),
    );
    let p0 = Arc::new(compile(&base));
    let p1 = Arc::new(compile(&with));
    for seed in [9, 10, 11] {
        for arm in [0, 1] {
            let a = &stories(&p0, seed, &[arm])[0];
            let b = &stories(&p1, seed, &[arm])[0];
            let launched = |s: &ArmStory, injected: bool| -> Vec<_> {
                s.entries
                    .iter()
                    .filter_map(|e| match &e.event {
                        Event::Launched { op, .. } if op.injected == injected => {
                            Some((e.day, op.clone()))
                        }
                        _ => None,
                    })
                    .collect()
            };
            let inj = launched(b, true);
            assert_eq!(inj.len(), 1, "seed {seed} arm {arm}");
            let (day, op) = &inj[0];
            assert_eq!(*day, 40);
            assert_eq!(p1.executors[op.executor].name, "Sandfly");
            assert_eq!(p1.states[op.sponsor.expect("sponsor")].name, "Caspia");
            assert_eq!(p1.scenario.sectors[op.sector], "power grid");
            assert_eq!(
                op.false_flag.map(|f| p1.states[f].name.as_str()),
                Some("Borealis")
            );
            assert!(
                b.entries
                    .iter()
                    .any(|e| e.day == 42 && e.event == Event::Detected { op: op.key })
            );
            // Paired: the drawn operations are the same draws with or without the inject (those
            // of a pair that went to war earlier in one run are dropped there, so compare the prefix).
            let (x, y) = (launched(a, false), launched(b, false));
            let cut = |v: &[(u32, escalate::model::event_log::OpFacts)], end: Option<u32>| {
                v.iter()
                    .filter(|o| end.is_none_or(|k| o.0 < k))
                    .cloned()
                    .collect::<Vec<_>>()
            };
            let end = a
                .result
                .outcome
                .kinetic_day
                .into_iter()
                .chain(b.result.outcome.kinetic_day)
                .min();
            assert_eq!(cut(&x, end), cut(&y, end), "seed {seed} arm {arm}");
            assert!(b.result.outcome.ops_launched >= 1);
        }
    }
}

#[test]
fn injects_from_the_scenario_file_and_the_command_line_agree() {
    let fixture = repo().join("tests/fixtures/demo/classroom_with_inject.ron");
    let from_file = escalate()
        .args(["demo", "--seed", "9"])
        .arg(&fixture)
        .output()
        .expect("runs");
    assert!(
        from_file.status.success(),
        "{}",
        String::from_utf8_lossy(&from_file.stderr)
    );
    let from_flag = escalate()
        .args([
            "demo",
            "--seed",
            "9",
            "--inject",
            "day 40: mercenary \"Sandfly\" destroys Aurelia power grid, false flag Borealis, detected after 2 days",
        ])
        .arg(repo().join("scenarios/classroom.ron"))
        .output()
        .expect("runs");
    let (a, b) = (
        String::from_utf8_lossy(&from_file.stdout),
        String::from_utf8_lossy(&from_flag.stdout),
    );
    assert!(a.contains("[inject] Sandfly"), "{a}");
    // The same run, apart from the file name in the title.
    let body = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&a), body(&b));
}

#[test]
fn a_malformed_inject_shows_the_inject_a_caret_and_a_valid_example() {
    let out = escalate()
        .args([
            "demo",
            "--inject",
            "day 40: mercenary \"Sandfly\" destroys US power grid",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--inject: unknown state \"US\""), "{err}");
    assert!(
        err.contains("  day 40: mercenary \"Sandfly\" destroys US power grid\n"),
        "{err}"
    );
    let caret = err.lines().find(|l| l.trim() == "^").expect("caret line");
    assert_eq!(caret.find('^'), Some(2 + 37), "{err}");
    assert!(err.contains(
        "a valid inject looks like: day 40: mercenary \"Sandfly\" destroys Aurelia power grid"
    ));
    assert!(!err.contains("panicked"));
}

#[test]
fn bad_injects_in_a_scenario_file_are_reported_with_their_field_paths() {
    let out = escalate()
        .arg("demo")
        .arg(repo().join("tests/fixtures/demo/bad_inject.ron"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("injects[0].executor: unknown executor \"Sanfly\"; did you mean \"Sandfly\"?"),
        "{err}"
    );
    assert!(
        err.contains("injects[1].day: day 500 is not in the run"),
        "{err}"
    );
    assert!(
        err.contains("injects[1].sponsor: a state acts for itself"),
        "{err}"
    );
}

fn found_seed(stdout: &[u8]) -> u64 {
    let s = String::from_utf8_lossy(stdout);
    s.split_whitespace()
        .nth(1)
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("no seed in {s}"))
}

#[test]
fn find_returns_the_smallest_seed_that_really_shows_the_contrast() {
    let p = Arc::new(compile(&bundled("classroom")));
    let mut sim = Simulator::new(p.clone());
    for name in [
        "crisis-without-channels-only",
        "misattribution-corrected",
        "mercenary-crisis-averted",
    ] {
        let mut seeds = Vec::new();
        for threads in ["1", "2"] {
            let out = escalate()
                .args([
                    "demo",
                    "--find",
                    name,
                    "--max-seeds",
                    "2000",
                    "--threads",
                    threads,
                ])
                .output()
                .expect("runs");
            assert!(
                out.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("escalate demo --seed"), "{text}");
            seeds.push(found_seed(&out.stdout));
        }
        assert_eq!(seeds[0], seeds[1], "{name}: depends on the thread count");
        let seed = seeds[0];
        let contrast = Contrast::from_name(name).expect("known");
        let shows = |s: u64, sim: &mut Simulator| {
            contrast.shown_by(&sim.run(s, 0, 0).outcome, &sim.run(s, 0, 1).outcome)
        };
        assert!(
            shows(seed, &mut sim),
            "{name}: seed {seed} does not show it"
        );
        assert!(
            (1..seed).all(|s| !shows(s, &mut sim)),
            "{name}: a smaller seed shows it"
        );
    }
    // The default demo seed shows the story the scenario file says it does.
    let s = bundled("classroom");
    let seed = s.demo_seed.expect("classroom has a demo seed");
    assert!(
        Contrast::MercenaryCrisisAverted
            .shown_by(&sim.run(seed, 0, 0).outcome, &sim.run(seed, 0, 1).outcome)
    );
}

#[test]
fn find_says_so_when_no_seed_shows_the_contrast() {
    // The classroom scenario has no proxies, so no proxy ever freelances: said without a search.
    let out = escalate()
        .args([
            "demo",
            "--find",
            "proxy-freelance-crisis",
            "--max-seeds",
            "50",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot show proxy-freelance-crisis between \"without channels\" and \"with channels\": it has no proxy that acts on its own account; no seed was searched"),
        "{err}"
    );
    // Two arms with the same measures never differ.
    let out = escalate()
        .args([
            "demo",
            "--find",
            "crisis-without-channels-only",
            "--arm",
            "with-channels",
            "--arm",
            "with channels",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("switch on the same measures"), "{err}");
    // A search that finds nothing says whether the baseline's half happened, and that three seeds
    // are too few to tell (checked against the runs themselves).
    let p = Arc::new(compile(&bundled("classroom")));
    let mut sim = Simulator::new(p.clone());
    let contrast = Contrast::KineticWithoutChannelsOnly;
    let runs: Vec<_> = (1..=3)
        .map(|s| (sim.run(s, 0, 0).outcome, sim.run(s, 0, 1).outcome))
        .collect();
    assert!(
        runs.iter().all(|(a, b)| !contrast.shown_by(a, b)),
        "seeds 1 to 3 show it; the test needs a search that finds nothing"
    );
    let baseline = runs.iter().filter(|(a, _)| contrast.baseline(a)).count();
    let out = escalate()
        .args([
            "demo",
            "--find",
            "kinetic-without-channels-only",
            "--max-seeds",
            "3",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no seed from 1 to 3 shows kinetic-without-channels-only"),
        "{err}"
    );
    if baseline == 0 {
        assert!(
            err.contains("armed conflict never happens in \"without channels\""),
            "{err}"
        );
    } else {
        assert!(
            err.contains(&format!(
                "armed conflict happens in \"without channels\" in {baseline} of them"
            )),
            "{err}"
        );
    }
    assert!(
        err.contains("too few seeds to tell; try a larger --max-seeds"),
        "{err}"
    );
    let out = escalate()
        .args(["demo", "--find", "kinetic"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("kinetic-without-channels-only"));
}

#[test]
fn find_lists_the_first_seeds_that_show_the_contrast_with_a_line_each() {
    let out = escalate()
        .args([
            "demo",
            "--find",
            "mercenary-crisis-averted",
            "--max-seeds",
            "2000",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let listed: Vec<u64> = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("seed "))
        .map(|l| {
            l.split(':')
                .next()
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or_else(|| panic!("no seed in {l}"))
        })
        .collect();
    assert_eq!(listed.len(), 5, "{text}");
    assert_eq!(listed[0], found_seed(&out.stdout));
    // Exactly the seeds up to the fifth that show it.
    let p = Arc::new(compile(&bundled("classroom")));
    let mut sim = Simulator::new(p.clone());
    let contrast = Contrast::MercenaryCrisisAverted;
    let shown: Vec<u64> = (1..=listed[4])
        .filter(|&s| contrast.shown_by(&sim.run(s, 0, 0).outcome, &sim.run(s, 0, 1).outcome))
        .collect();
    assert_eq!(shown, listed);
    // Each line says how each arm ended: the demo seed's line with its war and the averted crisis.
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("seed     9:"))
        .expect("seed 9 listed");
    assert!(
        line.contains("\"without channels\": armed conflict on day 314")
            && line.contains("\"with channels\": highest rung 3 (sanctions), no crisis"),
        "{line}"
    );
    let one = escalate()
        .args(["demo", "--find", "mercenary-crisis-averted", "--list", "1"])
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&one.stdout)
            .lines()
            .filter(|l| l.trim_start().starts_with("seed "))
            .count(),
        1
    );
}

#[test]
fn arms_are_chosen_by_slug_or_name_and_unknown_ones_are_listed() {
    let out = escalate()
        .args(["demo", "--arm", "hotline-only"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Arm \"hotline only\"."), "{text}");
    let out = escalate()
        .args([
            "demo",
            "--arm",
            "without channels",
            "--arm",
            "CERT-link-only",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("B = \"CERT link only\""));
    let out = escalate()
        .args(["demo", "--arm", "hotlines"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--arm: no arm \"hotlines\"; valid arms: without-channels"),
        "{err}"
    );
}

#[test]
fn the_timeline_picture_is_written_and_never_overwritten_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pics = dir.path().join("pics");
    let run = |extra: &[&str]| {
        escalate()
            .args(["demo", "--picture"])
            .arg(&pics)
            .args(extra)
            .output()
            .expect("runs")
    };
    assert!(run(&[]).status.success());
    for f in ["demo_timeline.png", "demo_timeline.svg"] {
        let len = std::fs::metadata(pics.join(f)).expect(f).len();
        assert!(len > 10_000, "{f} is only {len} bytes");
    }
    let svg = std::fs::read_to_string(pics.join("demo_timeline.svg")).expect("svg");
    assert!(svg.contains("the arms part"), "divergence not labelled");
    let again = run(&[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("pass --force"));
    assert!(run(&["--force"]).status.success());
    let gif = run(&["--force", "--gif"]);
    if cfg!(feature = "gif") {
        assert!(gif.status.success());
        assert!(Path::new(&pics.join("demo_timeline.gif")).exists());
    } else {
        assert_eq!(gif.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&gif.stderr).contains("--features gif"));
    }
}

#[test]
fn step_without_a_terminal_prints_the_whole_run() {
    let out = escalate()
        .args(["demo", "--step"])
        .write_stdin("")
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("How it ended"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--step needs a terminal"));
}

#[test]
fn help_documents_every_flag_the_inject_grammar_and_the_contrasts() {
    let out = escalate().args(["demo", "--help"]).output().expect("runs");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "--seed",
        "--arm",
        "--inject",
        "--step",
        "--no-color",
        "--find",
        "--max-seeds",
        "--threads",
        "--picture",
        "--gif",
        "--force",
        "day <N>: [state|proxy|mercenary|group]",
        "false flag <state>",
        "spies on",
        "NO_COLOR",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }
    for (_, name, _) in Contrast::ALL {
        assert!(help.contains(name), "--help lacks the contrast {name}");
    }
}

#[test]
fn only_and_short_are_flags_with_checked_values_and_short_matches_its_golden() {
    let lines = |args: &[&str]| {
        let out = escalate().arg("demo").args(args).output().expect("runs");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    // Repeated and comma-separated say the same.
    let twice = lines(&["--only", "decisions", "--only", "responses"]);
    assert_eq!(twice, lines(&["--only", "decisions,responses"]));
    assert!(
        twice.contains("Told: decisions, responses only ("),
        "{twice}"
    );
    let short = lines(&["--short"]);
    assert!(short.contains("Told: the short story ("), "{short}");
    check_golden("demo_classroom_seed9_short.txt", &short);
    let full = lines(&[]);
    // Measured on classroom seed 9: the short story is under half the lines.
    assert!(
        short.lines().count() * 2 < full.lines().count(),
        "short {} lines, full {}",
        short.lines().count(),
        full.lines().count()
    );
    let out = escalate()
        .args(["demo", "--only", "decisions,rumours"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rumours"), "{err}");
    assert!(
        err.contains("decisions") && err.contains("responses") && err.contains("attributions"),
        "{err}"
    );
    let help = lines(&["--help"]);
    for needle in ["--only", "--short", "j DAY", "twenty-minute"] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }
}
