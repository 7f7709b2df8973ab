#!/usr/bin/env bash
# Set up (first time) and start the dashboard on http://127.0.0.1:8501
# The first run also ingests the seed articles, so the map is not empty.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_env requirements.txt
setup_map_assets
cd "$ROOT"
store="${CONFLICTMAP_STORE:-${CONFLICTMAP_DATA:-data}/incidents.gpkg}"
if [ ! -f "$store" ]; then
    "$VENV/bin/python" -m app ingest seeds/ --store "$store" --quiet
fi
exec "$VENV/bin/python" -m streamlit run streamlit_app.py "$@"
