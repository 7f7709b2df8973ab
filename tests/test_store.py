"""The GeoPackage store: transactions, de-duplication across articles, exports that read back."""

import datetime as dt
import json
import math
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.articles import Article
from app.export import ACLED_COLUMNS, Filters, csv_text, geojson, select, store_geojson_bytes, write_geojson, write_gpkg
from app.incidents import Incident, event_id_for
from app.store import Store, StoreError


def make_incident(**kw) -> Incident:
    base = dict(
        event_id="", article_id="a1", kind="event", event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike", event_date=dt.date(2020, 9, 30), date_start=dt.date(2020, 9, 30),
        date_end=dt.date(2020, 9, 30), time_precision=1, date_phrase="on Wednesday",
        actor1="Military Forces of Azerbaijan", actor2="Civilians (Azerbaijan)", inter1=1, inter2=7,
        location="Martakert", place_id="geonames:587379", place_kind="town", country_code="AZ", admin1="Tərtər",
        geo_precision=1, lat=40.21127, lon=46.82135, region_id=None, fatalities=3,
        fatalities_detail=(("civilians", 3),), claimed_by="Armenian media", disputed_by="",
        evidence="Three civilians were killed in Martakert.", evidence_start=0, evidence_end=40, title="T",
        publisher="BBC News", url="https://example.org/a", published=dt.date(2020, 9, 30), confidence=0.9,
    )
    base.update(kw)
    inc = Incident(**base)
    from dataclasses import replace

    return replace(inc, event_id=event_id_for(inc.dedupe_key()))


def art(aid="a1", text="x", **kw):
    return Article(id=aid, text=text, **kw)


def test_same_incident_from_two_articles_is_one_with_two_sources(tmp_path):
    with Store(tmp_path / "s.gpkg") as s:
        a = make_incident(article_id="a1", claimed_by="Armenian media", fatalities=3, publisher="BBC News")
        b = make_incident(article_id="a2", claimed_by="Armenpress", fatalities=4, publisher="Reuters",
                          evidence="Four people died in Martakert, Armenpress said.")
        assert a.event_id == b.event_id
        r1 = s.add(art("a1", "one"), [a])
        r2 = s.add(art("a2", "two"), [b])
        assert (r1.new_incidents, r2.new_incidents, r2.merged_incidents) == (1, 0, 1)
        (row,) = s.incidents()
        assert row["n_sources"] == 2
        assert row["claimed_by"] == "Armenian media; Armenpress"
        assert row["source"] == "BBC News; Reuters"
        assert row["fatalities"] == 3  # the lowest report stands ...
        srcs = s.sources(a.event_id)
        assert [(x["article_id"], x["fatalities"], x["claimed_by"]) for x in srcs] == [
            ("a1", 3, "Armenian media"), ("a2", 4, "Armenpress")]  # ... and each keeps its own


def test_same_article_twice_adds_nothing(tmp_path):
    with Store(tmp_path / "s.gpkg") as s:
        assert s.add(art("a1", "text"), [make_incident()]).stored
        before = s.counts()
        r = s.add(art("a1", "text"), [make_incident()])
        assert not r.stored and r.reason == "already in the store"
        assert s.counts() == before
        r = s.add(art("a1", "other text"), [make_incident()])
        assert not r.stored and "other text" in r.reason


def test_failed_write_leaves_nothing(tmp_path):
    with Store(tmp_path / "s.gpkg") as s:
        good = make_incident()
        bad = make_incident(article_id="a1", location="X", place_id="x")
        object.__setattr__(bad, "fatalities", object())  # not storable: the transaction must roll back
        with pytest.raises(StoreError):  # sqlite3's binding error, named by the store
            s.add(art("a1"), [good, bad])
        assert s.counts() == {"articles": 0, "incidents": 0, "unmapped": 0, "sources": 0}


def test_store_is_a_geopackage_gis_can_read(tmp_path):
    import pyogrio

    p = tmp_path / "s.gpkg"
    with Store(p) as s:
        s.add(art("a1"), [make_incident(), make_incident(location="", place_id=None, lat=None, lon=None,
                                                         event_date=dt.date(2020, 9, 29))])
    layers = dict(pyogrio.list_layers(p))
    assert layers["incidents"] == "Point"
    df = pyogrio.read_dataframe(p, layer="incidents")
    assert df.crs.to_epsg() == 4326
    assert df.geometry.isna().sum() == 1
    pt = df.geometry.dropna().iloc[0]
    assert (pt.x, pt.y) == (46.82135, 40.21127)


def test_filters(tmp_path):
    with Store(tmp_path / "s.gpkg") as s:
        s.add(art("a1"), [make_incident()])
        s.add(art("a2"), [make_incident(article_id="a2", event_date=dt.date(2020, 10, 5),
                                        actor1="Military Forces of Armenia", event_type="Battles",
                                        sub_event_type="Armed clash", claimed_by="Azerbaijan's defence ministry",
                                        fatalities=None)])

        def n(**kw):
            return len(select(s, Filters(**kw)))

        assert n() == 2
        assert n(since=dt.date(2020, 10, 1)) == 1
        assert n(until=dt.date(2020, 9, 30)) == 1
        assert n(actors=["military forces of armenia"]) == 1 and n(actors=["armenia"]) == 0  # whole values
        assert n(types=["Battles"]) == 1 and n(types=["air/drone strike"]) == 1
        assert n(claimants=["Azerbaijan's Defence Ministry"]) == 1 and n(claimants=["defence ministry"]) == 0
        assert n(min_fatalities=1) == 1
        assert n(text="martakert") == 2


def test_csv_has_acled_columns(tmp_path):
    with Store(tmp_path / "s.gpkg") as s:
        s.add(art("a1"), [make_incident()])
        text = csv_text(select(s))
    header = text.splitlines()[0].split(",")
    assert header[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert "claimed_by" in header and "disputed_by" in header
    row = text.splitlines()[1]
    assert "Azerbaijan" in row and ",31," in row  # country name and ISO numeric code


def test_geojson_is_rfc7946(tmp_path):
    with Store(tmp_path / "s.gpkg") as s:
        s.add(art("a1"), [make_incident(), make_incident(location="", place_id=None, lat=None, lon=None,
                                                         event_date=dt.date(2020, 9, 29))])
        fc = geojson(select(s))
    assert "crs" not in fc
    geoms = [f["geometry"] for f in fc["features"]]
    assert None in geoms
    (pt,) = [g for g in geoms if g]
    assert pt["coordinates"] == [46.82135, 40.21127]  # longitude first


def test_failed_export_leaves_no_partial_file(tmp_path, monkeypatch):
    out = tmp_path / "x.geojson"
    rows = [{"event_id": "e", "latitude": 1.0, "longitude": 2.0, "bad": object()}]
    monkeypatch.setattr("app.export.geojson_bytes", lambda rows: (_ for _ in ()).throw(RuntimeError("disk full")))
    with pytest.raises(RuntimeError):
        write_geojson(rows, out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


# ---- round trip: what is exported reads back with geopandas/pyogrio with identical values

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
incidents = st.builds(
    make_incident,
    article_id=st.text(alphabet="abcdefgh0123456789", min_size=1, max_size=8),
    kind=st.sampled_from(["event", "aggregate_report"]),
    event_type=st.sampled_from(["Battles", "Explosions/Remote violence", "Violence against civilians"]),
    event_date=st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))),
    actor1=texts, actor2=texts, location=texts, claimed_by=texts, disputed_by=texts, evidence=texts,
    fatalities=st.one_of(st.none(), st.integers(0, 100_000)),
    lat=st.floats(-90, 90, allow_nan=False), lon=st.floats(-180, 180, allow_nan=False),
    confidence=st.floats(0, 1, allow_nan=False),
)


def _same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)) or a == "":
        return b is None or (isinstance(b, float) and math.isnan(b)) or b == ""
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-12)
    return str(a) == str(b)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(incidents, min_size=1, max_size=5))
def test_geojson_and_gpkg_round_trip(tmp_path, incs):
    import geopandas as gpd

    p = tmp_path / f"s{abs(hash(tuple(i.event_id for i in incs)))}.gpkg"
    with Store(p) as s:
        for i, inc in enumerate(incs):
            s.add(art(f"a{i}", f"text {i}"), [inc])
        rows = select(s)
    # the export command's path (SQLite's JSON functions) says the same as the Python writer
    with Store(p) as s:
        fast = {f["id"]: f for f in json.loads(store_geojson_bytes(s))["features"]}
    for f in geojson(rows)["features"]:
        g = fast[f["id"]]
        assert (f["geometry"] is None) == (g["geometry"] is None)
        if f["geometry"]:
            assert g["geometry"]["coordinates"] == pytest.approx(f["geometry"]["coordinates"], rel=1e-13)
        for k, v in f["properties"].items():
            close = isinstance(v, float) and g["properties"][k] == pytest.approx(v, rel=1e-13)
            assert _same(v, g["properties"][k]) or close, k
    gj = tmp_path / "x.geojson"
    gp = tmp_path / "x.gpkg"
    write_geojson(rows, gj)
    write_gpkg(rows, gp)
    for path in (gj, gp):
        back = gpd.read_file(path, engine="pyogrio")
        back = back.set_index("event_id")
        assert len(back) == len(rows)
        for r in rows:
            b = back.loc[r["event_id"]]
            for col in ("kind", "event_type", "actor1", "actor2", "location", "claimed_by", "disputed_by", "notes",
                        "fatalities", "confidence"):
                assert _same(r[col], b[col]), (path.suffix, col, r[col], b[col])
            got_date = b["event_date"]
            got_date = None if got_date is None or str(got_date) in ("NaT", "nan", "None") else str(got_date)[:10]
            assert got_date == r["event_date"]
            assert b.geometry.x == pytest.approx(r["longitude"], abs=1e-12)
            assert b.geometry.y == pytest.approx(r["latitude"], abs=1e-12)
    p.unlink()


@pytest.mark.realdata  # the app in a subprocess: the full index
def test_cli_bad_input_names_file_and_line_and_goes_on(tmp_path):
    f = tmp_path / "batch.jsonl"
    ok1 = {"id": "ok1", "text": "Russian drones struck Odesa on Monday, killing two civilians, the governor said.",
           "published": "2024-03-05"}
    ok2 = {"id": "ok2", "text": "Shelling hit Kherson on Sunday, officials said.", "published": "2024-03-05"}
    f.write_text(json.dumps(ok1) + "\n{broken\n" + json.dumps(ok2) + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "app", "ingest", str(f), "--store", str(tmp_path / "s.gpkg"), "--quiet"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2
    assert f"{f}:2: malformed JSON" in r.stderr
    assert "articles: 2 read, 2 stored" in r.stderr
    with Store(tmp_path / "s.gpkg") as s:
        assert s.counts()["articles"] == 2


@pytest.mark.realdata  # the app in a subprocess: the full index
def test_cli_export_formats(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"id": "x", "text": "Russian drones struck Odesa on Monday, killing two civilians, "
                                               "the governor said.", "published": "2024-03-05"}) + "\n",
                 encoding="utf-8")
    store = tmp_path / "s.gpkg"
    subprocess.run([sys.executable, "-m", "app", "ingest", str(f), "--store", str(store), "--quiet"], check=True,
                   timeout=300, capture_output=True)
    for fmt in ("geojson", "csv", "gpkg"):
        out = tmp_path / f"out.{fmt}"
        r = subprocess.run([sys.executable, "-m", "app", "export", "--store", str(store), "--format", fmt,
                            "--out", str(out), "--since", "2024-03-01", "--actor", "Military Forces of Russia"],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 0
        assert "wrote 1 incidents" in r.stderr
    r = subprocess.run([sys.executable, "-m", "app", "export", "--store", str(store), "--format", "csv", "--out",
                        str(tmp_path / "none.csv"), "--since", "2025-01-01"],
                       capture_output=True, text=True, timeout=300)
    assert "wrote 0 incidents" in r.stderr
