"""escalate as an EMA Workbench model (``pip install "escalate[ema]"``).

:class:`EscalateModel` is an ``ema_workbench.Model``: its uncertainties and levers are ordinary EMA
parameters whose ``variable_name`` is a scenario path (the paths of a sweep file, e.g.
``states[US].attribution.skill``; a list of paths sets several numbers to one value), and its
outcomes are each chosen metric per arm (``crisis_without_channels``) and its paired difference
against the first arm (``diff_crisis_with_channels``). ``perform_experiments``, PRIM and feature
scoring then work on escalate as on any EMA model::

    from ema_workbench import RealParameter, perform_experiments
    from escalate.ema import EscalateModel

    model = EscalateModel("escalate", replicates=500, arms=["without channels", "with channels"])
    model.uncertainties = [
        RealParameter("attribution_skill", 0.1, 0.9,
                      variable_name=["states[US].attribution.skill", "states[RUS].attribution.skill"]),
    ]
    model.levers = [RealParameter("hotline_reliability", 0.0, 1.0,
                                  variable_name="measures.channels[hotline].reliability")]
    experiments, outcomes = perform_experiments(model, scenarios=100, policies=2)

Every experiment runs with the same master seed (common random numbers, as the points of a
sweep), so neighbouring experiments differ by their parameters, not by luck.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence, Union

from ema_workbench import Model, ScalarOutcome

from . import PathLike, Scenario, load_scenario, run

__all__ = ["EscalateModel", "outcome_name"]


def _slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def outcome_name(metric: str, arm: str, difference: bool = False) -> str:
    """The EMA outcome of ``metric`` in ``arm`` (``crisis_without_channels``), or of its paired
    difference against the first arm (``diff_crisis_with_channels``)."""
    return f"{'diff_' if difference else ''}{metric}_{_slug(arm)}"


class EscalateModel(Model):
    """An EMA model running paired replicates of an escalate scenario per experiment.

    Parameters
    ----------
    name : str
        The model's name (letters and digits, as EMA requires).
    scenario : Scenario, path, ``builtin:NAME`` or None
        The base scenario (None: the default, US–Russia 2016–2020). Each experiment sets its
        parameters' paths on a copy.
    replicates : int
        Paired replicates per arm and experiment.
    seed : int or None
        Master seed of every experiment (None: the scenario's).
    threads : int
        Worker threads of each run (0: every core).
    arms : sequence of str or None
        The arms to run, the baseline first (None: every arm of the scenario).
    metrics : sequence of str
        The metrics reported as outcomes (the names of ``summary.json``: ``crisis``, ``kinetic``,
        ``highest_rung``, ``misattributions``, ``wrongful_responses``, …).
    """

    def __init__(
        self,
        name: str = "escalate",
        scenario: Union[Scenario, PathLike, None] = None,
        *,
        replicates: int = 500,
        seed: Optional[int] = None,
        threads: int = 0,
        arms: Optional[Sequence[str]] = None,
        metrics: Sequence[str] = ("crisis", "kinetic"),
    ) -> None:
        super().__init__(name, function=self._simulate)
        self.base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.replicates = replicates
        self.seed = self.base.seed if seed is None else seed
        self.threads = threads
        self.arms = list(self.base.arms if arms is None else arms)
        self.metrics = list(metrics)
        names = [outcome_name(m, a) for a in self.arms for m in self.metrics]
        names += [outcome_name(m, a, difference=True) for a in self.arms[1:] for m in self.metrics]
        self.outcomes = [ScalarOutcome(n) for n in names]

    def scenario_for(self, **settings: float) -> Scenario:
        """The base scenario with each path in ``settings`` set (what one experiment runs)."""
        s = self.base.copy()
        for path, value in settings.items():
            s.set(path, float(value))
        return s

    def _simulate(self, **settings: float) -> dict[str, float]:
        r = run(
            self.scenario_for(**settings),
            replicates=self.replicates,
            seed=self.seed,
            threads=self.threads,
            arms=self.arms,
        )
        est = r.estimates.set_index(["arm", "metric"])["value"]
        diff = r.differences.set_index(["arm", "metric"])["value"]
        out = {outcome_name(m, a): float(est[(a, m)]) for a in self.arms for m in self.metrics}
        out.update(
            {outcome_name(m, a, True): float(diff[(a, m)]) for a in self.arms[1:] for m in self.metrics}
        )
        return out
