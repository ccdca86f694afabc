#!/usr/bin/env bash
# Every workflow benchmark of issue 7, end to end, on PostgreSQL; the figures go to bench/RESULTS-workflow.md.
#
#   bench/run_all.sh            # generate the data set if missing, then every benchmark
#   bench/run_all.sh --reset    # rebuild the data set first (about 3 minutes)
#   bench/run_all.sh --profile  # also the py-spy / pyinstrument profiles
#
# Uses PostgreSQL and Redis from scripts/services.sh (started here only if they were not running, and then
# stopped at the end), the database thidua_wfbench (never the project's or the test database), gunicorn with
# 2 workers on a free loopback port, and wrk (apt-get install -y wrk). The documents benchmark is separate:
# .venv/bin/python -m bench.documents (see bench/README.md).
# Output: printed and kept in var/bench-workflow-<UTC time>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

RESET=""
PROFILE=""
for arg in "$@"; do
    case $arg in
        --reset) RESET=--reset ;;
        --profile) PROFILE=1 ;;
        *) echo "usage: $0 [--reset] [--profile]" >&2; exit 2 ;;
    esac
done

PY=.venv/bin/python
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

started=0
if ! scripts/services.sh status >/dev/null 2>&1; then
    scripts/services.sh start
    started=1
fi
stop_ours() { if [ "$started" = 1 ]; then scripts/services.sh stop; fi; }
trap stop_ours EXIT
eval "$(scripts/services.sh env)"

# The box has 2 cores: wait (up to 10 minutes) for other work to calm down, and say how busy it was.
wait_quiet() {
    local waited=0
    while [ "$(cut -d' ' -f1 /proc/loadavg | cut -d. -f1)" -ge 1 ] && [ $waited -lt 600 ]; do
        sleep 15
        waited=$((waited + 15))
    done
    echo "# load average before $1: $(cut -d' ' -f1-3 /proc/loadavg) (waited ${waited} s)"
}

# One step failing (a test, a benchmark) is reported and the others still run.
step() {
    "$@" || echo "# !! $* exited with status $?"
}

mkdir -p var
out="var/bench-workflow-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "# command: bench/run_all.sh $*"
    echo "# date: $(date -u)"
    echo "# nproc: $(nproc); uname -m: $(uname -m)"
    free -g
    echo
    step $PY -u -m bench.generate $RESET
    echo
    # Pages first: the other benchmarks add dossiers and sessions to the data set.
    wait_quiet pages
    step $PY -u -m bench.pages --explain
    echo
    wait_quiet step_cost
    step $PY -u -m bench.step_cost --explain ${PROFILE:+--profile}
    echo
    echo "# statement counts (tests/test_step_query_counts.py, SQLite as in make test)"
    step env -u DATABASE_URL $PY -m pytest -q -p no:cacheprovider -rA tests/test_step_query_counts.py
    echo
    wait_quiet throughput
    step $PY -u -m bench.throughput ${PROFILE:+--profile}
    echo
    wait_quiet council_load
    step $PY -u -m bench.council_load --doubles 3 ${PROFILE:+--profile}
} 2>&1 | tee "$out"
echo "kept in $out"
