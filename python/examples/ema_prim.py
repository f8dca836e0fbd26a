"""Where do the channels stop helping? A Latin-hypercube experiment and PRIM on the default scenario.

Runs escalate under the EMA Workbench: four uncertainties (attribution skill, Russia's worst-case
reading, the spiral's strength, Russia's rate of operations against the US) and one lever (the
hotline's reliability), each experiment a paired run with and without channels. PRIM then finds
the region where the channels cut P(crisis) by less than one percentage point, and feature scoring
ranks what drives each outcome.

    python python/examples/ema_prim.py [OUT_DIR] [--scenarios N] [--policies M] [--replicates R]

writes into OUT_DIR (default: ema_prim_out/): experiments.csv (every experiment, its parameters and
outcomes), prim_tradeoff.png (the peeling trajectory: coverage against density), prim_box.png (the
chosen box on each parameter's range), feature_scores.png (extra-trees feature scores per
outcome), and prints the box. Needs `pip install ".[ema]"`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from ema_workbench import RealParameter, Samplers, perform_experiments  # noqa: E402
from ema_workbench.analysis import feature_scoring, prim  # noqa: E402

from escalate.ema import EscalateModel, outcome_name  # noqa: E402

# The cases PRIM looks for: the channels cut P(crisis) by less than this (a fraction: one point).
SMALL_EFFECT = -0.01


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="ema_prim_out", type=Path)
    parser.add_argument("--scenarios", type=int, default=40, help="Latin-hypercube samples of the uncertainties (40)")
    parser.add_argument("--policies", type=int, default=4, help="Latin-hypercube samples of the lever (4)")
    parser.add_argument("--replicates", type=int, default=800, help="paired replicates per experiment (800)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    arms = ["without channels", "with channels"]
    model = EscalateModel("escalate", replicates=args.replicates, seed=2016, arms=arms, metrics=["crisis", "kinetic"])
    model.uncertainties = [
        RealParameter("attribution skill", 0.1, 0.9,
                      variable_name=["states[US].attribution.skill", "states[RUS].attribution.skill"]),
        RealParameter("RUS worst-case bias", 0.0, 3.0, variable_name="states[RUS].worst_case_bias"),
        RealParameter("tension sensitivity", 0.25, 1.25,
                      variable_name=["states[US].doctrine.tension_sensitivity",
                                     "states[RUS].doctrine.tension_sensitivity"]),
        RealParameter("RUS->US operations a year", 8.0, 30.0, variable_name="campaigns[RUS->US].rate_per_year"),
    ]
    model.levers = [
        RealParameter("hotline reliability", 0.0, 1.0, variable_name="measures.channels[hotline].reliability"),
    ]

    experiments, outcomes = perform_experiments(
        model,
        scenarios=args.scenarios,
        policies=args.policies,
        uncertainty_sampling=Samplers.LHS,
        lever_sampling=Samplers.LHS,
    )
    table = experiments.copy()
    for name, values in outcomes.items():
        table[name] = values
    table.to_csv(args.out / "experiments.csv", index=False)

    # PRIM over the parameters: where do the channels cut P(crisis) by less than one point?
    diff = outcome_name("crisis", "with channels", difference=True)
    x = experiments.drop(columns=["scenario", "policy", "model"])
    y = outcomes[diff] > SMALL_EFFECT
    print(f"{y.sum()} of {len(y)} experiments: the channels cut P(crisis) by less than {-100 * SMALL_EFFECT:g} point")
    p = prim.Prim(x, y, threshold=0.8, peel_alpha=0.1)
    box = p.find_box()
    box.inspect()

    box.show_tradeoff()
    fig = plt.gcf()
    fig.suptitle("PRIM peeling trajectory: cases where channels cut P(crisis) by < 1 point", fontsize=10)
    fig.set_size_inches(7, 5)
    fig.savefig(args.out / "prim_tradeoff.png", dpi=110, bbox_inches="tight")
    plt.close("all")

    box.inspect(style="graph")
    fig = plt.gcf()
    fig.suptitle(
        f"Where the channels cut P(crisis) by less than {-100 * SMALL_EFFECT:g} point: the box PRIM chose on each"
        f" restricted parameter's range\n(coverage {box.coverage:.0%}, density {box.density:.0%};"
        " in brackets, the p-value of each restriction)",
        fontsize=10,
    )
    fig.set_size_inches(9, 4)
    fig.savefig(args.out / "prim_box.png", dpi=110, bbox_inches="tight")
    plt.close("all")

    scores = feature_scoring.get_feature_scores_all(x, outcomes)
    fig, ax = plt.subplots(figsize=(9, 3.8))
    sns.heatmap(scores, annot=True, fmt=".2f", cmap="viridis", ax=ax)
    ax.set_title("Feature scores (extra trees): which parameter drives each outcome")
    ax.set_ylabel("")
    fig.savefig(args.out / "feature_scores.png", dpi=110, bbox_inches="tight")
    plt.close("all")
    print(f"wrote {args.out}/experiments.csv, prim_tradeoff.png, prim_box.png, feature_scores.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
