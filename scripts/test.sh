#!/usr/bin/env bash
# Set up (first time), lint and type-check, then run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_env requirements-dev.txt
setup_map_assets
setup_browser
cd "$ROOT"
# Lint and type check first: they take seconds, and any violation fails the command before the
# tests run. Rules and exemptions are in pyproject.toml ([tool.ruff*], [tool.mypy*]).
echo "ruff check" >&2
"$VENV/bin/ruff" check --quiet || die "ruff found the problems above (see CONTRIBUTING.md: Lint and types)"
echo "mypy" >&2
"$VENV/bin/mypy" || die "mypy found the problems above (see CONTRIBUTING.md: Lint and types)"
exec "$VENV/bin/python" -m pytest "$@"
