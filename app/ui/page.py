"""The Streamlit page. Everything it shows comes from one filtered frame (app.ui.data)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import streamlit as st

from ..articles import Article, InputProblem, article_from, read_stream
from ..export import csv_text, geojson_bytes, gpkg_bytes
from ..gazetteer import GEONAMES_CREDIT, Gazetteer
from ..pipeline import Pipeline, ingest_items
from ..store import Store, StoreError, default_store_path
from . import data as D
from .mapview import EVENT_COLORS, OTHER_COLOR, MapOptions, build_map, gazetteer_geometry, standalone_map

MAX_PASTE_CHARS = 200_000


@st.cache_resource(show_spinner="Loading the gazetteer ...")
def pipeline() -> Pipeline:
    return Pipeline(Gazetteer.load())


@st.cache_data(show_spinner=False)
def frame(store_path: str, version: float) -> pd.DataFrame:
    return D.load_frame(store_path)


@st.cache_data(show_spinner=False)
def sources(store_path: str, version: float) -> dict:
    return D.load_sources(store_path)


def store_version(path: Path) -> float:
    """Changes whenever the store is written (the WAL file counts too)."""
    stamps = [p.stat().st_mtime_ns for p in (path, Path(str(path) + "-wal")) if p.exists()]
    return float(max(stamps)) if stamps else 0.0


def sidebar_filters(opts: dict) -> D.ViewFilters:
    sb = st.sidebar
    sb.header("Filters")
    f = D.ViewFilters()
    if opts["min_day"] is not None:
        lo, hi = opts["min_day"], opts["max_day"]
        f.date_from = sb.date_input("From", value=lo, min_value=lo, max_value=hi, key="f_from", format="YYYY-MM-DD")
        f.date_to = sb.date_input("Until", value=hi, min_value=lo, max_value=hi, key="f_until", format="YYYY-MM-DD")
    if opts.get("undated"):
        # no date at all (a report without a publication date, an impossible date): shown unless the analyst says not
        f.include_undated = sb.checkbox(f"Include undated incidents ({opts['undated']})", value=True, key="f_undated")
    f.types = sb.multiselect("Event types", opts["types"], key="f_types")
    f.actors = sb.multiselect("Actors", opts["actors"], key="f_actors")
    f.claimants = sb.multiselect("Claimed by / source", opts["claimants"], key="f_claimants")
    f.min_fatalities = int(sb.number_input("Minimum fatalities", min_value=0, value=0, step=1, key="f_minfat"))
    f.text = sb.text_input("Search text", key="f_text")
    kinds = sb.multiselect("Kinds", ["event", "aggregate_report"], default=["event", "aggregate_report"], key="f_kinds")
    f.kinds = kinds or ["event", "aggregate_report"]
    return f


def upload_items(files, pasted: dict | None) -> Iterator[Article | InputProblem]:
    """Uploaded files (read one at a time, as the command line reads files) and the pasted report."""
    for up in files:
        yield from read_stream(up.name, up.getvalue())
    if pasted:
        yield article_from(pasted, "pasted text", None, None)


def ingest_panel(store_path: Path) -> None:
    with st.sidebar.expander("Add reports", expanded=False):
        st.caption("Upload .txt, .json or .jsonl files, or paste a report. Nothing already stored is changed.")
        files = st.file_uploader("Files", type=["txt", "json", "jsonl"], accept_multiple_files=True, key="up_files")
        title = st.text_input("Headline (for pasted text)", key="paste_title")
        text = st.text_area("Pasted report", height=140, key="paste_text", max_chars=MAX_PASTE_CHARS)
        published = st.date_input("Published", value=None, key="paste_date")
        publisher = st.text_input("Publisher", key="paste_publisher")
        url = st.text_input("URL", key="paste_url")
        if not st.button("Extract incidents", key="ingest_go"):
            return
        pasted = {"title": title, "text": text, "published": published, "publisher": publisher, "url": url}
        if not files and not text.strip():
            st.warning("Nothing to add: choose files or paste a report.")
            return
        try:
            with Store(store_path) as store:
                # the command line's reader and per-article guard: a bad file or article is listed, never a traceback
                items = upload_items(files or [], pasted if text.strip() else None)
                summary, _ = ingest_items(items, store, pipeline())
        except (StoreError, sqlite3.Error) as e:
            st.error(f"The store could not be written: {e}")
            return
        for problem in summary.skipped:
            st.error(f"Skipped {problem}")
        if summary.no_publication_date:
            # as loud as the command line's first summary line: such reports' relative dates stay empty
            st.warning(summary.lines()[0].removeprefix("WARNING: ").replace(
                "Give the date with --published YYYY-MM-DD (or a 'published' field) and ingest again.",
                "Give the publication date (the 'Published' field above, or a 'published' field in the file) "
                "and add the report again."))
        if summary.articles:
            st.success(f"{summary.articles - summary.already_stored} reports added, "
                       f"{summary.incidents_new} new incidents, {summary.incidents_merged} merged, "
                       f"{summary.already_stored} already stored.")
        st.session_state["last_ingest"] = summary.lines()
        if summary.incidents_new:
            # widen the date filter to the new range (its widgets are not drawn yet this run)
            for k in ("f_from", "f_until"):
                st.session_state.pop(k, None)


def selected_record(df: pd.DataFrame, clicked: dict | None) -> pd.DataFrame:
    if not clicked or df.empty:
        return df.iloc[0:0]
    lat, lng = clicked.get("lat"), clicked.get("lng")
    if lat is None or lng is None:
        return df.iloc[0:0]
    near = (df["latitude"].astype(float) - lat).abs().lt(1e-4) & (df["longitude"].astype(float) - lng).abs().lt(1e-4)
    return df[near.fillna(False)]


def main() -> None:
    st.set_page_config(page_title="Conflict-incident map", layout="wide")
    store_path = Path(os.environ.get("CONFLICTMAP_STORE") or default_store_path())
    st.title("Conflict-incident map")
    ingest_panel(store_path)
    if not store_path.exists():
        st.info(f"The store {store_path} is empty: add reports in the sidebar, or run `python -m app ingest seeds/`.")
        return
    version = store_version(store_path)
    try:  # a file that is not a store, or not readable: a message in the page, not a traceback
        df = frame(str(store_path), version)
        srcs = sources(str(store_path), version)
    except StoreError as e:
        st.error(f"The store could not be read: {e}")
        return
    opts = D.options(df)
    f = sidebar_filters(opts)
    view = D.apply_filters(df, f)
    st.session_state["filtered_ids"] = list(view["event_id"])

    mapped = view["latitude"].notna()
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Incidents", len(view))
    c2.metric("Fatalities reported", int(view.loc[view["kind"] == "event", "fatalities"].fillna(0).sum()))
    c3.metric("On the map", int(mapped.sum()))
    c4.metric("Unmapped (no place in the text)", int((~mapped).sum()))

    left, right = st.columns([3, 1])
    gaz = pipeline().geoparser.gaz
    with left:
        from streamlit_folium import st_folium

        m = build_map(view, gazetteer_geometry(gaz), srcs, MapOptions())
        out = st_folium(m, returned_objects=["last_object_clicked"], height=620, use_container_width=True,
                        key="incident_map")
    with right:
        st.subheader("Selected incident")
        picked = selected_record(view, (out or {}).get("last_object_clicked"))
        if picked.empty:
            st.caption("Click a marker to see its full record here.")
        for rec in D.records(picked):
            shown = {k: v for k, v in rec.items() if v not in (None, "") and k not in ("fid", "geom")}
            st.table(pd.DataFrame({"field": list(shown), "value": [str(v) for v in shown.values()]}).set_index("field"))
            more = srcs.get(rec["event_id"], [])
            if more:
                st.caption("Every report of this incident")
                columns = ["publisher", "published", "claimed_by", "disputed_by", "fatalities", "url"]
                st.dataframe(pd.DataFrame(more)[columns],
                             hide_index=True, width="stretch")
        unmapped = view[~mapped]
        st.subheader(f"Unmapped ({len(unmapped)})")
        if not unmapped.empty:
            st.dataframe(unmapped[["event_date", "event_type", "actor1", "fatalities", "claimed_by", "notes"]],
                         hide_index=True, width="stretch", height=240)

    st.subheader("Timeline")
    by = st.radio("Break down by", ["event_type", "actor1"], horizontal=True, key="tl_by",
                  format_func=lambda v: {"event_type": "event type", "actor1": "actor"}[v])
    tl = D.timeline(view, by)
    if tl.empty:
        st.caption("No dated events in the current selection.")
    else:
        import altair as alt

        if by == "event_type":  # the map's colours
            types = sorted(tl["event_type"].dropna().unique())
            color = alt.Color("event_type:N", title="event type",
                              scale=alt.Scale(domain=types, range=[EVENT_COLORS.get(t, OTHER_COLOR) for t in types]))
        else:
            color = alt.Color(f"{by}:N", title="actor")
        base = alt.Chart(tl).encode(x=alt.X("yearmonthdate(day):T", title="day", axis=alt.Axis(format="%Y-%m-%d")),
                                    color=color)
        st.altair_chart(
            alt.vconcat(base.mark_bar().encode(y=alt.Y("sum(incidents):Q", title="incidents")).properties(height=140),
                        base.mark_bar().encode(y=alt.Y("sum(fatalities):Q", title="fatalities"))
                        .properties(height=140)),
            width="stretch")

    st.subheader("Incidents")
    st.dataframe(view[[c for c in D.TABLE_COLUMNS if c in view.columns]], hide_index=True, width="stretch")

    st.subheader("Export what is shown")
    e1, e2, e3, e4 = st.columns(4)
    stamp = dt.date.today().isoformat()
    e1.download_button("GeoJSON", data=lambda: geojson_bytes(D.records(view)), file_name=f"incidents-{stamp}.geojson",
                       mime="application/geo+json", key="dl_geojson")
    e2.download_button("CSV (ACLED columns)", data=lambda: csv_text(D.records(view)),
                       file_name=f"incidents-{stamp}.csv",
                       mime="text/csv", key="dl_csv")
    e3.download_button("GeoPackage", data=lambda: gpkg_bytes(D.records(view)), file_name=f"incidents-{stamp}.gpkg",
                       mime="application/geopackage+sqlite3", key="dl_gpkg")
    e4.download_button("Offline HTML map", data=lambda: standalone_map(view, gaz, srcs),
                       file_name=f"incidents-{stamp}.html",
                       mime="text/html", key="dl_html")
    if st.session_state.get("last_ingest"):
        with st.expander("Last ingest"):
            st.text("\n".join(st.session_state["last_ingest"]))
    st.caption(f"Store: {store_path}. Places: {GEONAMES_CREDIT}; boundaries: Natural Earth (public domain). "
               "Every claim is shown with who made it.")
