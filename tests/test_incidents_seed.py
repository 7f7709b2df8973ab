"""The seed article end to end: the incidents the issue names, and nothing invented."""

import json
import subprocess
import sys

import pytest

from app.geo import haversine_km

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def seed_geojson(tmp_path_factory):
    d = tmp_path_factory.mktemp("seed")
    out = d / "x.geojson"
    r = subprocess.run([sys.executable, "-m", "app", "ingest", "seeds/", "--store", str(d / "s.gpkg"),
                        "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return json.loads(out.read_text()), d / "s.gpkg", r.stderr


def props(fc):
    return [f["properties"] | {"_geometry": f["geometry"]} for f in fc["features"]]


def test_martakert_air_strike(seed_geojson):
    fc, _, _ = seed_geojson
    (m,) = [p for p in props(fc) if p["location"] == "Martakert"]
    assert (m["event_type"], m["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert m["event_date"] == "2020-09-30" and m["time_precision"] == 1
    assert m["actor1"] == "Military Forces of Azerbaijan"
    assert m["actor2"].startswith("Civilians")
    assert m["fatalities"] == 3
    assert m["claimed_by"] == "Armenian media"
    assert m["geo_precision"] == 1
    lon, lat = m["_geometry"]["coordinates"]
    assert haversine_km(lat, lon, 40.2113, 46.8214) < 3


def test_tonashen_claimed_by_azerbaijan(seed_geojson):
    fc, _, _ = seed_geojson
    (t,) = [p for p in props(fc) if p["location"] == "Tonashen"]
    assert t["event_date"] == "2020-09-30"
    assert t["claimed_by"] == "Azerbaijan"
    assert t["geo_precision"] == 2  # "the area around the village of Tonashen"
    assert t["actor1"] == "Military Forces of Azerbaijan" and t["actor2"] == "Military Forces of Armenia"


def test_su25_shot_down_unmapped_claimed_and_disputed(seed_geojson):
    fc, _, _ = seed_geojson
    (s,) = [p for p in props(fc) if "SU-25" in p["notes"]]
    assert s["event_date"] == "2020-09-29"
    assert s["actor1"] == "Military Forces of Turkey"
    assert s["claimed_by"] == "Armenia’s defence ministry"
    assert s["disputed_by"] == "Turkey"
    assert s["_geometry"] is None and s["location"] == ""


def test_aggregate_reports(seed_geojson):
    fc, _, _ = seed_geojson
    aggs = {p["fatalities"]: p for p in props(fc) if p["kind"] == "aggregate_report"}
    assert set(aggs) == {87, 100}
    assert aggs[87]["claimed_by"] == "State news agency Armenpress"
    assert json.loads(aggs[87]["fatalities_detail"]) == [["civilians", 7], ["service personnel", 80]]
    assert aggs[100]["date_start"] == "2020-09-27" and aggs[100]["location"] == "Nagorno-Karabakh"
    assert aggs[100]["region_id"] == "ne:disputed:nagorno-karabakh" and aggs[100]["geo_precision"] == 3


def test_nothing_invented(seed_geojson):
    fc, _, _ = seed_geojson
    ps = props(fc)
    assert len(ps) == 5
    assert not [p for p in ps if p["location"] in ("Syria", "Russia", "France", "Turkey", "Armenia", "Azerbaijan")]
    assert not [p for p in ps if "1988" in p["notes"] or "1994" in p["notes"]]


def test_reingest_adds_nothing(seed_geojson, tmp_path):
    _, store, _ = seed_geojson
    from app.store import Store

    before = Store(store).counts()
    r = subprocess.run([sys.executable, "-m", "app", "ingest", "seeds/", "--store", str(store)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0
    assert "1 already in the store" in r.stderr
    assert Store(store).counts() == before


def test_summary(seed_geojson):
    _, _, err = seed_geojson
    assert "incidents: 5 new" in err
    assert "unmapped incidents (no place in the text): 2" in err


def test_two_articles_about_the_same_strike_make_one_incident_with_two_sources(tmp_path):
    art = tmp_path / "two.jsonl"
    art.write_text(
        json.dumps({"id": "bbc", "publisher": "BBC News", "published": "2020-09-30", "url": "https://example.org/bbc",
                    "text": "Armenian media said three civilians had been killed in an Azerbaijani air attack on "
                            "the town of Martakert on Wednesday."}) + "\n"
        + json.dumps({"id": "wire", "publisher": "Wire service", "published": "2020-09-30", "url": "https://example.org/w",
                      "text": "STEPANAKERT - An Azerbaijani air strike on Martakert killed four civilians on "
                              "Wednesday, "
                              "the state news agency Armenpress reported."}) + "\n", encoding="utf-8")
    store = tmp_path / "s.gpkg"
    r = subprocess.run([sys.executable, "-m", "app", "ingest", str(art), "--store", str(store), "--quiet"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    from app.store import Store

    with Store(store) as s:
        (inc,) = [i for i in s.incidents() if i["location"] == "Martakert"]
        assert inc["n_sources"] == 2
        assert inc["fatalities"] == 3  # ACLED: the lower figure stands ...
        srcs = {x["article_id"]: x for x in s.sources(inc["event_id"])}
        assert srcs["wire"]["fatalities"] == 4 and srcs["bbc"]["fatalities"] == 3  # ... each report keeps its own
        assert "Armenian media" in inc["claimed_by"] and "Armenpress" in inc["claimed_by"]
