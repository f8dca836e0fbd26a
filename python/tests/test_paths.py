"""Scenario numbers are read and set by the sweep's parameter paths."""

from __future__ import annotations

import copy
import pickle

import escalate


def test_paths_read_the_numbers_the_scenario_holds():
    s = escalate.load_scenario()
    assert isinstance(s["horizon_days"], int) and s["horizon_days"] == 1826
    skills = s["states[*].attribution.skill"]
    assert isinstance(skills, list) and len(skills) == len(s["states[*].detection"]) >= 2
    assert s["states[US].attribution.skill"] in skills
    assert s["states[0].attribution.skill"] == skills[0]
    assert 0 <= s["measures.channels[hotline].reliability"] <= 1


def test_set_changes_the_named_numbers_only():
    s = escalate.load_scenario()
    others = s["states[*].detection"]
    s["states[*].attribution.skill"] = 0.25
    assert s["states[*].attribution.skill"] == [0.25] * len(others)
    assert s["states[*].detection"] == others
    # Integer fields are rounded, as a sweep rounds them.
    s.set("horizon_days", 400.4)
    assert s["horizon_days"] == 400
    assert "horizon_days: 400," in s.to_ron()


def test_a_copy_is_independent():
    s = escalate.load_scenario()
    for c in (s.copy(), copy.copy(s), copy.deepcopy(s), pickle.loads(pickle.dumps(s))):
        before = s["states[US].detection"]
        c["states[US].detection"] = 0.123
        assert c["states[US].detection"] == 0.123
        assert s["states[US].detection"] == before


def test_a_pickled_scenario_runs_the_same():
    s = escalate.load_scenario("builtin:classroom")
    s["states[*].attribution.skill"] = 0.4
    back = pickle.loads(pickle.dumps(s))
    assert back.to_ron() == s.to_ron() and back.label == s.label
    a = escalate.run(s, replicates=50, seed=1)
    b = escalate.run(back, replicates=50, seed=1)
    assert a.replicates_csv == b.replicates_csv


def test_a_set_value_changes_what_a_run_simulates():
    s = escalate.load_scenario("builtin:classroom")
    base = escalate.run(s, replicates=200, seed=4)
    # Far more operations: far more launched per run.
    s["campaigns[*].rate_per_year"] = 3 * max(s["campaigns[*].rate_per_year"])
    more = escalate.run(s, replicates=200, seed=4)
    launched = lambda r: r.estimates.set_index(["arm", "metric"]).loc[("without channels", "ops_launched"), "value"]
    assert launched(more) > 1.5 * launched(base)


def test_attributes_describe_the_scenario():
    s = escalate.load_scenario("builtin:classroom")
    assert s.name == "classroom"
    assert s.label == "builtin:classroom"
    assert s.arms[:2] == ["without channels", "with channels"]
    assert isinstance(s.seed, int) and s.replicates >= 1
    assert "classroom" in repr(s)
