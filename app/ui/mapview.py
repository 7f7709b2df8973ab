"""The incident map: a folium Map of canvas circle markers, region polygons, an offline
Natural Earth base layer and a legend. No Streamlit here: the page, the ``map`` command
and the tests all call ``build_map``.

Safety: every string that came from an article reaches the browser as JSON data
(with <, >, & and line separators escaped) and is put on the page with
``textContent``; only http(s) URLs become links. Nothing is concatenated into HTML.
Size: incidents travel as column arrays with string tables, so 100,000 of them stay
a few MB; popups are built in the browser when opened.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import folium
from branca.element import Element, MacroElement
from jinja2 import Template
from shapely.geometry import mapping

from . import assets

EVENT_COLORS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Strategic developments": "#2ca02c",
    "Protests": "#1f77b4",
    "Riots": "#8c564b",
}
OTHER_COLOR = "#7f7f7f"
SEA_COLOR = "#dbe8f1"
LAND_COLOR = "#f5f3ee"
# Full popups (evidence, actors, sources) are embedded up to this many incidents; above
# it popups carry the essentials and the full record shows beside the map on click.
FULL_POPUP_LIMIT = 5000
PRECISION_WORDS = {1: "exact day", 2: "within a few days", 3: "within a month or more"}
GEO_PRECISION_WORDS = {1: "the town itself", 2: "near the town / part of a region", 3: "a region or country"}


def safe_json(obj: Any) -> str:
    """JSON that is safe inside a <script> element (folium escapes the same characters)."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def safe_url(url: Any) -> str:
    return url if isinstance(url, str) and re.match(r"^https?://[^\s\"'<>]+$", url, re.I) else ""


def marker_radius(fatalities: Any) -> float:
    if fatalities is None or (isinstance(fatalities, float) and math.isnan(fatalities)) or fatalities <= 0:
        return 4.0
    return round(min(22.0, 4.0 + 2.2 * math.sqrt(float(fatalities))), 1)


def _clean(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    return v


def _frame(rows):
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


_POPUP_JS = r"""
function cmTxt(tag, text, cls) { var e = document.createElement(tag); if (cls) e.className = cls;
  e.textContent = (text === null || text === undefined) ? "" : String(text); return e; }
function cmLink(url, label) { if (!/^https?:\/\//i.test(url || "")) return cmTxt("span", label);
  var a = document.createElement("a"); a.href = url; a.textContent = label; a.target = "_blank";
  a.rel = "noopener noreferrer"; return a; }
function cmPopup(D, i) {
  var C = D.cols, T = D.tables, box = document.createElement("div"); box.className = "cm-popup";
  var head = cmTxt("div", D.types[C.t[i]] + (T.sub[C.sub[i]] ? " \u2014 " + T.sub[C.sub[i]] : ""), "cm-head");
  head.style.borderLeft = "6px solid " + D.colors[C.t[i]]; box.appendChild(head);
  var tb = document.createElement("table"); box.appendChild(tb);
  function row(label, value) { if (value === null || value === undefined || value === "") return;
    var tr = document.createElement("tr"); tr.appendChild(cmTxt("th", label)); tr.appendChild(cmTxt("td", value)); tb.appendChild(tr); }
  var date = T.date[C.date[i]], full = D.full;
  row("Date", date ? date + (full && C.prec[i] ? " (" + D.precision[C.prec[i]] + ")" : "") : "not stated");
  if (T.kind[C.kind[i]] === "aggregate_report") row("Kind", "cumulative toll (aggregate report)");
  row("Actor 1", T.a1[C.a1[i]]); if (full) row("Actor 2", T.a2[C.a2[i]]);
  row("Fatalities", C.fat[i] === null ? "none reported" : C.fat[i]);
  row("Location", T.loc[C.loc[i]] + (full && C.gp[i] ? " (" + D.geoPrecision[C.gp[i]] + ")" : ""));
  row("Claimed by", T.claim[C.claim[i]]);
  if (full) { row("Disputed by", T.disp[C.disp[i]]); box.appendChild(cmTxt("blockquote", C.ev[i], "cm-evidence"));
    var src = document.createElement("div"); src.className = "cm-source"; src.appendChild(cmTxt("span", "Source: "));
    src.appendChild(cmLink(T.url[C.url[i]], T.src[C.src[i]] || "source")); box.appendChild(src); }
  else { box.appendChild(cmTxt("div", "Click for the full record beside the map.", "cm-sub")); }
  if (D.full && C.more[i]) { var ul = document.createElement("ul"); ul.className = "cm-more";
    box.appendChild(cmTxt("div", "Also reported by:", "cm-sub"));
    C.more[i].forEach(function (s) { var li = document.createElement("li"); li.appendChild(cmLink(s[1], s[0] || "source"));
      if (s[2]) li.appendChild(cmTxt("span", " \u2014 claimed by " + s[2]));
      if (s[3] !== null) li.appendChild(cmTxt("span", "; fatalities " + s[3])); ul.appendChild(li); });
    box.appendChild(ul); }
  return box;
}
"""


class IncidentLayer(MacroElement):
    """Canvas circle markers, one per mapped incident; colour by type, size by fatalities."""

    _template = Template("""
{% macro header(this, kwargs) %}<style>
.cm-popup{font:13px/1.35 system-ui,sans-serif;max-width:340px}.cm-head{font-weight:600;padding-left:6px;margin-bottom:4px}
.cm-popup table{border-collapse:collapse}.cm-popup th{text-align:left;padding:1px 8px 1px 0;color:#555;font-weight:500;vertical-align:top}
.cm-popup td{padding:1px 0}.cm-evidence{margin:6px 0;padding-left:8px;border-left:3px solid #ccc;color:#333;font-style:italic}
.cm-source,.cm-sub{margin-top:4px;color:#444}.cm-more{margin:2px 0 0 16px;padding:0}
</style>{% endmacro %}
{% macro script(this, kwargs) %}
{{ this.popup_js }}
(function () {
  var map = {{ this._parent.get_name() }};
  var D = {{ this.data_json }};
  var C = D.cols, renderer = L.canvas({padding: 0.5}), layer = L.featureGroup();
  for (var i = 0; i < C.lat.length; i++) {
    var f = C.fat[i], radius = (f === null || f <= 0) ? 4 : Math.min(22, 4 + 2.2 * Math.sqrt(f));
    var m = L.circleMarker([C.lat[i], C.lon[i]], {renderer: renderer, radius: radius, color: "#333", weight: 1,
      fillColor: D.colors[C.t[i]], fillOpacity: D.tables.kind[C.kind[i]] === "aggregate_report" ? 0.25 : 0.85,
      dashArray: D.tables.kind[C.kind[i]] === "aggregate_report" ? "3" : null});
    m.incidentIndex = i;
    m.bindPopup(function (l) { return cmPopup(D, l.incidentIndex); }, {maxWidth: 360});
    m.addTo(map);
  }
  window.conflictmapIncidents = D; window.conflictmapMap = map;
})();
{% endmacro %}
""")

    def __init__(self, payload: dict[str, Any]):
        super().__init__()
        self._name = "IncidentLayer"
        self.data_json = safe_json(payload)
        self.popup_js = _POPUP_JS
        self.count = len(payload["cols"]["lat"])


class AreaLayer(MacroElement):
    """Incidents located only to a region or a country: its polygon, not a misleading pin."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var X = {{ this.data_json }};
  var pane = map.getPane("areas") || map.createPane("areas"); pane.style.zIndex = 350;  // under the markers
  var renderer = L.svg({pane: "areas"});
  X.areas.forEach(function (a) {
    var g = L.geoJSON(a.geometry, {pane: "areas", renderer: renderer, style: {color: a.color, weight: 2, dashArray: a.kind === "country" ? "6 4" : null,
      fillColor: a.color, fillOpacity: a.kind === "country" ? 0.03 : 0.15}});
    g.bindTooltip(a.label, {sticky: true});
    g.bindPopup(function () { var box = document.createElement("div");
      box.appendChild(cmTxt("div", a.label, "cm-head"));
      a.incidents.forEach(function (i) { box.appendChild(cmPopup(X.D, i)); box.appendChild(document.createElement("hr")); });
      return box; }, {maxWidth: 380, maxHeight: 420});
    g.addTo(map);
  });
})();
{% endmacro %}
""")

    def __init__(self, areas: list[dict[str, Any]], payload: dict[str, Any]):
        super().__init__()
        self._name = "AreaLayer"
        # popups reuse the point popup builder over a small payload of their own
        self.data_json = safe_json({"areas": areas, "D": payload})
        self.count = len(areas)


class BaseLayer(MacroElement):
    """Natural Earth country outlines on a sea-coloured background: offline, no tiles."""

    _template = Template("""
{% macro header(this, kwargs) %}<style>.folium-map{background:{{ this.sea }}}</style>{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var pane = map.createPane("basemap"); pane.style.zIndex = 200;
  map.attributionControl.addAttribution("Boundaries: Natural Earth (public domain) &middot; Places: GeoNames (CC BY 4.0)");
  var style = {color: "#9a9a9a", weight: 0.7, fillColor: "{{ this.land }}", fillOpacity: 1, interactive: false, pane: "basemap"};
  function add(data) { L.geoJSON(data, {style: style, interactive: false, pane: "basemap"}).addTo(map); }
  {% if this.url %}fetch({{ this.url_json }}).then(function (r) { return r.json(); }).then(add);
  {% else %}add({{ this.data_json }});{% endif %}
  {% if this.admin1_url %}
  var admin1 = null, loading = false;
  function admin1Style() { return {color: "#b9b9b9", weight: 0.5, fill: false, interactive: false, pane: "basemap"}; }
  function maybeAdmin1() {
    if (map.getZoom() >= {{ this.admin1_zoom }}) {
      if (admin1) { if (!map.hasLayer(admin1)) admin1.addTo(map); return; }
      if (loading) return; loading = true;
      fetch({{ this.admin1_url_json }}).then(function (r) { return r.json(); }).then(function (d) {
        admin1 = L.geoJSON(d, {style: admin1Style, interactive: false, pane: "basemap"}); maybeAdmin1(); });
    } else if (admin1 && map.hasLayer(admin1)) { map.removeLayer(admin1); }
  }
  map.on("zoomend", maybeAdmin1); maybeAdmin1();
  {% endif %}
})();
{% endmacro %}
""")

    def __init__(self, url: str | None = None, data: dict | None = None, admin1_url: str | None = None, admin1_zoom: int = 5):
        super().__init__()
        self._name = "BaseLayer"
        self.url, self.url_json = url, safe_json(url)
        self.data_json = safe_json(data) if data is not None else "null"
        self.admin1_url, self.admin1_url_json = admin1_url, safe_json(admin1_url)
        self.admin1_zoom = admin1_zoom
        self.sea, self.land = SEA_COLOR, LAND_COLOR


class Legend(MacroElement):
    """Colour by event type, size by fatalities (trusted, fixed strings only)."""

    _template = Template("""
{% macro header(this, kwargs) %}<style>
.cm-legend{background:#fff;padding:8px 10px;border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.4 system-ui,sans-serif}
.cm-legend i{display:inline-block;border-radius:50%;border:1px solid #333;margin-right:6px;vertical-align:middle}
.cm-legend .sq{border-radius:2px}
</style>{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "cm-legend");
    var items = {{ this.items_json }};
    div.appendChild(cmTxt("div", "Event type", "cm-head"));
    items.forEach(function (it) { var row = document.createElement("div"); var dot = document.createElement("i");
      dot.style.width = dot.style.height = "11px"; dot.style.background = it[1]; row.appendChild(dot);
      row.appendChild(cmTxt("span", it[0])); div.appendChild(row); });
    div.appendChild(cmTxt("div", "Fatalities", "cm-head"));
    [[0, "none reported"], [5, "5"], [50, "50"]].forEach(function (f) { var row = document.createElement("div");
      var dot = document.createElement("i"); var r = f[0] <= 0 ? 4 : Math.min(22, 4 + 2.2 * Math.sqrt(f[0]));
      dot.style.width = dot.style.height = (2 * r) + "px"; dot.style.background = "#bbb"; row.appendChild(dot);
      row.appendChild(cmTxt("span", f[1])); div.appendChild(row); });
    var reg = document.createElement("div"); var sq = document.createElement("i"); sq.className = "sq";
    sq.style.width = "14px"; sq.style.height = "10px"; sq.style.background = "rgba(255,127,14,.25)"; reg.appendChild(sq);
    reg.appendChild(cmTxt("span", "located only to a region")); div.appendChild(reg);
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);
})();
{% endmacro %}
""")

    def __init__(self, types: Sequence[str] | None = None):
        super().__init__()
        self._name = "Legend"
        items = [(t, EVENT_COLORS.get(t, OTHER_COLOR)) for t in (types or EVENT_COLORS)]
        self.items_json = safe_json(items)


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
        types = [rows[i].get("event_type") for i in idx]
        color = EVENT_COLORS.get(max(set(types), key=types.count), OTHER_COLOR)
        out.append({"id": pid, "label": label, "kind": kind, "color": color, "incidents": idx,
                    "geometry": mapping(geom)})
    return out


def build_map(rows: Sequence[Mapping[str, Any]], geometry_of=None, sources: Mapping[str, list[dict]] | None = None,
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
    area_rows = df[is_area].astype(object).where(df[is_area].notna(), None).to_dict("records") if is_area.any() else []
    lat_s = pd.to_numeric(df["latitude"], errors="coerce").dropna()
    lon_s = pd.to_numeric(df["longitude"], errors="coerce").dropna()
    m = folium.Map(location=[20, 20], zoom_start=2, tiles=None, min_zoom=2, max_zoom=14, prefer_canvas=True,
                   control_scale=True, world_copy_jump=False, height=options.height)
    if options.offline_assets == "server":
        m.default_js = [("leaflet", assets.url("leaflet.js"))]
        m.default_css = [("leaflet_css", assets.url("leaflet.css"))]
    else:
        m.default_js, m.default_css = [], []
    m.get_root().header.add_child(Element(
        "<script>window.L_NO_TOUCH = false; window.L_DISABLE_3D = false;</script>"), name="cm_flags")
    if options.online_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)").add_to(m)
    from . import basemap

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
    return js.replace("</script", "<\\/script"), css


def standalone_html(m: folium.Map) -> str:
    """One HTML file that opens offline anywhere: Leaflet, styles and data inlined."""
    js, css = _inline_leaflet()
    root = m.get_root()
    root.header.add_child(Element(f"<style>{css}</style>"), name="cm_leaflet_css", index=0)
    root.header.add_child(Element(f"<script>{js}</script>"), name="cm_leaflet_js", index=1)
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


def standalone_map(rows: Sequence[Mapping[str, Any]], gaz, sources: Mapping[str, list[dict]] | None = None) -> str:
    """The filtered incidents as one self-contained, offline HTML page."""
    m = build_map(rows, gazetteer_geometry(gaz), sources, MapOptions(offline_assets="inline", height="100%"))
    return standalone_html(m)
