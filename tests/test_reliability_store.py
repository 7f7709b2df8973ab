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

from app.userdata import ImportFileError, import_places

pytestmark = pytest.mark.realdata
ROOT = Path(__file__).resolve().parent.parent
GEONAMES_ROW = ["9990001", "Qarabulaq Test", "Qarabulaq Test", "Karabulak Test", "40.1234", "46.5678",
                "P", "PPL", "AZ", "", "57", "", "", "", "812", "", "900", "Asia/Baku", "2024-01-01"]


def geonames_line(**change) -> str:
    cols = ["gid", "name", "ascii", "alts", "lat", "lon", "fclass", "fcode", "cc"] + [f"c{i}" for i in range(9, 19)]
    row = dict(zip(cols, GEONAMES_ROW))
    row.update(change)
    return "\t".join(row[c] for c in cols)


def run(*args, env=None, **kw):
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT, env=env, **kw)


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
    db = tmp_path / "user.sqlite"
    good = tmp_path / "good.csv"
    good.write_text("name,lat,lon\nAlready Here,1,1\n", encoding="utf-8")
    import_places(good, db)
    before = db.read_bytes()
    f = tmp_path / fname
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError) as e:
        import_places(f, db)
    assert e.value.line == line, str(e.value)
    assert f"{f}:{line}: " in str(e.value) and words in str(e.value)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fname, "good.csv", "user.sqlite"])  # no staging left


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
