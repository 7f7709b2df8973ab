"""`gazetteer fetch`: downloads from a local stand-in for the GeoNames dump, never the network.

A ThreadingHTTPServer on 127.0.0.1 serves a tiny Armenian extract the tests build
(AM.zip holding AM.txt, 19 GeoNames columns) and an admin2Codes.txt, with Range
support (206 + Content-Range), ETags, and switches to misbehave: cut a body short,
ignore Range, serve damaged bytes.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parent.parent

# Invented villages with plausible names and places, in GeoNames dump format:
# geonameid, name, asciiname, alternatenames, lat, lon, feature class, feature code, cc, cc2,
# admin1, admin2, admin3, admin4, population, elevation, dem, timezone, modification date.
AM_ROWS = [
    ["99100001", "Tsaghkavanik", "Tsaghkavanik", "Tsaghkavanik Gyugh,Tsakhkavanik", "40.5212", "44.7734",
     "P", "PPL", "AM", "", "05", "", "", "", "640", "1780", "1776", "Asia/Yerevan", "2024-03-11"],
    ["99100002", "Verin Arevshogh", "Verin Arevshogh", "Verkhniy Arevshogh", "39.7483", "45.3321",
     "P", "PPL", "AM", "", "10", "", "", "", "0", "", "1620", "Asia/Yerevan", "2024-03-11"],
    ["99100003", "Nor Khachasar", "Nor Khachasar", "", "41.0519", "44.4046",
     "P", "PPL", "AM", "", "06", "", "", "", "215", "", "1402", "Asia/Yerevan", "2024-03-11"],
    # a stream: a feature class the import skips
    ["99100004", "Khachasar Get", "Khachasar Get", "", "41.0601", "44.4112",
     "H", "STM", "AM", "", "06", "", "", "", "0", "", "1390", "Asia/Yerevan", "2024-03-11"],
]
ADMIN2 = "AM.05.99100101\tAbovyan Test District\tAbovyan Test District\t99100101\n" \
         "AM.06.99100102\tSpitak Test District\tSpitak Test District\t99100102\n"


def am_zip() -> bytes:
    assert all(len(r) == 19 for r in AM_ROWS)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("AM.txt", "".join("\t".join(r) + "\n" for r in AM_ROWS))
        z.writestr("readme.txt", "test extract, not GeoNames data\n")
    return buf.getvalue()


AM_ZIP = am_zip()


class DumpHandler(BaseHTTPRequestHandler):
    """GET/HEAD for the files in ``server.files``; Range requests answered with 206."""

    def log_message(self, *args):  # keep pytest's output clean
        pass

    def do_HEAD(self):
        self._serve()

    def do_GET(self):
        self._serve()

    def _serve(self):
        srv = self.server
        name = self.path.rsplit("/", 1)[-1]
        with srv.lock:
            srv.requests.append((self.command, name, dict(self.headers)))
        data = srv.files.get(name)
        if data is None:
            self.send_error(404)
            return
        etag = f'"{hashlib.sha1(data).hexdigest()[:16]}"'
        start, status = 0, 200
        m = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        if m and srv.ranges and self.headers.get("If-Range", etag) == etag:
            start = int(m.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        body = data[start:]
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", "Mon, 11 Mar 2024 01:02:03 GMT")
        if srv.ranges:
            self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        if self.command == "HEAD":
            return
        if name in srv.cut:  # promise the whole body, send half, hang up
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        self.wfile.write(body)


class Dump:
    def __init__(self, server: ThreadingHTTPServer):
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}/export/dump/"

    @property
    def files(self) -> dict[str, bytes]:
        return self.server.files

    def seen(self, method: str, name: str) -> list[dict]:
        with self.server.lock:
            return [h for m, n, h in self.server.requests if m == method and n == name]


@pytest.fixture
def dump():
    server = ThreadingHTTPServer(("127.0.0.1", 0), DumpHandler)
    server.daemon_threads = True
    server.files = {"AM.zip": AM_ZIP, "admin2Codes.txt": ADMIN2.encode()}
    server.requests, server.lock = [], threading.Lock()
    server.ranges, server.cut = True, set()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield Dump(server)
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Cache, data and downloads under tmp_path; no proxy between the client and 127.0.0.1."""
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                "CONFLICTMAP_GEONAMES_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CONFLICTMAP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("CONFLICTMAP_DATA", str(tmp_path / "data"))


def fetch(dump, tmp_path, *args):
    return main(["gazetteer", "fetch", *args, "--base-url", dump.url, "--dir", str(tmp_path / "dl"),
                 "--user-db", str(tmp_path / "user.sqlite"), "--quiet"])


def places(db: Path) -> set[str]:
    if not db.exists():
        return set()
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute("SELECT name FROM places")}
    finally:
        con.close()


VILLAGES = {"Tsaghkavanik", "Verin Arevshogh", "Nor Khachasar"}


# --------------------------------------------------------------------------- arguments


@pytest.mark.parametrize("code", ["A1", "ARM", "a", "ÄM", "", "A-"])
def test_bad_country_code_exits_2_with_a_message(code, capsys):
    with pytest.raises(SystemExit) as e:
        main(["gazetteer", "fetch", "AM", code])
    assert e.value.code == 2
    assert "is not a country code" in capsys.readouterr().err


def test_codes_are_upper_cased_and_deduplicated(dump, tmp_path, capsys):
    assert fetch(dump, tmp_path, "am", "AM") == 0
    assert len(dump.seen("GET", "AM.zip")) == 1
    assert capsys.readouterr().out.count("AM: 3 places added") == 1


def test_unknown_country_is_an_http_error_not_a_crash(dump, tmp_path, capsys):
    assert fetch(dump, tmp_path, "QQ") == 2
    err = capsys.readouterr().err
    assert "QQ.zip: HTTP 404" in err and "Traceback" not in err


# --------------------------------------------------------------------------- network


def test_unreachable_server_is_one_clear_line(tmp_path):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(CONFLICTMAP_CACHE=str(tmp_path / "cache"), CONFLICTMAP_DATA=str(tmp_path / "data"),
               CONFLICTMAP_GEONAMES_URL=f"http://127.0.0.1:{port}/dump/")
    r = subprocess.run([sys.executable, "-m", "app", "gazetteer", "fetch", "AM"], capture_output=True, text=True,
                       timeout=60, cwd=ROOT, env=env)
    assert r.returncode == 2
    assert r.stderr.strip() == (
        f"gazetteer fetch: cannot reach 127.0.0.1:{port}: Connection refused; gazetteer fetch needs a network "
        "connection; import a downloaded file with `gazetteer import FILE` instead")
    assert r.stdout == ""
    assert not (tmp_path / "data" / "user_gazetteer.sqlite").exists()


# --------------------------------------------------------------------------- download checks


def test_resume_appends_to_the_part_file(dump, tmp_path, capsys):
    dl = tmp_path / "dl"
    dl.mkdir()
    half = len(AM_ZIP) // 2
    (dl / "AM.zip.part").write_bytes(AM_ZIP[:half])
    assert fetch(dump, tmp_path, "AM") == 0
    assert (dl / "AM.zip").read_bytes() == AM_ZIP
    assert [h.get("Range") for h in dump.seen("GET", "AM.zip")] == [f"bytes={half}-"]
    assert not (dl / "AM.zip.part").exists()
    assert "AM: 3 places added, 0 replaced, 1 features of other classes skipped (AM.zip resumed" \
        in capsys.readouterr().out
    assert places(tmp_path / "user.sqlite") == VILLAGES


def test_server_without_ranges_starts_over(dump, tmp_path):
    dump.server.ranges = False
    dl = tmp_path / "dl"
    dl.mkdir()
    (dl / "AM.zip.part").write_bytes(b"stale bytes that are no part of this zip")
    assert fetch(dump, tmp_path, "AM") == 0
    assert (dl / "AM.zip").read_bytes() == AM_ZIP
    assert len(dump.seen("GET", "AM.zip")) == 1


@pytest.mark.parametrize("part", [AM_ZIP, AM_ZIP + b"junk"], ids=["whole", "too-long"])
def test_part_the_server_cannot_extend(dump, tmp_path, part):
    # 416 Range Not Satisfiable: a whole .part is kept as it is, a longer one is started over.
    dl = tmp_path / "dl"
    dl.mkdir()
    (dl / "AM.zip.part").write_bytes(part)
    assert fetch(dump, tmp_path, "AM") == 0
    assert (dl / "AM.zip").read_bytes() == AM_ZIP
    assert [h.get("Range") for h in dump.seen("GET", "AM.zip")] == (
        [f"bytes={len(AM_ZIP)}-"] if part == AM_ZIP else [f"bytes={len(part)}-", None])


def test_short_download_is_refused_then_resumed(dump, tmp_path, capsys, monkeypatch):
    dl = tmp_path / "dl"
    dump.server.cut = {"AM.zip"}
    assert fetch(dump, tmp_path, "AM") == 2
    err = capsys.readouterr().err
    assert f"of {len(AM_ZIP):,} bytes; the file is refused" in err and "Traceback" not in err
    assert not (dl / "AM.zip").exists()
    part = (dl / "AM.zip.part").read_bytes()
    assert 0 < len(part) < len(AM_ZIP) and AM_ZIP.startswith(part)
    assert places(tmp_path / "user.sqlite") == set()

    # the next run asks for the rest only, and this time gets it; the base URL from the environment
    dump.server.cut = set()
    monkeypatch.setenv("CONFLICTMAP_GEONAMES_URL", dump.url.rstrip("/"))
    assert main(["gazetteer", "fetch", "AM", "--dir", str(dl), "--user-db", str(tmp_path / "user.sqlite"),
                 "--quiet"]) == 0
    assert dump.seen("GET", "AM.zip")[-1]["Range"] == f"bytes={len(part)}-"
    assert (dl / "AM.zip").read_bytes() == AM_ZIP
    assert places(tmp_path / "user.sqlite") == VILLAGES


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


@pytest.mark.parametrize("damage", ["truncated", "flipped-byte"])
def test_corrupt_zip_is_deleted_and_nothing_imported(dump, tmp_path, capsys, damage):
    # The server sends exactly what it promises, so only the zip check can tell.
    dump.files["AM.zip"] = AM_ZIP[: len(AM_ZIP) * 2 // 3] if damage == "truncated" else _flip(AM_ZIP, 60)
    assert fetch(dump, tmp_path, "AM") == 2
    out, err = capsys.readouterr()
    assert "AM.zip.part: corrupt zip" in err and "the downloaded file was deleted" in err
    assert "Traceback" not in err and "AM:" not in out
    dl = tmp_path / "dl"
    assert not any(p.name.startswith("AM.") for p in dl.iterdir())
    assert not (tmp_path / "user.sqlite").exists()
    assert "admin2Codes.txt: downloaded" in out  # the other file is still fine


def test_unchanged_file_is_not_downloaded_again(dump, tmp_path, capsys):
    assert fetch(dump, tmp_path, "AM") == 0
    assert fetch(dump, tmp_path, "AM") == 0
    assert len(dump.seen("GET", "AM.zip")) == 1 and len(dump.seen("HEAD", "AM.zip")) == 1
    assert len(dump.seen("GET", "admin2Codes.txt")) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-2].startswith("AM: 0 places added, 3 replaced") and "AM.zip unchanged" in out[-2]
    assert out[-1].startswith("admin2Codes.txt: unchanged")
    # a new version on the server is fetched
    dump.files["admin2Codes.txt"] = (ADMIN2 + "AM.10.99100103\tYeghegnadzor Test\tYeghegnadzor Test\t99100103\n"
                                     ).encode()
    assert fetch(dump, tmp_path, "AM") == 0
    assert len(dump.seen("GET", "admin2Codes.txt")) == 2
    assert (tmp_path / "dl" / "admin2Codes.txt").read_bytes() == dump.files["admin2Codes.txt"]


# --------------------------------------------------------------------------- end to end


@pytest.fixture(scope="session")
def base_index():
    """The real base index, built once per machine (scripts/setup.sh); only read here."""
    from app.gazetteer import build_base_index

    return build_base_index()


@pytest.mark.realdata
def test_fetched_villages_are_found_by_lookups(dump, tmp_path, capsys, base_index):
    from app.gazetteer import Gazetteer

    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / base_index.name).symlink_to(base_index, target_is_directory=True)  # no 30 s rebuild
    assert main(["gazetteer", "fetch", "AM", "--base-url", dump.url, "--quiet"]) == 0  # default dir and user db
    out = capsys.readouterr().out
    dl = cache / "downloads"
    assert f"imported from {dl / 'AM.txt'}" in out
    assert f"admin2Codes.txt: downloaded, kept at {dl / 'admin2Codes.txt'}" in out
    assert (dl / "admin2Codes.txt").read_text(encoding="utf-8") == ADMIN2
    assert sorted(p.name for p in dl.iterdir()) == [
        "AM.txt", "AM.zip", "AM.zip.json", "admin2Codes.txt", "admin2Codes.txt.json"]

    db = tmp_path / "data" / "user_gazetteer.sqlite"
    gaz = Gazetteer.load(cache_dir=cache, user_db=db)
    top = gaz.lookup("Tsaghkavanik")[0].place
    assert (top.id, top.country_code, top.kind) == ("geonames:99100001", "AM", "village")
    assert (top.lat, top.lon) == (40.5212, 44.7734)
    assert gaz.lookup("Tsakhkavanik")[0].place.id == "geonames:99100001"  # an alternate name
    assert gaz.lookup("Verin Arevshogh", country="AM")[0].place.id == "geonames:99100002"
    assert gaz.lookup("Nor Khachasar")[0].place.id == "geonames:99100003"
    assert not gaz.lookup("Khachasar Get", fuzzy=False) or \
        gaz.lookup("Khachasar Get", fuzzy=False)[0].place.id != "geonames:99100004"
