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
echo "results/us_russia_2016 and results/classroom regenerated."
