#!/usr/bin/env bash
# Local PostgreSQL 15 + Redis for development and CI, without systemd.
#
#   scripts/services.sh start    # init (once) and start both, create roles "thidua" (owner), "thidua_app", db "thidua"
#   scripts/services.sh stop     # stop both (fine if already stopped)
#   scripts/services.sh status   # exit 0 only if both are up
#   scripts/services.sh env      # eval "$(scripts/services.sh env)"
#
# Environment:
#   THIDUA_SERVICES_DIR  state folder (default: $PWD/.services)
#   THIDUA_PG_PORT       PostgreSQL port (default: 55432)
#   THIDUA_REDIS_PORT    Redis port (default: 56379)
#
# Two database roles, as in production (README, "Audit trail"): "thidua"
# owns the database and its tables and runs migrations (and the tests, which
# create test_thidua); "thidua_app" is what a deployed application connects
# as: it may read and write the tables but only INSERT and SELECT the audit
# trail (migration 0007), and owns nothing, so it cannot ALTER a table or
# disable a trigger. `env` prints DATABASE_URL for the owner (CI and tests)
# and THIDUA_APP_DATABASE_URL for the application role.
#
# Both servers listen on 127.0.0.1 only. PostgreSQL uses "trust" auth: it is a
# throw-away developer/CI database, never expose it.
set -euo pipefail

# Directories we create must be traversable by the "postgres" user even if the
# caller has a restrictive umask.
umask 022

PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT=${THIDUA_PG_PORT:-55432}
REDIS_PORT=${THIDUA_REDIS_PORT:-56379}
DB_NAME=thidua
DB_USER=thidua
DB_PASSWORD=thidua
APP_USER=thidua_app
APP_PASSWORD=thidua_app

log() { printf 'services: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as the PostgreSQL server owner. initdb/postgres refuse to run
# as root, so as root we switch to "postgres"; as a normal user we run as self.
# `cd /` because su keeps the caller's cwd, which postgres may not be able to
# enter (pg_ctl/initdb complain about that).
as_pg() {
    if is_root; then
        su postgres -s /bin/sh -c "cd / && $(printf '%q ' "$@")"
    else
        "$@"
    fi
}

# True if the postgres user can reach $1 (or, if it does not exist yet, the
# closest existing ancestor: whatever we create below it will be mode 755).
pg_can_reach() {
    local p=$1
    is_root || return 0
    while [ ! -e "$p" ]; do p=$(dirname "$p"); done
    su postgres -s /bin/sh -c "test -d $(printf '%q' "$p") && test -x $(printf '%q' "$p")"
}

# Decide the state folder. Same inputs always give the same answer, so
# start/stop/status/env agree without storing anything.
resolve_dir() {
    local dir=${THIDUA_SERVICES_DIR:-$PWD/.services}
    case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
    local reason=
    if [[ $dir =~ [[:space:]\'\"\\] ]]; then
        # pg_ctl passes -o through a shell; keep paths boring.
        reason="contains whitespace or quotes"
    elif [ $(( ${#dir} + 13 + ${#PG_PORT} )) -gt 103 ]; then
        # The socket path $dir/pg/.s.PGSQL.<port> must fit in sun_path (107
        # bytes + NUL); keep a small margin.
        reason="is too long for a PostgreSQL unix socket path"
    elif ! pg_can_reach "$dir"; then
        # Typical case: repo under /work or /root which is not world-executable.
        reason="is not reachable by the postgres user"
    fi
    if [ -n "$reason" ]; then
        local fallback
        fallback=/tmp/thidua-services-$(id -u)
        [ "${1:-}" = quiet ] || log "note: $dir $reason; using $fallback instead"
        dir=$fallback
    fi
    DIR=$dir
    PG_DIR=$DIR/pg
    PG_DATA=$PG_DIR/data
    REDIS_DIR=$DIR/redis
    REDIS_PIDFILE=$REDIS_DIR/redis.pid
}

require_binaries() {
    local missing=()
    [ -x "$PG_BIN/initdb" ] || missing+=("$PG_BIN/initdb")
    command -v redis-server >/dev/null || missing+=(redis-server)
    command -v redis-cli >/dev/null || missing+=(redis-cli)
    if [ ${#missing[@]} -gt 0 ]; then
        log "missing: ${missing[*]}"
        log "install them with:"
        log "    apt-get install -y --no-install-recommends postgresql redis-server"
        exit 1
    fi
}

# ---------------------------------------------------------------- PostgreSQL

pg_running() {
    [ -f "$PG_DATA/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

# psql as superuser over the unix socket in $PG_DIR (trust auth). -X: ignore ~/.psqlrc.
pg_sql() {
    psql -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres "$@"
}

pg_start() {
    mkdir -p "$PG_DIR"
    if is_root; then chown postgres:postgres "$PG_DIR"; fi

    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        log "initdb $PG_DATA"
        as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
            || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    fi

    if pg_running; then
        log "postgres already running on 127.0.0.1:$PG_PORT"
    else
        log "starting postgres on 127.0.0.1:$PG_PORT"
        if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 60 -l "$PG_DIR/server.log" \
                -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
                start >/dev/null; then
            tail -n 20 "$PG_DIR/server.log" >&2 || true
            die "postgres failed to start (port $PG_PORT busy?), see $PG_DIR/server.log"
        fi
    fi

    # Role and database, idempotently (CREATE DATABASE cannot run inside DO).
    pg_sql <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
    ELSE
        ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
    END IF;
END
\$\$;
SQL
    if [ "$(pg_sql -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
        pg_sql -c "CREATE DATABASE $DB_NAME OWNER $DB_USER ENCODING 'UTF8'"
        log "created database $DB_NAME"
    fi
    pg_app_role
}

# The application's role: everything the owner creates is readable and
# writable by it, except the audit trail (INSERT and SELECT only; migration
# 0007 revokes the rest from every non-owner). The owner is a member so that
# tests can SET ROLE to it (tests/workflow/test_audit_roles.py).
pg_app_role() {
    pg_sql <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$APP_USER') THEN
        CREATE ROLE $APP_USER LOGIN PASSWORD '$APP_PASSWORD';
    ELSE
        ALTER ROLE $APP_USER LOGIN NOCREATEDB NOCREATEROLE PASSWORD '$APP_PASSWORD';
    END IF;
END
\$\$;
GRANT $APP_USER TO $DB_USER;
SQL
    pg_sql -d "$DB_NAME" <<SQL
GRANT CONNECT ON DATABASE $DB_NAME TO $APP_USER;
GRANT USAGE ON SCHEMA public TO $APP_USER;
ALTER DEFAULT PRIVILEGES FOR ROLE $DB_USER IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO $APP_USER;
ALTER DEFAULT PRIVILEGES FOR ROLE $DB_USER IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO $APP_USER;
-- Tables migrated before the role existed.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $APP_USER;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO $APP_USER;
DO \$\$
BEGIN
    IF to_regclass('public.workflow_auditevent') IS NOT NULL THEN
        REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON workflow_auditevent FROM $APP_USER;
    END IF;
END
\$\$;
SQL
}

pg_stop() {
    if pg_running; then
        log "stopping postgres"
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
    else
        log "postgres not running"
    fi
}

# --------------------------------------------------------------------- Redis

# True if $1 is a live process. A daemonized redis is re-parented to PID 1,
# and in some containers PID 1 reaps late: a killed redis then lingers as a
# zombie that `kill -0` still reports as alive, so look at its state too.
pid_alive() {
    kill -0 "$1" 2>/dev/null || return 1
    if [ -r "/proc/$1/stat" ]; then
        local stat
        stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
        stat=${stat##*) }          # drop "pid (comm) ", comm may contain spaces
        [ "${stat%% *}" != Z ] || return 1
    fi
}

redis_pid() {
    local pid
    [ -f "$REDIS_PIDFILE" ] || return 1
    pid=$(cat "$REDIS_PIDFILE" 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] && pid_alive "$pid" || return 1
    echo "$pid"
}

redis_ping() {
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

redis_start() {
    mkdir -p "$REDIS_DIR"
    if redis_pid >/dev/null; then
        log "redis already running on 127.0.0.1:$REDIS_PORT"
        return
    fi
    rm -f "$REDIS_PIDFILE"   # stale
    # Do not silently reuse somebody else's server: its data would be ours.
    redis_ping && die "something already answers on 127.0.0.1:$REDIS_PORT (not ours); set THIDUA_REDIS_PORT"

    log "starting redis on 127.0.0.1:$REDIS_PORT"
    # --save "" / --appendonly no: pure in-memory broker, nothing to clean up.
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
        --save "" --appendonly no --dir "$REDIS_DIR" \
        --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_DIR/redis.log"

    local deadline=$((SECONDS + 10))
    until redis_ping; do
        if [ $SECONDS -ge $deadline ]; then
            tail -n 20 "$REDIS_DIR/redis.log" >&2 || true
            die "redis did not answer PING within 10 s, see $REDIS_DIR/redis.log"
        fi
        sleep 0.2
    done
}

redis_stop() {
    local pid
    if ! pid=$(redis_pid); then
        log "redis not running"
        rm -f "$REDIS_PIDFILE"
        return
    fi
    log "stopping redis (pid $pid)"
    kill "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while pid_alive "$pid"; do
        if [ $SECONDS -ge $deadline ]; then
            log "redis did not exit after SIGTERM, sending SIGKILL"
            kill -9 "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.1
    done
    rm -f "$REDIS_PIDFILE"
}

# ------------------------------------------------------------------ commands

cmd_start() {
    require_binaries
    resolve_dir
    mkdir -p "$DIR"
    pg_start
    redis_start
    log "ready (state in $DIR); load the settings with: eval \"\$(scripts/services.sh env)\""
}

cmd_stop() {
    resolve_dir quiet
    # Nothing was ever started without the binaries / the state folder.
    if [ -x "$PG_BIN/pg_ctl" ] && [ -d "$PG_DIR" ]; then pg_stop; else log "postgres not running"; fi
    redis_stop
}

cmd_status() {
    resolve_dir quiet
    local rc=0
    if [ -x "$PG_BIN/pg_ctl" ] && pg_running; then
        echo "postgres: running on 127.0.0.1:$PG_PORT (data $PG_DATA)"
    else
        echo "postgres: stopped"; rc=3
    fi
    local pid
    if pid=$(redis_pid) && redis_ping; then
        echo "redis:    running on 127.0.0.1:$REDIS_PORT (pid $pid)"
    else
        echo "redis:    stopped"; rc=3
    fi
    echo "state:    $DIR"
    return $rc
}

cmd_env() {
    resolve_dir quiet
    echo "export THIDUA_SERVICES_DIR=$(printf '%q' "$DIR")"
    echo "export DATABASE_URL=postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME"
    echo "export THIDUA_APP_DATABASE_URL=postgres://$APP_USER:$APP_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME"
    # Development keys of the audit trail, shared by the tests and a worker
    # started from the same shell; production sets its own (check --deploy).
    echo "export THIDUA_AUDIT_KEY=services-sh-development-audit-key-not-secret"
    echo "export THIDUA_AUDIT_ANCHOR_KEY=services-sh-development-anchor-key-not-secret"
    echo "export CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/0"
    echo "export CELERY_RESULT_BACKEND=redis://127.0.0.1:$REDIS_PORT/1"
}

case ${1:-} in
    start)  cmd_start ;;
    stop)   cmd_stop ;;
    status) cmd_status ;;
    env)    cmd_env ;;
    *)      echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
