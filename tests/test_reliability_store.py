"""Issue 17, the store side: exports into special files, foreign databases, concurrent
creation, changed articles under an old id, clear errors, gazetteer imports, paths with
any characters, stale caches."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_userdata import assert_refused_and_unchanged

from app.userdata import import_places

pytestmark = pytest.mark.realdata
ROOT = Path(__file__).resolve().parent.parent
GEONAMES_ROW = ["9990001", "Qarabulaq Test", "Qarabulaq Test", "Karabulak Test", "40.1234", "46.5678",
                "P", "PPL", "AZ", "", "57", "", "", "", "812", "", "900", "Asia/Baku", "2024-01-01"]


def geonames_line(**change) -> str:
    cols = ["gid", "name", "ascii", "alts", "lat", "lon", "fclass", "fcode", "cc"] + [f"c{i}" for i in range(9, 19)]
    row = dict(zip(cols, GEONAMES_ROW, strict=True))
    row.update(change)
    return "\t".join(row[c] for c in cols)


def run(*args, env=None, cwd=ROOT, **kw):
    env = {**(env or os.environ), "PYTHONPATH": str(ROOT)}  # cwd may be elsewhere
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env=env, **kw)


def places(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT id, name, country_code, population FROM places ORDER BY name").fetchall()
    finally:
        con.close()


# --------------------------------------------------------------------------- 7. gazetteer import


def test_two_files_with_the_same_name_do_not_overwrite_each_other(tmp_path):
    """Ids come from the place, not from the file's name and line: a/places.csv and
    b/places.csv, each with a different place on line 2, add two places."""
    db = tmp_path / "user.sqlite"
    for folder, name in (("a", "Hill 101 Test"), ("b", "Hill 202 Test")):
        (tmp_path / folder).mkdir()
        f = tmp_path / folder / "places.csv"
        f.write_text(f"name,lat,lon\n{name},48.5,37.9\n", encoding="utf-8")
        assert import_places(f, db).added == 1
    assert [p[1] for p in places(db)] == ["Hill 101 Test", "Hill 202 Test"]
    again = tmp_path / "elsewhere.csv"  # the same place from another file replaces itself
    again.write_text("name,lat,lon\nHill 101 Test,48.5,37.9\n", encoding="utf-8")
    r = import_places(again, db)
    assert (r.added, r.replaced) == (0, 1) and len(places(db)) == 2


@pytest.mark.parametrize("fname, content, line, words", [
    ("dup.txt", geonames_line() + "\n" + geonames_line(name="Other Test") + "\n", 2, "already on line 1"),
    ("dup.csv", "id,name,lat,lon\nx1,A Test,1,1\nx2,B Test,2,2\nx1,C Test,3,3\n", 4, "already on line 2"),
    ("same.csv", "name,lat,lon\nA Test,1,1\nA Test,1,1\n", 3, "same place"),
    ("pop.csv", "name,lat,lon,population\nA Test,1,1,1e30\n", 2, "population '1e30' is out of range"),
    ("pop.txt", geonames_line(c14="1e30") + "\n", 1, "out of range"),
    ("popinf.csv", "name,lat,lon,population\nA Test,1,1,inf\n", 2, "out of range"),
    ("popdigits.csv", "name,lat,lon,population\nA Test,1,1," + "9" * 5000 + "\n", 2, "out of range"),
    ("popfrac.csv", "name,lat,lon,population\nA Test,1,1,12.5\n", 2, "whole number"),
    ("script.txt", geonames_line(cc="<script>") + "\n", 1, "country code '<script>'"),
    ("unicode_cc.csv", "name,lat,lon,country_code\nA Test,1,1,ÄB\n", 2, "country code"),
    ("ctrl.csv", "name,lat,lon\nA\x1bTest,1,1\n", 2, "control character"),
    ("long.csv", "name,lat,lon\n" + "N" * 201 + ",1,1\n", 2, "at most 200"),
    ("longalts.txt", geonames_line(alts=",".join(["Alt"] * 4000)) + "\n", 1, "alternate names"),
    ("fcode.txt", geonames_line(fcode="<b>") + "\n", 1, "feature class/code"),
    ("gid.txt", geonames_line(gid="9990001") + "\n" + geonames_line(gid="12345678901234567890") + "\n", 2, "geonameid"),
])
def test_every_field_is_checked_and_a_bad_file_changes_nothing(tmp_path, fname, content, line, words):
    """Duplicate ids in one file, absurd populations, non-ISO country codes, control
    characters, overlong names: each an error naming the file and line, never a
    traceback, and the user gazetteer stays byte for byte as it was."""
    assert_refused_and_unchanged(tmp_path, fname, content, line, words)


def test_the_command_reports_a_duplicate_and_counts_nothing_twice(tmp_path):
    f = tmp_path / "AZ.txt"
    f.write_text(geonames_line() + "\n" + geonames_line(gid="9990002", name="Second Test") + "\n" + geonames_line()
                 + "\n", encoding="utf-8")
    r = run("gazetteer", "import", f, "--user-db", tmp_path / "u.sqlite")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{f}:3: id 'geonames:9990001' is already on line 1" in r.stderr
    assert not (tmp_path / "u.sqlite").exists()


def test_import_memory_does_not_grow_with_the_file(tmp_path):
    """Streamed: importing a 25 MB dump takes no more than 40 MB more than a 5 MB one
    (it took about 13 bytes of memory per byte of file before)."""
    sys.path.insert(0, str(ROOT))
    from bench.import_memory import geonames_dump, measure

    peaks = []
    for mb in (5, 25):
        dump = tmp_path / f"{mb}.txt"
        geonames_dump(dump, mb)
        res = measure(dump)
        assert res["exit_status"] == 0, res
        peaks.append(res["peak_rss_mb"])
        dump.unlink()
    assert peaks[1] - peaks[0] < 40, peaks


# --------------------------------------------------------------------------- 12, 13. paths and caches

ODD = "odd #1?x=%41 dir"


def test_data_and_cache_folders_may_hold_any_character(tmp_path, _isolated_cache_dir):
    """`#`, `?`, `%` and a space in CONFLICTMAP_DATA and CONFLICTMAP_CACHE: the user
    gazetteer is imported, found by lookups, the store written and exported, and no
    stray file appears beside those folders."""
    data, cache = tmp_path / ODD / "data", tmp_path / ODD / "cache"
    cache.mkdir(parents=True)
    base = next(_isolated_cache_dir.glob("gazetteer-*"))
    (cache / base.name).symlink_to(base.resolve(), target_is_directory=True)
    env = {**os.environ, "CONFLICTMAP_DATA": str(data), "CONFLICTMAP_CACHE": str(cache)}
    env.pop("CONFLICTMAP_STORE", None)
    f = tmp_path / "places.csv"
    f.write_text("name,lat,lon,country_code\nZzyzx Odd Test,40.5,46.5,AZ\n", encoding="utf-8")
    r = run("gazetteer", "import", f, env=env)
    assert r.returncode == 0, r.stderr
    r = run("geocode", "Zzyzx Odd Test", "--exact", "--json", "--no-geometry", env=env)
    assert r.returncode == 0, r.stderr
    assert '"Zzyzx Odd Test"' in r.stdout  # the user gazetteer is read, not silently ignored
    report = tmp_path / "r.txt"
    report.write_text("---\ntitle: T\npublished: 2024-03-06\n---\nRussian drones struck Odesa on Monday, killing two "
                      "civilians, the governor said.\n", encoding="utf-8")
    r = run("ingest", report, "--quiet", env=env)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "out.geojson"
    r = run("export", "--format", "geojson", "--out", out, env=env)
    assert r.returncode == 0, r.stderr
    assert '"Odesa"' in out.read_text()
    assert sorted(p.name for p in (tmp_path / ODD).iterdir()) == ["cache", "data"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([ODD, "places.csv", "r.txt", "out.geojson"])
    assert [p.name for p in cache.glob("user-*")]


def test_tests_never_write_into_the_real_cache(tmp_path, _isolated_cache_dir):
    """The suite runs with a temporary cache: a user index lands there, not in ~/.cache/conflictmap."""
    from app.gazetteer import Gazetteer, default_cache_dir

    real = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "conflictmap"
    assert default_cache_dir() == _isolated_cache_dir != real
    before = sorted(p.name for p in real.iterdir()) if real.exists() else []
    f = tmp_path / "p.csv"
    f.write_text("name,lat,lon\nCache Probe Test,10,10\n", encoding="utf-8")
    import_places(f, tmp_path / "u.sqlite")
    Gazetteer.load(user_db=tmp_path / "u.sqlite")
    assert list(_isolated_cache_dir.glob("user-*"))
    assert (sorted(p.name for p in real.iterdir()) if real.exists() else []) == before


def test_stale_user_indexes_are_pruned_and_recent_ones_kept(tmp_path):
    """Each import makes a new user-<hash> index; those unused for a week go (and half-built
    leftovers older than that), the current one and any used recently stay."""
    from app.gazetteer import Gazetteer

    cache = tmp_path / "cache"
    cache.mkdir()
    base = Path(os.environ["CONFLICTMAP_CACHE"])
    for b in base.glob("gazetteer-*"):
        (cache / b.name).symlink_to(b.resolve(), target_is_directory=True)
    week_ago = time.time() - 8 * 86400
    for name, age in (("user-0000000000000old", week_ago), ("user-00000000000recent", time.time() - 3600),
                      (".user-00000000000000dead-123", week_ago)):
        (cache / name).mkdir()
        (cache / name / "keys.txt").write_text("")
        os.utime(cache / name, (age, age))
    f = tmp_path / "p.csv"
    f.write_text("name,lat,lon\nPrune Probe Test,10,10\n", encoding="utf-8")
    import_places(f, tmp_path / "u.sqlite")
    Gazetteer.load(cache_dir=cache, user_db=tmp_path / "u.sqlite")
    left = sorted(p.name for p in cache.iterdir() if not p.name.startswith("gazetteer-"))
    assert "user-0000000000000old" not in left and ".user-00000000000000dead-123" not in left
    assert "user-00000000000recent" in left
    (current,) = [n for n in left if n != "user-00000000000recent"]
    assert current.startswith("user-")
    old = time.time() - 30 * 86400  # in use again: the current index is never pruned, however old
    os.utime(cache / current, (old, old))
    Gazetteer.load(cache_dir=cache, user_db=tmp_path / "u.sqlite")
    assert (cache / current).exists() and (cache / current).stat().st_mtime > time.time() - 60


# --------------------------------------------------------------------------- store fixtures

REPORT = ("Russian drones struck Odesa on Monday, killing two civilians, the governor said. "
          "Shelling hit Kherson on Tuesday, wounding five people.")


def jsonl(path: Path, *records: dict) -> Path:
    import json

    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def store(seed_store, tmp_path) -> Path:
    import shutil

    s = tmp_path / "store" / "incidents.gpkg"
    s.parent.mkdir()
    shutil.copy(seed_store, s)
    return s


def fingerprint(path: Path) -> tuple:
    """What a foreign database must keep: its bytes, and no WAL or journal beside it."""
    return path.read_bytes(), sorted(p.name for p in path.parent.iterdir())


# --------------------------------------------------------------------------- 3. exports


def test_export_to_standard_output(store, tmp_path):
    """`--out -` writes to standard output; no file called '-' appears."""
    import json

    r = run("export", "--store", store, "--format", "geojson", "--out", "-", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)["features"]) == 5
    assert "standard output" in r.stderr and not (tmp_path / "-").exists()


def test_export_into_a_fifo_writes_to_it(store, tmp_path):
    """A FIFO is written to (a reader gets the export) and stays a FIFO."""
    import stat

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    r = run("export", "--store", store, "--format", "csv", "--out", fifo)
    try:
        got, _ = reader.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        reader.kill()
        got = None
    assert r.returncode == 0, r.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert got is not None and got.startswith("event_id_cnty,") and got.count("\n") == 6


def _device(path: Path, minor: int) -> Path:
    try:
        os.mknod(path, 0o20666, os.makedev(1, minor))  # 1,3 is /dev/null, 1,7 /dev/full
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here")
    return path


def test_export_into_a_device_writes_to_it_and_a_full_one_fails_clearly(store, tmp_path):
    """A character device is written to, never replaced: a null device stays one, and a full
    one (like /dev/full) is a clear 'No space left on device', exit status 2."""
    import stat

    null, full = _device(tmp_path / "null", 3), _device(tmp_path / "full", 7)
    r = run("export", "--store", store, "--format", "geojson", "--out", null)
    assert r.returncode == 0, r.stderr
    r2 = run("export", "--store", store, "--format", "csv", "--out", full)
    assert stat.S_ISCHR(os.lstat(null).st_mode) and stat.S_ISCHR(os.lstat(full).st_mode)
    assert r2.returncode == 2 and "Traceback" not in r2.stderr
    assert f"{full}: cannot write the export (No space left on device)" in r2.stderr


def test_export_follows_a_symlink_and_keeps_the_mode(store, tmp_path):
    """A symbolic link stays a link and the file it points to gets the export, keeping its mode
    (0640 here); an existing 0644 file stays 0644; a new file gets the umask's mode."""
    real = tmp_path / "real.geojson"
    real.write_text("old", encoding="utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "link.geojson"
    link.symlink_to(real)
    r = run("export", "--store", store, "--format", "geojson", "--out", link)
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith('{"type":"FeatureCollection"')
    assert oct(real.stat().st_mode & 0o777) == oct(0o640)
    kept = tmp_path / "kept.csv"
    kept.write_text("old", encoding="utf-8")
    os.chmod(kept, 0o644)
    for fmt, out, umask, mode in (("csv", kept, 0o077, 0o644), ("gpkg", tmp_path / "new.gpkg", 0o022, 0o644),
                                  ("geojson", tmp_path / "new.geojson", 0o027, 0o640)):
        r = run("export", "--store", store, "--format", fmt, "--out", out, preexec_fn=lambda u=umask: os.umask(u))
        assert r.returncode == 0, r.stderr
        assert oct(out.stat().st_mode & 0o777) == oct(mode), (fmt, out)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".part-")]


@pytest.mark.parametrize("command", [["export", "--format", "csv"], ["map"]])
def test_out_a_folder_is_a_clear_error(store, tmp_path, command):
    r = run(*command, "--store", store, "--out", tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{tmp_path}: is a folder" in r.stderr


# --------------------------------------------------------------------------- 4. concurrent creation


def test_many_threads_create_the_same_new_store_at_once(tmp_path):
    """Schema creation happens under the write lock: eight connections opening one new
    file at the same moment all succeed, twenty times over."""
    import threading

    from app.store import Store

    for trial in range(20):
        path = tmp_path / f"s{trial}.gpkg"
        gate = threading.Barrier(8)
        errors: list[BaseException] = []

        def open_it(gate=gate, path=path, errors=errors):
            gate.wait()
            try:
                Store(path).close()
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=open_it) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        with Store(path, readonly=True) as s:
            assert s.counts()["incidents"] == 0


def test_concurrent_ingests_into_a_new_store(tmp_path):
    """Four processes creating and writing the same new store at once: every exit 0, every article stored."""
    code = ("import sys, time\nfrom app.articles import Article\nfrom app.store import Store\n"
            "t0 = float(sys.argv[2])\nwhile time.time() < t0: time.sleep(0.001)\n"
            "with Store(sys.argv[1]) as s:\n    s.add(Article(id='a' + sys.argv[3], text='t' + sys.argv[3]), [])\n")
    for trial in range(2):
        path = tmp_path / f"p{trial}.gpkg"
        t0 = time.time() + 3
        procs = [subprocess.Popen([sys.executable, "-c", code, str(path), str(t0), str(i)], cwd=ROOT,
                                  stderr=subprocess.PIPE, text=True) for i in range(4)]
        errs = [p.communicate(timeout=120)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * 4, errs
        from app.store import Store

        with Store(path, readonly=True) as s:
            assert s.counts()["articles"] == 4


# --------------------------------------------------------------------------- 5. article identity


def test_a_changed_article_under_a_stored_id_is_refused_loudly(tmp_path):
    """The same id with other text: refused, named, exit status 2, the stored article kept.
    The same article again: 'already in the store', exit status 0."""
    s = tmp_path / "s.gpkg"
    first = jsonl(tmp_path / "first.jsonl", {"id": "r1", "title": "Odesa", "text": REPORT, "published": "2024-03-06"})
    changed = jsonl(tmp_path / "changed.jsonl", {"id": "r1", "title": "Odesa", "published": "2024-03-06",
                                                 "text": REPORT.replace("two civilians", "nine civilians")})
    assert run("ingest", first, "--store", s, "--quiet").returncode == 0
    r = run("ingest", changed, "--store", s, "--quiet")
    assert r.returncode == 2, r.stderr
    assert "other text" in r.stderr and "'r1'" in r.stderr and f"{changed}:1" in r.stderr
    assert "0 already in the store" in r.stderr
    r = run("ingest", first, "--store", s, "--quiet")
    assert r.returncode == 0 and "1 already in the store" in r.stderr
    from app.store import Store

    with Store(s, readonly=True) as st:
        (a,) = st.articles()
        assert st.incidents()[0]["fatalities"] == 2


# --------------------------------------------------------------------------- 8. only our own files


def _foreign_sqlite(path: Path, table: str = "notes") -> Path:
    con = sqlite3.connect(path)
    con.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute(f"INSERT INTO {table} (body) VALUES ('keep me')")
    con.commit()
    con.close()
    return path


def _foreign_gpkg(path: Path) -> Path:
    import geopandas as gpd
    from shapely.geometry import Point

    path = path.with_suffix(".gpkg")
    gpd.GeoDataFrame({"name": ["well"]}, geometry=[Point(1, 2)], crs="EPSG:4326").to_file(path, layer="wells",
                                                                                          driver="GPKG")
    return path


@pytest.mark.parametrize("make, words", [
    (lambda p: _foreign_sqlite(p), "not a GeoPackage"),
    (lambda p: _foreign_sqlite(p, "incidents"), "not a GeoPackage"),
    (_foreign_gpkg, "a GeoPackage this app did not make (layers: wells)"),
])
def test_a_foreign_database_is_refused_and_left_as_it_was(tmp_path, make, words):
    """Ingest, export and map refuse a database that is not one of ours with a clear message,
    exit status 2, and leave it byte for byte as it was (no tables, no application_id, no WAL)."""
    (tmp_path / "db").mkdir()
    db = make(tmp_path / "db" / "theirs.sqlite")
    before = fingerprint(db)
    report = jsonl(tmp_path / "r.jsonl", {"id": "x", "text": REPORT, "published": "2024-03-06"})
    for args in (["ingest", report, "--quiet"], ["export", "--format", "csv", "--out", tmp_path / "o.csv"],
                 ["map", "--out", tmp_path / "m.html"]):
        r = run(*args, "--store", db)
        assert r.returncode == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr and words in r.stderr and str(db) in r.stderr, r.stderr
        assert fingerprint(db) == before
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "m.html").exists()


@pytest.mark.parametrize("command", [["export", "--format", "geojson", "--out", "OUT"], ["map", "--out", "OUT"]])
def test_read_only_commands_on_a_missing_store_create_nothing(tmp_path, command):
    """A mistyped --store: a clear error, exit status 2, no empty store and no output created."""
    missing = tmp_path / "typo" / "incidnets.gpkg"
    out = tmp_path / "out"
    r = run(*[str(out) if a == "OUT" else a for a in command], "--store", missing)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{missing}: no such store (nothing was created)" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_store_made_before_the_marker_table_still_opens(store, tmp_path):
    """Stores made by earlier versions (no conflictmap_store table) are recognised by their
    layers: read as they are, marked on the first write, nothing lost."""
    from app.store import META_TABLE, Store

    con = sqlite3.connect(store)
    con.execute(f"DROP TABLE {META_TABLE}")
    con.commit()
    con.close()
    r = run("export", "--store", store, "--format", "csv", "--out", tmp_path / "o.csv")
    assert r.returncode == 0, r.stderr
    with Store(store) as s:
        assert s.counts()["incidents"] == 5
    con = sqlite3.connect(store)
    assert con.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'format'").fetchone()
    con.close()


def test_the_dashboard_shows_an_error_for_a_foreign_store(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    db = _foreign_sqlite(tmp_path / "theirs.sqlite", "incidents")
    before = fingerprint(db)
    monkeypatch.setenv("CONFLICTMAP_STORE", str(db))
    at = AppTest.from_file("../streamlit_app.py", default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert any("could not be read" in e.value and "not a GeoPackage" in e.value for e in at.error), at.error
    assert fingerprint(db) == before


# --------------------------------------------------------------------------- 10. clear messages


def test_a_full_disk_names_the_real_cause_and_keeps_what_was_stored(tmp_path):
    """SQLite rolls back by itself when the disk fills up; the error reported is 'database or
    disk is full', not the 'cannot rollback' that followed it, and earlier articles stay."""
    from app.articles import Article
    from app.store import Store, StoreError

    path = tmp_path / "s.gpkg"
    with Store(path) as s:
        s.add(Article(id="small", text="fits"), [])
        pages = s.db.execute("PRAGMA page_count").fetchone()[0]
        s.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # a disk with two pages left
        with pytest.raises(StoreError) as e:
            s.add(Article(id="big", title="x" * 200_000, text="t"), [])  # the title is stored, the text is not
        assert "database or disk is full" in str(e.value) and "cannot rollback" not in str(e.value)
        assert str(path) in str(e.value)
    with Store(path, readonly=True) as s:
        assert [a["article_id"] for a in s.articles()] == ["small"]


def test_the_lock_timeout_is_a_message_and_exit_status_2(tmp_path, monkeypatch, capsys):
    import app.store
    from app.cli import main

    path = tmp_path / "s.gpkg"
    app.store.Store(path).close()
    monkeypatch.setattr(app.store, "LOCK_TIMEOUT_S", 0.5)
    report = jsonl(tmp_path / "r.jsonl", {"id": "x", "text": REPORT, "published": "2024-03-06"})
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert main(["ingest", str(report), "--store", str(path), "--quiet"]) == 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert f"{path}: locked by another process" in err


@pytest.fixture
def shared_dir():
    """A folder another user can reach (pytest's own are private to root)."""
    import shutil
    import tempfile

    d = Path(tempfile.mkdtemp(prefix="conflictmap-ro-"))
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def as_reader(*args):
    """Run the app as a user who may read but not write the shared folder: 'nobody' when the
    tests run as root (root writes anywhere), else this user with the folder made read-only."""
    if os.geteuid() != 0:
        return run(*args)
    import shutil

    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: no way to be a user who cannot write")
    return subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "app",
                           *map(str, args)], capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_read_only_store_or_folder_is_a_clear_message(shared_dir):
    """Writing into a read-only store or folder: a message naming the store, exit status 2.
    Reading one (export) works."""
    from app.store import Store

    existing = shared_dir / "s.gpkg"
    Store(existing).close()
    report = shared_dir / "r.jsonl"
    jsonl(report, {"id": "x", "text": REPORT, "published": "2024-03-06"})
    if os.geteuid() != 0:
        os.chmod(existing, 0o444)
        os.chmod(shared_dir, 0o555)
    try:
        for target in (existing, shared_dir / "new.gpkg"):
            r = as_reader("ingest", report, "--store", target, "--quiet")
            assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
            assert f"store: {target}: cannot" in r.stderr and ("read-only" in r.stderr or "writable" in r.stderr)
        r = as_reader("export", "--store", existing, "--format", "geojson", "--out", "-")
        assert r.returncode == 0 and r.stdout.startswith('{"type":"FeatureCollection"'), r.stderr
    finally:
        os.chmod(shared_dir, 0o755)


def test_an_absurd_min_fatalities_is_refused_clearly(store):
    r = run("export", "--store", store, "--format", "csv", "--out", "-", "--min-fatalities",
            "99999999999999999999999")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "--min-fatalities: 99999999999999999999999 is out of range" in r.stderr
