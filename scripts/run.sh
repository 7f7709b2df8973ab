#!/usr/bin/env bash
# Set up (first time) and start the dashboard on http://127.0.0.1:8501
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_env requirements.txt
cd "$ROOT"
exec "$VENV/bin/python" -m streamlit run streamlit_app.py \
    --server.address 127.0.0.1 --server.headless true --browser.gatherUsageStats false "$@"
