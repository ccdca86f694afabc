#!/usr/bin/env bash
# Debian packages the test suite and the documents need. Installs what is
# missing when run as root with apt-get (as on the project's machines);
# otherwise prints the command for the developer to run.
set -euo pipefail

PACKAGES=(
    gettext                                   # compilemessages
    libpango-1.0-0 libpangoft2-1.0-0          # WeasyPrint
    fonts-dejavu-core fonts-liberation2       # document fonts; liberation2 has the Vietnamese glyphs
    fontconfig                                # fc-list: the appendix renderer finds the Liberation Serif files
    poppler-utils                             # pdftoppm: a decision page rendered to PNG in the tests
    softhsm2                                  # PKCS#11 token: the PAdES signature of decision PDFs (scripts/softhsm.sh)
)
[ "${1:-}" = "--with-browser" ] && PACKAGES+=(chromium)

missing=()
for pkg in "${PACKAGES[@]}"; do
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != installed ]; then
        missing+=("$pkg")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    echo "missing system packages: ${missing[*]}" >&2
    echo "run: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
