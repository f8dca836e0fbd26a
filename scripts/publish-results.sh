#!/usr/bin/env bash
# Regenerates the published example results under results/published/ (committed to the repository):
# fixed seeds, 20,000 paired replicates, every plot and the report. `replicates.csv` (tens of MB) is
# not committed; this script recreates it locally. Each line below is the exact command behind the
# published figures (--force replaces only a folder that holds an earlier escalate result).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/escalate
# The default scenario, calibrated: its posterior (ABC against the incident record, with dialogue's two
# shares carried as priors no target informs), then the headline run drawing each replicate's
# parameters from that posterior, so every estimate has a second interval with parameter uncertainty.
"$bin" calibrate scenarios/us_russia_2016.ron --targets scenarios/calibration/us_russia_2016.ron --out results/published/calibration/us_russia_2016 --force --quiet
"$bin" run scenarios/us_russia_2016.ron --seed 2016 --replicates 20000 --posterior results/published/calibration/us_russia_2016 --out results/published/us_russia_2016 --force --quiet
"$bin" run scenarios/classroom.ron --seed 1 --replicates 20000 --out results/published/classroom --force --quiet
# The headline sweep (25 points × 2,000 paired replicates × 3 arms); its shard files (shards/) are not committed.
"$bin" sweep scenarios/sweeps/attribution_vs_hotline.ron --out results/published/sweeps/attribution_vs_hotline --force --quiet
# What the headline rests on: Sobol' indices of P(crisis) and of the channels' effect over seven uncertain
# parameters (64 base rows × 9 points = 576 points × 1,000 paired replicates × 2 arms); sobol.md names the parameters
# the headline is most sensitive to. Its shard files (shards/) are not committed.
"$bin" sweep scenarios/sweeps/sobol_screen.ron --out results/published/sweeps/sobol_screen --force --quiet
# Where the channels stop helping: a Latin hypercube over the same seven parameters (200 points × 1,000
# paired replicates × 2 arms), and the box PRIM finds where P(crisis) with every channel stays above 2 %.
"$bin" sweep scenarios/sweeps/where_channels_fail.ron --out results/published/sweeps/where_channels_fail --force --quiet
"$bin" discover results/published/sweeps/where_channels_fail --where 'crisis > 0.02' --out results/published/discoveries/where_channels_fail --force --quiet
echo "results/published/{calibration/us_russia_2016,us_russia_2016,classroom,sweeps/attribution_vs_hotline,sweeps/sobol_screen,sweeps/where_channels_fail,discoveries/where_channels_fail} regenerated."
