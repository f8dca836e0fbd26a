#!/usr/bin/env bash
# Regenerates the published example results under results/ (committed to the repository):
# fixed seeds, 20,000 paired replicates, every plot and the report. `replicates.csv` (tens of MB) is
# not committed; this script recreates it locally.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/escalate
"$bin" run scenarios/us_russia_2016.ron --seed 2016 --replicates 20000 --out results/us_russia_2016 --force --quiet
"$bin" run scenarios/classroom.ron --seed 1 --replicates 20000 --out results/classroom --force --quiet
# The headline sweep (25 points × 2,000 paired replicates × 3 arms); its shard files (shards/) are not committed.
"$bin" sweep scenarios/sweeps/attribution_vs_hotline.ron --out results/sweeps/attribution_vs_hotline --force --quiet
echo "results/us_russia_2016, results/classroom and results/sweeps/attribution_vs_hotline regenerated."
