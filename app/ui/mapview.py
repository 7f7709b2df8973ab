"""The incident map: a folium Map of canvas circle markers, region polygons, an offline
Natural Earth base layer and a legend. No Streamlit here: the page, the ``map`` command
and the tests all call ``build_map``.

The browser side lives in files beside this module: ``js/conflictmap.js`` (markers,
popups, polygons, base map, legend, and the marker-radius formula), ``css/map.css``
and one Jinja template per layer in ``templates/``, loaded by ``assets``. Each layer
here is a folium MacroElement whose template calls its function in the script with
its data as JSON.

Safety: every string that came from an article reaches the browser as JSON data
(``assets.script_json``, jinja2's ``|tojson``: <, >, &, ' and every non-ASCII character
escaped, so it cannot end the script) and is put on the page with ``textContent``; only
http(s) URLs become links. Nothing is concatenated into HTML.
Size: incidents travel as column arrays with string tables, so 100,000 of them stay
a few MB; popups are built in the browser when opened.
"""

from __future__ import annotations

import base64
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import folium
from branca.element import Element, Figure, MacroElement
from shapely.geometry import mapping

from . import assets
from .assets import ENV, asset, script_json

if TYPE_CHECKING:
    import pandas as pd

# Store rows (dicts with the incidents table's columns), or a DataFrame of them as the page holds them.
Rows: TypeAlias = "Sequence[Mapping[str, Any]] | pd.DataFrame"

EVENT_COLORS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Strategic developments": "#2ca02c",
    "Protests": "#1f77b4",
    "Riots": "#8c564b",
}
OTHER_COLOR = "#7f7f7f"
# Full popups (evidence, actors, sources) are embedded up to this many incidents; above
# it popups carry the essentials and the full record shows beside the map on click.
FULL_POPUP_LIMIT = 5000
PRECISION_WORDS = {1: "exact day", 2: "within a few days", 3: "within a month or more"}
GEO_PRECISION_WORDS = {1: "the town itself", 2: "near the town / part of a region", 3: "a region or country"}


def safe_url(url: Any) -> str:
    return url if isinstance(url, str) and re.match(r"^https?://[^\s\"'<>]+$", url, re.I) else ""


def _clean(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    return v


def _frame(rows: Rows) -> pd.DataFrame:
    """Store rows as a DataFrame (a DataFrame is passed through)."""
    import pandas as pd

    return rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))


def _codes(series) -> tuple[list[int], list[Any]]:
    """Dictionary-encode a column: the payload stays small for 100,000 rows."""
    import pandas as pd

    codes, uniques = pd.factorize(series.fillna("").astype(str), sort=False)
    return codes.tolist(), list(uniques)


def _ints(series) -> list[Any]:
    import pandas as pd

    s = pd.to_numeric(series, errors="coerce")
    return [None if pd.isna(v) else int(v) for v in s.tolist()]


def incident_payload(rows, sources: Mapping[str, list[dict]] | None = None,
                     full: bool | None = None) -> dict[str, Any]:
    """Column arrays for the mapped incidents in ``rows`` (store rows or a DataFrame of them)."""
    import pandas as pd

    df = _frame(rows)
    for c in ("latitude", "longitude", "event_type", "sub_event_type", "event_date", "time_precision", "actor1",
              "actor2", "fatalities", "location", "geo_precision", "claimed_by", "disputed_by", "source",
              "source_url", "kind", "notes", "event_id"):
        if c not in df.columns:
            df[c] = None
    lat = pd.to_numeric(df["latitude"], errors="coerce")
    lon = pd.to_numeric(df["longitude"], errors="coerce")
    df = df[lat.notna() & lon.notna()]
    lat, lon = lat[df.index], lon[df.index]
    full = len(df) <= FULL_POPUP_LIMIT if full is None else full
    types = list(EVENT_COLORS)
    for t in df["event_type"].fillna("").astype(str).unique():
        if t not in types:
            types.append(t)
    index = {t: i for i, t in enumerate(types)}
    tables: dict[str, list] = {}
    cols: dict[str, list] = {
        "lat": lat.round(5).tolist(), "lon": lon.round(5).tolist(),
        "t": [index[t] for t in df["event_type"].fillna("").astype(str)],
        "fat": _ints(df["fatalities"]),
    }
    for key, col in (("date", "event_date"), ("sub", "sub_event_type"), ("a1", "actor1"), ("loc", "location"),
                     ("claim", "claimed_by"), ("kind", "kind")):
        cols[key], tables[key] = _codes(df[col])
    if full:
        # the complete popup: small sets only (the page shows the full record on click otherwise)
        cols["id"] = df["event_id"].astype(str).tolist()
        cols["prec"] = _ints(df["time_precision"])
        cols["gp"] = _ints(df["geo_precision"])
        for key, col in (("a2", "actor2"), ("disp", "disputed_by"), ("src", "source")):
            cols[key], tables[key] = _codes(df[col])
        cols["url"], tables["url"] = _codes(df["source_url"].map(safe_url))
        cols["ev"] = df["notes"].fillna("").astype(str).tolist()
        cols["more"] = []
        for eid in cols["id"]:
            more = (sources or {}).get(eid, [])
            cols["more"].append([[x.get("publisher") or "", safe_url(x.get("url")), x.get("claimed_by") or "",
                                  _clean(x.get("fatalities"))] for x in more] if len(more) > 1 else 0)
    return {"types": types, "colors": [EVENT_COLORS.get(t, OTHER_COLOR) for t in types], "tables": tables,
            "cols": cols, "full": full, "precision": PRECISION_WORDS, "geoPrecision": GEO_PRECISION_WORDS}


class MapLibrary(MacroElement):
    """The map's own script (js/conflictmap.js) and styles (css/map.css), once per map."""

    _template = ENV.get_template("library.html.j2")

    def __init__(self):
        super().__init__()
        self._name = "MapLibrary"


class IncidentLayer(MacroElement):
    """Canvas circle markers, one per mapped incident; colour by type, size by fatalities."""

    _template = ENV.get_template("incident_layer.html.j2")

    def __init__(self, payload: dict[str, Any]):
        super().__init__()
        self._name = "IncidentLayer"
        self.data = script_json(payload)  # once: the page renders the templates more than once
        self.count = len(payload["cols"]["lat"])


class AreaLayer(MacroElement):
    """Incidents located only to a region or a country: its polygon, not a misleading pin."""

    _template = ENV.get_template("area_layer.html.j2")

    def __init__(self, areas: list[dict[str, Any]], payload: dict[str, Any]):
        super().__init__()
        self._name = "AreaLayer"
        # popups reuse the point popup builder over a small payload of their own
        self.data = script_json({"areas": areas, "D": payload})
        self.count = len(areas)


class BaseLayer(MacroElement):
    """Natural Earth country outlines on a sea-coloured background: offline, no tiles."""

    _template = ENV.get_template("base_layer.html.j2")

    def __init__(self, url: str | None = None, data: dict | None = None, admin1_url: str | None = None,
                 admin1_zoom: int = 5):
        super().__init__()
        self._name = "BaseLayer"
        self.data = script_json({"url": url, "data": data, "admin1Url": admin1_url, "admin1Zoom": admin1_zoom})


class Legend(MacroElement):
    """Colour by event type, size by fatalities (trusted, fixed strings only)."""

    _template = ENV.get_template("legend.html.j2")

    def __init__(self, types: Sequence[str] | None = None):
        super().__init__()
        self._name = "Legend"
        self.data = script_json([[t, EVENT_COLORS.get(t, OTHER_COLOR)] for t in (types or EVENT_COLORS)])


@dataclass(frozen=True)
class MapOptions:
    offline_assets: str = "server"  # "server": /app/static URLs; "inline": everything in the HTML
    height: int | str = 620
    online_tiles: bool = False  # explicit opt-in: OpenStreetMap tiles (requests leave the machine)
    full_popups: bool | None = None


def area_features(rows: Sequence[Mapping[str, Any]], geometry_of) -> list[dict[str, Any]]:
    """One polygon per region/country that ``rows`` are located to, with the rows' indexes."""
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        pid = r.get("region_id") or (r.get("place_id") if r.get("place_kind") == "country" else None)
        if pid:
            groups.setdefault(pid, []).append(i)
    out = []
    for pid, idx in groups.items():
        geom, name, kind, area, reported = geometry_of(pid)
        if geom is None:
            continue
        label = name
        if area:
            label += f" — area {area:,.0f} km² (computed)"
            if reported:
                label += f"; reported {reported:,.0f} km²"
        # the most frequent type's colour (a tie: the first of them in the rows)
        types = Counter(str(rows[i].get("event_type") or "") for i in idx)
        color = EVENT_COLORS.get(types.most_common(1)[0][0], OTHER_COLOR)
        out.append({"id": pid, "label": label, "kind": kind, "color": color, "incidents": idx,
                    "geometry": mapping(geom)})
    return out


def _figure(m: folium.Map) -> Figure:
    """The page the map is rendered into (folium makes it a branca Figure)."""
    root = m.get_root()
    assert isinstance(root, Figure)
    return root


def build_map(rows: Rows, geometry_of=None, sources: Mapping[str, list[dict]] | None = None,
              options: MapOptions | None = None) -> folium.Map:
    """The incident map for ``rows`` (store rows: dicts with the incidents table's columns).

    ``geometry_of(place_id) -> (geometry, name, kind, area_km2, reported_area_km2)`` supplies
    region and country polygons; without it area incidents are listed but not drawn.
    """
    import pandas as pd

    options = options or MapOptions()
    df = _frame(rows)
    for c in ("region_id", "place_kind", "latitude", "longitude"):
        if c not in df.columns:
            df[c] = None
    is_area = df["region_id"].notna() & (df["region_id"].astype(str) != "") | (df["place_kind"] == "country")
    point_rows = df[~is_area]
    area_rows = cast("list[dict[str, Any]]", df[is_area].astype(object).where(df[is_area].notna(), None)
                     .to_dict("records") if is_area.any() else [])
    lat_s = pd.to_numeric(df["latitude"], errors="coerce").dropna()
    lon_s = pd.to_numeric(df["longitude"], errors="coerce").dropna()
    m = folium.Map(location=[20, 20], zoom_start=2, tiles=None, min_zoom=2, max_zoom=14, prefer_canvas=True,
                   control_scale=True, world_copy_jump=False, height=options.height)
    if options.offline_assets == "server":
        m.default_js = [("leaflet", assets.url("leaflet.js"))]
        m.default_css = [("leaflet_css", assets.url("leaflet.css"))]
    else:
        m.default_js, m.default_css = [], []
    _figure(m).header.add_child(Element(asset("templates/leaflet_flags.html")), name="cm_flags")
    if options.online_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)").add_to(m)
    from . import basemap

    MapLibrary().add_to(m)
    if options.offline_assets == "server":
        BaseLayer(url=basemap.url("countries"), admin1_url=basemap.url("admin1")).add_to(m)
    else:
        BaseLayer(data=basemap.data("countries_inline")).add_to(m)
    if area_rows and geometry_of is not None:
        area_payload = incident_payload([dict(r, latitude=r.get("latitude") or 0.0, longitude=r.get("longitude") or 0.0)
                                         for r in area_rows], sources, options.full_popups)
        areas = area_features(area_rows, geometry_of)
        if areas:
            AreaLayer(areas, area_payload).add_to(m)
    payload = incident_payload(point_rows, sources, options.full_popups)
    IncidentLayer(payload).add_to(m)
    Legend().add_to(m)
    if len(lat_s):
        pad = 0.8
        m.fit_bounds([[float(lat_s.min()) - pad, float(lon_s.min()) - pad],
                      [float(lat_s.max()) + pad, float(lon_s.max()) + pad]], max_zoom=8)
    return m


@lru_cache(maxsize=1)
def _inline_leaflet() -> tuple[str, str]:
    assets.ensure()
    js = assets.local_path("leaflet.js").read_text(encoding="utf-8")
    css = assets.local_path("leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match) -> str:
        p = assets.local_path(match.group(1))
        return "url(data:image/png;base64," + base64.b64encode(p.read_bytes()).decode() + ")"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)
    return assets.inlinable("leaflet.js", js), assets.inlinable("leaflet.css", css)


def standalone_html(m: folium.Map) -> str:
    """One HTML file that opens offline anywhere: Leaflet, styles and data inlined."""
    js, css = _inline_leaflet()
    root = _figure(m)
    inline = ENV.get_template("inline_leaflet.html.j2")
    root.header.add_child(Element(inline.render(tag="style", text=css)), name="cm_leaflet_css", index=0)
    root.header.add_child(Element(inline.render(tag="script", text=js)), name="cm_leaflet_js", index=1)
    html = root.render()
    return html


def gazetteer_geometry(gaz, tolerance: float = 0.005):
    """``geometry_of`` for build_map, from the gazetteer's polygons (simplified for the browser)."""

    @lru_cache(maxsize=512)
    def geometry_of(place_id: str):
        p = gaz.get(place_id)
        if p is None or p.geometry is None:
            return None, None, None, None, None
        return p.geometry.simplify(tolerance, preserve_topology=True), p.name, p.kind, p.area_km2, p.reported_area_km2

    return geometry_of


def standalone_map(rows: Rows, gaz, sources: Mapping[str, list[dict]] | None = None) -> str:
    """The filtered incidents as one self-contained, offline HTML page."""
    m = build_map(rows, gazetteer_geometry(gaz), sources, MapOptions(offline_assets="inline", height="100%"))
    return standalone_html(m)
