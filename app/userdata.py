"""The user gazetteer: places an analyst imports because the shipped data lacks them.

``import_places(FILE)`` reads a GeoNames dump (allCountries.txt / AZ.txt format,
19 tab-separated columns, no header) or a CSV with a header (``name``, ``lat``,
``lon`` required; ``id``, ``kind``, ``country_code``, ``admin1``, ``population``,
``alt_names`` ("|" or ";" separated), ``source`` optional).

The file is read line by line into a staging database beside the user gazetteer, so
memory stays bounded whatever its size; every field that is stored is checked on the
way (lengths, control characters, numbers and their ranges, two-letter country
codes), and an id that appears twice in one file is an error naming both lines. Only
a file that passed whole is merged, in one transaction: one bad line rejects the file
with an error naming it, and the user gazetteer stays as it was.

Ids: GeoNames rows keep ``geonames:<geonameid>``; CSV rows keep their ``id`` column, or
get ``user:<hash of name, coordinates, country and kind>``: the same place imported
again (from this file or another) replaces itself, two files never overwrite each
other's different places.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .gazindex import (
    KINDS,
    NATURAL_EARTH,
    Index,
    Row,
    admin1_names,
    mark_used,
    populated_kind,
    prune_stale,
    read_index,
    write_index,
)
from .sqlitefile import sqlite_uri

GEONAMES_COLUMNS = 19
# GeoNames feature classes worth geocoding news against: A admin areas, P populated
# places, L areas (parks, regions), T terrain (mountains, passes), S spots (bases, dams).
GEONAMES_CLASSES = frozenset("APLTS")
# Limits of what one line may hold (GeoNames' own: name varchar(200), alternatenames varchar(10000)).
MAX_LINE_BYTES = 1_000_000
MAX_NAME_CHARS = 200
MAX_ALT_NAMES_CHARS = 10_000
MAX_TEXT_CHARS = 500  # admin1, source
MAX_ID_CHARS = 100
MAX_POPULATION = 10_000_000_000  # more people than live on Earth
BATCH_ROWS = 10_000  # rows validated and staged at a time: what bounds the memory of an import
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_FEATURE_CODE = re.compile(r"[A-Z0-9]{0,10}")


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


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text with its line ending) for each line, decoded one at a time."""
    with path.open("rb") as f:
        n = 0
        while raw := f.readline(MAX_LINE_BYTES + 1):
            n += 1
            if len(raw) > MAX_LINE_BYTES:
                raise ImportFileError(path, n, f"line longer than {MAX_LINE_BYTES:,} bytes; is this a gazetteer file?")
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise ImportFileError(
                    path, n,
                    f"not UTF-8 (byte 0x{raw[e.start]:02x}); GeoNames files are UTF-8: convert it, e.g. iconv -t UTF-8",
                ) from None
            if "\x00" in text:
                raise ImportFileError(path, n, "binary data (NUL byte)")
            yield n, text


def _coord(path: Path, line: int, value: str, what: str, limit: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ImportFileError(path, line, f"{what} {value!r} is not a number") from None
    if not math.isfinite(v) or abs(v) > limit:
        raise ImportFileError(path, line, f"{what} {value!r} is out of range (-{limit:g}..{limit:g})")
    return v


def _int(path: Path, line: int, value: str | None, what: str, limit: int = MAX_POPULATION) -> int:
    """A whole number in 0..limit ('' is 0); anything else is an error naming the line, never a traceback."""
    if value is None or value.strip() == "":
        return 0
    try:
        v = float(value)  # '812', '812.0' and '1e3' are whole numbers; '1e30' and 'inf' are out of range
    except ValueError:
        raise ImportFileError(path, line, f"{what} {value!r} is not a whole number") from None
    if v < 0:
        raise ImportFileError(path, line, f"{what} {value!r} is negative")
    if not math.isfinite(v) or v > limit:
        raise ImportFileError(path, line, f"{what} {value!r} is out of range (0..{limit:,})")
    if v != int(v):
        raise ImportFileError(path, line, f"{what} {value!r} is not a whole number")
    return int(v)


def _text(path: Path, line: int, value: str | None, what: str, limit: int, required: bool = False) -> str:
    """Stripped text of at most ``limit`` characters with no control characters."""
    v = (value or "").strip()
    if required and not v:
        raise ImportFileError(path, line, f"empty {what}")
    if len(v) > limit:
        raise ImportFileError(path, line, f"{what} is {len(v):,} characters long (at most {limit:,})")
    if _CONTROL.search(v):
        raise ImportFileError(path, line, f"{what} {v[:40]!r} contains a control character")
    return v


def _country(path: Path, line: int, value: str | None) -> str:
    """'' or an ISO 3166 alpha-2 code: two ASCII letters, upper-cased."""
    v = (value or "").strip()
    if v and not (len(v) == 2 and v.isascii() and v.isalpha()):
        raise ImportFileError(path, line, f"country code {v[:40]!r} is not an ISO 3166 alpha-2 code (two letters)")
    return v.upper()


def _alt_names(path: Path, line: int, value: str | None, separators: str, name: str) -> list[str]:
    v = _text(path, line, value, "alternate names", MAX_ALT_NAMES_CHARS)
    for sep in separators[1:]:
        v = v.replace(sep, separators[0])
    return [a for a in dict.fromkeys(a.strip() for a in v.split(separators[0])) if a and a != name]


def _geonames_kind(fclass: str, fcode: str, population: int) -> str:
    if fclass == "A":
        return "country" if fcode.startswith("PCL") else "region"
    if fclass == "P":
        return populated_kind(population) if population else "village"
    return "place"


def _is_geonames(first: str) -> bool:
    return first.count("\t") == GEONAMES_COLUMNS - 1 and first.split("\t")[0].strip().isdigit()


def _parse_geonames(path: Path, lines: Iterator[tuple[int, str]], skipped: list[int]) -> Iterator[tuple[int, Row]]:
    """(line, place) for each GeoNames row of a class worth importing; ``skipped[0]`` counts the others."""
    for n, line in lines:
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        f = line.split("\t")
        if len(f) != GEONAMES_COLUMNS:
            raise ImportFileError(path, n,
                                  f"expected {GEONAMES_COLUMNS} tab-separated GeoNames columns, found {len(f)}")
        gid, name, _ascii, alts, lat, lon, fclass, fcode, cc = f[:9]
        if not (gid.isascii() and gid.isdigit() and len(gid) <= 12):
            raise ImportFileError(path, n, f"geonameid {gid[:40]!r} is not a number")
        name = _text(path, n, name, "name", MAX_NAME_CHARS, required=True)
        la = _coord(path, n, lat, "latitude", 90)
        lo = _coord(path, n, lon, "longitude", 180)
        pop = _int(path, n, f[14], "population")
        if not (len(fclass) <= 1 and _FEATURE_CODE.fullmatch(fclass) and _FEATURE_CODE.fullmatch(fcode)):
            raise ImportFileError(path, n, f"feature class/code {fclass[:10]!r}/{fcode[:20]!r} is not a GeoNames code")
        cc = _country(path, n, cc)
        if fclass not in GEONAMES_CLASSES:
            skipped[0] += 1
            continue
        yield n, Row(
            id=f"geonames:{gid}", name=name, kind=_geonames_kind(fclass, fcode, pop), country_code=cc,
            admin1="", lat=la, lon=lo, population=pop,
            source=f"GeoNames dump {path.name} ({fclass}.{fcode}), CC BY 4.0",
            alt_names=_alt_names(path, n, alts, ",", name),
        )


_CSV_ALIASES = {"latitude": "lat", "longitude": "lon", "lng": "lon", "country": "country_code",
                "alternate_names": "alt_names", "alternatenames": "alt_names"}


def content_id(name: str, lat: float, lon: float, country_code: str, kind: str) -> str:
    """The id of a CSV place without one: the same place has it in any file, under any file name."""
    key = "\x1f".join([name, repr(lat), repr(lon), country_code, kind])
    return "user:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _parse_csv(path: Path, lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, Row]]:
    reader = csv.reader((text for _, text in lines))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFileError(path, None, "empty file") from None
    except csv.Error as e:
        raise ImportFileError(path, 1, f"malformed CSV header: {e}") from None
    header = [_CSV_ALIASES.get(h, h) for h in header]
    missing = [c for c in ("name", "lat", "lon") if c not in header]
    if missing:
        raise ImportFileError(path, 1, f"missing column(s) {', '.join(missing)}; header is {','.join(header)[:200]}")
    try:
        for values in reader:
            n = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise ImportFileError(path, n, f"{len(values)} fields where the header has {len(header)}")
            r = dict(zip(header, values, strict=False))
            name = _text(path, n, r["name"], "name", MAX_NAME_CHARS, required=True)
            la = _coord(path, n, r["lat"], "latitude", 90)
            lo = _coord(path, n, r["lon"], "longitude", 180)
            pop = _int(path, n, r.get("population", ""), "population")
            kind = _text(path, n, r.get("kind"), "kind", 20).lower() or (populated_kind(pop) if pop else "village")
            if kind not in KINDS:
                raise ImportFileError(path, n, f"kind {kind!r} is not one of {', '.join(KINDS)}")
            cc = _country(path, n, r.get("country_code"))
            yield n, Row(
                id=_text(path, n, r.get("id"), "id", MAX_ID_CHARS) or content_id(name, la, lo, cc, kind),
                name=name, kind=kind, country_code=cc,
                admin1=_text(path, n, r.get("admin1"), "admin1", MAX_TEXT_CHARS), lat=la, lon=lo, population=pop,
                source=_text(path, n, r.get("source"), "source", MAX_TEXT_CHARS) or f"user import {path.name}",
                alt_names=_alt_names(path, n, r.get("alt_names"), "|;", name),
            )
    except csv.Error as e:
        raise ImportFileError(path, reader.line_num, f"malformed CSV: {e}") from None


_COLUMNS = "id, name, kind, country_code, admin1, lat, lon, population, source, alt_names, imported_from, imported_at"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS places (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, "
    "country_code TEXT, admin1 TEXT, lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER, "
    "source TEXT, alt_names TEXT, imported_from TEXT, imported_at TEXT)"
)


def read_places(path: str | Path) -> tuple[str, Iterator[tuple[int, Row]], list[int]]:
    """The file's format, an iterator of (line, place) validating as it reads (ImportFileError
    names the line), and a one-item list counting the GeoNames features of other classes."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(path, None, "no such file")
    lines = _lines(path)
    head: list[tuple[int, str]] = []
    for item in lines:
        head.append(item)
        if item[1].strip():
            break
    if not head or not head[-1][1].strip():
        raise ImportFileError(path, None, "empty file")

    def all_lines() -> Iterator[tuple[int, str]]:
        yield from head
        yield from lines

    skipped = [0]
    if _is_geonames(head[-1][1].rstrip("\r\n")):
        return "geonames", _parse_geonames(path, all_lines(), skipped), skipped
    return "csv", _parse_csv(path, all_lines()), skipped


def _stage(path: Path, places: Iterator[tuple[int, Row]], staging: sqlite3.Connection, imported_at: str) -> int:
    """Validate and write every place into ``staging`` in batches; an id seen twice is an error
    naming both lines. Returns the number of places."""
    staging.execute(_SCHEMA.replace("imported_at TEXT)", "imported_at TEXT, line INTEGER)"))
    regions = None
    total = 0
    batch: list[tuple[int, Row]] = []

    def flush() -> None:
        nonlocal regions
        lines: dict[str, int] = {}
        for n, r in batch:
            first = lines.setdefault(r.id, n)
            if first != n:
                _duplicate(path, n, r.id, first)
        ids = list(lines)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            for pid, first in staging.execute(f"SELECT id, line FROM places WHERE id IN ({','.join('?' * len(chunk))})",
                                              chunk):
                _duplicate(path, lines[pid], pid, first)
        missing = [r for _, r in batch if not r.admin1]
        if missing:
            if regions is None:
                import pyogrio

                regions = pyogrio.read_dataframe(NATURAL_EARTH, layer="regions")
            names = admin1_names([r.lat for r in missing], [r.lon for r in missing], regions)
            for r, adm in zip(missing, names, strict=False):
                r.admin1 = adm
        staging.executemany(
            f"INSERT INTO places ({_COLUMNS}, line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(r.id, r.name, r.kind, r.country_code, r.admin1, r.lat, r.lon, r.population, r.source,
              json.dumps(r.alt_names, ensure_ascii=False), str(path), imported_at, n) for n, r in batch],
        )
        batch.clear()

    for item in places:
        batch.append(item)
        total += 1
        if len(batch) >= BATCH_ROWS:
            flush()
    if batch:
        flush()
    return total


def _duplicate(path: Path, line: int, place_id: str, first: int) -> None:
    what = ("the same place (name, coordinates, country, kind)" if place_id.startswith("user:")
            else f"id {place_id!r}")
    raise ImportFileError(path, line, f"{what} is already on line {first}: one place per id, remove one of them")


def import_places(path: str | Path, user_db: str | Path | None = None) -> ImportResult:
    """Validate ``path`` entirely (into a staging database), then add its places to the user
    gazetteer in one transaction; a file with any bad line changes nothing."""
    fmt, places, skipped = read_places(path)
    db_path = Path(user_db) if user_db else default_user_db()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    fd, staging_name = tempfile.mkstemp(prefix=".import-", suffix=".sqlite", dir=db_path.parent)
    os.close(fd)
    staging_path = Path(staging_name)
    try:
        staging = sqlite3.connect(staging_path)
        try:
            staging.execute("PRAGMA journal_mode = OFF")
            staging.execute("PRAGMA synchronous = OFF")
            n = _stage(Path(path), places, staging, now)
            staging.commit()
        finally:
            staging.close()
        if not n:
            raise ImportFileError(path, None, "no places to import")
        con = sqlite3.connect(sqlite_uri(db_path, "rwc"), uri=True, timeout=30, isolation_level=None)
        try:
            con.execute("ATTACH DATABASE ? AS staged", (sqlite_uri(staging_path),))
            con.execute("BEGIN IMMEDIATE")
            try:
                con.execute(_SCHEMA)
                existing = con.execute(
                    "SELECT count(*) FROM staged.places WHERE id IN (SELECT id FROM main.places)").fetchone()[0]
                con.execute(f"INSERT OR REPLACE INTO main.places ({_COLUMNS}) "
                            f"SELECT {_COLUMNS} FROM staged.places ORDER BY line")
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
        finally:
            con.close()
    finally:
        staging_path.unlink(missing_ok=True)
    return ImportResult(str(path), fmt, n - existing, existing, skipped[0])


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def user_index(db_path: Path, cache_dir: Path) -> Index | None:
    """The user gazetteer as an index layer, cached by the database's content."""
    digest = _file_sha256(db_path)[:16]
    target = cache_dir / f"user-{digest}"
    if (target / "places.sqlite").exists():
        mark_used(target)
    else:
        con = sqlite3.connect(sqlite_uri(db_path), uri=True)
        try:
            data = con.execute(
                "SELECT id, name, kind, country_code, admin1, lat, lon, population, source, alt_names FROM places "
                "ORDER BY id"
            ).fetchall()
        except sqlite3.DatabaseError:
            return None
        finally:
            con.close()
        if not data:
            return None
        rows = [Row(id=d[0], name=d[1], kind=d[2], country_code=d[3] or "", admin1=d[4] or "", lat=d[5],
                     lon=d[6], population=d[7] or 0, source=d[8] or "", alt_names=json.loads(d[9] or "[]"))
                for d in data]
        tmp = cache_dir / f".user-{digest}-{os.getpid()}"
        write_index(rows, tmp)
        try:
            tmp.rename(target)
        except OSError:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    # Each import makes a new one: the others go once unused for a while (never one in use).
    prune_stale(cache_dir, "user-*", keep=target)
    return read_index(target)
