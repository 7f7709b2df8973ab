"""Importing places into the user gazetteer: good files extend lookups, bad files change nothing."""

import sqlite3

import pytest

from app.gazetteer import Gazetteer
from app.userdata import ImportFileError, import_places

pytestmark = pytest.mark.realdata

GEONAMES_LINE = "\t".join([
    "9990001", "Qarabulaq Test", "Qarabulaq Test", "Karabulak Test,Qarabulaq-Test", "40.1234", "46.5678",
    "P", "PPL", "AZ", "", "57", "", "", "", "812", "", "900", "Asia/Baku", "2024-01-01",
])


def count(db):
    if not db.exists():
        return 0
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM places").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def test_geonames_dump_import_is_used_by_lookups(tmp_path):
    f = tmp_path / "AZ.txt"
    other = GEONAMES_LINE.replace("9990001", "9990002").replace("\tP\tPPL\t", "\tH\tSTM\t")
    f.write_text(GEONAMES_LINE + "\n" + other + "\n", encoding="utf-8")
    db = tmp_path / "user.sqlite"
    r = import_places(f, db)
    assert (r.format, r.added, r.skipped_features) == ("geonames", 1, 1)
    gaz = Gazetteer.load(cache_dir=None, user_db=db)
    top = gaz.lookup("Karabulak Test")[0]
    assert top.place.id == "geonames:9990001"
    assert (top.place.lat, top.place.lon, top.place.kind) == (40.1234, 46.5678, "village")
    assert top.place.admin1  # filled from the Natural Earth regions
    # importing again replaces, never duplicates
    assert import_places(f, db).replaced == 1
    assert count(db) == 1


def test_csv_import(tmp_path):
    f = tmp_path / "places.csv"
    f.write_text("name,latitude,longitude,country_code,alt_names,source\n"
                 "Hill 412 Test,48.51,37.95,UA,Height 412 Test;Vysota 412 Test,unit report\n", encoding="utf-8")
    db = tmp_path / "user.sqlite"
    assert import_places(f, db).added == 1
    gaz = Gazetteer.load(user_db=db)
    top = gaz.lookup("Vysota 412 Test", fuzzy=False)[0].place
    assert top.country_code == "UA" and top.source == "unit report"


BAD_FILES = [
    ("missing.csv", "name,lat\nX,1\n", 1, "missing column"),
    ("badlat.csv", "name,lat,lon\nGood,10,10\nBad,95.5,10\n", 3, "out of range"),
    ("nan.csv", "name,lat,lon\nGood,10,10\nBad,abc,10\n", 3, "not a number"),
    ("fields.csv", "name,lat,lon\nGood,10,10\nBad,10\n", 3, "fields"),
    ("kind.csv", "name,lat,lon,kind\nGood,10,10,planet\n", 2, "kind"),
    ("gn.txt", GEONAMES_LINE + "\n" + GEONAMES_LINE.replace("40.1234", "4o.1") + "\n", 2, "not a number"),
    ("gncols.txt", GEONAMES_LINE + "\n" + "\t".join(["9990003", "Short"] + [""] * 16) + "\n", 2, "columns"),
]


def assert_refused_and_unchanged(tmp_path, fname: str, content: str, line: int | None, words: str) -> None:
    """Importing ``content`` fails naming the file, the line and ``words``; the user gazetteer
    stays byte for byte as it was and no staging file is left beside it."""
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
    assert f"{f}:{line}: " in str(e.value) if line else str(f) in str(e.value)
    assert words in str(e.value)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({fname, "good.csv", "user.sqlite"})


@pytest.mark.parametrize("fname, content, line, words", BAD_FILES)
def test_bad_files_name_the_line_and_change_nothing(tmp_path, fname, content, line, words):
    assert_refused_and_unchanged(tmp_path, fname, content, line, words)


def test_wrong_encoding_names_the_line(tmp_path):
    f = tmp_path / "latin1.csv"
    f.write_bytes("name,lat,lon\nGood,1,1\nTərtər,40.3,46.9\n".encode().replace("ə".encode(), b"\xe9"))
    db = tmp_path / "user.sqlite"
    with pytest.raises(ImportFileError) as e:
        import_places(f, db)
    assert e.value.line == 3 and "UTF-8" in str(e.value)
    assert not db.exists()


def test_empty_and_binary_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ImportFileError, match="empty"):
        import_places(empty, tmp_path / "u.sqlite")
    binary = tmp_path / "blob.csv"
    binary.write_bytes(b"name,lat,lon\n\x00\x01\x02")
    with pytest.raises(ImportFileError, match="binary"):
        import_places(binary, tmp_path / "u.sqlite")
