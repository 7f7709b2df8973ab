"""``gazetteer fetch CC ...``: download GeoNames country extracts and import them.

The only code in the app that goes on the network, and only when the analyst runs that
command. Files come from the GeoNames export dump (``{CC}.zip`` holding ``{CC}.txt``,
and ``admin2Codes.txt``) into a download folder, then ``{CC}.txt`` goes through the
ordinary import path (:func:`app.userdata.import_places`).

Downloads use the standard library only and are careful with what they keep:

- a file is written to ``NAME.part`` and renamed to ``NAME`` only once it is whole and
  has passed its check (a zip must pass ``zipfile.testzip()`` and hold ``{CC}.txt``);
- a ``.part`` left by an interrupted run is resumed with ``Range: bytes=N-`` and appended
  to when the server answers 206; a 200 starts it over;
- the byte count must match Content-Length (on a 206, the total in Content-Range): a short
  file is refused and its ``.part`` kept to resume from;
- the server's ETag / Last-Modified are stored beside the file (``NAME.json``); the next run
  asks with a HEAD request and skips the download when they are unchanged.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .gazetteer import default_cache_dir

DEFAULT_BASE_URL = "https://download.geonames.org/export/dump/"
BASE_URL_ENV = "CONFLICTMAP_GEONAMES_URL"
ADMIN2_FILE = "admin2Codes.txt"
TIMEOUT = 60.0  # seconds without a byte before a request counts as failed
CHUNK = 1 << 16
USER_AGENT = "conflictmap-gazetteer-fetch/0.1 (python urllib)"

_CC = re.compile(r"[A-Za-z]{2}")


class FetchError(Exception):
    """A download or check that failed; ``str()`` is one line for the analyst."""


class NetworkError(FetchError):
    """The server cannot be reached at all: no use trying the other files."""


def country_code(value: str) -> str:
    """``"am"`` -> ``"AM"``; anything but two ASCII letters raises ValueError."""
    v = value.strip()
    if not (v.isascii() and _CC.fullmatch(v)):
        raise ValueError(f"{value!r} is not a country code: use two letters (ISO 3166 alpha-2), e.g. AM, AZ, UA")
    return v.upper()


def default_download_dir() -> Path:
    return default_cache_dir() / "downloads"


def resolve_base_url(value: str | None = None) -> str:
    """``--base-url``, else ``$CONFLICTMAP_GEONAMES_URL``, else GeoNames; always ends in ``/``."""
    url = (value or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"base URL {url!r} is not an http(s) URL")
    return url if url.endswith("/") else url + "/"


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _reason(e: BaseException) -> str:
    r = getattr(e, "reason", e)
    if isinstance(r, OSError) and r.strerror:
        return r.strerror
    return str(r) or type(r).__name__


def _unreachable(url: str, e: BaseException) -> NetworkError:
    return NetworkError(
        f"cannot reach {_host(url)}: {_reason(e)}; gazetteer fetch needs a network connection; "
        "import a downloaded file with `gazetteer import FILE` instead"
    )


def _open(req: urllib.request.Request, url: str):
    """urlopen, with every way of not getting an answer turned into a one-line error."""
    try:
        return urllib.request.urlopen(req, timeout=TIMEOUT)
    except urllib.error.HTTPError:
        raise  # an answer: the caller decides (404, 416 ...)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
        raise _unreachable(url, e) from None


# --------------------------------------------------------------------------- metadata


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _read_meta(path: Path) -> dict:
    try:
        return json.loads(_meta_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_meta(path: Path, meta: dict) -> None:
    _meta_path(path).write_text(json.dumps(meta, indent=1), encoding="utf-8")


def _validators(headers, url: str) -> dict:
    meta = {"url": url}
    if headers.get("ETag"):
        meta["etag"] = headers["ETag"]
    if headers.get("Last-Modified"):
        meta["last_modified"] = headers["Last-Modified"]
    return meta


def _remove(*paths: Path) -> None:
    for p in paths:
        for q in (p, _meta_path(p)):
            try:
                q.unlink()
            except FileNotFoundError:
                pass


# --------------------------------------------------------------------------- download


@dataclass(frozen=True)
class Download:
    path: Path
    status: str  # "downloaded", "resumed" or "unchanged"
    size: int


def _unchanged(url: str, dest: Path) -> bool:
    """True when ``dest`` is whole and a HEAD shows the server's copy is the same."""
    meta = _read_meta(dest)
    if not dest.is_file() or meta.get("url") != url or not (meta.get("etag") or meta.get("last_modified")):
        return False
    try:
        with _open(urllib.request.Request(url, method="HEAD", headers={"User-Agent": USER_AGENT}), url) as r:
            headers = r.headers
    except urllib.error.HTTPError:
        return False  # no HEAD support: just download
    if meta.get("etag") and headers.get("ETag") != meta["etag"]:
        return False
    if not meta.get("etag") and headers.get("Last-Modified") != meta.get("last_modified"):
        return False
    length = headers.get("Content-Length")
    return length is None or (length.isdigit() and int(length) == dest.stat().st_size)


def _content_range(value: str | None) -> tuple[int | None, int | None]:
    """``bytes 100-199/200`` -> (100, 200); ``bytes */200`` -> (None, 200)."""
    m = re.fullmatch(r"\s*bytes\s+(?:(\d+)-\d+|\*)/(\d+|\*)\s*", value or "")
    if not m:
        return None, None
    start = int(m.group(1)) if m.group(1) is not None else None
    total = int(m.group(2)) if m.group(2) != "*" else None
    return start, total


def download(
    url: str,
    dest: Path,
    *,
    check: Callable[[Path], None] | None = None,
    progress: bool = True,
) -> Download:
    """Fetch ``url`` to ``dest`` (resuming ``dest.part``); ``check(part)`` must pass before it is kept.

    Raises NetworkError when the host cannot be reached and FetchError for anything else
    (HTTP errors, a short file, a failed check). A short or interrupted download keeps its
    ``.part`` so the next run resumes; a file that fails ``check`` is deleted.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    if not part.exists() and _unchanged(url, dest):
        try:
            if check is not None:
                check(dest)  # verified again before each use
            return Download(dest, "unchanged", dest.stat().st_size)
        except FetchError:
            _remove(dest)  # damaged on disk since: download it again

    status = "downloaded"
    for _attempt in range(2):  # the second only after the server refused our Range
        have = part.stat().st_size if part.exists() else 0
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        if have:
            headers["Range"] = f"bytes={have}-"
            old = _read_meta(part)
            # If-Range: append only if the server still has the file the .part came from.
            validator = old.get("etag") if not str(old.get("etag", "")).startswith("W/") else None
            validator = validator or old.get("last_modified")
            if validator and old.get("url") == url:
                headers["If-Range"] = validator
        try:
            resp = _open(urllib.request.Request(url, headers=headers), url)
        except urllib.error.HTTPError as e:
            if e.code == 416 and have:
                _, total = _content_range(e.headers.get("Content-Range"))
                e.close()
                if total == have:  # the .part was already whole
                    status = "resumed"
                    break
                _remove(part)  # larger than the file now is: start over
                continue
            raise FetchError(f"{url}: HTTP {e.code} {e.reason}") from None
        with resp:
            if resp.status == 206 and have:
                start, total = _content_range(resp.headers.get("Content-Range"))
                if start != have:
                    _remove(part)
                    continue
                mode, status = "ab", "resumed"
            elif resp.status == 200:
                have, total, mode, status = 0, None, "wb", "downloaded"
                _write_meta(part, _validators(resp.headers, url))
            else:
                raise FetchError(f"{url}: unexpected HTTP {resp.status} {resp.reason}")
            length = resp.headers.get("Content-Length")
            length = int(length) if length and length.isdigit() else None
            expected = total if total is not None else (have + length if length is not None else None)
            got = _copy(resp, part, mode, have, expected, dest.name, url, progress)
        if expected is not None and got != expected:
            raise FetchError(
                f"{url}: got {got:,} of {expected:,} bytes; the file is refused "
                f"(run the command again to resume from {part})"
            )
        break
    else:
        raise FetchError(f"{url}: the server would not resume or restart the download")

    if check is not None:
        try:
            check(part)
        except FetchError as e:
            _remove(part)
            raise FetchError(
                f"{e}; the downloaded file was deleted, run the command again to download it anew") from None
    meta = _read_meta(part) or {"url": url}
    os.replace(part, dest)
    _write_meta(dest, meta)
    _meta_path(part).unlink(missing_ok=True)
    return Download(dest, status, dest.stat().st_size)


def _copy(resp, part: Path, mode: str, have: int, expected: int | None, name: str, url: str,
          progress: bool) -> int:
    from tqdm import tqdm

    got = have
    with open(part, mode) as out, tqdm(total=expected, initial=have, unit="B", unit_scale=True,
                                       unit_divisor=1024, desc=name, file=sys.stderr, disable=not progress,
                                       leave=False) as bar:
        try:
            while True:
                chunk = resp.read(CHUNK)
                if not chunk:
                    break
                out.write(chunk)
                got += len(chunk)
                bar.update(len(chunk))
        except http.client.IncompleteRead as e:
            out.write(e.partial)
            got += len(e.partial)
        except (OSError, http.client.HTTPException) as e:
            out.flush()
            raise FetchError(
                f"{url}: download interrupted after {out.tell():,} bytes ({_reason(e)}); "
                f"run the command again to resume from {part}"
            ) from None
    return got


# --------------------------------------------------------------------------- checks


def zip_check(member: str) -> Callable[[Path], None]:
    """A ``download`` check: a whole zip (every CRC right) that holds ``member``."""

    def check(path: Path) -> None:
        try:
            with zipfile.ZipFile(path) as z:
                bad = z.testzip()
                if bad is not None:
                    raise FetchError(f"{path.name}: corrupt zip ({bad} fails its CRC check)")
                if member not in z.namelist():
                    raise FetchError(f"{path.name}: the zip holds no {member}")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError) as e:
            raise FetchError(f"{path.name}: corrupt zip ({e})") from None

    return check


def admin2_check(path: Path) -> None:
    """admin2Codes.txt: UTF-8, every line ``CC.ADM1.ADM2 <tab> name <tab> ascii name <tab> geonameid``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FetchError(f"{path.name}: not UTF-8") from None
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise FetchError(f"{path.name}: empty file")
    for n, line in enumerate(lines, 1):
        f = line.split("\t")
        if len(f) < 4 or f[0].count(".") < 2:
            raise FetchError(f"{path.name}:{n}: not an admin2Codes line (code, name, ascii name, geonameid)")


def extract(zip_path: Path, member: str, dest_dir: Path) -> Path:
    """Write ``member`` of ``zip_path`` to ``dest_dir/member`` (via a temporary file)."""
    target = dest_dir / member
    tmp = target.with_name(target.name + ".extracting")
    with zipfile.ZipFile(zip_path) as z, z.open(member) as src, open(tmp, "wb") as out:
        while chunk := src.read(CHUNK):
            out.write(chunk)
    os.replace(tmp, target)
    return target


# --------------------------------------------------------------------------- the command


@dataclass(frozen=True)
class CountryResult:
    country: str
    download: Download | None = None
    extract: Path | None = None
    added: int = 0
    replaced: int = 0
    skipped_features: int = 0
    error: str | None = None


def fetch_country(cc: str, base_url: str, dest_dir: Path, user_db: Path | None = None,
                  progress: bool = True) -> CountryResult:
    """Download ``{cc}.zip``, extract ``{cc}.txt`` and import it. NetworkError propagates."""
    from .userdata import ImportFileError, import_places

    member = f"{cc}.txt"
    try:
        d = download(base_url + f"{cc}.zip", dest_dir / f"{cc}.zip", check=zip_check(member), progress=progress)
        try:
            txt = extract(d.path, member, dest_dir)
        except (zipfile.BadZipFile, OSError, KeyError) as e:
            raise FetchError(f"{d.path}: cannot extract {member} ({e})") from None
    except NetworkError:
        raise
    except FetchError as e:
        return CountryResult(cc, error=str(e))
    try:
        r = import_places(txt, user_db=user_db)
    except ImportFileError as e:
        return CountryResult(cc, d, txt, error=f"{e}; nothing was imported from this file")
    return CountryResult(cc, d, txt, r.added, r.replaced, r.skipped_features)
