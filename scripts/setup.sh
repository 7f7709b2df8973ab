#!/usr/bin/env bash
# Shared set-up: a virtual environment in .venv with pinned packages, and the
# gazetteer index. Sourced by run.sh and test.sh; safe to run again (it only
# installs what changed). Usage: source scripts/setup.sh; setup_env requirements.txt
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

die() { echo "setup: $*" >&2; exit 1; }

_apt_updated=0
apt_install() {
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null || die "need root (or sudo) to install Debian packages: $*"
        sudo="sudo"
    fi
    if [ "$_apt_updated" = 0 ]; then
        $sudo apt-get update -qq
        _apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

find_python() {
    local c
    for c in python3.11 python3; do
        if command -v "$c" >/dev/null && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
            echo "$c"
            return 0
        fi
    done
    return 1
}

setup_env() {
    local req="$1"
    local py
    py="$(find_python)" || die "Python 3.11 or newer is required (apt-get install python3)"
    if [ ! -x "$VENV/bin/python" ]; then
        if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
            apt_install python3-venv
        fi
        "$py" -m venv "$VENV"
    fi
    # Reinstall only when the requirement files change.
    local stamp="$VENV/.installed-$(cat "$ROOT/$req" "$ROOT/requirements.txt" "$ROOT/constraints.txt" | sha256sum | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/$req" -c "$ROOT/constraints.txt"
        touch "$stamp"
    fi
    # Builds the compact gazetteer index once per machine (about 30 s); a no-op after.
    "$VENV/bin/python" -m app gazetteer build >/dev/null
}

setup_map_assets() {
    # Leaflet from the npm registry (pinned lockfile, files checked by sha256) and the
    # offline base map, into static/ where Streamlit serves them. Once per checkout.
    if ! "$VENV/bin/python" -m app.ui.assets check 2>/dev/null; then
        command -v npm >/dev/null || apt_install npm
        "$VENV/bin/python" -m app.ui.assets fetch >/dev/null
    fi
    "$VENV/bin/python" -m app.ui.basemap >/dev/null
}

setup_browser() {
    # Debian's chromium for the browser tests (Playwright drives it; no browser download).
    [ -x /usr/bin/chromium ] || apt_install chromium
}
