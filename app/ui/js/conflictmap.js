/* The incident map in the browser: markers, region polygons, the offline base map,
 * the legend and the popups. Loaded by app/ui/mapview.py (MapLibrary) and put once
 * into the map's script; the layers' templates in app/ui/templates/ call it with
 * their data as JSON.
 *
 * Safety: every string that came from an article is put on the page with
 * textContent (cmTxt), never parsed as HTML; only http(s) URLs become links (cmLink).
 */

var CM_LAND_COLOR = "#f5f3ee";

/* Marker radius in pixels for a fatality count (null: none reported). The one
 * definition: the markers and the legend both use it. */
function cmMarkerRadius(f) {
  return (f === null || f <= 0) ? 4 : Math.min(22, 4 + 2.2 * Math.sqrt(f));
}

function cmTxt(tag, text, cls) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  e.textContent = (text === null || text === undefined) ? "" : String(text);
  return e;
}

function cmLink(url, label) {
  if (!/^https?:\/\//i.test(url || "")) return cmTxt("span", label);
  var a = document.createElement("a");
  a.href = url; a.textContent = label; a.target = "_blank"; a.rel = "noopener noreferrer";
  return a;
}

/* The popup of incident i of payload D (column arrays with string tables). */
function cmPopup(D, i) {
  var C = D.cols, T = D.tables, box = document.createElement("div");
  box.className = "cm-popup";
  var head = cmTxt("div", D.types[C.t[i]] + (T.sub[C.sub[i]] ? " \u2014 " + T.sub[C.sub[i]] : ""), "cm-head");
  head.style.borderLeft = "6px solid " + D.colors[C.t[i]];
  box.appendChild(head);
  var tb = document.createElement("table");
  box.appendChild(tb);
  function row(label, value) {
    if (value === null || value === undefined || value === "") return;
    var tr = document.createElement("tr");
    tr.appendChild(cmTxt("th", label)); tr.appendChild(cmTxt("td", value)); tb.appendChild(tr);
  }
  var date = T.date[C.date[i]], full = D.full;
  row("Date", date ? date + (full && C.prec[i] ? " (" + D.precision[C.prec[i]] + ")" : "") : "not stated");
  if (T.kind[C.kind[i]] === "aggregate_report") row("Kind", "cumulative toll (aggregate report)");
  row("Actor 1", T.a1[C.a1[i]]);
  if (full) row("Actor 2", T.a2[C.a2[i]]);
  row("Fatalities", C.fat[i] === null ? "none reported" : C.fat[i]);
  row("Location", T.loc[C.loc[i]] + (full && C.gp[i] ? " (" + D.geoPrecision[C.gp[i]] + ")" : ""));
  row("Claimed by", T.claim[C.claim[i]]);
  if (full) {
    row("Disputed by", T.disp[C.disp[i]]);
    box.appendChild(cmTxt("blockquote", C.ev[i], "cm-evidence"));
    var src = document.createElement("div");
    src.className = "cm-source";
    src.appendChild(cmTxt("span", "Source: "));
    src.appendChild(cmLink(T.url[C.url[i]], T.src[C.src[i]] || "source"));
    box.appendChild(src);
  } else {
    box.appendChild(cmTxt("div", "Click for the full record beside the map.", "cm-sub"));
  }
  if (D.full && C.more[i]) {
    var ul = document.createElement("ul");
    ul.className = "cm-more";
    box.appendChild(cmTxt("div", "Also reported by:", "cm-sub"));
    C.more[i].forEach(function (s) {
      var li = document.createElement("li");
      li.appendChild(cmLink(s[1], s[0] || "source"));
      if (s[2]) li.appendChild(cmTxt("span", " \u2014 claimed by " + s[2]));
      if (s[3] !== null) li.appendChild(cmTxt("span", "; fatalities " + s[3]));
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }
  return box;
}

/* Canvas circle markers, one per mapped incident; colour by type, size by fatalities. */
function cmIncidentLayer(map, D) {
  var C = D.cols, renderer = L.canvas({padding: 0.5});
  for (var i = 0; i < C.lat.length; i++) {
    var aggregate = D.tables.kind[C.kind[i]] === "aggregate_report";
    var m = L.circleMarker([C.lat[i], C.lon[i]], {renderer: renderer, radius: cmMarkerRadius(C.fat[i]), color: "#333",
      weight: 1, fillColor: D.colors[C.t[i]], fillOpacity: aggregate ? 0.25 : 0.85, dashArray: aggregate ? "3" : null});
    m.incidentIndex = i;
    m.bindPopup(function (l) { return cmPopup(D, l.incidentIndex); }, {maxWidth: 360});
    m.addTo(map);
  }
  window.conflictmapIncidents = D; window.conflictmapMap = map;
}

/* Incidents located only to a region or a country: its polygon, not a misleading pin.
 * X.areas: [{label, kind, color, incidents: [index into X.D]}]; popups reuse cmPopup. */
function cmAreaLayer(map, X) {
  var pane = map.getPane("areas") || map.createPane("areas");
  pane.style.zIndex = 350;  // under the markers
  var renderer = L.svg({pane: "areas"});
  X.areas.forEach(function (a) {
    var country = a.kind === "country";
    var g = L.geoJSON(a.geometry, {pane: "areas", renderer: renderer, style: {color: a.color, weight: 2,
      dashArray: country ? "6 4" : null, fillColor: a.color, fillOpacity: country ? 0.03 : 0.15}});
    g.bindTooltip(cmTxt("span", a.label), {sticky: true});  // a node: Leaflet parses a string as HTML
    g.bindPopup(function () {
      var box = document.createElement("div");
      box.appendChild(cmTxt("div", a.label, "cm-head"));
      a.incidents.forEach(function (i) { box.appendChild(cmPopup(X.D, i)); box.appendChild(document.createElement("hr")); });
      return box;
    }, {maxWidth: 380, maxHeight: 420});
    g.addTo(map);
  });
}

/* Natural Earth country outlines (fetched from o.url, or inline o.data), and admin-1
 * lines fetched from o.admin1Url once the map is zoomed to o.admin1Zoom or closer. */
function cmBaseLayer(map, o) {
  var pane = map.createPane("basemap");
  pane.style.zIndex = 200;
  map.attributionControl.addAttribution("Boundaries: Natural Earth (public domain) &middot; Places: GeoNames (CC BY 4.0)");
  var style = {color: "#9a9a9a", weight: 0.7, fillColor: CM_LAND_COLOR, fillOpacity: 1, interactive: false, pane: "basemap"};
  function add(data) { L.geoJSON(data, {style: style, interactive: false, pane: "basemap"}).addTo(map); }
  if (o.url) fetch(o.url).then(function (r) { return r.json(); }).then(add);
  else add(o.data);
  if (!o.admin1Url) return;
  var admin1 = null, loading = false;
  function admin1Style() { return {color: "#b9b9b9", weight: 0.5, fill: false, interactive: false, pane: "basemap"}; }
  function maybeAdmin1() {
    if (map.getZoom() >= o.admin1Zoom) {
      if (admin1) { if (!map.hasLayer(admin1)) admin1.addTo(map); return; }
      if (loading) return;
      loading = true;
      fetch(o.admin1Url).then(function (r) { return r.json(); }).then(function (d) {
        admin1 = L.geoJSON(d, {style: admin1Style, interactive: false, pane: "basemap"}); maybeAdmin1(); });
    } else if (admin1 && map.hasLayer(admin1)) { map.removeLayer(admin1); }
  }
  map.on("zoomend", maybeAdmin1);
  maybeAdmin1();
}

/* Colour by event type (items: [[type, colour]]), size by fatalities, the region swatch. */
function cmLegend(map, items) {
  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "cm-legend");
    div.appendChild(cmTxt("div", "Event type", "cm-head"));
    items.forEach(function (it) {
      var row = document.createElement("div"), dot = document.createElement("i");
      dot.style.width = dot.style.height = "11px"; dot.style.background = it[1];
      row.appendChild(dot); row.appendChild(cmTxt("span", it[0])); div.appendChild(row);
    });
    div.appendChild(cmTxt("div", "Fatalities", "cm-head"));
    [[0, "none reported"], [5, "5"], [50, "50"]].forEach(function (f) {
      var row = document.createElement("div"), dot = document.createElement("i"), r = cmMarkerRadius(f[0]);
      dot.style.width = dot.style.height = (2 * r) + "px"; dot.style.background = "#bbb";
      row.appendChild(dot); row.appendChild(cmTxt("span", f[1])); div.appendChild(row);
    });
    var reg = document.createElement("div"), sq = document.createElement("i");
    sq.className = "sq"; sq.style.width = "14px"; sq.style.height = "10px"; sq.style.background = "rgba(255,127,14,.25)";
    reg.appendChild(sq); reg.appendChild(cmTxt("span", "located only to a region")); div.appendChild(reg);
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);
}
