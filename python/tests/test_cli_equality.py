"""The package's results are the command line's, byte for byte, for the same inputs."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

import escalate
from conftest import run_cli

SEED = 7
REPLICATES = 300


def assert_frame_holds_csv(frame: pd.DataFrame, text: str) -> None:
    rows = list(csv.reader(io.StringIO(text)))
    assert list(frame.columns) == rows[0]
    assert len(frame) == len(rows) - 1
    for column, name in enumerate(rows[0]):
        for value, cell in zip(frame[name], (row[column] for row in rows[1:])):
            if cell == "":
                assert pd.isna(value), (name, cell, value)
            elif isinstance(value, str):
                assert value == cell, (name, cell, value)
            elif pd.api.types.is_integer_dtype(frame[name]):
                assert int(value) == int(cell), (name, cell, value)
            else:
                assert float(value) == float(cell), (name, cell, value)


def cli_run(cli, tmp_path, scenario: str, name: str = "out"):
    out = tmp_path / name
    run_cli(cli, "run", scenario, "--seed", str(SEED), "--replicates", str(REPLICATES), "--quiet", "--out", str(out))
    return out


def test_default_scenario_equals_the_cli(cli, tmp_path):
    out = cli_run(cli, tmp_path, "builtin:us_russia_2016")
    r = escalate.run("builtin:us_russia_2016", replicates=REPLICATES, seed=SEED)
    csv = (out / "replicates.csv").read_bytes()
    assert r.replicates_csv == csv
    assert r.summary_json == (out / "summary.json").read_text()
    # The DataFrame holds the file's values, cell for cell (every float parsed to the double printed).
    assert_frame_holds_csv(r.replicates, csv.decode())
    assert len(r.replicates) == REPLICATES * len(r.arms)
    assert list(r.replicates.columns) == csv.split(b"\n", 1)[0].decode().split(",")
    assert (r.seed, r.n_replicates) == (SEED, REPLICATES)
    assert r.arms == escalate.load_scenario("builtin:us_russia_2016").arms


def test_estimates_and_differences_are_summary_json(cli, tmp_path):
    r = escalate.run("builtin:classroom", replicates=REPLICATES, seed=SEED)
    crisis = r.estimates.set_index(["arm", "metric"]).loc[("without channels", "crisis")]
    arm = next(a for a in r.summary["arms"] if a["name"] == "without channels")
    assert (crisis["value"], crisis["lo"], crisis["hi"]) == tuple(arm["metrics"]["crisis"][k] for k in ("value", "lo", "hi"))
    # The estimate is the mean of the per-replicate column it summarises.
    rows = r.replicates[r.replicates["arm"] == "without channels"]
    assert crisis["value"] == pytest.approx(rows["crisis"].mean(), rel=1e-12)
    assert 0 < crisis["value"] < 1
    diff = r.differences.set_index(["arm", "metric"]).loc[("with channels", "crisis")]
    assert diff["versus"] == "without channels"
    d = next(d for d in r.summary["paired_differences"] if d["arm"] == "with channels")
    assert diff["value"] == d["metrics"]["crisis"]["value"]
    assert set(r.estimates["arm"]) == set(r.arms)
    assert set(r.differences["arm"]) == set(r.arms[1:])


def test_a_changed_scenario_equals_the_cli_on_its_ron(cli, tmp_path):
    s = escalate.load_scenario()
    s["states[US].attribution.skill"] = 0.2
    s["measures.channels[hotline].reliability"] = 0.5
    path = tmp_path / "changed.ron"
    path.write_text(s.to_ron())
    out = cli_run(cli, tmp_path, str(path))
    r = escalate.run(s, replicates=REPLICATES, seed=SEED)
    assert r.replicates_csv == (out / "replicates.csv").read_bytes()
    assert r.summary_json == (out / "summary.json").read_text()
    # Not vacuous: the change changed the results.
    assert r.replicates_csv != escalate.run(escalate.load_scenario(), replicates=REPLICATES, seed=SEED).replicates_csv


def test_a_sweep_equals_the_cli(cli, tmp_path, root):
    sweep = tmp_path / "small.ron"
    sweep.write_text(
        """Sweep(
    name: "small",
    scenario: "builtin:us_russia_2016",
    seed: 3,
    replicates: 40,
    arms: ["without channels", "hotline only"],
    outcome: "crisis",
    parameters: [
        Parameter(name: "skill", set: ["states[*].attribution.skill"], values: Range(min: 0.2, max: 0.8, levels: 2)),
        Parameter(name: "reliability", set: ["measures.channels[hotline].reliability"], values: List([0.0, 1.0])),
    ],
    design: Grid,
)
"""
    )
    out = tmp_path / "cli-sweep"
    run_cli(cli, "sweep", str(sweep), "--quiet", "--out", str(out))
    r = escalate.sweep(sweep)
    assert r.sweep_csv == (out / "sweep.csv").read_text()
    assert r.sweep_json == (out / "sweep.json").read_text()
    assert r.morris is None and not (out / "morris.csv").exists()
    assert len(r.points) == 4 * 2
    assert_frame_holds_csv(r.points, (out / "sweep.csv").read_text())
    # --seed and --replicates are overrides, as on the command line.
    out2 = tmp_path / "cli-sweep-2"
    run_cli(cli, "sweep", str(sweep), "--quiet", "--out", str(out2), "--seed", "9", "--replicates", "30")
    r2 = escalate.sweep(sweep, seed=9, replicates=30)
    assert r2.sweep_csv == (out2 / "sweep.csv").read_text()
    assert r2.sweep_csv != r.sweep_csv


def test_a_morris_sweep_equals_the_cli(cli, tmp_path):
    sweep = tmp_path / "morris.ron"
    sweep.write_text(
        """Sweep(
    name: "morris",
    scenario: "builtin:classroom",
    seed: 5,
    replicates: 30,
    outcome: "crisis",
    parameters: [
        Parameter(name: "skill", set: ["states[*].attribution.skill"], values: Range(min: 0.2, max: 0.8, levels: 4)),
        Parameter(name: "hotline", set: ["measures.channels[0].reliability"], values: Range(min: 0.0, max: 1.0, levels: 4)),
    ],
    design: Morris(trajectories: 2, levels: 4),
)
"""
    )
    out = tmp_path / "cli-morris"
    run_cli(cli, "sweep", str(sweep), "--quiet", "--out", str(out))
    r = escalate.sweep(sweep)
    assert r.sweep_csv == (out / "sweep.csv").read_text()
    assert r.morris_csv == (out / "morris.csv").read_text()
    assert r.morris is not None and len(r.morris) > 0
