#!/usr/bin/env bash
# Stops what scripts/processes-up.sh started: SIGTERM to the services (newest first) and then to
# the brokers, SIGKILL to whatever still runs 30 s later. With --clean, also deletes the run
# directory (Kafka data, router state, logs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run="${MESH_PROCESSES_DIR:-$root/.processes}"
clean=false
[ "${1:-}" = "--clean" ] && clean=true

if [ -s "$run/pids" ]; then
  # Services first, so that no router or link is left retrying against a stopped cluster.
  services="$(tac "$run/pids" | awk '$2 !~ /-kafka-/ { print $1 }')"
  brokers="$(awk '$2 ~ /-kafka-/ { print $1 }' "$run/pids")"
  for group in "$services" "$brokers"; do
    [ -n "$group" ] || continue
    # shellcheck disable=SC2086
    kill $group 2>/dev/null || true
    for _ in $(seq 30); do
      alive=false
      for pid in $group; do kill -0 "$pid" 2>/dev/null && alive=true; done
      $alive || break
      sleep 1
    done
    for pid in $group; do kill -9 "$pid" 2>/dev/null || true; done
  done
  rm -f "$run/pids"
  echo "Stopped the mesh's processes."
else
  echo "No processes listed in $run/pids."
fi
if $clean; then
  rm -rf "$run"
  echo "Deleted $run."
fi
