#!/usr/bin/env bash
# CI test of the Slurm scripts against a real (single-node) Slurm: a small sweep run as a 4-task
# job array with scripts/slurm/sweep.sbatch, merged with `escalate merge`, must give the same
# sweep.csv, sweep.json (and morris.csv) and plots (SVG and PNG), byte for byte, as the same sweep run in one
# process. manifest.json is not compared: it records the wall time and the command line.
#
# Usage: scripts/slurm/ci-test.sh [SWEEP.ron]   (default tests/fixtures/sweeps/slurm_small.ron)
# Environment: ESCALATE  the binary to test (default target/release/escalate; build it first)
#              KEEP=1    keep the work directory (it is always kept when the test fails)
#
# Needs root (it starts munged, slurmctld and slurmd; see local-cluster.sh) and installs the Debian
# packages slurmctld slurmd slurm-client munge when they are missing. Never skips: if the cluster
# cannot start, the test fails with the daemons' logs. The daemons are always stopped at the end.
set -euo pipefail
# Paths given by the caller are relative to where it runs; the defaults to the repository.
[ -z "${1:-}" ] || sweep_arg=$(realpath -m "$1")
[ -z "${ESCALATE:-}" ] || escalate_arg=$(realpath -m "$ESCALATE")
cd "$(dirname "$0")/../.."
repo=$(pwd)
here=$repo/scripts/slurm

tasks=4
job_timeout=90
sweep=${sweep_arg:-$repo/tests/fixtures/sweeps/slurm_small.ron}
escalate=${escalate_arg:-$repo/target/release/escalate}

t_begin=$EPOCHREALTIME
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
fail() {
  echo "FAIL slurm: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || fail "must run as root (it starts the Slurm and munge daemons)"
[ -x "$escalate" ] || fail "no escalate binary at $escalate: cargo build --release first (or set ESCALATE)"
[ -r "$sweep" ] || fail "cannot read sweep file $sweep"

echo "== slurm: packages"
t=$EPOCHREALTIME
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null ||
  ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi
dpkg-query -W -f='${Package} ${Version}\n' slurmctld slurmd slurm-client munge
t_packages=$(elapsed "$t")

work=$(mktemp -d -t escalate-slurm.XXXXXX)
chmod 0755 "$work" # munged runs as user munge and must reach the cluster directory inside
cluster=$work/cluster
export SLURM_CONF=$cluster/slurm.conf
status=1
finish() {
  local rc=$?
  # Always: stop the daemons (by PID) whatever happened; keep the evidence when the test failed.
  "$here/local-cluster.sh" stop "$cluster" || status=1
  [ "$rc" -eq 0 ] || status=1
  if [ "$status" -eq 0 ] && [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$work"
  else
    echo "slurm: work directory kept: $work" >&2
  fi
  [ "$rc" -eq 0 ] || exit "$rc"
  exit "$status"
}
trap finish EXIT
# Interrupted (Ctrl-C, a CI timeout): exit through finish so the daemons stop there too.
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== slurm: start a single-node cluster in $cluster"
t=$EPOCHREALTIME
"$here/local-cluster.sh" start "$cluster"
t_cluster=$(elapsed "$t")

echo "== slurm: the sweep as a $tasks-task job array"
mkdir -p "$work/logs"
t=$EPOCHREALTIME
# --cpus-per-task=1 and a short limit fit this 2-core node; the script's defaults suit real clusters.
# ESCALATE reaches the tasks through sbatch's default --export=ALL. --quiet goes through as an
# extra argument, as a user would pass it.
job=$(ESCALATE=$escalate sbatch --parsable --array=0-$((tasks - 1)) --cpus-per-task=1 --time=5 \
  --output="$work/logs/%A_%a.out" "$here/sweep.sbatch" "$sweep" "$work/shards" --quiet)
job=${job%%;*}
echo "submitted array job $job"

show_job() {
  squeue -j "$job" >&2 || true
  scontrol show job "$job" >&2 || true
  for log in "$work"/logs/*; do
    [ -e "$log" ] || continue
    echo "----- $log" >&2
    cat "$log" >&2
  done
  for log in "$cluster"/log/slurmctld.log "$cluster"/log/slurmd.log; do
    echo "----- $log (last 30 lines)" >&2
    tail -n 30 "$log" >&2 || true
  done
}

# Polled: sbatch --wait returns about 10 s after the job ends on Slurm 22.05.
deadline=$((SECONDS + job_timeout))
while :; do
  queued=$(squeue -h -j "$job" 2>&1) || { show_job; fail "squeue failed: $queued"; }
  [ -n "$queued" ] || break
  if [ "$SECONDS" -ge "$deadline" ]; then
    show_job
    scancel "$job" || true
    fail "array job $job still in the queue after $job_timeout s (state above)"
  fi
  sleep 0.2
done
t_array=$(elapsed "$t")

# No accounting database here: the finished tasks' states come from slurmctld's memory.
states=$(scontrol -o show job "$job") || { show_job; fail "scontrol cannot show job $job"; }
states=$(echo "$states" | grep -o 'ArrayTaskId=[0-9]* .*JobState=[A-Z_]*' |
  sed -E 's/^ArrayTaskId=([0-9]+) .*JobState=([A-Z_]+)$/task \1 \2/' | sort -k2n || true)
echo "$states"
completed=$(echo "$states" | grep -c ' COMPLETED$' || true)
if [ "$completed" -ne "$tasks" ]; then
  show_job
  fail "$completed of $tasks array tasks COMPLETED (logs above)"
fi

echo "== slurm: merge the shards"
t=$EPOCHREALTIME
"$escalate" merge "$work/shards" --out "$work/merged"
t_merge=$(elapsed "$t")

echo "== slurm: the same sweep in one process"
t=$EPOCHREALTIME
"$escalate" sweep "$sweep" --out "$work/whole" --quiet
t_whole=$(elapsed "$t")

echo "== slurm: compare (manifest.json differs by design: wall time, command line)"
test -s "$work/whole/sweep.csv" || fail "the one-process run wrote no sweep.csv"
# Every compared file must exist on both sides: a plot missing from one side is a failure too.
mapfile -t files < <(
  for side in whole merged; do
    (cd "$work/$side" && find . -path ./shards -prune -o -type f \( -name sweep.csv -o -name sweep.json -o -name morris.csv -o -name '*.svg' -o -name '*.png' \) -print | sed 's|^\./||')
  done | sort -u
)
differ=0
for f in "${files[@]}"; do
  if [ ! -f "$work/whole/$f" ] || [ ! -f "$work/merged/$f" ]; then
    echo "only on one side: $f" >&2
    differ=1
  elif ! cmp "$work/whole/$f" "$work/merged/$f"; then
    differ=1
  fi
done
[ "$differ" -eq 0 ] || fail "merged array-job result differs from the one-process run (files above)"
plots=$(printf '%s\n' "${files[@]}" | grep -c '\.\(svg\|png\)$' || true)
tables=$(printf '%s\n' "${files[@]}" | grep -v '\.\(svg\|png\)$' | tr '\n' ' ')

status=0
echo "PASS slurm: $tasks-task array job merged == one-process sweep, byte for byte: ${tables}+ $plots plot files (svg, png);" \
  "packages ${t_packages} s, cluster start ${t_cluster} s, array job ${t_array} s, merge ${t_merge} s, one process ${t_whole} s," \
  "total $(elapsed "$t_begin") s"
