#!/usr/bin/env bash
# A throwaway single-node Slurm cluster under one directory, for CI and for trying the array-job
# scripts on a laptop: munged on a private socket, slurmctld and slurmd with a private slurm.conf,
# all started in the background without systemd and stopped by PID.
#
# Usage: scripts/slurm/local-cluster.sh start|stop|status DIR
#   start   write DIR/slurm.conf (once), start the three daemons, wait until the node is idle
#   stop    cancel any jobs left, stop the daemons by PID, wait until ports 6817/6818 are free
#   status  print each daemon's PID and the node's state; exit 0 when all three run, 3 when none
#
# After `start`, point the Slurm commands at the cluster with: export SLURM_CONF=DIR/slurm.conf
# Needs root (munged runs as user munge, jobs run as the submitter) and the Debian packages
# slurmctld slurmd slurm-client munge; it installs nothing (scripts/slurm/ci-test.sh does).
# Facts this relies on (Slurm 22.05, no systemd, cgroup v1 hybrid): /work/shared/notes/slurm-local.md
#
# Environment: LOCAL_CLUSTER_TIMEOUT  seconds to wait for the idle node (default 30).
set -euo pipefail

usage() {
  echo "usage: $0 start|stop|status DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
action=$1
case $action in start | stop | status) ;; *) usage ;; esac
if [ "$action" = start ]; then
  mkdir -p "$2"
elif [ ! -d "$2" ]; then
  echo "local-cluster: no cluster directory $2: nothing runs from it"
  [ "$action" = stop ] && exit 0 || exit 3
fi
dir=$(realpath "$2")
conf=$dir/slurm.conf
socket=$dir/munge/munge.socket
export SLURM_CONF=$conf
timeout_s=${LOCAL_CLUSTER_TIMEOUT:-30}
daemons=(munged slurmctld slurmd)

die() {
  echo "local-cluster: $*" >&2
  exit 1
}

# PID of a daemon we started, if that process is still alive (a zombie counts as gone: PID 1 on
# these machines reaps late, and a zombie holds no port).
running_pid() {
  local pidfile=$dir/run/$1.launched.pid pid state
  [ -s "$pidfile" ] || return 1
  pid=$(<"$pidfile")
  [ -r "/proc/$pid/stat" ] || return 1
  # Same process, not a recycled PID: its command is the daemon.
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] || return 1
  # Field 3 of /proc/PID/stat, after the ")" closing the command name; empty if it just exited.
  state=$(sed 's/^.*) //; s/ .*//' "/proc/$pid/stat" 2>/dev/null || true)
  [ -n "$state" ] && [ "$state" != Z ] || return 1
  echo "$pid"
}

# Is anything listening on this TCP port (IPv4 or IPv6)? Read from /proc: no ss/netstat needed.
port_listening() {
  local hex
  hex=$(printf ':%04X' "$1")
  awk -v port="$hex" 'FNR > 1 && $4 == "0A" && substr($2, length($2) - 4) == port { found = 1 }
                      END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

print_logs() {
  local name log
  # munged -F logs to its stdout (.out); slurmctld/slurmd -D write the same lines to their log file
  # and stdout, so their .out only matters when the log file was never opened (a bad slurm.conf).
  for name in munged slurmctld slurmd; do
    log=$dir/log/$name.log
    [ "$name" = munged ] && log=$dir/log/munged.out
    [ -s "$log" ] || log=$dir/log/$name.out
    [ -s "$log" ] || continue
    echo "----- $log (last 40 lines)" >&2
    tail -n 40 "$log" >&2
  done
}

write_conf() {
  # Kept across restarts of the same DIR (so is the job state): edit it by hand if you need to.
  [ -s "$conf" ] && return 0
  cat >"$conf" <<EOF
# Private single-node cluster written by scripts/slurm/local-cluster.sh; nothing here reads /etc.
ClusterName=escalate-local
SlurmctldHost=localhost
SlurmctldPort=6817
SlurmdPort=6818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
MailProg=/bin/true
MpiDefault=none
# No cgroup plugins: cgroup/v2 stops slurmd on a hybrid cgroup host.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
NodeName=localhost CPUs=$(nproc) State=UNKNOWN
# Oversubscribed so that an array with more tasks than cores starts at once instead of waiting
# for the next scheduling pass.
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
EOF
}

# Start one daemon in the background with its output in DIR/log/NAME.out, detached from our
# stdin/stdout (a caller piping our output must not wait for the daemons), and record its PID.
launch() {
  local name=$1
  shift
  "$@" </dev/null >"$dir/log/$name.out" 2>&1 &
  local pid=$! i
  echo "$pid" >"$dir/run/$name.launched.pid"
  # Until the fork has exec'd the daemon, /proc/PID/comm names bash or setpriv.
  for ((i = 0; i < 50; i++)); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.05
  done
}

stop_daemons() {
  local name pid i
  # Jobs still running would outlive slurmd (their slurmstepd is its own process): cancel them.
  if running_pid slurmctld >/dev/null; then
    mapfile -t jobs < <(squeue -h -o %A 2>/dev/null | sort -u)
    if [ ${#jobs[@]} -gt 0 ]; then
      echo "local-cluster: cancelling jobs ${jobs[*]}"
      scancel "${jobs[@]}" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do
        [ -z "$(squeue -h 2>/dev/null)" ] && break
        sleep 0.2
      done
    fi
  fi
  for name in slurmd slurmctld munged; do
    pid=$(running_pid "$name") || continue
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      running_pid "$name" >/dev/null || break
      sleep 0.1
    done
    if running_pid "$name" >/dev/null; then
      echo "local-cluster: $name ($pid) ignored SIGTERM for 10 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
    rm -f "$dir/run/$name.launched.pid"
  done
  for ((i = 0; i < 50; i++)); do
    port_listening 6817 || port_listening 6818 || return 0
    sleep 0.1
  done
  die "stopped our daemons but something still listens on port 6817 or 6818"
}

start() {
  local name pid state i
  for name in munged slurmctld slurmd; do
    pid=$(running_pid "$name") && die "$name is already running from $dir (PID $pid): run '$0 stop $dir' first"
  done
  for cmd in /usr/sbin/munged /usr/sbin/slurmctld /usr/sbin/slurmd sinfo squeue scancel setpriv; do
    command -v "$cmd" >/dev/null ||
      die "$cmd not found: apt-get install --no-install-recommends slurmctld slurmd slurm-client munge"
  done
  [ "$(id -u)" -eq 0 ] || die "must run as root (munged runs as user munge, slurmd as root)"
  id munge >/dev/null 2>&1 || die "no user 'munge' (it comes with the munge package)"
  for port in 6817 6818; do
    port_listening "$port" && die "port $port is in use: another slurmctld/slurmd is running (stop it first)"
  done

  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/run" "$dir/log"
  # munged runs as user munge and must reach DIR/munge (mktemp -d makes DIR 0700).
  chmod 0755 "$dir"
  chown munge:munge "$dir/munge"
  chmod 0755 "$dir/munge"
  setpriv --reuid=munge --regid=munge --init-groups test -x "$dir/munge" ||
    die "user munge cannot reach $dir/munge: a parent directory is not searchable by others"
  if [ ! -s "$dir/munge/munge.key" ]; then
    # A key of our own: this cluster trusts nothing from /etc/munge.
    setpriv --reuid=munge --regid=munge --init-groups mungekey --create --keyfile="$dir/munge/munge.key"
  fi
  write_conf

  local t0=$EPOCHREALTIME
  launch munged setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F \
    --socket="$socket" --key-file="$dir/munge/munge.key" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed"
  for ((i = 0; i < 100; i++)); do
    [ -S "$socket" ] && break
    running_pid munged >/dev/null || { print_logs; die "munged exited at start"; }
    sleep 0.1
  done
  munge -n -S "$socket" | unmunge -S "$socket" >/dev/null ||
    { print_logs; die "munged does not answer on $socket"; }

  launch slurmctld /usr/sbin/slurmctld -D -i
  launch slurmd /usr/sbin/slurmd -D -N localhost

  local deadline=$((SECONDS + timeout_s))
  while :; do
    for name in "${daemons[@]}"; do
      running_pid "$name" >/dev/null || {
        print_logs
        stop_daemons || true
        die "$name exited during start (logs above)"
      }
    done
    state=$(sinfo -h -n localhost -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      print_logs
      sinfo -N -l >&2 || true
      stop_daemons || true
      die "node not idle after ${timeout_s} s (state: '${state:-no answer}'; logs above)"
    fi
    sleep 0.2
  done
  printf 'local-cluster: up in %.1f s (munged %s, slurmctld %s, slurmd %s)\n' \
    "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')" "$(running_pid munged)" "$(running_pid slurmctld)" \
    "$(running_pid slurmd)"
  echo "export SLURM_CONF=$conf"
}

status() {
  local name pid up=0
  for name in "${daemons[@]}"; do
    if pid=$(running_pid "$name"); then
      echo "$name: running (PID $pid)"
      up=$((up + 1))
    else
      echo "$name: stopped"
    fi
  done
  if running_pid slurmctld >/dev/null; then
    echo "node localhost: $(sinfo -h -n localhost -o %t 2>/dev/null || echo 'no answer')"
  fi
  [ "$up" -eq 3 ] && return 0
  [ "$up" -eq 0 ] && return 3
  return 1
}

case $action in
  start) start ;;
  stop)
    stop_daemons
    echo "local-cluster: stopped (ports 6817/6818 free)"
    ;;
  status) status ;;
esac
