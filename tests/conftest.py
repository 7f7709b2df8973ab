"""Shared fixtures. The real gazetteer is loaded once per session (it is built by
scripts/setup.sh, or on first use) and handed to the tests that need it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _isolated_data_dir(tmp_path_factory):
    # Nothing a test does may touch the analyst's data/ directory.
    old = os.environ.get("CONFLICTMAP_DATA")
    os.environ["CONFLICTMAP_DATA"] = str(tmp_path_factory.mktemp("data"))
    yield
    if old is None:
        os.environ.pop("CONFLICTMAP_DATA", None)
    else:
        os.environ["CONFLICTMAP_DATA"] = old


@pytest.fixture(scope="session")
def gaz():
    from app.gazetteer import Gazetteer

    return Gazetteer.load(user_db=False)


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory, gaz):
    """A store holding the seed article's incidents (built once per session)."""
    from app.articles import read_inputs
    from app.pipeline import Pipeline, ingest_items
    from app.store import Store

    path = tmp_path_factory.mktemp("seedstore") / "incidents.gpkg"
    with Store(path) as s:
        ingest_items(read_inputs([ROOT / "seeds"]), s, Pipeline(gaz))
    return path
