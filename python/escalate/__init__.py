"""escalate from Python: scenarios, paired Monte Carlo runs and sweeps as pandas DataFrames.

The simulation is the Rust library itself (the same code as the ``escalate`` command line); the
DataFrames are parsed from the very bytes the command line writes, so a run here and
``escalate run`` with the same scenario, seed and replicates give the same numbers, whatever the
number of threads.

>>> import escalate
>>> s = escalate.load_scenario("builtin:us_russia_2016")
>>> s["states[US].attribution.skill"] = 0.8
>>> r = escalate.run(s, replicates=2000, seed=2016)
>>> r.estimates.query("metric == 'crisis'")[["arm", "value", "lo", "hi"]]

Bad input raises :class:`ScenarioError` or :class:`InputError` (both ``ValueError``) with the command
line's message: the file, line and column with a caret, the field path, a "did you mean".
Ctrl-C stops a long run (``KeyboardInterrupt``).
"""

from __future__ import annotations

import copyreg
import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence, Union

import pandas as pd

from . import _escalate
from ._escalate import InputError, Scenario, ScenarioError, __version__, parse_scenario

__all__ = [
    "InputError",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SweepResult",
    "__version__",
    "load_scenario",
    "parse_scenario",
    "run",
    "sweep",
]

PathLike = Union[str, "os.PathLike[str]"]

_PANDAS_MAJOR = int(pd.__version__.split(".")[0])

# A Scenario pickles as its resolved RON text (every default filled in), so it can be sent to the
# worker processes of a parallel evaluator.
copyreg.pickle(Scenario, lambda s: (parse_scenario, (s.to_ron(), s.label)))


def load_scenario(source: Optional[PathLike] = None) -> Scenario:
    """Reads, validates and compiles a scenario.

    ``source`` is a path to a ``.ron`` file, ``"builtin:NAME"`` for a bundled scenario
    (``us_russia_2016``, ``classroom``, ``false_flag``, ``mercenary_market``, ``multipolar``,
    ``proxy_heavy``), or ``None`` for the default (US–Russia 2016–2020). Raises
    :class:`ScenarioError` with the command line's message when the file does not parse or makes no
    sense, :class:`InputError` when it cannot be read.
    """
    return _escalate.load_scenario(None if source is None else os.fspath(source))


def _read_csv(text: Union[bytes, str]) -> pd.DataFrame:
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    # Every number must parse to the double the writer printed: pandas 3 does by default (and
    # deprecates the option); before it, only with float_precision="round_trip".
    precise = {} if _PANDAS_MAJOR >= 3 else {"float_precision": "round_trip"}
    return pd.read_csv(io.BytesIO(data), **precise)


def _intervals(sections: Sequence[dict], key: str, extra: Sequence[str]) -> pd.DataFrame:
    rows = [
        {key: s[key], **{e: s[e] for e in extra}, "metric": metric, **interval}
        for s in sections
        for metric, interval in s["metrics"].items()
    ]
    return pd.DataFrame(rows, columns=[key, *extra, "metric", "value", "lo", "hi"])


@dataclass(frozen=True)
class RunResult:
    """A paired run: what ``escalate run`` writes, as DataFrames and as the files' own bytes."""

    scenario: Scenario
    """The scenario as run."""
    seed: int
    """Master seed."""
    n_replicates: int
    """Paired replicates per arm."""
    arms: list[str]
    """The arms run, the baseline first."""
    replicates: pd.DataFrame
    """One row per replicate × arm: the columns and values of ``replicates.csv``."""
    estimates: pd.DataFrame
    """One row per arm × metric: ``value`` with its 95 % interval ``lo``–``hi`` (Wilson for
    proportions), as in ``summary.json``'s ``arms``."""
    differences: pd.DataFrame
    """One row per arm × metric: the paired difference against ``versus`` (the first arm) with its
    95 % interval, as in ``summary.json``'s ``paired_differences``."""
    summary: dict[str, Any] = field(repr=False)
    """``summary.json``, parsed: also the highest-rung distribution, triggers, calibration tallies,
    mechanisms and results per pair of states."""
    replicates_csv: bytes = field(repr=False)
    """The bytes of ``replicates.csv``."""
    summary_json: str = field(repr=False)
    """The text of ``summary.json``."""


def run(
    scenario: Union[Scenario, PathLike, None] = None,
    *,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    arms: Optional[Sequence[str]] = None,
    max_memory: float = 4.0,
) -> RunResult:
    """Runs paired replicates of every arm of a scenario (or of ``arms``, the first being the
    baseline of the paired differences).

    ``scenario`` is a :class:`Scenario` or anything :func:`load_scenario` takes. ``replicates`` and
    ``seed`` default to the scenario's; ``threads=0`` uses every core (results are identical
    whatever the number); ``max_memory`` (GiB) refuses a run estimated to need more, as
    ``--max-memory`` does. The GIL is released while simulating; Ctrl-C raises
    ``KeyboardInterrupt`` within about a replicate.

    With every arm, the result equals ``escalate run SCENARIO --seed SEED --replicates N``:
    ``replicates_csv`` and ``summary_json`` are byte for byte its ``replicates.csv`` and
    ``summary.json``.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    csv, summary_json, seed_used, n = _escalate.run(
        scenario,
        replicates=replicates,
        seed=seed,
        threads=threads,
        arms=None if arms is None else list(arms),
        max_memory=max_memory,
    )
    summary = json.loads(summary_json)
    return RunResult(
        scenario=scenario,
        seed=seed_used,
        n_replicates=n,
        arms=[a["name"] for a in summary["arms"]],
        replicates=_read_csv(csv),
        estimates=_intervals(summary["arms"], "name", []).rename(columns={"name": "arm"}),
        differences=_intervals(summary["paired_differences"], "arm", ["versus"]),
        summary=summary,
        replicates_csv=csv,
        summary_json=summary_json,
    )


@dataclass(frozen=True)
class SweepResult:
    """A parameter sweep: what ``escalate sweep`` writes, as DataFrames and as the files' text."""

    points: pd.DataFrame
    """One row per design point × arm: the columns and values of ``sweep.csv`` (parameters, every
    outcome with its interval, paired differences ``diff_*`` against the first arm)."""
    info: dict[str, Any] = field(repr=False)
    """``sweep.json``, parsed: design, parameters, arms, outcome, seed, identity."""
    morris: Optional[pd.DataFrame]
    """``morris.csv`` for a Morris design (μ, μ*, σ per parameter), else None."""
    sweep_csv: str = field(repr=False)
    """The text of ``sweep.csv``."""
    sweep_json: str = field(repr=False)
    """The text of ``sweep.json``."""
    morris_csv: Optional[str] = field(repr=False)
    """The text of ``morris.csv``, or None."""


def sweep(
    path: PathLike,
    *,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    max_memory: float = 4.0,
) -> SweepResult:
    """Runs a sweep file (``escalate sweep``'s input) whole and returns its table.

    ``replicates`` and ``seed`` replace the sweep file's, as ``--replicates`` and ``--seed`` do;
    the result equals ``escalate sweep PATH --seed SEED --replicates N`` byte for byte (its
    ``sweep.csv``, ``sweep.json`` and ``morris.csv``). The points are run in a temporary folder
    that is removed afterwards. ``max_memory`` (GiB) refuses a sweep whose points are estimated to
    need more, as ``--max-memory`` does.
    """
    with tempfile.TemporaryDirectory(prefix="escalate-sweep-") as work:
        sweep_csv, sweep_json, morris_csv = _escalate.sweep(
            os.fspath(path),
            work,
            replicates=replicates,
            seed=seed,
            threads=threads,
            max_memory=max_memory,
        )
    return SweepResult(
        points=_read_csv(sweep_csv),
        info=json.loads(sweep_json),
        morris=None if morris_csv is None else _read_csv(morris_csv),
        sweep_csv=sweep_csv,
        sweep_json=sweep_json,
        morris_csv=morris_csv,
    )
