"""The incident store: a GeoPackage (SQLite) file, written in transactions.

Layers (any GIS opens them): ``incidents`` (points, EPSG:4326; empty geometry for
unmapped incidents), ``incident_sources`` (every article that reported an incident,
with its own claimant and figures) and ``articles``. One article is one
transaction: a store interrupted at any moment holds whole articles with all their
incidents, and nothing already stored is ever rewritten except to add a source.

The store opens only its own files: a GeoPackage it made (marked by its own
``conflictmap_store`` table, or, for stores made before that table, its three layers
with their columns) or a new, empty file. Any other SQLite database or GeoPackage is
refused, untouched. Creating the schema happens under the write lock, so any number
of writers may create the same new store at once. An article is identified by its id
and its content (a hash of title and text): the same article again adds nothing; a
different article under a stored id is refused loudly, never dropped silently.

Other back ends (a server database) can sit behind the same methods later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .articles import Article
from .incidents import Incident
from .sqlitefile import sqlite_uri

SRS_ID = 4326
LOCK_TIMEOUT_S = 60.0
GPKG_APPLICATION_ID = 1196444487  # 'GPKG'
META_TABLE = "conflictmap_store"  # what makes a GeoPackage one of ours
STORE_FORMAT = "conflictmap incident store"
STORE_VERSION = 1
INCIDENT_COLUMNS = [
    ("event_id", "TEXT NOT NULL UNIQUE"), ("kind", "TEXT"), ("event_type", "TEXT"), ("sub_event_type", "TEXT"),
    ("event_date", "DATE"), ("date_start", "DATE"), ("date_end", "DATE"), ("time_precision", "INTEGER"),
    ("date_phrase", "TEXT"), ("actor1", "TEXT"), ("actor2", "TEXT"), ("inter1", "INTEGER"), ("inter2", "INTEGER"),
    ("location", "TEXT"), ("place_id", "TEXT"), ("place_kind", "TEXT"), ("country_code", "TEXT"), ("admin1", "TEXT"),
    ("geo_precision", "INTEGER"), ("latitude", "REAL"), ("longitude", "REAL"), ("region_id", "TEXT"),
    ("fatalities", "INTEGER"), ("fatalities_detail", "TEXT"), ("claimed_by", "TEXT"), ("disputed_by", "TEXT"),
    ("source", "TEXT"), ("source_url", "TEXT"), ("notes", "TEXT"), ("article_id", "TEXT"), ("title", "TEXT"),
    ("published", "DATE"), ("confidence", "REAL"), ("n_sources", "INTEGER"), ("extraction_notes", "TEXT"),
    ("created_at", "DATETIME"), ("updated_at", "DATETIME"),
]
SOURCE_COLUMNS = [
    ("event_id", "TEXT NOT NULL"), ("article_id", "TEXT NOT NULL"), ("publisher", "TEXT"), ("url", "TEXT"),
    ("published", "DATE"), ("title", "TEXT"), ("claimed_by", "TEXT"), ("disputed_by", "TEXT"),
    ("fatalities", "INTEGER"), ("fatalities_detail", "TEXT"), ("evidence", "TEXT"), ("evidence_start", "INTEGER"),
    ("evidence_end", "INTEGER"), ("date_phrase", "TEXT"), ("confidence", "REAL"),
]
ARTICLE_COLUMNS = [
    ("article_id", "TEXT NOT NULL UNIQUE"), ("title", "TEXT"), ("publisher", "TEXT"), ("url", "TEXT"),
    ("published", "DATE"), ("text_sha1", "TEXT"), ("origin", "TEXT"), ("n_incidents", "INTEGER"),
    ("ingested_at", "DATETIME"),
]


# Tables of the GeoPackage standard and SQLite's own: not layers, when a file's layers are named.
_GPKG_OWN = ("gpkg_", "rtree_", "sqlite_")


class StoreError(RuntimeError):
    """A store that cannot be opened or written, with what to do about it."""


class NotOurStore(StoreError):
    """A file that exists but is not a store this app made: it is left as it was."""


def default_store_path() -> Path:
    env = os.environ.get("CONFLICTMAP_STORE")
    if env:
        return Path(env)
    return Path(os.environ.get("CONFLICTMAP_DATA", "data")) / "incidents.gpkg"


def gpkg_point(lon: float | None, lat: float | None) -> bytes | None:
    """A GeoPackage geometry blob (header + little-endian WKB) for a point, or None."""
    if lon is None or lat is None:
        return None
    header = struct.pack("<2sBBi", b"GP", 0, 0b00000001, SRS_ID)
    return header + struct.pack("<BIdd", 1, 1, lon, lat)


@dataclass(frozen=True)
class AddResult:
    article_id: str
    stored: bool  # False: the article was already in the store, or refused (``conflict``)
    new_incidents: int
    merged_incidents: int
    event_ids: tuple[str, ...]
    reason: str = ""
    conflict: bool = False  # True: another article (other title or text) is stored under this id


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _now() -> str:
    # GeoPackage DATETIME: ISO 8601 in UTC with milliseconds and a Z.
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def text_sha1(article: Article) -> str:
    """The article's content identity: title and text (not its metadata)."""
    return hashlib.sha1(f"{article.title}\n{article.text}".encode("utf-8", "surrogatepass")).hexdigest()


def conflict_reason(article: Article, stored_sha1: str) -> str:
    return (f"an article with other text (or title) is already stored under the id {article.id!r}; "
            f"this one was not stored (stored text sha1 {stored_sha1[:12]}, this one {text_sha1(article)[:12]}): "
            "give it its own id")


class Store:
    """Open (creating if needed) the GeoPackage at ``path``.

    ``readonly=True`` (export, map, the dashboard): the store must exist already; nothing
    is created or written, and a missing file is a StoreError.
    """

    def __init__(self, path: str | Path | None = None, lock_timeout: float | None = None, readonly: bool = False):
        self.path = Path(path) if path else default_store_path()
        self.lock_timeout = LOCK_TIMEOUT_S if lock_timeout is None else lock_timeout
        self.readonly = readonly
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a GeoPackage file")
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path}: no such store (nothing was created); check --store or "
                             "$CONFLICTMAP_STORE, or ingest some reports first")
        db: sqlite3.Connection | None = None
        try:
            if readonly:
                db = self._connect_readonly()
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=self.lock_timeout, isolation_level=None,
                                     check_same_thread=False)
            # Set only once connected: every method may then use it without a None check.
            self.db: sqlite3.Connection = db
            db.execute(f"PRAGMA busy_timeout = {int(self.lock_timeout * 1000)}")
            self._open()
        except (sqlite3.Error, OSError, StoreError) as e:
            if db is not None:
                db.close()
            if isinstance(e, StoreError):
                raise
            raise StoreError(self.problem(e)) from None

    def _connect_readonly(self) -> sqlite3.Connection:
        """Read without writing anything. A store in a folder this user cannot write (so SQLite
        cannot make the WAL index beside it) is read as an unchanging file, if no WAL is pending."""
        def connect(**params) -> sqlite3.Connection:
            db = sqlite3.connect(sqlite_uri(self.path, "ro", **params), uri=True, timeout=self.lock_timeout,
                                 isolation_level=None, check_same_thread=False)
            try:
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error:
                db.close()
                raise
            return db

        try:
            return connect()
        except sqlite3.OperationalError as e:
            wal = Path(f"{self.path}-wal")
            pending = wal.exists() and wal.stat().st_size > 0
            if (pending or os.access(self.path.parent, os.W_OK)
                    or "readonly" not in str(e) and "unable to open" not in str(e)):
                raise
            return connect(immutable=1)

    def problem(self, e: BaseException, timed_out: bool = False) -> str:
        """What went wrong with this store, in words, with SQLite's (or the system's) own as the cause."""
        msg = str(e) if isinstance(e, sqlite3.Error) else (e.strerror or str(e)) if isinstance(e, OSError) else str(e)
        low = msg.lower()
        if "disk is full" in low or "no space left" in low:
            return (f"{self.path}: the disk is full ({msg}); the article being written was not stored, everything "
                    "stored before it is intact: free some space and run the same command again")
        if "readonly" in low or "read-only" in low or "permission denied" in low:
            return (f"{self.path}: cannot write: the store or its folder is read-only ({msg}); "
                    "use a writable --store path")
        if "unable to open" in low:
            return f"{self.path}: cannot open the store ({msg}); check that its folder exists and is writable"
        if timed_out:
            return (f"{self.path}: locked by another process for more than {self.lock_timeout:.0f} s; "
                    "try again when the other ingest finishes")
        if "locked" in low or "busy" in low:
            return f"{self.path}: locked by another process ({msg}); try again when the other ingest finishes"
        if "not a database" in low or "malformed" in low or "file is encrypted" in low:
            return f"{self.path}: not an SQLite file, or a damaged one ({msg}); the store opens only its own files"
        return f"{self.path}: {msg}"

    def close(self) -> None:
        self.db.close()  # closing twice is harmless in sqlite3

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ schema

    def _open(self) -> None:
        """Check that the file is ours (or new and empty) before anything is written to it; create
        the schema, or mark a store made before the marker table, under the write lock."""
        state = self._identify()
        if state == "empty" and self.readonly:
            raise NotOurStore(f"{self.path}: an empty file, not a store (nothing was written to it); "
                              "ingest some reports into it first")
        if state != "ours" and not self.readonly:
            self._write(self._create_or_mark)
        if not self.readonly:
            # Only now: WAL on someone else's database would already have changed it.
            self._retry_locked(lambda: self.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
                               or self.db.execute("PRAGMA journal_mode = WAL"))
            self.db.execute("PRAGMA synchronous = NORMAL")

    def _retry_locked(self, fn):
        """``fn()``, retried while another connection holds a lock, for up to the lock timeout.
        (Some statements, such as switching to WAL, get 'locked' at once instead of waiting.)"""
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as e:
                if ("locked" not in str(e) and "busy" not in str(e)) or time.monotonic() > deadline:
                    raise StoreError(self.problem(e, timed_out=time.monotonic() > deadline)) from None
                time.sleep(0.05)

    def _identify(self) -> str:
        """'ours', 'legacy' (ours, made before the marker table) or 'empty'; NotOurStore otherwise."""
        x = self.db.execute
        tables = {r[0] for r in x("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        app_id = x("PRAGMA application_id").fetchone()[0]
        if app_id not in (0, GPKG_APPLICATION_ID):
            raise NotOurStore(f"{self.path}: an SQLite database of another application (application_id {app_id}), "
                              "not an incident store; it was left as it was: give --store another path")
        if not tables:
            return "empty"
        if app_id != GPKG_APPLICATION_ID:
            raise NotOurStore(f"{self.path}: an SQLite database that is not a GeoPackage (tables: "
                              f"{', '.join(sorted(tables)[:5])}{', ...' if len(tables) > 5 else ''}), not an incident "
                              "store; it was left as it was: give --store another path")
        if META_TABLE in tables:
            meta = dict(x(f"SELECT key, value FROM {META_TABLE}").fetchall())
            if meta.get("format") != STORE_FORMAT:
                raise NotOurStore(f"{self.path}: its {META_TABLE} table does not describe an incident store")
            if int(meta.get("version") or 0) > STORE_VERSION:
                raise NotOurStore(f"{self.path}: made by a newer version of this app (store version "
                                  f"{meta.get('version')}, this one reads {STORE_VERSION}); update the app")
            return "ours"
        if self._has_our_layers(tables):
            return "legacy"
        raise NotOurStore(f"{self.path}: a GeoPackage this app did not make (layers: "
                          f"{', '.join(sorted(t for t in tables if not t.startswith(_GPKG_OWN)))[:200]}"
                          "), not an incident store; it was left as it was: give --store another path")

    def _has_our_layers(self, tables: set[str]) -> bool:
        """A store made before the marker table: the three layers, registered, with every column."""
        for table, cols in (("incidents", INCIDENT_COLUMNS), ("incident_sources", SOURCE_COLUMNS),
                            ("articles", ARTICLE_COLUMNS)):
            if table not in tables:
                return False
            have = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
            if not {n for n, _ in cols} <= have:
                return False
        if "gpkg_contents" not in tables:
            return False
        listed = {r[0] for r in self.db.execute("SELECT table_name FROM gpkg_contents")}
        return {"incidents", "incident_sources", "articles"} <= listed

    def _create_or_mark(self) -> None:
        """Under the write lock, look again (another process may have created it meanwhile)."""
        state = self._identify()
        if state == "empty":
            self._create_schema()
        if state in ("empty", "legacy"):
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            self.db.executemany(f"INSERT OR REPLACE INTO {META_TABLE} VALUES (?, ?)",
                                [("format", STORE_FORMAT), ("version", str(STORE_VERSION))])

    def _create_schema(self) -> None:
        x = self.db.execute
        x("PRAGMA application_id = 1196444487")  # 'GPKG'
        x("PRAGMA user_version = 10300")
        x("CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, "
          "organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, "
          "description TEXT)")
        x("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES "
          "('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL)")
        x("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES "
          "('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL)")
        x("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, "
          "'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,"
          "AUTHORITY[\"EPSG\",\"7030\"]],"
          "AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
          "UNIT[\"degree\",0.0174532925199433,"
          "AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],"
          "AUTHORITY[\"EPSG\",\"4326\"]]', "
          "'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')")
        x("CREATE TABLE IF NOT EXISTS gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, "
          "identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT "
          "(strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, "
          "srs_id INTEGER)")
        x("CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, "
          "geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, "
          "CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name))")
        cols = ", ".join(f"{n} {t}" for n, t in INCIDENT_COLUMNS)
        x(f"CREATE TABLE incidents (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, {cols})")
        cols = ", ".join(f"{n} {t}" for n, t in SOURCE_COLUMNS)
        x(f"CREATE TABLE incident_sources (fid INTEGER PRIMARY KEY AUTOINCREMENT, {cols}, "
          "UNIQUE(event_id, article_id))")
        cols = ", ".join(f"{n} {t}" for n, t in ARTICLE_COLUMNS)
        x(f"CREATE TABLE articles (fid INTEGER PRIMARY KEY AUTOINCREMENT, {cols})")
        x("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES "
          "('incidents', 'features', 'incidents', 'Conflict incidents extracted from news reports', 4326)")
        x("INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES "
          "('incident_sources', 'attributes', 'incident_sources', "
          "'Every report of every incident, with its own claims')")
        x("INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES "
          "('articles', 'attributes', 'articles', 'Articles ingested')")
        x("INSERT INTO gpkg_geometry_columns VALUES ('incidents', 'geom', 'POINT', 4326, 0, 0)")
        x("CREATE INDEX incidents_date ON incidents(event_date)")
        x("CREATE INDEX sources_event ON incident_sources(event_id)")
        x("CREATE INDEX sources_article ON incident_sources(article_id)")

    # ------------------------------------------------------------------ writing

    def _write(self, fn, *args):
        """Run ``fn`` in one IMMEDIATE transaction, retrying while another writer holds the lock.
        Any SQLite failure becomes a StoreError that names its real cause (a full disk, a
        read-only file), not the failed ROLLBACK that follows it."""
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only; nothing can be written")
        self._retry_locked(lambda: self.db.execute("BEGIN IMMEDIATE"))
        try:
            out = fn(*args)
            self.db.execute("COMMIT")
            return out
        except BaseException as e:
            if self.db.in_transaction:  # SQLite has already rolled back after a full disk or an I/O error
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the error to report is the first one
            if isinstance(e, sqlite3.Error):
                raise StoreError(self.problem(e)) from e
            raise

    def has_article(self, article: Article | str) -> bool:
        """Is this article stored? An Article counts only with the same content (title and text)
        under its id; a bare id, any content."""
        if isinstance(article, str):
            return self.db.execute("SELECT 1 FROM articles WHERE article_id = ?", (article,)).fetchone() is not None
        row = self.db.execute("SELECT text_sha1 FROM articles WHERE article_id = ?", (article.id,)).fetchone()
        return row is not None and row[0] == text_sha1(article)

    def add(self, article: Article, incidents: Sequence[Incident]) -> AddResult:
        """Store an article and its incidents in one transaction; an article already stored adds nothing."""
        return self._write(self._add, article, list(incidents))

    def _add(self, article: Article, incidents: list[Incident]) -> AddResult:
        x = self.db.execute
        sha = text_sha1(article)
        row = x("SELECT text_sha1 FROM articles WHERE article_id = ?", (article.id,)).fetchone()
        if row is not None:
            if row[0] == sha:
                return AddResult(article.id, False, 0, 0, (), "already in the store")
            return AddResult(article.id, False, 0, 0, (), conflict_reason(article, row[0]), conflict=True)
        now = _now()
        new = merged = 0
        ids = [inc.event_id for inc in incidents]
        existing: dict[str, tuple] = {}
        for i in range(0, len(ids), 500):  # one look-up per 500 incidents, not one each
            chunk = ids[i : i + 500]
            for row in x(f"SELECT event_id, claimed_by, disputed_by, fatalities, source, n_sources FROM incidents "
                         f"WHERE event_id IN ({','.join('?' * len(chunk))})", chunk):
                existing[row[0]] = row[1:]
        seen_here: set[str] = set()
        for inc in incidents:
            if inc.event_id in seen_here:
                continue  # one article describing the same incident twice
            seen_here.add(inc.event_id)
            old = existing.get(inc.event_id)
            if old is None:
                self._insert_incident(inc, now)
                new += 1
            else:
                claimed = _join(old[0], inc.claimed_by)
                disputed = _join(old[1], inc.disputed_by)
                # ACLED's rule when reports differ: the lowest figure stands; each report keeps its own.
                figures = [f for f in (old[2], inc.fatalities) if f is not None]
                x("UPDATE incidents SET claimed_by = ?, disputed_by = ?, fatalities = ?, source = ?, n_sources = ?, "
                  "updated_at = ? WHERE event_id = ?",
                  (claimed, disputed, min(figures) if figures else None, _join(old[3], inc.publisher),
                   (old[4] or 1) + 1, now, inc.event_id))
                merged += 1
            self._insert_source(inc)
        x("INSERT INTO articles (article_id, title, publisher, url, published, text_sha1, origin, n_incidents, "
          "ingested_at) "
          "VALUES (?,?,?,?,?,?,?,?,?)",
          (article.id, article.title, article.publisher, article.url, _iso(article.published), sha, article.origin,
           len(incidents), now))
        return AddResult(article.id, True, new, merged, tuple(dict.fromkeys(ids)))

    def _insert_incident(self, inc: Incident, now: str) -> None:
        values = {
            "event_id": inc.event_id, "kind": inc.kind, "event_type": inc.event_type,
            "sub_event_type": inc.sub_event_type, "event_date": _iso(inc.event_date),
            "date_start": _iso(inc.date_start),
            "date_end": _iso(inc.date_end), "time_precision": inc.time_precision, "date_phrase": inc.date_phrase,
            "actor1": inc.actor1, "actor2": inc.actor2, "inter1": inc.inter1, "inter2": inc.inter2,
            "location": inc.location, "place_id": inc.place_id, "place_kind": inc.place_kind,
            "country_code": inc.country_code, "admin1": inc.admin1, "geo_precision": inc.geo_precision,
            "latitude": inc.lat, "longitude": inc.lon, "region_id": inc.region_id, "fatalities": inc.fatalities,
            "fatalities_detail": json.dumps(inc.fatalities_detail) if inc.fatalities_detail else None,
            "claimed_by": inc.claimed_by, "disputed_by": inc.disputed_by, "source": inc.publisher,
            "source_url": inc.url, "notes": inc.evidence, "article_id": inc.article_id, "title": inc.title,
            "published": _iso(inc.published), "confidence": inc.confidence, "n_sources": 1,
            "extraction_notes": inc.notes, "created_at": now, "updated_at": now,
        }
        cols = ", ".join(["geom", *values])
        marks = ", ".join("?" * (len(values) + 1))
        self.db.execute(f"INSERT INTO incidents ({cols}) VALUES ({marks})",
                        [gpkg_point(inc.lon, inc.lat), *values.values()])

    def _insert_source(self, inc: Incident) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO incident_sources (event_id, article_id, publisher, url, published, title, "
            "claimed_by, disputed_by, fatalities, fatalities_detail, evidence, evidence_start, evidence_end, "
            "date_phrase, confidence) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (inc.event_id, inc.article_id, inc.publisher, inc.url, _iso(inc.published), inc.title, inc.claimed_by,
             inc.disputed_by, inc.fatalities, json.dumps(inc.fatalities_detail) if inc.fatalities_detail else None,
             inc.evidence, inc.evidence_start, inc.evidence_end, inc.date_phrase, inc.confidence),
        )

    # ------------------------------------------------------------------ reading

    def event_ids_of(self, article_id: str) -> list[str]:
        """The incidents an article stored reports (each once)."""
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT event_id FROM incident_sources WHERE article_id = ?", (article_id,))]

    def geojson_features(self, where: str, params: Sequence[Any], properties: Sequence[str]) -> list[str]:
        """Each (filtered) incident as one GeoJSON Feature's text, serialised by SQLite's own JSON
        functions (C, one row per feature): the export path that scales to 100,000 incidents.
        ``properties`` are column names of the incidents table (checked against it)."""
        known = {r[1] for r in self.db.execute("PRAGMA table_info(incidents)")}
        unknown = [k for k in properties if k not in known]
        if unknown:
            raise ValueError(f"not columns of the incidents table: {', '.join(unknown)}")
        props = ", ".join(f"'{k}', {k}" for k in properties)
        sql = (
            "SELECT json_object('type', 'Feature', 'id', event_id, 'geometry', "
            "CASE WHEN latitude IS NULL OR longitude IS NULL THEN NULL "
            "ELSE json_object('type', 'Point', 'coordinates', json_array(longitude, latitude)) END, "
            f"'properties', json_object({props})) FROM incidents {where} ORDER BY event_date, fid"
        )
        return [row[0] for row in self.db.execute(sql, list(params))]

    def incidents(self, where: str = "", params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.db.execute(f"SELECT * FROM incidents {where} ORDER BY event_date, fid", params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur]

    def frame(self):
        """Every incident as a DataFrame, read by GDAL through Arrow (a few times faster than
        row-by-row Python for 100,000 incidents); no geometry column (latitude/longitude are there)."""
        import pyogrio

        if self.counts()["incidents"] == 0:
            import pandas as pd

            return pd.DataFrame(columns=["fid", *(n for n, _ in INCIDENT_COLUMNS)])
        import pandas as pd

        try:
            df = pyogrio.read_dataframe(self.path, layer="incidents", use_arrow=True, read_geometry=False,
                                        fid_as_index=False)
        except (RuntimeError, OSError) as e:  # GDAL's errors (pyogrio.errors.DataSourceError ...)
            raise StoreError(f"{self.path}: cannot read the incidents layer ({e})") from None
        for col, kind in INCIDENT_COLUMNS:  # dates as the ISO strings the rows carry
            if col in df.columns and kind == "DATE":
                stamp = pd.to_datetime(df[col], errors="coerce")
                df[col] = stamp.dt.strftime("%Y-%m-%d").astype(object).where(stamp.notna(), None)
        return df

    def sources(self, event_id: str) -> list[dict[str, Any]]:
        cur = self.db.execute("SELECT * FROM incident_sources WHERE event_id = ? ORDER BY published, fid", (event_id,))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur]

    def articles(self) -> list[dict[str, Any]]:
        cur = self.db.execute("SELECT * FROM articles ORDER BY fid")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur]

    def counts(self) -> dict[str, int]:
        def one(query: str) -> int:
            return int(self.db.execute(query).fetchone()[0])

        return {
            "articles": one("SELECT count(*) FROM articles"),
            "incidents": one("SELECT count(*) FROM incidents"),
            "unmapped": one("SELECT count(*) FROM incidents WHERE geom IS NULL"),
            "sources": one("SELECT count(*) FROM incident_sources"),
        }


def _join(a: str | None, b: str | None) -> str:
    parts = [p for p in (a or "").split("; ") if p]
    for p in (b or "").split("; "):
        if p and p not in parts:
            parts.append(p)
    return "; ".join(parts)
