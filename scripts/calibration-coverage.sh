#!/usr/bin/env bash
# Coverage study of `escalate calibrate` (scheduled, not in every CI run: about 3 s a trial on 2 cores).
# Draws TRIALS true parameter vectors from the priors, makes synthetic targets with the model at each,
# calibrates, and prints how often the central 50 % and 90 % posterior intervals contain the truth.
#
#   scripts/calibration-coverage.sh [TRIALS]      (default 40)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --quiet --example calibration_coverage -- "${1:-40}"
