"""Shared fixtures, and the two tiers of the suite.

* The fast tier (``pytest -m "not realdata"``): rule tests on the small committed test
  gazetteer (``small_gaz``, tests/data/gazetteer; see tests/data/README.md) and tests that need
  no gazetteer at all. It needs neither the full index nor the network.
* The integration tier (``realdata``): tests on the full index (``gaz``, built by
  scripts/setup.sh or on first use), subprocesses of the app, the corpora. A test that uses
  ``gaz`` is marked ``realdata`` here, whatever its file says.

Data and cache folders are temporary: the suite never writes into the analyst's own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SMALL_GAZETTEER = ROOT / "tests" / "data" / "gazetteer"
# CONFLICTMAP_TEST_GAZETTEER=full: ``small_gaz`` is the full index (to record what the fast tier
# looks up, scripts/build_test_gazetteer.py, or to compare the tiers).
FULL_FOR_SMALL = os.environ.get("CONFLICTMAP_TEST_GAZETTEER") == "full"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "gaz" in getattr(item, "fixturenames", ()) and item.get_closest_marker("realdata") is None:
            item.add_marker(pytest.mark.realdata)


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
def _isolated_cache_dir(request, tmp_path_factory):
    """Nothing a test does may write into the analyst's cache (~/.cache/conflictmap): user
    indexes, downloads and anything else go to a temporary cache. The shared base index is
    the one exception, read only: built there once if missing, then linked into the
    temporary cache so that no test waits for a rebuild. A run of the fast tier alone does
    not need it, and neither finds nor builds it."""
    from app.gazetteer import build_base_index, default_cache_dir

    cache = tmp_path_factory.mktemp("cache")
    linked = FULL_FOR_SMALL or any(item.get_closest_marker("realdata") for item in request.session.items)
    if linked:
        base = build_base_index(default_cache_dir())
        (cache / base.name).symlink_to(base, target_is_directory=True)
    old = os.environ.get("CONFLICTMAP_CACHE")
    os.environ["CONFLICTMAP_CACHE"] = str(cache)
    yield cache
    if old is None:
        os.environ.pop("CONFLICTMAP_CACHE", None)
    else:
        os.environ["CONFLICTMAP_CACHE"] = old
    built = [p.name for p in cache.glob("gazetteer-*") if not p.is_symlink()]
    if built and not linked:
        pytest.fail(f"a test of the fast tier built the full index ({built[0]}): mark it realdata", pytrace=False)


@pytest.fixture(scope="session")
def gaz():
    """The full index (the integration tier)."""
    from app.gazetteer import Gazetteer

    return Gazetteer.load(user_db=False)


@pytest.fixture(scope="session")
def gp(small_gaz):
    """The geoparser on the test gazetteer: the fast tier's rule tests."""
    from app.geoparse import Geoparser

    return Geoparser(small_gaz)


@pytest.fixture(scope="session")
def gp_full(gaz):
    """On the full index: for the tests that need places or corpora beyond the test gazetteer's."""
    from app.geoparse import Geoparser

    return Geoparser(gaz)


@pytest.fixture(scope="session")
def pipe(small_gaz):
    """Geoparser and extractor on the test gazetteer: the fast tier's rule tests."""
    from app.pipeline import Pipeline

    return Pipeline(small_gaz)


@pytest.fixture(scope="session")
def pipe_full(gaz):
    """On the full index: for the tests that need places or corpora beyond the test gazetteer's."""
    from app.pipeline import Pipeline

    return Pipeline(gaz)


@pytest.fixture(scope="session")
def small_gaz():
    """The committed test gazetteer: every place the fast tier's texts name, with every namesake
    the full index holds for those names (tests/data/README.md)."""
    from app.gazetteer import Gazetteer

    if FULL_FOR_SMALL:
        return Gazetteer.load(user_db=False)
    return Gazetteer.open(SMALL_GAZETTEER)


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
