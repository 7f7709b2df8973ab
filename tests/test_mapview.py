"""The map builder on its output: layers, markers, popups, links, and what never gets in."""

import json
import re
import shutil
import subprocess

import pytest

from app.ui import assets
from app.ui.mapview import EVENT_COLORS, MapOptions, build_map, incident_payload, safe_url, standalone_html


def row(**kw):
    base = {"event_id": "e1", "kind": "event", "event_type": "Explosions/Remote violence",
            "sub_event_type": "Air/drone strike", "event_date": "2020-09-30", "time_precision": 1,
            "actor1": "Military Forces of Azerbaijan",
            "actor2": "Civilians (Azerbaijan)", "fatalities": 3, "location": "Martakert", "geo_precision": 1,
            "latitude": 40.21127, "longitude": 46.82135, "claimed_by": "Armenian media", "disputed_by": "",
            "source": "BBC News", "source_url": "https://www.bbc.co.uk/news/x", "notes": "Three civilians were killed.",
            "region_id": None, "place_kind": "town", "place_id": "geonames:587379"}
    base.update(kw)
    return base


HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> "quotes" \u2028'


def render(rows, **kw):
    return build_map(rows, **kw).get_root().render()


def tojson(obj) -> str:
    """What the layers write into the map script for ``obj`` (the same as |tojson in their templates)."""
    s = assets.script_json(obj)
    assert s == assets.ENV.from_string("{{ obj|tojson }}").render(obj=obj)
    return s


def layer_data(html: str, function: str):
    """The JSON argument the map script passes to ``function`` (e.g. cmIncidentLayer)."""
    start = html.index(", ", html.index(function + "(map_")) + 2
    return json.JSONDecoder().raw_decode(html, start)[0]


def test_only_local_assets_and_no_tiles():
    html = render([row()])
    requested = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert requested and all(u.startswith("/app/static/") for u in requested), requested
    assert "tile.openstreetmap" not in html and "cdn.jsdelivr" not in html and "cdnjs" not in html
    assert "/app/static/basemap/countries.geojson" in html


def test_markers_popups_legend():
    rows = [row(), row(event_id="e2", event_type="Battles", latitude=40.3, longitude=46.7, fatalities=None)]
    payload = incident_payload(rows)
    assert payload["cols"]["id"] == ["e1", "e2"]
    assert payload["cols"]["fat"] == [3, None]
    assert payload["colors"][payload["cols"]["t"][0]] == EVENT_COLORS["Explosions/Remote violence"]
    html = render(rows)
    # size by fatalities: one formula, in js/conflictmap.js, used by the markers and the legend
    # (its values are checked in a browser by test_browser.py::test_marker_size_by_fatalities)
    assert html.count("Math.sqrt") == 1 and "function cmMarkerRadius(f)" in html
    assert "radius: cmMarkerRadius(C.fat[i])" in html and "cmMarkerRadius(f[0])" in html
    assert "L.circleMarker" in html and "L.canvas" in html
    assert "cm-legend" in html and "Violence against civilians" in html
    assert "Armenian media" in html and "Martakert" in html


def test_layer_scripts_are_plain_strings():
    """streamlit-folium joins the layers' scripts with +: a Markup among them would HTML-escape the rest."""
    m = build_map([row()])
    m.get_root().render()
    layers = [c for c in m._children.values() if type(c).__module__ == "app.ui.mapview"]
    assert {type(c).__name__ for c in layers} == {"MapLibrary", "BaseLayer", "IncidentLayer", "Legend"}
    for c in layers:
        assert type(c._template.module.script(c, {})) is str


@pytest.mark.skipif(shutil.which("node") is None, reason="node (installed with npm by scripts/setup.sh) checks syntax")
def test_map_script_is_valid_javascript(tmp_path):
    """The map's script, as the page gets it, parses (the browser tests run it)."""
    html = render([row(notes=HOSTILE), row(event_id="e2", fatalities=None, kind="aggregate_report")])
    script = html[html.rindex("<script>") + len("<script>"):html.rindex("</script>")]
    (tmp_path / "map.js").write_text(script)
    r = subprocess.run(["node", "--check", str(tmp_path / "map.js")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_unmapped_incidents_are_not_pinned():
    payload = incident_payload([row(latitude=None, longitude=None)])
    assert payload["cols"]["lat"] == []


@pytest.mark.realdata  # the gazetteer's polygon of Nagorno-Karabakh
def test_region_incidents_are_polygons_not_pins(gaz):
    from app.ui.mapview import gazetteer_geometry

    r = row(event_id="agg", kind="aggregate_report", location="Nagorno-Karabakh", place_kind="region",
            region_id="ne:disputed:nagorno-karabakh", place_id="ne:disputed:nagorno-karabakh", geo_precision=3,
            latitude=39.9, longitude=46.7, fatalities=100)
    m = build_map([r, row()], gazetteer_geometry(gaz))
    html = m.get_root().render()
    assert "AreaLayer" in "".join(type(c).__name__ for c in m._children.values())
    label = layer_data(html, "cmAreaLayer")["areas"][0]["label"]
    assert "Nagorno-Karabakh" in label and "km²" in label
    layer = next(c for c in m._children.values() if type(c).__name__ == "IncidentLayer")
    assert layer.count == 1  # the region incident has no pin


def test_article_text_never_reaches_html_unescaped():
    html = render([row(notes=HOSTILE, actor1=HOSTILE, claimed_by=HOSTILE, location=HOSTILE, source=HOSTILE)])
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "\\u003cscript\\u003ealert(1)" in html
    assert "innerHTML" not in html  # popups are built with textContent


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a", True), ("http://example.org", True), ("javascript:alert(1)", False),
    ("JaVaScRiPt:alert(1)", False), ("data:text/html,<b>x</b>", False), ('https://x.org/"onmouseover="x', False),
    ("", False), (None, False), ("ftp://x.org/file", False),
])
def test_only_http_links(url, ok):
    assert bool(safe_url(url)) is ok
    payload = incident_payload([row(source_url=url)])
    assert (payload["tables"]["url"][payload["cols"]["url"][0]] != "") is ok


def test_data_cannot_end_the_script():
    breaker = "</script><!--<b>&'\u2028\u2029 Ереван"
    s = tojson({"a": breaker})
    assert not set("<>&'\u2028\u2029") & set(s) and s.isascii()
    assert json.loads(s)["a"] == breaker
    html = render([row(notes=breaker, location=breaker)])
    script = html[html.index("cmIncidentLayer(map_"):]
    assert "</script><!--" not in script[:script.index("</script>")]
    assert layer_data(html, "cmIncidentLayer")["tables"]["loc"] == [breaker]


def test_own_assets_load_and_cannot_end_their_element(monkeypatch, tmp_path):
    assert "function cmPopup(D, i)" in assets.asset("js/conflictmap.js")
    assert ".cm-legend" in assets.asset("css/map.css")
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "bad.js").write_text('var s = "</script>";')
    monkeypatch.setattr(assets.resources, "files", lambda package: tmp_path)
    with pytest.raises(assets.AssetError, match="would end its element"):
        assets.asset.__wrapped__("js/bad.js")


def test_payload_stays_small_at_scale():
    rows = [row(event_id=f"e{i}", latitude=30 + (i % 1000) / 100, longitude=40 + (i // 1000) / 10,
                actor1=f"Group {i % 50}", location=f"Town {i % 700}", notes="x" * 120) for i in range(20000)]
    payload = tojson(incident_payload(rows))
    assert len(payload) / len(rows) < 60  # bytes per incident, with popups reduced above the limit
    full = tojson(incident_payload(rows[:1000]))
    assert "x" * 120 in full  # small sets carry the evidence sentence


def test_standalone_html_is_self_contained():
    html = standalone_html(build_map([row()], options=MapOptions(offline_assets="inline", height="100%")))
    assert not re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="https?://', html)
    assert "L.circleMarker" in html and "Leaflet" in html
    assert "/app/static" not in html
