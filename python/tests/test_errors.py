"""Bad input raises ScenarioError or InputError (both ValueError) with the command line's message."""

from __future__ import annotations

import pytest

import escalate
from conftest import cli_error

BAD_SYNTAX = """Scenario(
    name: "broken",
    horizon_days: 365,
    seed: 1 replicates: 10,
)
"""


def test_a_syntax_error_names_file_line_and_column_as_the_cli_does(cli, tmp_path):
    path = tmp_path / "broken.ron"
    path.write_text(BAD_SYNTAX)
    with pytest.raises(escalate.ScenarioError) as e:
        escalate.load_scenario(path)
    message = str(e.value)
    assert f"{path}:4:" in message
    assert "^" in message
    assert message == cli_error(cli, "validate", str(path))
    assert isinstance(e.value, ValueError) and isinstance(e.value, escalate.InputError)


def test_a_value_out_of_range_names_its_field_path_and_place(cli, tmp_path, root):
    text = (root / "scenarios" / "classroom.ron").read_text()
    needle = "detection: "
    at = text.index(needle) + len(needle)
    end = at + next(i for i, c in enumerate(text[at:]) if c in ",)\n")
    path = tmp_path / "bad.ron"
    path.write_text(text[:at] + "1.7" + text[end:])
    with pytest.raises(escalate.ScenarioError) as e:
        escalate.load_scenario(path)
    message = str(e.value)
    assert "states[0].detection" in message and "1 problem found" in message
    line = text[:at].count("\n") + 1
    assert f"at {path}:{line}:" in message
    assert message == cli_error(cli, "validate", str(path))


def test_an_unknown_builtin_suggests_the_right_name(cli):
    with pytest.raises(escalate.InputError) as e:
        escalate.load_scenario("builtin:clasroom")
    assert 'did you mean "builtin:classroom"' in str(e.value)
    assert str(e.value) == cli_error(cli, "validate", "builtin:clasroom")
    assert not isinstance(e.value, escalate.ScenarioError)


def test_a_missing_file_is_an_input_error(cli, tmp_path):
    missing = tmp_path / "nowhere.ron"
    with pytest.raises(escalate.InputError) as e:
        escalate.load_scenario(missing)
    assert str(missing) in str(e.value)
    assert str(e.value) == cli_error(cli, "validate", str(missing))


def test_a_misspelt_path_gets_the_sweeps_message_and_a_caret():
    s = escalate.load_scenario()
    with pytest.raises(escalate.InputError) as e:
        s["states[US].atribution.skill"]
    lines = str(e.value).splitlines()
    assert "did you mean `attribution`" in lines[0]
    # The caret stands under the misspelt segment.
    assert lines[-1].index("^") == lines[-2].index("atribution")
    for bad in ["states[Narnia].detection", "states[US].name", "seed", "states[99].detection", "states["]:
        with pytest.raises(escalate.InputError):
            s[bad]


def test_an_invalid_value_is_refused_with_its_field_and_leaves_the_scenario_unchanged():
    s = escalate.load_scenario()
    before = s.to_ron()
    with pytest.raises(escalate.ScenarioError) as e:
        s.set("states[US].attribution.skill", 1.7)
    message = str(e.value)
    assert "states[0].attribution.skill" in message and "states[US].attribution.skill` = 1.7" in message
    assert s.to_ron() == before
    with pytest.raises(escalate.InputError, match="finite"):
        s.set("states[US].attribution.skill", float("nan"))
    assert s.to_ron() == before


def test_run_arguments_are_checked_as_the_flags_are(cli):
    s = escalate.load_scenario("builtin:classroom")
    with pytest.raises(escalate.InputError) as e:
        escalate.run(s, replicates=0)
    assert str(e.value) == cli_error(cli, "run", "builtin:classroom", "--replicates", "0", "--quiet")
    with pytest.raises(escalate.InputError) as e:
        escalate.run(s, replicates=10, threads=5000)
    assert str(e.value) == cli_error(cli, "run", "builtin:classroom", "-n", "10", "--threads", "5000", "--quiet")
    with pytest.raises(escalate.InputError, match='did you mean "with channels"'):
        escalate.run(s, replicates=10, arms=["without channels", "with chanels"])
    with pytest.raises(escalate.InputError, match="twice"):
        escalate.run(s, replicates=10, arms=["with channels", "with channels"])
    with pytest.raises(escalate.InputError, match="no arm given"):
        escalate.run(s, replicates=10, arms=[])


def test_a_bad_sweep_file_is_an_input_error_with_the_clis_message(cli, tmp_path):
    sweep = tmp_path / "bad_sweep.ron"
    sweep.write_text(
        """Sweep(
    name: "bad",
    scenario: "builtin:us_russia_2016",
    seed: 1,
    replicates: 10,
    outcome: "crisis",
    parameters: [Parameter(name: "x", set: ["states[US].atribution.skill"], values: List([0.1]))],
    design: Grid,
)
"""
    )
    with pytest.raises(escalate.InputError) as e:
        escalate.sweep(sweep)
    assert "did you mean `attribution`" in str(e.value)
    assert str(e.value) == cli_error(cli, "sweep", str(sweep), "--quiet", "--out", str(tmp_path / "never"))
    assert not (tmp_path / "never").exists()


def test_a_sweep_over_its_memory_limit_is_refused_before_it_runs_as_the_cli_refuses_it(cli, tmp_path, root):
    sweep = root / "scenarios" / "sweeps" / "attribution_vs_hotline.ron"
    with pytest.raises(escalate.InputError) as e:
        escalate.sweep(sweep, replicates=10, max_memory=0.001)
    assert "--max-memory" in str(e.value)
    assert str(e.value) == cli_error(
        cli, "sweep", str(sweep), "-n", "10", "--max-memory", "0.001", "--quiet", "--out", str(tmp_path / "never")
    )
    assert not (tmp_path / "never").exists()
