"""escalate under the EMA Workbench: outcomes are escalate's own numbers; the example runs to the end."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from ema_workbench import RealParameter, perform_experiments
from ema_workbench.util.ema_exceptions import EMAError

import escalate
from escalate.ema import EscalateModel, outcome_name

ARMS = ["without channels", "hotline only"]
SKILL = ["states[US].attribution.skill", "states[RUS].attribution.skill"]
HOTLINE = "measures.channels[hotline].reliability"


def small_model() -> EscalateModel:
    model = EscalateModel("escalate", replicates=60, seed=5, threads=1, arms=ARMS, metrics=["crisis", "misattributions"])
    model.uncertainties = [RealParameter("skill", 0.1, 0.9, variable_name=SKILL)]
    model.levers = [RealParameter("hotline", 0.0, 1.0, variable_name=HOTLINE)]
    return model


def test_outcomes_are_named_per_arm_and_difference():
    names = [o.name for o in small_model().outcomes]
    assert names == [
        "crisis_without_channels", "misattributions_without_channels",
        "crisis_hotline_only", "misattributions_hotline_only",
        "diff_crisis_hotline_only", "diff_misattributions_hotline_only",
    ]


def test_an_experiment_is_an_escalate_run_of_its_settings():
    model = small_model()
    experiments, outcomes = perform_experiments(model, scenarios=3, policies=2)
    assert len(experiments) == 6
    assert experiments["skill"].nunique() == 3 and experiments["hotline"].nunique() == 2
    for i in (0, 5):
        s = escalate.load_scenario()
        for path in SKILL:
            s[path] = experiments["skill"][i]
        s[HOTLINE] = experiments["hotline"][i]
        r = escalate.run(s, replicates=60, seed=5, arms=ARMS)
        est = r.estimates.set_index(["arm", "metric"])["value"]
        diff = r.differences.set_index(["arm", "metric"])["value"]
        assert outcomes[outcome_name("misattributions", "hotline only")][i] == est[("hotline only", "misattributions")]
        assert outcomes[outcome_name("crisis", "without channels")][i] == est[("without channels", "crisis")]
        assert outcomes[outcome_name("misattributions", "hotline only", True)][i] == diff[("hotline only", "misattributions")]
    # Not vacuous: the uncertainty reaches the model (misattributions follow attribution skill).
    low = outcomes["misattributions_without_channels"][experiments["skill"].idxmin()]
    high = outcomes["misattributions_without_channels"][experiments["skill"].idxmax()]
    assert low > high


def test_a_bad_path_in_a_parameter_fails_with_the_paths_message():
    model = small_model()
    model.uncertainties = [RealParameter("skill", 0.1, 0.9, variable_name="states[US].atribution.skill")]
    # EMA wraps a model's exception in its EMAError (a BaseException), keeping the message.
    with pytest.raises(EMAError, match="InputError: `states\\[US\\].atribution.skill`: .* did you mean `attribution`"):
        perform_experiments(model, scenarios=1)


def test_the_example_runs_to_the_end_and_draws_its_plots(root, tmp_path):
    out = tmp_path / "ema"
    done = subprocess.run(
        [sys.executable, str(root / "python" / "examples" / "ema_prim.py"), str(out)],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for png in ("prim_tradeoff.png", "prim_box.png", "feature_scores.png"):
        data = (out / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, png
    table = pd.read_csv(out / "experiments.csv")
    assert len(table) == 40 * 4
    assert table["hotline reliability"].nunique() == 4
    assert table["diff_crisis_with_channels"].lt(0).mean() > 0.5
