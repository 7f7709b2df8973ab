"""app/ is the library: it imports without Streamlit, and only app.ui touches it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_app_imports_without_streamlit():
    code = ("import sys; sys.modules['streamlit'] = None; sys.modules['folium'] = None\n"
            "import app, app.cli, app.export, app.pipeline\nprint(len(app.__all__))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr


def test_only_ui_imports_streamlit_or_folium():
    for p in (ROOT / "app").rglob("*.py"):
        if "ui" in p.relative_to(ROOT / "app").parts:
            continue
        src = p.read_text()
        assert "import streamlit" not in src and "import folium" not in src, p
    assert len((ROOT / "streamlit_app.py").read_text().splitlines()) < 15
