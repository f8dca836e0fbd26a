#!/usr/bin/env bash
# Fuzzes the input readers for a stated time each, with a corpus seeded from the bundled files.
# Scheduled, not part of every CI run (CI only checks that the targets compile).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 600)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain for the instrumentation
# (`rustup toolchain install nightly`). Crashes, if any, are left in fuzz/artifacts/<target>/ and the
# script exits non-zero; the executions reached are printed per target.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2; exit 1; }

corpus=fuzz/corpus
mkdir -p "$corpus/scenario" "$corpus/sweep" "$corpus/plot_readers"
cp scenarios/*.ron tests/fixtures/*.ron tests/fixtures/bad/*.ron "$corpus/scenario/" 2>/dev/null || true
cp scenarios/sweeps/*.ron tests/fixtures/sweeps/*.ron "$corpus/sweep/" 2>/dev/null || true
# A real result folder's files, joined with 0xFF as the plot_readers target splits them.
for dir in results/published/classroom results/published/us_russia_2016; do
  out="$corpus/plot_readers/$(basename "$dir")"
  : > "$out"
  first=1
  for f in summary.json manifest.json timeline.csv survival.csv highest_rung.csv attribution.csv triggers.csv; do
    [ "$first" = 1 ] || printf '\377' >> "$out"
    first=0
    head -c 200000 "$dir/$f" >> "$out"
  done
done

status=0
for target in scenario sweep plot_readers; do
  echo "== fuzzing $target for $seconds s"
  log=$(mktemp)
  if ! cargo +nightly fuzz run "$target" "$corpus/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=262144 -print_final_stats=1 2>&1 | tee "$log" | tail -n 20; then
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" || true
  rm -f "$log"
done
exit "$status"
