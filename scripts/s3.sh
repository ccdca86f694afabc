#!/usr/bin/env bash
# A local S3-compatible server (moto's server mode) for development and CI, with one private bucket.
#
#   scripts/s3.sh start    # start moto_server on 127.0.0.1:$THIDUA_S3_PORT, create the bucket (private)
#   scripts/s3.sh stop     # stop it (fine if already stopped); moto keeps everything in memory
#   scripts/s3.sh status   # exit 0 only if it answers
#   scripts/s3.sh env      # eval "$(scripts/s3.sh env)": the settings that put files on it (config/settings.py)
#
# Environment:
#   THIDUA_SERVICES_DIR  state folder, shared with scripts/services.sh (default: $PWD/.services)
#   THIDUA_S3_PORT       port (default: 55380)
#   THIDUA_S3_BUCKET     bucket (default: thidua-private)
#
# moto comes from PyPI (requirements-dev.txt, moto[server]) into .venv. It refuses an unsigned GET of a
# private object with 403, as a real S3 server does; the keys are throw-away (moto accepts any).
set -euo pipefail

cd "$(dirname "$0")/.."
PY=${PY:-$PWD/.venv/bin/python}
PORT=${THIDUA_S3_PORT:-55380}
BUCKET=${THIDUA_S3_BUCKET:-thidua-private}
DIR=${THIDUA_SERVICES_DIR:-$PWD/.services}/s3
PIDFILE=$DIR/moto.pid
ENDPOINT=http://127.0.0.1:$PORT

log() { printf 's3: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

print_env() {
    cat <<EOF
export THIDUA_S3_BUCKET=$BUCKET
export AWS_S3_ENDPOINT_URL=$ENDPOINT
export AWS_ACCESS_KEY_ID=thidua-local
export AWS_SECRET_ACCESS_KEY=thidua-local-secret
export AWS_S3_REGION_NAME=us-east-1
EOF
}

pid() {
    local p
    p=$(cat "$PIDFILE" 2>/dev/null) || return 1
    [[ $p =~ ^[0-9]+$ ]] && kill -0 "$p" 2>/dev/null || return 1
    echo "$p"
}

answers() { "$PY" -c "import urllib.request; urllib.request.urlopen('$ENDPOINT/moto-api/', timeout=1)" 2>/dev/null; }

start() {
    if pid >/dev/null; then
        log "already running on $ENDPOINT"
    else
        answers && die "something already answers on $ENDPOINT (not ours); set THIDUA_S3_PORT"
        mkdir -p "$DIR"
        log "starting moto server on $ENDPOINT"
        "$PY" -m moto.server -H 127.0.0.1 -p "$PORT" >"$DIR/moto.log" 2>&1 &
        echo $! >"$PIDFILE"
        local deadline=$((SECONDS + 30))
        until answers; do
            pid >/dev/null || { tail -n 20 "$DIR/moto.log" >&2; die "moto server exited, see $DIR/moto.log"; }
            [ $SECONDS -lt $deadline ] || die "moto server did not answer within 30 s, see $DIR/moto.log"
            sleep 0.5
        done
    fi
    # The bucket is private: no ACL grant, no policy; objects are written "private" (config/settings.py).
    eval "$(print_env)"
    "$PY" - <<'EOF'
import os

import boto3

s3 = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"], region_name=os.environ["AWS_S3_REGION_NAME"])
bucket = os.environ["THIDUA_S3_BUCKET"]
if bucket not in {b["Name"] for b in s3.list_buckets()["Buckets"]}:
    s3.create_bucket(Bucket=bucket, ACL="private")
s3.put_public_access_block(
    Bucket=bucket,
    PublicAccessBlockConfiguration={
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    },
)
EOF
    log "ready: bucket $BUCKET on $ENDPOINT; load the settings with: eval \"\$(scripts/s3.sh env)\""
}

stop() {
    local p
    if ! p=$(pid); then
        log "moto server not running"
        return 0
    fi
    log "stopping moto server (pid $p)"
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 1 20); do
        kill -0 "$p" 2>/dev/null || break
        sleep 0.5
    done
    kill -KILL "$p" 2>/dev/null || true
    rm -f "$PIDFILE"
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    status) pid >/dev/null && answers ;;
    env) print_env ;;
    *) die "usage: $0 start|stop|status|env" ;;
esac
