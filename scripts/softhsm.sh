#!/usr/bin/env bash
# A PKCS#11 signing token for development and CI (SoftHSM2): decision PDFs are then signed (PAdES).
#
#   scripts/softhsm.sh start   # (default) make the token, the issuer's key pair and its test certificate, once
#   scripts/softhsm.sh env     # eval "$(scripts/softhsm.sh env)": the THIDUA_PKCS11_* settings and SOFTHSM2_CONF
#
# Environment:
#   THIDUA_SOFTHSM_DIR   state folder (default: $THIDUA_SERVICES_DIR/softhsm, else $PWD/var/softhsm)
#   THIDUA_PKCS11_PIN    user PIN of the token (default: a development PIN, not secret)
#
# The token lives in a folder of ours (SOFTHSM2_CONF points to our own softhsm2.conf), never in the
# system-wide /var/lib/softhsm. The issuer's key is generated inside the token; its certificate is issued by a
# throw-away test CA whose certificate ($DIR/ca.pem) is the trust root the validator is given.
set -euo pipefail

cd "$(dirname "$0")/.."

MODULE=/usr/lib/softhsm/libsofthsm2.so
DIR=${THIDUA_SOFTHSM_DIR:-${THIDUA_SERVICES_DIR:-$PWD/var}/softhsm}
case $DIR in /*) ;; *) DIR=$PWD/$DIR ;; esac
TOKEN=thidua
LABEL=issuer
PIN=${THIDUA_PKCS11_PIN:-thidua-dev-pin}
SO_PIN=thidua-dev-so-pin
CONF=$DIR/softhsm2.conf

log() { printf 'softhsm: %s\n' "$*" >&2; }

cmd_start() {
    if [ ! -f "$MODULE" ] || ! command -v softhsm2-util >/dev/null; then
        log "missing: softhsm2 ($MODULE, softhsm2-util)"
        log "install it with:"
        log "    apt-get install -y --no-install-recommends softhsm2"
        exit 1
    fi
    mkdir -p "$DIR/tokens"
    chmod 700 "$DIR"
    cat >"$CONF" <<CONF
directories.tokendir = $DIR/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
CONF
    export SOFTHSM2_CONF=$CONF
    if softhsm2-util --show-slots | grep -q "^ *Label: *$TOKEN *\$"; then
        log "token \"$TOKEN\" already in $DIR/tokens"
    else
        log "initialising token \"$TOKEN\" in $DIR/tokens"
        softhsm2-util --init-token --free --label "$TOKEN" --pin "$PIN" --so-pin "$SO_PIN" >/dev/null
    fi
    .venv/bin/python -m nominations.documents.token_setup \
        --module "$MODULE" --token "$TOKEN" --pin "$PIN" --label "$LABEL" --out "$DIR" >/dev/null
    log "ready: key and certificate \"$LABEL\" in token \"$TOKEN\"; trust root $DIR/ca.pem"
    log "load the settings with: eval \"\$(scripts/softhsm.sh env)\""
}

cmd_env() {
    echo "export SOFTHSM2_CONF=$(printf '%q' "$CONF")"
    echo "export THIDUA_PKCS11_MODULE=$MODULE"
    echo "export THIDUA_PKCS11_TOKEN=$TOKEN"
    echo "export THIDUA_PKCS11_PIN=$(printf '%q' "$PIN")"
    echo "export THIDUA_PKCS11_KEY_LABEL=$LABEL"
    echo "export THIDUA_PDF_TRUST_ROOTS=$(printf '%q' "$DIR/ca.pem")"
}

case ${1:-start} in
    start) cmd_start ;;
    env)   cmd_env ;;
    *)     echo "usage: $0 [start|env]" >&2; exit 2 ;;
esac
