"""Dashboard entry point: `streamlit run streamlit_app.py` (scripts/run.sh does it).

Thin on purpose: the page lives in app.ui.page, the logic in the app package.
"""

from app.ui.page import main

main()
