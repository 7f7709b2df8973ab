"""The user gazetteer: places an analyst imports because the shipped data lacks them.

``import_places(FILE)`` reads a GeoNames dump (allCountries.txt / AZ.txt format,
19 tab-separated columns, no header) or a CSV with a header (``name``, ``lat``,
``lon`` required; ``id``, ``kind``, ``country_code``, ``admin1``, ``population``,
``alt_names`` ("|" or ";" separated), ``source`` optional). The whole file is
validated before anything is written; one bad line rejects the file with an error
naming it, and the user gazetteer stays as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .gazetteer import KINDS, Index, _read_index, _Row, _write_index, admin1_names, populated_kind

GEONAMES_COLUMNS = 19
# GeoNames feature classes worth geocoding news against: A admin areas, P populated
# places, L areas (parks, regions), T terrain (mountains, passes), S spots (bases, dams).
GEONAMES_CLASSES = frozenset("APLTS")


class ImportFileError(ValueError):
    """A file the user gazetteer refuses; ``str()`` names the file and line."""

    def __init__(self, path: str | Path, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


def default_user_db() -> Path:
    return Path(os.environ.get("CONFLICTMAP_DATA", "data")) / "user_gazetteer.sqlite"


@dataclass(frozen=True)
class ImportResult:
    path: str
    format: str
    added: int
    replaced: int
    skipped_features: int


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise ImportFileError(
            path, line, f"not UTF-8 (byte 0x{data[e.start]:02x}); GeoNames files are UTF-8: convert it, e.g. iconv -t UTF-8"
        ) from None
    if "\x00" in text:
        raise ImportFileError(path, text.count("\n", 0, text.index("\x00")) + 1, "binary data (NUL byte)")
    return text


def _coord(path: Path, line: int, value: str, what: str, limit: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ImportFileError(path, line, f"{what} {value!r} is not a number") from None
    if not math.isfinite(v) or abs(v) > limit:
        raise ImportFileError(path, line, f"{what} {value!r} is out of range (-{limit:g}..{limit:g})")
    return v


def _int(path: Path, line: int, value: str, what: str) -> int:
    if value is None or value.strip() == "":
        return 0
    try:
        v = int(float(value))
    except ValueError:
        raise ImportFileError(path, line, f"{what} {value!r} is not a whole number") from None
    if v < 0:
        raise ImportFileError(path, line, f"{what} {value!r} is negative")
    return v


def _geonames_kind(fclass: str, fcode: str, population: int) -> str:
    if fclass == "A":
        return "country" if fcode.startswith("PCL") else "region"
    if fclass == "P":
        return populated_kind(population) if population else "village"
    return "place"


def _parse_geonames(path: Path, text: str) -> tuple[list[_Row], int]:
    rows, skipped = [], 0
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        f = line.split("\t")
        if len(f) != GEONAMES_COLUMNS:
            raise ImportFileError(path, n, f"expected {GEONAMES_COLUMNS} tab-separated GeoNames columns, found {len(f)}")
        gid, name, _ascii, alts, lat, lon, fclass, fcode, cc = f[:9]
        if not gid.isdigit():
            raise ImportFileError(path, n, f"geonameid {gid!r} is not a number")
        if not name.strip():
            raise ImportFileError(path, n, "empty name")
        la = _coord(path, n, lat, "latitude", 90)
        lo = _coord(path, n, lon, "longitude", 180)
        pop = _int(path, n, f[14], "population")
        if fclass not in GEONAMES_CLASSES:
            skipped += 1
            continue
        names = [a for a in dict.fromkeys(a.strip() for a in alts.split(",")) if a and a != name]
        rows.append(_Row(
            id=f"geonames:{gid}", name=name, kind=_geonames_kind(fclass, fcode, pop), country_code=cc,
            admin1="", lat=la, lon=lo, population=pop,
            source=f"GeoNames dump {path.name} ({fclass}.{fcode}), CC BY 4.0", alt_names=names,
        ))
    return rows, skipped


_CSV_ALIASES = {"latitude": "lat", "longitude": "lon", "lng": "lon", "country": "country_code",
                "alternate_names": "alt_names", "alternatenames": "alt_names"}


def _parse_csv(path: Path, text: str) -> list[_Row]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFileError(path, None, "empty file") from None
    except csv.Error as e:
        raise ImportFileError(path, 1, f"malformed CSV header: {e}") from None
    header = [_CSV_ALIASES.get(h, h) for h in header]
    missing = [c for c in ("name", "lat", "lon") if c not in header]
    if missing:
        raise ImportFileError(path, 1, f"missing column(s) {', '.join(missing)}; header is {','.join(header)}")
    rows = []
    digest = hashlib.sha1(path.name.encode()).hexdigest()[:8]
    try:
        for values in reader:
            n = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise ImportFileError(path, n, f"{len(values)} fields where the header has {len(header)}")
            r = dict(zip(header, (v.strip() for v in values)))
            if not r["name"]:
                raise ImportFileError(path, n, "empty name")
            la = _coord(path, n, r["lat"], "latitude", 90)
            lo = _coord(path, n, r["lon"], "longitude", 180)
            pop = _int(path, n, r.get("population", ""), "population")
            kind = (r.get("kind") or "").lower() or (populated_kind(pop) if pop else "village")
            if kind not in KINDS:
                raise ImportFileError(path, n, f"kind {kind!r} is not one of {', '.join(KINDS)}")
            cc = (r.get("country_code") or "").upper()
            if cc and (len(cc) != 2 or not cc.isalpha()):
                raise ImportFileError(path, n, f"country_code {cc!r} is not an ISO 3166 alpha-2 code")
            alts = [a.strip() for a in (r.get("alt_names") or "").replace(";", "|").split("|") if a.strip()]
            rows.append(_Row(
                id=r.get("id") or f"user:{digest}:{n}", name=r["name"], kind=kind, country_code=cc,
                admin1=r.get("admin1", ""), lat=la, lon=lo, population=pop,
                source=r.get("source") or f"user import {path.name}", alt_names=alts,
            ))
    except csv.Error as e:
        raise ImportFileError(path, reader.line_num, f"malformed CSV: {e}") from None
    return rows


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS places (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, "
    "country_code TEXT, admin1 TEXT, lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER, "
    "source TEXT, alt_names TEXT, imported_from TEXT, imported_at TEXT)"
)


def read_places_file(path: str | Path) -> tuple[str, list[_Row], int]:
    """Parse and validate a whole file; raises ImportFileError naming the line."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(path, None, "no such file")
    text = _decode(path)
    if not text.strip():
        raise ImportFileError(path, None, "empty file")
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if first.count("\t") == GEONAMES_COLUMNS - 1 and first.split("\t")[0].strip().isdigit():
        rows, skipped = _parse_geonames(path, text)
        return "geonames", rows, skipped
    return "csv", _parse_csv(path, text), 0


def import_places(path: str | Path, user_db: str | Path | None = None) -> ImportResult:
    """Validate ``path`` entirely, then add its places to the user gazetteer in one transaction."""
    from .gazetteer import NATURAL_EARTH

    fmt, rows, skipped = read_places_file(path)
    if not rows:
        raise ImportFileError(path, None, "no places to import")
    missing_admin = [r for r in rows if not r.admin1]
    if missing_admin:
        import pyogrio

        regions = pyogrio.read_dataframe(NATURAL_EARTH, layer="regions")
        for r, adm in zip(missing_admin, admin1_names([r.lat for r in missing_admin], [r.lon for r in missing_admin], regions)):
            r.admin1 = adm
    db_path = Path(user_db) if user_db else default_user_db()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    con = sqlite3.connect(db_path, timeout=30)
    try:
        with con:
            con.execute(_SCHEMA)
            ids = [r.id for r in rows]
            existing = 0
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                existing += con.execute(
                    f"SELECT count(*) FROM places WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ).fetchone()[0]
            con.executemany(
                "INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [(r.id, r.name, r.kind, r.country_code, r.admin1, r.lat, r.lon, r.population, r.source,
                  json.dumps(r.alt_names, ensure_ascii=False), str(path), now) for r in rows],
            )
    finally:
        con.close()
    return ImportResult(str(path), fmt, len(rows) - existing, existing, skipped)


def user_index(db_path: Path, cache_dir: Path) -> Index | None:
    """The user gazetteer as an index layer, cached by the database's content."""
    digest = hashlib.sha256(db_path.read_bytes()).hexdigest()[:16]
    target = cache_dir / f"user-{digest}"
    if not (target / "places.sqlite").exists():
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            data = con.execute(
                "SELECT id, name, kind, country_code, admin1, lat, lon, population, source, alt_names FROM places ORDER BY id"
            ).fetchall()
        except sqlite3.DatabaseError:
            return None
        finally:
            con.close()
        if not data:
            return None
        rows = [_Row(id=d[0], name=d[1], kind=d[2], country_code=d[3] or "", admin1=d[4] or "", lat=d[5],
                     lon=d[6], population=d[7] or 0, source=d[8] or "", alt_names=json.loads(d[9] or "[]"))
                for d in data]
        tmp = cache_dir / f".user-{digest}-{os.getpid()}"
        _write_index(rows, tmp)
        try:
            tmp.rename(target)
        except OSError:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    return _read_index(target)
