"""What the dashboard shows, as plain pandas: loading the store and applying the filters.

No Streamlit here, so the same filtering is tested directly and used by the page;
the map, the counts, the table and the exports all take the one filtered frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pandas as pd

from ..store import Store

TABLE_COLUMNS = ["event_date", "kind", "event_type", "sub_event_type", "actor1", "actor2", "location", "country_code",
                 "geo_precision", "fatalities", "claimed_by", "disputed_by", "source", "n_sources", "confidence",
                 "event_id"]


def load_frame(store_path: str | Path) -> pd.DataFrame:
    """Every incident in the store, with a ``day`` column to filter and plot by."""
    with Store(store_path, readonly=True) as s:
        df = s.frame()
    if df.empty:
        df = pd.DataFrame(columns=["fid", "event_id", "event_date", "date_end", "published", "actor1", "actor2",
                                   "event_type", "sub_event_type", "claimed_by", "source", "fatalities", "notes",
                                   "location", "latitude", "longitude", "kind", "region_id", "place_kind",
                                   "disputed_by", "title", "geo_precision", "country_code", "n_sources", "confidence"])
    df = df.drop(columns=["geom"], errors="ignore")
    day = df["event_date"].fillna(df["date_end"]).fillna(df["published"])
    df["day"] = pd.to_datetime(day, errors="coerce", format="%Y-%m-%d").dt.date
    df = df.sort_values("day", kind="stable", na_position="first").reset_index(drop=True)
    df["fatalities"] = pd.to_numeric(df["fatalities"], errors="coerce").astype("Int64")
    for c in ("actor1", "actor2", "claimed_by", "source", "notes", "location", "title", "disputed_by"):
        df[c] = df[c].fillna("").astype(str)
    return df


def load_sources(store_path: str | Path, event_ids: Sequence[str] | None = None) -> dict[str, list[dict]]:
    """Every report of incidents that more than one article reported."""
    with Store(store_path, readonly=True) as s:
        ids = [r["event_id"] for r in s.incidents("WHERE n_sources > 1")]  # the store's API, not its connection
        if event_ids is not None:
            keep = set(event_ids)
            ids = [i for i in ids if i in keep]
        return {i: s.sources(i) for i in ids}


@dataclass
class ViewFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    actors: Sequence[str] = ()
    types: Sequence[str] = ()
    claimants: Sequence[str] = ()
    min_fatalities: int = 0
    text: str = ""
    kinds: Sequence[str] = field(default_factory=lambda: ("event", "aggregate_report"))
    include_undated: bool = True  # incidents with no date at all are never hidden by a date range unasked


def apply_filters(df: pd.DataFrame, f: ViewFilters) -> pd.DataFrame:
    keep = pd.Series(True, index=df.index)
    day = pd.to_datetime(df["day"], errors="coerce")
    if f.date_from is not None or f.date_to is not None:
        in_range = pd.Series(True, index=df.index)
        if f.date_from is not None:
            in_range &= day >= pd.Timestamp(f.date_from)
        if f.date_to is not None:
            in_range &= day <= pd.Timestamp(f.date_to)
        keep &= in_range | (day.isna() & f.include_undated)
    elif not f.include_undated:
        keep &= day.notna()
    if f.actors:  # whole values in any case, as export matches them
        wanted = {a.strip().lower() for a in f.actors}
        keep &= df["actor1"].str.lower().isin(wanted) | df["actor2"].str.lower().isin(wanted)
    if f.types:
        keep &= df["event_type"].isin(f.types)
    if f.claimants:  # whole values: choosing "an" must not select every claim that contains "an"
        said = {c.strip().lower() for c in f.claimants}
        keep &= df["claimed_by"].str.lower().isin(said) | df["source"].str.lower().isin(said)
    if f.min_fatalities:
        keep &= df["fatalities"].fillna(0) >= f.min_fatalities
    if f.text.strip():
        q = f.text.strip().lower()
        hay = (df["notes"] + " " + df["location"] + " " + df["actor1"] + " " + df["actor2"] + " " + df["claimed_by"]
               + " " + df["title"] + " " + df["source"]).str.lower()
        keep &= hay.str.contains(q, regex=False)
    if f.kinds:
        keep &= df["kind"].isin(f.kinds)
    return df[keep]


def options(df: pd.DataFrame) -> dict[str, Any]:
    """The choices the sidebar offers, from what the store holds."""
    actors = sorted({a for a in pd.concat([df["actor1"], df["actor2"]]) if a})
    claims: set[str] = set()
    for v in pd.concat([df["claimed_by"], df["source"]]):
        claims.update(p.strip() for p in str(v).split(";") if p.strip())
    days = [d for d in df["day"] if d is not None and not pd.isna(d)]
    return {
        "actors": actors,
        "types": sorted(t for t in df["event_type"].dropna().unique() if t),
        "claimants": sorted(claims),
        "min_day": min(days) if days else None,
        "max_day": max(days) if days else None,
        "undated": int(len(df) - len(days)),
        "max_fatalities": int(df["fatalities"].max()) if df["fatalities"].notna().any() else 0,
    }


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as store-shaped dicts (NaN -> None), for the map and the writers."""
    out = df.drop(columns=["day"], errors="ignore").astype(object).where(df.notna(), None)
    return cast(list[dict[str, Any]], out.to_dict("records"))


def timeline(df: pd.DataFrame, by: str = "event_type") -> pd.DataFrame:
    """Incidents and fatalities per day, by event type or actor."""
    ev = df[df["day"].notna() & (df["kind"] == "event")]
    if ev.empty:
        return pd.DataFrame(columns=["day", by, "incidents", "fatalities"])
    g = ev.groupby(["day", by], dropna=False).agg(incidents=("event_id", "count"), fatalities=("fatalities", "sum"))
    g = g.reset_index()
    g["day"] = pd.to_datetime(g["day"])
    g["fatalities"] = g["fatalities"].fillna(0).astype(int)
    return g
