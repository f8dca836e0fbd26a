//! The narration teaches: nothing told before its day, every response with the decision and the
//! reason behind it (the other side's included), the gauge drawn only where a beat moves it and
//! tension easing said, plural actors with plural verbs, identifiers as words, and the filters
//! (`--only`, `--short`) keeping what they say they keep.

mod common;

use common::{bundled, compile};
use escalate::demo::narrate::{ArmStory, Beat, Filter, Kind, Style, What, beats, narrate_with};
use escalate::model::event_log::Event;
use escalate::scenario::compile::Compiled;
use escalate::sim::Simulator;
use std::sync::Arc;

const STYLE: Style = Style {
    color: false,
    width: 100,
};

fn stories(p: &Arc<Compiled>, seed: u64, arms: &[usize]) -> Vec<ArmStory> {
    let mut sim = Simulator::new(p.clone());
    arms.iter()
        .map(|&a| {
            let (result, log) = sim.run_logged(seed, 0, a);
            ArmStory {
                name: p.arms[a].name.clone(),
                result,
                entries: log.entries,
            }
        })
        .collect()
}

/// Bundled scenarios and seeds narrated by the tests below (the classroom's demo seed first).
fn cases() -> Vec<(&'static str, u64)> {
    let mut v = vec![("classroom", 9)];
    v.extend((1..=12).map(|s| ("classroom", s)));
    for name in [
        "us_russia_2016",
        "false_flag",
        "mercenary_market",
        "multipolar",
        "proxy_heavy",
    ] {
        v.push((name, 1));
        v.push((name, 2));
    }
    v
}

fn narrated(name: &str, seed: u64, filter: &Filter) -> String {
    let p = Arc::new(compile(&bundled(name)));
    narrate_with(&p, seed, &stories(&p, seed, &[0, 1]), STYLE, filter).text()
}

/// The numbers that follow "day " or "Day " in `s`.
fn days_named(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for (i, _) in s.match_indices("ay ") {
        if i == 0 || !matches!(&s[i - 1..i], "d" | "D") {
            continue;
        }
        let digits: String = s[i + 3..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(d) = digits.parse() {
            out.push(d);
        }
    }
    out
}

/// The event lines of a narration (between the legend and "How it ended").
fn event_lines(text: &str) -> Vec<&str> {
    text.lines()
        .skip_while(|l| !l.is_empty())
        .skip(1)
        .skip_while(|l| !l.is_empty())
        .take_while(|l| !l.starts_with("How it ended"))
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn no_line_refers_to_a_day_later_than_the_day_it_narrates() {
    for (name, seed) in cases() {
        let text = narrated(name, seed, &Filter::default());
        let mut now = 0;
        for line in event_lines(&text) {
            let named = days_named(line);
            // A line that opens an event (or the divergence) sets the day being narrated.
            if (line.contains("day ") && line.contains(" │ ") && !line.starts_with(' '))
                || line.trim_start().starts_with("day ")
                || line.starts_with("◆ Day ")
            {
                let opened = named.first().copied().expect("an event line names its day");
                assert!(
                    opened >= now,
                    "{name} seed {seed}: day {opened} after day {now}"
                );
                now = opened;
            }
            for d in named {
                assert!(
                    d <= now,
                    "{name} seed {seed}: line narrated on day {now} refers to day {d}:\n{line}"
                );
            }
        }
    }
}

#[test]
fn the_divergence_is_said_in_one_line_on_its_own_day() {
    let p = Arc::new(compile(&bundled("classroom")));
    for seed in [9, 1, 2, 3, 4, 5] {
        let s = stories(&p, seed, &[0, 1]);
        let n = narrate_with(&p, seed, &s, STYLE, &Filter::default());
        let text = n.text();
        let marked: Vec<&str> = text.lines().filter(|l| l.starts_with("◆")).collect();
        let Some(day) = n.divergence_day else {
            assert!(marked.is_empty(), "seed {seed}");
            continue;
        };
        assert_eq!(marked.len(), 1, "seed {seed}: {marked:?}");
        let block = n
            .blocks
            .iter()
            .find(|b| b[0].starts_with("◆"))
            .expect("a marker block");
        assert_eq!(
            block.len(),
            1,
            "seed {seed}: the divergence wraps: {block:?}"
        );
        assert!(
            block[0].starts_with(&format!("◆ Day {day}, the arms part: in B, ")),
            "{}",
            block[0]
        );
        assert_eq!(days_named(&block[0]), vec![day], "{}", block[0]);
    }
}

/// The running gauge of an arm's beats equals the run's current rung after every logged event.
#[test]
fn the_gauge_moves_only_on_responses_and_tension_easing_and_matches_the_model() {
    let mut eased = 0;
    for (name, seed) in cases() {
        let p = Arc::new(compile(&bundled(name)));
        for story in stories(&p, seed, &[0, 1]) {
            let mut gauge = 0;
            let mut logged = story.entries.iter();
            for b in beats(&story) {
                if let Some(g) = b.gauge {
                    assert!(
                        matches!(
                            b.what,
                            What::Eases { .. } | What::Log(Event::Responded { .. })
                        ),
                        "{name} seed {seed}: the gauge moves on {:?}",
                        b.what
                    );
                    assert_ne!(
                        g, gauge,
                        "{name} seed {seed}: a gauge drawn that does not move"
                    );
                    gauge = g;
                }
                if let What::Eases { to } = b.what {
                    assert_eq!(b.gauge, Some(to));
                    eased += 1;
                }
                if let What::Log(e) = &b.what {
                    let entry = logged.next().expect("one logged beat per entry");
                    assert_eq!(&entry.event, e, "{name} seed {seed}: beats out of order");
                    assert_eq!(
                        entry.rung, gauge,
                        "{name} seed {seed} day {}: gauge {gauge}, model {}",
                        entry.day, entry.rung
                    );
                }
            }
            assert!(
                logged.next().is_none(),
                "{name} seed {seed}: entries left out"
            );
        }
    }
    assert!(eased > 0, "no run eased: the test would not see a decay");
    // In the text: bars only on responses and on tension easing, in one format.
    let text = narrated("classroom", 9, &Filter::default());
    assert!(text.contains("Tension eases"));
    for line in event_lines(&text) {
        if line.contains('▮') || line.contains('▯') {
            assert!(
                line.contains(" → ") || line.contains("Tension eases"),
                "a gauge on a line that does not move it:\n{line}"
            );
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        assert!(
            !words.windows(2).any(|w| w[0].starts_with('A')
                && w[1].starts_with('B')
                && w[0][1..].parse::<u8>().is_ok()),
            "a second gauge format:\n{line}"
        );
    }
}

/// Every response carried out is preceded, in its arm and no later than its day, by the decision
/// that chose it: a first response by its `Decided`, an answer in the spiral by its decision.
#[test]
fn every_response_follows_its_decision_with_a_reason() {
    for (name, seed) in cases() {
        let p = Arc::new(compile(&bundled(name)));
        for story in stories(&p, seed, &[0, 1]) {
            let bs = beats(&story);
            for (k, b) in bs.iter().enumerate() {
                let What::Log(Event::Responded { decision, .. }) = &b.what else {
                    continue;
                };
                let decided = bs[..k].iter().any(|d: &Beat| match &d.what {
                    What::Log(Event::Decided { decision: x, .. })
                    | What::Answer { decision: x, .. } => x == decision,
                    _ => false,
                });
                assert!(
                    decided,
                    "{name} seed {seed}: the response on day {} has no decision before it",
                    b.day
                );
            }
        }
    }
    // The climax of the classroom demo: the decision to go to war, with its reason, on the day the
    // blow it answers lands, before the war itself.
    let text = narrated("classroom", 9, &Filter::default());
    let decision = text
        .find("A day  300          │ Aurelia decides to answer Borealis's destructive attack with full")
        .expect("the decision to go to war");
    let war = text.find("FULL KINETIC CONFLICT").expect("the war");
    assert!(decision < war);
    assert!(text[decision..war].contains("it weighs the blow at 7 plus 2.4 for the tension"));
    // Borealis's answers are explained too.
    assert!(text.contains("Borealis decides to answer Aurelia's cyber retaliation with"));
}

#[test]
fn plural_actors_take_plural_verbs_and_identifiers_read_as_words() {
    let text = narrated("classroom", 9, &Filter::default());
    assert!(
        text.contains("Hacktivists (working for no state) meddle in Borealis's government"),
        "{text}"
    );
    assert!(!text.contains("hacktivists (working for no state) meddles"));
    for (name, seed) in cases() {
        let text = narrated(name, seed, &Filter::default());
        // The title names the scenario by its file name; the rest is prose.
        for line in text.lines().skip(1) {
            for word in line.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                assert!(
                    !(word.contains('_') && word.chars().any(char::is_alphabetic)),
                    "{name} seed {seed}: the identifier {word} in prose:\n{line}"
                );
            }
        }
    }
}

#[test]
fn only_keeps_the_kinds_it_names_and_short_keeps_the_decisive_events() {
    let only = |kinds: &[Kind]| Filter {
        only: kinds.to_vec(),
        short: false,
    };
    let full = narrated("classroom", 9, &Filter::default());
    let opening = |l: &&str| l.contains(" │ ") && !l.trim_start().starts_with('│');
    for (kinds, says) in [
        (vec![Kind::Responses], &[" → ", "Tension eases"] as &[&str]),
        (vec![Kind::Attributions], &[" blames ", "analysts check"]),
        (
            vec![Kind::Decisions],
            &[" decides ", " lets it pass", " calls ", " holds back "],
        ),
        (
            vec![Kind::Responses, Kind::Attributions],
            &[" → ", "Tension eases", " blames ", "analysts check"],
        ),
    ] {
        let text = narrated("classroom", 9, &only(&kinds));
        let lines: Vec<&str> = event_lines(&text).into_iter().filter(opening).collect();
        assert!(lines.len() >= 3, "{kinds:?}: {text}");
        for l in &lines {
            assert!(
                says.iter().any(|s| l.contains(s)),
                "{kinds:?} tells another kind:\n{l}"
            );
        }
        // And every such line of the full narration is kept.
        let kept = event_lines(&full)
            .into_iter()
            .filter(opening)
            .filter(|l| says.iter().any(|s| l.contains(s)))
            .count();
        assert_eq!(kept, lines.len(), "{kinds:?}");
        assert!(text.contains("◆ Day 59"), "the divergence is always said");
    }
    let short = narrated(
        "classroom",
        9,
        &Filter {
            only: vec![],
            short: true,
        },
    );
    let (n_full, n_short) = (full.lines().count(), short.lines().count());
    assert!(n_short * 2 < n_full, "short {n_short} lines, full {n_full}");
    for needle in [
        "◆ Day 59",
        "WRONG",
        "the shared indicators clear Borealis",
        "Aurelia decides to answer Borealis's destructive attack with full",
        "FULL KINETIC CONFLICT",
        "How it ended",
    ] {
        assert!(
            short.contains(needle),
            "the short story lacks {needle}:\n{short}"
        );
    }
    for dropped in ["detects the", "Tension eases", "round of talks"] {
        assert!(!short.contains(dropped), "the short story keeps {dropped}");
    }
}

/// The short story tells the first event that differs right after the line that says the arms part.
#[test]
fn the_short_story_keeps_the_first_event_that_differs() {
    let short = Filter {
        only: vec![],
        short: true,
    };
    let mut parted = 0;
    for (name, seed) in cases() {
        let text = narrated(name, seed, &short);
        let lines: Vec<&str> = text.lines().collect();
        let Some(k) = lines.iter().position(|l| l.starts_with("◆ Day ")) else {
            continue;
        };
        parted += 1;
        let day = days_named(lines[k])[0];
        let next = lines[k + 1];
        assert!(
            (next.starts_with("A day") || next.starts_with("B day"))
                && days_named(next).first() == Some(&day),
            "{name} seed {seed}: after the marker comes\n{next}"
        );
    }
    assert!(
        parted > 5,
        "too few runs part for the test to mean anything"
    );
}
