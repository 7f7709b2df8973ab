#!/usr/bin/env bash
# Set up (first time) and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_env requirements-dev.txt
setup_map_assets
setup_browser
cd "$ROOT"
exec "$VENV/bin/python" -m pytest "$@"
