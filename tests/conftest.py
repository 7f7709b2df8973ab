"""Shared fixtures. The real gazetteer is loaded once per session (it is built by
scripts/setup.sh, or on first use) and handed to the tests that need it. Data and
cache folders are temporary: the suite never writes into the analyst's own."""

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


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache_dir(tmp_path_factory):
    """Nothing a test does may write into the analyst's cache (~/.cache/conflictmap): user
    indexes, downloads and anything else go to a temporary cache. The shared base index is
    the one exception, read only: built there once if missing, then linked into the
    temporary cache so that no test waits for a rebuild."""
    from app.gazetteer import build_base_index, default_cache_dir

    real = default_cache_dir()
    base = build_base_index(real)
    cache = tmp_path_factory.mktemp("cache")
    (cache / base.name).symlink_to(base, target_is_directory=True)
    old = os.environ.get("CONFLICTMAP_CACHE")
    os.environ["CONFLICTMAP_CACHE"] = str(cache)
    yield cache
    if old is None:
        os.environ.pop("CONFLICTMAP_CACHE", None)
    else:
        os.environ["CONFLICTMAP_CACHE"] = old


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
