"""The real gazetteer: GeoNames cities500, Natural Earth, the curated overlay."""

import csv

import pytest
from shapely.geometry import Point

from app.gazetteer import OVERLAY, Gazetteer
from app.geo import area_km2, haversine_km

pytestmark = pytest.mark.realdata


def best(gaz: Gazetteer, name: str, **kw):
    cands = gaz.lookup(name, **kw)
    assert cands, f"no candidate for {name!r}"
    return cands[0]


@pytest.mark.parametrize("name", ["Martakert", "Aghdara", "Mardakert", "Ağdərə", "Agdere"])
def test_martakert_and_its_other_names_are_one_place(gaz, name):
    c = best(gaz, name)
    assert haversine_km(c.place.lat, c.place.lon, 40.2113, 46.8214) < 3
    assert c.place.id == best(gaz, "Martakert").place.id


@pytest.mark.parametrize("name", ["Tonashen", "Tonaşen", "Tapakend", "Təpəkənd"])
def test_tonashen_from_the_overlay(gaz, name):
    c = best(gaz, name)
    assert haversine_km(c.place.lat, c.place.lon, 40.3028, 46.6906) < 3
    assert c.place.kind == "village"
    assert "Wikipedia" in c.place.source


@pytest.fixture(scope="module")
def karabakh(gaz):
    c = best(gaz, "Nagorno-Karabakh")
    assert c.place.kind == "region"
    return c.place


def test_karabakh_polygon_and_area(karabakh):
    assert 4200 <= karabakh.area_km2 <= 4600
    # the stored figure is what an equal-area projection gives for the stored polygon
    assert area_km2(karabakh.geometry) == pytest.approx(karabakh.area_km2, abs=1)
    assert karabakh.reported_area_km2 == 4388
    assert "Wikipedia" in karabakh.reported_area_source


@pytest.mark.parametrize("alias", ["Karabakh", "Artsakh", "Nagorny Karabakh", "Dağlıq Qarabağ", "Nagorno Karabakh"])
def test_karabakh_aliases(gaz, karabakh, alias):
    assert best(gaz, alias).place.id == karabakh.id


@pytest.mark.parametrize(
    "name, inside",
    [
        ("Stepanakert", True), ("Shusha", True), ("Martakert", True), ("Tonashen", True), ("Hadrut", True),
        ("Ganja", False), ("Barda", False), ("Tartar", False), ("Yerevan", False),
    ],
)
def test_places_inside_and_outside_karabakh(gaz, karabakh, name, inside):
    p = best(gaz, name, country=["AZ", "AM"]).place
    assert karabakh.geometry.contains(Point(p.lon, p.lat)) is inside


# Ambiguous names: what a name alone, or a name with a country or kind, should give.
AMBIGUOUS = [
    # name, preferences, expected country, expected kind or None, (lat, lon) within 15 km or None
    ("Martuni", {"country": "AZ"}, "AZ", "town", (39.7953, 47.1128)),
    ("Martuni", {"country": "AM"}, "AM", "town", (40.1403, 45.3023)),
    ("Tripoli", {"country": "LB"}, "LB", "city", (34.4335, 35.8442)),
    ("Tripoli", {}, "LY", "city", (32.8874, 13.1873)),
    ("Kherson", {}, "UA", "city", (46.6354, 32.6169)),
    ("Kherson", {"kind": "region"}, "UA", "region", None),
    ("Donetsk Oblast", {}, "UA", "region", None),
    ("Donetsk", {}, "UA", "city", (48.0230, 37.8022)),
    ("Idlib", {}, "SY", "city", (35.9306, 36.6339)),
    ("Georgia", {}, "GE", "country", None),
    ("Georgia", {"country": "US"}, "US", "region", None),
    ("Hama", {"country": "SY"}, "SY", "city", (35.1318, 36.7578)),
    ("Alexandria", {"country": "EG"}, "EG", "city", (31.2018, 29.9158)),
    ("Stepanakert", {}, "AZ", "town", (39.8153, 46.7519)),
    ("Khankendi", {}, "AZ", "town", (39.8153, 46.7519)),
    ("Shushi", {}, "AZ", "town", (39.7600, 46.7499)),
    ("Jebrail", {}, "AZ", "town", (39.3992, 47.0284)),
    ("Türkiye", {}, "TR", "country", None),
    ("Turkey", {}, "TR", "country", None),
    ("Armenia’s", {}, "AM", "country", None),
    ("the US", {}, None, None, None),  # not a name: no exact match is expected to be a country
]


@pytest.mark.parametrize("name, prefs, cc, kind, point", AMBIGUOUS)
def test_ambiguous_names(gaz, name, prefs, cc, kind, point):
    cands = gaz.lookup(name, fuzzy=False, **prefs)
    if cc is None:
        assert not cands or cands[0].place.kind != "country"
        return
    top = cands[0].place
    assert top.country_code == cc
    if kind:
        assert top.kind == kind
    if point:
        assert haversine_km(top.lat, top.lon, *point) < 15


def test_candidates_are_ranked_and_scored(gaz):
    cands = gaz.lookup("Martuni")
    assert len(cands) >= 3
    scores = [c.score for c in cands]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)


def test_fuzzy_fallback_is_marked(gaz):
    c = best(gaz, "Martakertt")
    assert c.match == "fuzzy"
    assert c.place.name == "Martakert"
    assert c.score < best(gaz, "Martakert").score
    assert gaz.lookup("Martakertt", fuzzy=False) == []


def test_nothing_for_nonsense(gaz):
    assert gaz.lookup("Qxzqxzqx") == []


def test_country_records_carry_polygon_and_area(gaz):
    az = best(gaz, "Azerbaijan").place
    assert az.kind == "country" and az.country_code == "AZ"
    assert 80_000 < az.area_km2 < 95_000
    assert az.geometry.contains(Point(az.lon, az.lat))


def test_every_overlay_row_is_sourced_and_applied(gaz):
    with OVERLAY.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for r in rows:
        assert r["source"].strip(), r
        place = gaz.get(r["target"])
        assert place is not None, f"overlay target {r['target']} missing"
        for alias in filter(None, r["alt_names"].split("|")):
            ids = [c.place.id for c in gaz.lookup(alias, fuzzy=False, limit=50)]
            assert r["target"] in ids, (alias, r["target"])
