"""The article reader: every input format becomes an Article, or a problem naming file and line."""

import datetime as dt
import json
import subprocess
import sys

import pytest

from app.articles import Article, InputProblem, parse_date, read_inputs, stable_id


def items(*paths, **kw):
    return list(read_inputs([str(p) for p in paths], **kw))


def test_jsonl_good_and_bad_lines(tmp_path):
    f = tmp_path / "batch.jsonl"
    f.write_text(
        json.dumps({"id": "a1", "title": "T1", "text": "Shelling hit Kharkiv.", "published": "2024-05-01",
                    "publisher": "Wire", "url": "https://example.org/1"}) + "\n"
        + "{not json\n"
        + "\n"
        + json.dumps({"title": "no text"}) + "\n"
        + json.dumps({"text": "Strike on Idlib.", "published": "2020-02-30"}) + "\n"
        + json.dumps({"text": "Drone over Odesa."}) + "\n",
        encoding="utf-8",
    )
    out = items(f)
    good = [a for a in out if isinstance(a, Article)]
    bad = [p for p in out if isinstance(p, InputProblem)]
    assert [a.text for a in good] == ["Shelling hit Kharkiv.", "Drone over Odesa."]
    assert good[0].published == dt.date(2024, 5, 1) and good[0].publisher == "Wire" and good[0].id == "a1"
    assert [(p.line, p.path) for p in bad] == [(2, str(f)), (4, str(f)), (5, str(f))]
    assert "malformed JSON" in bad[0].message and "text" in bad[1].message and "2020-02-30" in bad[2].message
    assert good[1].origin == f"{f}:6"


def test_missing_id_is_stable_and_content_derived(tmp_path):
    f = tmp_path / "a.json"
    f.write_text(json.dumps({"title": "T", "text": "Body"}), encoding="utf-8")
    (a,) = items(f)
    (b,) = items(f)
    assert a.id == b.id == stable_id("T", "Body")
    f.write_text(json.dumps({"title": "T", "text": "Body2"}), encoding="utf-8")
    assert items(f)[0].id != a.id


def test_txt_front_matter_and_headline(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("---\ntitle: Front title\npublished: 2023-10-01\npublisher: Agency\n---\nBody text "
                 "here.\n", encoding="utf-8")
    g = tmp_path / "y.txt"
    g.write_text("Headline on the first line\n\nThe body follows.\n", encoding="utf-8")
    (a,) = items(f)
    (b,) = items(g)
    assert (a.title, a.published, a.publisher, a.text.strip()) == (
        "Front title", dt.date(2023, 10, 1), "Agency", "Body text here.")
    assert b.title == "Headline on the first line" and b.published is None
    assert b.document.startswith("Headline on the first line")


def test_default_publication_date_fills_only_missing(tmp_path):
    f = tmp_path / "b.jsonl"
    f.write_text(json.dumps({"text": "a"}) + "\n" + json.dumps({"text": "b", "published": "2022-01-01"}) + "\n",
                 encoding="utf-8")
    a, b = items(f, default_published=dt.date(2024, 1, 2))
    assert a.published == dt.date(2024, 1, 2) and b.published == dt.date(2022, 1, 1)


def test_directory_and_seed(tmp_path):
    (a,) = items("seeds")
    assert a.published == dt.date(2020, 9, 30) and a.publisher == "BBC News"
    assert a.title.startswith("Armenia-Azerbaijan conflict")


@pytest.mark.parametrize("value, ok", [
    ("2020-09-30", True), ("2020-09-30T10:00:00Z", True), ("2020-02-30", False), ("30/09/2020", False),
    ("2999-01-01", False), ("1850-01-01", False), (None, True),
])
def test_parse_date(value, ok):
    if ok:
        parse_date(value)
    else:
        with pytest.raises(ValueError):
            parse_date(value)


def test_empty_binary_and_legacy_encodings(tmp_path):
    e = tmp_path / "empty.txt"
    e.write_text("   \n", encoding="utf-8")
    b = tmp_path / "blob.txt"
    b.write_bytes(b"\x00\x01\x02binary" * 10)
    c = tmp_path / "cyr.txt"
    c.write_bytes("Обстрел Харькова\n\nВ среду обстреляли Харьков, сообщили местные власти.".encode("cp1251"))
    pe, pb = items(e)[0], items(b)[0]
    assert isinstance(pe, InputProblem) and "empty" in pe.message
    assert isinstance(pb, InputProblem) and "binary" in pb.message
    (art,) = items(c)
    assert isinstance(art, Article) and "Харьков" in art.text and art.encoding != "utf-8"


def test_stdin_dash():
    r = subprocess.run([sys.executable, "-c", "from app.articles import read_inputs; "
                        "print([a.text for a in read_inputs(['-'])])"],
                       input='{"text": "Strike on Gao."}\n', capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Strike on Gao." in r.stdout


def test_missing_file(tmp_path):
    (p,) = items(tmp_path / "nope.jsonl")
    assert isinstance(p, InputProblem) and "no such file" in p.message
