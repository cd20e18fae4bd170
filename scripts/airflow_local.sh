#!/usr/bin/env bash
# Local Airflow for sockpuppet: api-server, scheduler, dag-processor and triggerer (LocalExecutor,
# SQLite metadata) in one background process group, bound to 127.0.0.1.
#
#   scripts/airflow_local.sh start    # what `make airflow` runs
#   scripts/airflow_local.sh stop     # what `make airflow-stop` runs: stops exactly that group
#   scripts/airflow_local.sh status
#
# Not `airflow standalone`: its scheduler and triggerer start log servers bound to every
# interface (0.0.0.0:8793/8794). Here they run with --skip-serve-logs (one machine: the
# api-server reads task logs from $AIRFLOW_HOME/logs directly) and the api-server gets --host.
#
# Everything lives in $AIRFLOW_HOME (default .airflow/, gitignored): airflow.cfg (with the
# generated secrets), airflow.db, logs/, one log per component, the pid file and the generated
# admin password.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"  # tasks resolve the default warehouse/, landing/ and published/ from here

AIRFLOW_BIN="${AIRFLOW_BIN:-$ROOT/.venv/bin/airflow}"
export PATH="$(dirname "$AIRFLOW_BIN"):$PATH"  # the executor starts task processes from PATH
export AIRFLOW_HOME="${AIRFLOW_HOME:-$ROOT/.airflow}"
AIRFLOW_PORT="${AIRFLOW_PORT:-8080}"
PID_FILE="$AIRFLOW_HOME/airflow.pid"
URL="http://127.0.0.1:$AIRFLOW_PORT"
HEALTH="$URL/api/v2/monitor/health"
START_TIMEOUT_S="${START_TIMEOUT_S:-180}"
STOP_TIMEOUT_S="${STOP_TIMEOUT_S:-30}"

export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__EXECUTOR=LocalExecutor
# 2 cores: at most 4 task processes in all, 2 per DAG (two build partitions side by side).
export AIRFLOW__CORE__PARALLELISM=4
export AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG=2
export AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES=1
export AIRFLOW__CORE__AUTH_MANAGER=airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager
export AIRFLOW__API__HOST=127.0.0.1
export AIRFLOW__API__PORT="$AIRFLOW_PORT"
export AIRFLOW__API__WORKERS=1
export AIRFLOW__API__BASE_URL="$URL"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="$URL/execution/"

# A build partition reading the warehouse while a writer holds DuckDB's lock waits this long
# (instead of failing at once and going through the task's retry backoff).
export SOCKPUPPET_BUSY_TIMEOUT_S="${SOCKPUPPET_BUSY_TIMEOUT_S:-60}"

POOL=duckdb_writer
POOL_DESCRIPTION="DuckDB allows one writer: tasks that write the warehouse take this slot"
PASSWORD_FILE="$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated"

# The pid in the file, if that process is alive and still leads its own process group.
running_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid pgid
    pid="$(cat "$PID_FILE")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" || return 1
    [[ "$pgid" == "$pid" ]] || return 1
    echo "$pid"
}

cmd_start() {
    local pid
    if pid="$(running_pid)"; then
        echo "Airflow is already running (process group $pid): $URL  (stop: make airflow-stop)"
        return 0
    fi
    [[ -x "$AIRFLOW_BIN" ]] || { echo "no $AIRFLOW_BIN: run 'make setup' first" >&2; exit 1; }
    mkdir -p "$AIRFLOW_HOME"
    local t0=$SECONDS
    echo "Preparing the metadata database in $AIRFLOW_HOME ..."
    airflow db migrate >"$AIRFLOW_HOME/db-migrate.log" 2>&1 \
        || { tail -20 "$AIRFLOW_HOME/db-migrate.log" >&2; exit 1; }
    airflow pools set "$POOL" 1 "$POOL_DESCRIPTION" >/dev/null
    echo "Pool $POOL: 1 slot."

    # setsid: the supervisor shell leads a new process group holding the four components and
    # every task process they start, so stop signals exactly that group. When one component
    # dies, the supervisor stops the others (no half-running Airflow).
    # shellcheck disable=SC2016
    setsid bash -c '
        cd "$1"
        airflow api-server --host 127.0.0.1 --port "$2" --workers 1 >"$3/api-server.log" 2>&1 &
        airflow scheduler --skip-serve-logs >"$3/scheduler.log" 2>&1 &
        airflow dag-processor >"$3/dag-processor.log" 2>&1 &
        airflow triggerer --skip-serve-logs >"$3/triggerer.log" 2>&1 &
        trap "kill -TERM 0" TERM INT
        wait -n
        echo "$(date -u +%FT%TZ) a component exited: stopping the others" >>"$3/supervisor.log"
        kill -TERM 0
    ' airflow-local "$ROOT" "$AIRFLOW_PORT" "$AIRFLOW_HOME" </dev/null >/dev/null 2>&1 &
    echo $! >"$PID_FILE"
    echo "Started process group $(cat "$PID_FILE"); logs in $AIRFLOW_HOME/*.log; waiting for $HEALTH ..."

    until curl -fsS "$HEALTH" 2>/dev/null | grep -q '"scheduler":{"status":"healthy"'; do
        if ! running_pid >/dev/null; then
            echo "Airflow exited while starting; last lines of the logs:" >&2
            tail -n 15 "$AIRFLOW_HOME"/{api-server,scheduler,dag-processor,triggerer}.log >&2 || true
            rm -f "$PID_FILE"
            exit 1
        fi
        if (( SECONDS - t0 > START_TIMEOUT_S )); then
            echo "not healthy after ${START_TIMEOUT_S}s; see $AIRFLOW_HOME/*.log" >&2
            cmd_stop
            exit 1
        fi
        sleep 2
    done
    echo
    echo "Airflow is up after $(( SECONDS - t0 ))s: $URL"
    echo "  user:      admin"
    echo "  password:  in $PASSWORD_FILE"
    echo "  DAGs:      $AIRFLOW__CORE__DAGS_FOLDER (paused at first; unpause them in the UI)"
    echo "  landing:   ${SOCKPUPPET_LANDING:-$ROOT/landing} (SOCKPUPPET_LANDING) is watched every 15 minutes"
    echo "  stop:      make airflow-stop"
}

cmd_stop() {
    local pid
    if ! pid="$(running_pid)"; then
        echo "Airflow is not running (no live process group in $PID_FILE)."
        rm -f "$PID_FILE"
        return 0
    fi
    local t0=$SECONDS
    kill -TERM -- "-$pid" 2>/dev/null || true
    while kill -0 -- "-$pid" 2>/dev/null; do
        if (( SECONDS - t0 > STOP_TIMEOUT_S )); then
            echo "still running after ${STOP_TIMEOUT_S}s: killing process group $pid"
            kill -KILL -- "-$pid" 2>/dev/null || true
            break
        fi
        sleep 1
    done
    rm -f "$PID_FILE"
    echo "Stopped Airflow (process group $pid) in $(( SECONDS - t0 ))s."
}

cmd_status() {
    local pid
    if pid="$(running_pid)"; then
        echo "running (process group $pid): $URL"
        curl -fsS "$HEALTH" && echo
    else
        echo "not running"
        return 1
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
