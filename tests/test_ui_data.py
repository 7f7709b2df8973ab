"""The dashboard's data layer: one filtered frame for map, counts, table and exports."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from app.export import Filters, select
from app.store import Store
from app.ui import data as D

ROOT = Path(__file__).resolve().parent.parent

realdata = pytest.mark.realdata  # the tests on the seed store (built with the real gazetteer)


@pytest.fixture(scope="module")
def df(seed_store):
    return D.load_frame(seed_store)


@realdata
def test_load(df):
    assert len(df) == 5
    assert set(df["kind"]) == {"event", "aggregate_report"}
    assert df["day"].notna().all()


@realdata
@pytest.mark.parametrize("f, n", [
    (D.ViewFilters(), 5),
    (D.ViewFilters(date_from=dt.date(2020, 9, 30)), 4),
    (D.ViewFilters(date_to=dt.date(2020, 9, 29)), 1),
    (D.ViewFilters(types=["Explosions/Remote violence"]), 1),
    (D.ViewFilters(actors=["Military Forces of Turkey"]), 1),
    (D.ViewFilters(claimants=["Armenian media"]), 1),
    (D.ViewFilters(min_fatalities=50), 2),
    (D.ViewFilters(text="tonashen"), 1),
    (D.ViewFilters(kinds=["aggregate_report"]), 2),
])
def test_filters(df, f, n):
    assert len(D.apply_filters(df, f)) == n


@realdata
def test_ui_and_export_filters_agree(df, seed_store):
    with Store(seed_store) as s:
        for ui, ex in [
            (D.ViewFilters(date_from=dt.date(2020, 9, 30)), Filters(since=dt.date(2020, 9, 30))),
            (D.ViewFilters(types=["Battles"]), Filters(types=["Battles"])),
            (D.ViewFilters(min_fatalities=1), Filters(min_fatalities=1)),
            (D.ViewFilters(text="Martakert"), Filters(text="Martakert")),
            (D.ViewFilters(actors=["military forces of azerbaijan"]),
             Filters(actors=["military forces of azerbaijan"])),
            (D.ViewFilters(actors=["Azerbaijan"]), Filters(actors=["Azerbaijan"])),
            (D.ViewFilters(claimants=["Armenian media"]), Filters(claimants=["Armenian media"])),
            (D.ViewFilters(claimants=["an"]), Filters(claimants=["an"])),
        ]:
            assert set(D.apply_filters(df, ui)["event_id"]) == {r["event_id"] for r in select(s, ex)}


@realdata
def test_options_and_timeline(df):
    o = D.options(df)
    assert "Military Forces of Azerbaijan" in o["actors"]
    assert "Armenian media" in o["claimants"] and "BBC News" in o["claimants"]
    tl = D.timeline(df)
    assert tl["incidents"].sum() == 3  # dated events only
    assert tl.loc[tl["event_type"] == "Explosions/Remote violence", "fatalities"].sum() == 3


@realdata
def test_records_are_store_shaped(df):
    recs = D.records(df)
    assert all(isinstance(r, dict) and "day" not in r for r in recs)
    assert any(r["latitude"] is None for r in recs)


def test_undated_incidents_are_shown_by_default_and_counted():
    frame = pd.DataFrame({"day": [dt.date(2020, 9, 30), None], "actor1": ["", ""], "actor2": ["", ""],
                          "event_type": ["Battles", "Battles"], "claimed_by": ["", ""], "source": ["", ""],
                          "fatalities": pd.array([1, None], dtype="Int64"), "kind": ["event", "event"],
                          "notes": ["", ""], "location": ["", ""], "title": ["", ""], "disputed_by": ["", ""]})
    ranged = D.ViewFilters(date_from=dt.date(2020, 9, 1), date_to=dt.date(2020, 10, 1))
    assert len(D.apply_filters(frame, ranged)) == 2  # the undated one is not hidden by the range
    ranged.include_undated = False
    assert len(D.apply_filters(frame, ranged)) == 1
    assert D.options(frame)["undated"] == 1


@realdata
def test_sources_of_incidents_reported_twice(seed_store, gaz, tmp_path):
    import dataclasses
    import shutil

    from app.articles import read_inputs
    from app.pipeline import Pipeline

    store = tmp_path / "twice.gpkg"
    shutil.copy(seed_store, store)
    assert D.load_sources(store) == {}  # each seed incident has one report
    (seed,) = read_inputs([ROOT / "seeds"])
    again = dataclasses.replace(seed, id=seed.id + "-again", publisher="Reuters")
    with Store(store) as s:
        ids = s.add(again, Pipeline(gaz).process(again).incidents).event_ids
    sources = D.load_sources(store)
    assert set(sources) == set(ids) and len(ids) > 1
    assert all([x["publisher"] for x in v] == ["BBC News", "Reuters"] for v in sources.values())
    assert set(D.load_sources(store, ids[:1])) == {ids[0]}
