"""The gazetteer's index on disk, and what its two builders share.

An index is a folder: ``keys.txt`` (one name key a line), ``arrays.npz`` (for each key the
rows indexed under it, and per row the numbers ranking needs: kind, country, population,
capital flag, point, area) and ``places.sqlite`` (the full records). Two builders write one:
``app.gazetteer`` (the base index, from the shipped sources) and ``app.userdata`` (the
analyst's own places); both read it back through ``read_index``.

Only this module and ``app.gazetteer`` know rows and columns. Everyone else gets typed
records: ``Entry`` (a place under a name key, cheap to rank) and ``models.Place`` (the full
record, ``Entry.place``).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np
import shapely

from .models import Place, PlaceKind
from .sqlitefile import sqlite_uri
from .text import name_variants

REPO_ROOT = Path(__file__).resolve().parent.parent
GEODATA = REPO_ROOT / "geodata"
NATURAL_EARTH = GEODATA / "natural_earth.gpkg"

# The kinds as the index stores them: a kind's code is its position here.
KINDS: tuple[str, ...] = tuple(k.value for k in PlaceKind)
KIND_CODE = {k: i for i, k in enumerate(KINDS)}
_KIND_OF_CODE = tuple(PlaceKind)
# A place's full record in places.sqlite (the columns Place and Row are built from).
_SELECT_PLACES = ("SELECT id, name, kind, country_code, admin1, lat, lon, population, source, alt_names, area_km2, "
                  "geom, reported_area_km2, reported_area_source, capital FROM places")


def populated_kind(population: int) -> str:
    """cities500 carries no feature codes; size is the best cue it has."""
    if population >= 100_000:
        return "city"
    if population >= 2_000:
        return "town"
    if population > 0:
        return "village"
    return "place"


@dataclass
class Row:
    """A place while an index is being built."""

    id: str
    name: str
    kind: str
    country_code: str
    admin1: str
    lat: float
    lon: float
    population: int
    source: str
    alt_names: list[str]
    area_km2: float | None = None
    geom: bytes | None = None
    reported_area_km2: float | None = None
    reported_area_source: str = ""
    capital: bool = False


@dataclass(frozen=True, slots=True)
class Entry:
    """A place indexed under a name key: what ranking reads (from the index's arrays), and the
    full record (``place``, from SQLite, loaded and cached on first use) for everything else."""

    kind: PlaceKind
    country_code: str  # '' for a place of no single country (the Sahel, a continent)
    population: int
    capital: bool  # a national capital
    lat: float
    lon: float
    area_km2: float  # 0.0 when unknown (a point-only region, a populated place)
    primary: bool  # indexed under the place's own name, not one of its other names
    _layer: Index = field(repr=False, compare=False)
    _row: int = field(repr=False)

    @property
    def place(self) -> Place:
        return self._layer.place(self._row)

    @property
    def id(self) -> str:
        return self.place.id

    @property
    def name(self) -> str:
        return self.place.name

    @property
    def admin1(self) -> str:
        return self.place.admin1

    @property
    def source(self) -> str:
        return self.place.source

    @property
    def point(self) -> tuple[float, float]:
        """(lat, lon)."""
        return (self.lat, self.lon)

    @property
    def is_populated_place(self) -> bool:
        return self.kind.is_populated

    def in_layer(self, layer: Index) -> bool:
        return self._layer is layer


class Index:
    """One layer of the gazetteer: name keys -> entries; place ids -> full records."""

    def __init__(self, keys: dict[str, int], offsets: np.ndarray, rows: np.ndarray,
                 primary: np.ndarray, arrays: dict[str, np.ndarray], db: sqlite3.Connection):
        self.keys = keys
        self._offsets = offsets
        self._rows = rows
        self._primary = primary
        self._lat = arrays["lat"]
        self._lon = arrays["lon"]
        self._population = arrays["population"]
        self._kind = arrays["kind"]
        self._cc = arrays["cc"]
        self._capital = arrays["capital"]
        self._area = arrays["area"]
        self._db = db
        self._lock = threading.Lock()
        self._place = lru_cache(maxsize=65536)(self._load_place)

    def __len__(self) -> int:
        return len(self._lat)

    def entries(self, key: str) -> tuple[Entry, ...]:
        """Every place indexed under ``key``, in index order."""
        kid = self.keys.get(key)
        if kid is None:
            return ()
        a, b = self._offsets[kid], self._offsets[kid + 1]
        return self._entries_at(self._rows[a:b], self._primary[a:b].tolist())

    def select(self, country_code: str, min_population: int = 0, populated: bool = True) -> list[Entry]:
        """The places of one country (populated places only, by default) with at least
        ``min_population`` people, in index order, each as under its own name."""
        mask = (self._cc == country_code) & (self._population >= min_population)
        if populated:
            mask &= self._kind >= KIND_CODE["city"]
        rows = np.nonzero(mask)[0]
        return list(self._entries_at(rows, [True] * len(rows)))

    def _entries_at(self, rows: np.ndarray, primary: list[bool]) -> tuple[Entry, ...]:
        return tuple(map(
            Entry, map(_KIND_OF_CODE.__getitem__, self._kind[rows].tolist()), self._cc[rows].tolist(),
            self._population[rows].tolist(), self._capital[rows].tolist(), self._lat[rows].tolist(),
            self._lon[rows].tolist(), self._area[rows].tolist(), primary, repeat(self), rows.tolist(),
        ))

    def place(self, row: int) -> Place:
        return self._place(row)

    def _load_place(self, row: int) -> Place:
        with self._lock:
            r = self._db.execute(_SELECT_PLACES + " WHERE row = ?", (row,)).fetchone()
        return Place(
            id=r[0], name=r[1], kind=r[2], country_code=r[3], admin1=r[4], lat=r[5], lon=r[6],
            population=r[7], source=r[8], alt_names=tuple(json.loads(r[9])), area_km2=r[10],
            geometry=shapely.from_wkb(r[11]) if r[11] is not None else None,
            reported_area_km2=r[12], reported_area_source=r[13] or "", capital=bool(r[14]),
        )

    def get(self, place_id: str) -> Place | None:
        with self._lock:
            r = self._db.execute("SELECT row FROM places WHERE id = ?", (place_id,)).fetchone()
        return None if r is None else self.place(r[0])


def write_index(rows: Sequence[Row], out: Path) -> None:
    """Write keys.txt, arrays.npz and places.sqlite for ``rows`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    key_ids: dict[str, int] = {}
    pairs: list[tuple[int, int, bool]] = []
    for i, r in enumerate(rows):
        seen: set[str] = set()
        for name, primary in [(r.name, True)] + [(a, False) for a in r.alt_names]:
            if not isinstance(name, str):
                continue
            for k in name_variants(name, r.country_code):
                if k in seen:
                    continue
                seen.add(k)
                kid = key_ids.setdefault(k, len(key_ids))
                pairs.append((kid, i, primary))
    pairs.sort()
    kids = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
    offsets = np.searchsorted(kids, np.arange(len(key_ids) + 1)).astype(np.int64)
    np.savez(
        out / "arrays.npz",
        offsets=offsets,
        rows=np.fromiter((p[1] for p in pairs), dtype=np.int32, count=len(pairs)),
        primary=np.fromiter((p[2] for p in pairs), dtype=np.bool_, count=len(pairs)),
        lat=np.array([r.lat for r in rows], dtype=np.float64),
        lon=np.array([r.lon for r in rows], dtype=np.float64),
        population=np.array([r.population for r in rows], dtype=np.int64),
        kind=np.array([KIND_CODE[r.kind] for r in rows], dtype=np.int8),
        cc=np.array([r.country_code for r in rows], dtype="<U2"),
        capital=np.array([r.capital for r in rows], dtype=np.bool_),
        area=np.array([r.area_km2 or 0.0 for r in rows], dtype=np.float32),
    )
    (out / "keys.txt").write_text("\n".join(key_ids), encoding="utf-8")
    db = sqlite3.connect(out / "places.sqlite")
    db.execute(
        "CREATE TABLE places (row INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, name TEXT, kind TEXT, "
        "country_code TEXT, admin1 TEXT, lat REAL, lon REAL, population INTEGER, source TEXT, "
        "alt_names TEXT, area_km2 REAL, geom BLOB, reported_area_km2 REAL, reported_area_source TEXT, capital INTEGER)"
    )
    db.executemany(
        "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            (i, r.id, r.name, r.kind, r.country_code, r.admin1, r.lat, r.lon, r.population, r.source,
             json.dumps(r.alt_names, ensure_ascii=False), r.area_km2, r.geom, r.reported_area_km2,
             r.reported_area_source, int(r.capital))
            for i, r in enumerate(rows)
        ),
    )
    db.commit()
    db.close()


def read_rows(path: Path, rows: Sequence[int] | None = None) -> list[Row]:
    """The rows an index was written from (all, or those numbered ``rows``), in index order: to
    subset or rebuild an index, not for lookup."""
    db = sqlite3.connect(sqlite_uri(path / "places.sqlite"), uri=True)
    sql = _SELECT_PLACES
    try:
        if rows is None:
            data = db.execute(sql + " ORDER BY row").fetchall()
        else:
            wanted = sorted(set(rows))
            data = [d for i in range(0, len(wanted), 500) for d in db.execute(
                sql + f" WHERE row IN ({','.join('?' * len(wanted[i : i + 500]))}) ORDER BY row", wanted[i : i + 500])]
    finally:
        db.close()
    return [Row(id=d[0], name=d[1], kind=d[2], country_code=d[3], admin1=d[4], lat=d[5], lon=d[6], population=d[7],
                source=d[8], alt_names=json.loads(d[9]), area_km2=d[10], geom=d[11], reported_area_km2=d[12],
                reported_area_source=d[13] or "", capital=bool(d[14])) for d in data]


def write_subset(src: Path, out: Path, keys: Iterable[str], ids: Iterable[str] = ()) -> list[Row]:
    """Write into ``out`` an index of the places in ``src`` indexed under any of ``keys`` (every
    one of them: a name's namesakes elsewhere come along) or with one of ``ids``. Places keep
    their order, so each key lists its places as ``src`` does. Returns the rows written."""
    index = read_index(src)
    rows: set[int] = set()
    for key in keys:
        kid = index.keys.get(key)
        if kid is not None:
            rows.update(index._rows[index._offsets[kid] : index._offsets[kid + 1]].tolist())
    with index._lock:
        for pid in ids:
            r = index._db.execute("SELECT row FROM places WHERE id = ?", (pid,)).fetchone()
            if r is not None:
                rows.add(r[0])
    index._db.close()
    picked = read_rows(src, sorted(rows))
    write_index(picked, out)
    return picked


def read_index(path: Path) -> Index:
    arr = np.load(path / "arrays.npz", allow_pickle=False)
    text = (path / "keys.txt").read_text(encoding="utf-8")
    keys = {k: i for i, k in enumerate(text.split("\n"))} if text else {}
    db = sqlite3.connect(sqlite_uri(path / "places.sqlite"), uri=True, check_same_thread=False)
    return Index(keys, arr["offsets"], arr["rows"], arr["primary"], {k: arr[k] for k in arr.files}, db)


def admin1_names(lats: Sequence[float], lons: Sequence[float], regions) -> list[str]:
    """Name of the Natural Earth admin-1 region each point lies in ('' when none within ~10 km)."""
    admin = regions[regions["id"].str.startswith("ne:admin1:")].reset_index(drop=True)
    tree = shapely.STRtree(admin.geometry.values)
    pts = np.asarray(shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)))
    out = [""] * len(pts)
    pt_idx, poly_idx = tree.query(pts, predicate="within")
    for p, g in zip(pt_idx, poly_idx, strict=False):
        out[p] = admin.at[g, "name"]
    missing = [i for i, v in enumerate(out) if not v]
    if missing:
        p_idx, g_idx = tree.query_nearest(pts[missing], max_distance=0.1)
        for p, g in zip(p_idx, g_idx, strict=False):
            out[missing[p]] = admin.at[g, "name"]
    return out


# --------------------------------------------------------------------------- cached index folders

STALE_CACHE_S = 7 * 86400  # a cached index unused for a week is removed (and rebuilt if ever needed again)


def mark_used(folder: Path) -> None:
    """Record that ``folder`` (a cached index) is in use now: its mtime is its last use."""
    try:
        os.utime(folder)
    except OSError:
        pass  # a read-only cache: nothing is pruned from it either


def prune_stale(cache_dir: Path, pattern: str, keep: Path, max_age_s: float = STALE_CACHE_S) -> list[Path]:
    """Remove the folders matching ``pattern`` (and their half-built ``.pattern`` leftovers) that are
    not ``keep`` and were last used more than ``max_age_s`` ago (never less than a day, so never one
    another process may still be reading: each use touches its folder). Returns what was removed."""
    cutoff = time.time() - max(max_age_s, 86400.0)
    removed = []
    for old in [*cache_dir.glob(pattern), *cache_dir.glob("." + pattern)]:
        try:
            if old == keep or not old.is_dir() or old.is_symlink() or old.stat().st_mtime > cutoff:
                continue
        except OSError:
            continue
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old)
    return removed


__all__ = ["Entry", "Index", "KINDS", "KIND_CODE", "NATURAL_EARTH", "Row", "admin1_names", "mark_used",
           "populated_kind", "prune_stale", "read_index", "read_rows", "write_index", "write_subset"]
