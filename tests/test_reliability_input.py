"""Issue 17, the input side: no input stops a batch, limits at the boundary, memory bounded.

Each test names the defect of issue 17 it guards against.
"""

from __future__ import annotations

import datetime as dt
import json
import select
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import pipeline as P
from app.articles import Article, InputProblem, read_inputs
from app.pipeline import Pipeline, ingest, ingest_items
from app.store import Store

pytestmark = pytest.mark.realdata
ROOT = Path(__file__).resolve().parent.parent
ODESA = "Russian drones struck Odesa on Monday, killing two civilians, the governor said."
KHERSON = "Shelling hit Kherson on Sunday, killing three civilians, officials said."


def run_app(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], capture_output=True, text=True, timeout=600,
                          cwd=ROOT, **kw)


def peak_mb(code: str, *args: str, stdin=None, limit_mb: int | None = None) -> tuple[str, int]:
    """Run ``code`` in a fresh interpreter; its stdout and its peak RSS in MB (VmHWM: ru_maxrss survives exec)."""
    code += ("\nimport sys; print([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1], "
             "file=sys.stderr)")
    def pre():
        if limit_mb:  # address space, so an expansion fails with MemoryError instead of swapping
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))
    r = subprocess.run([sys.executable, "-c", code, *args], stdin=stdin, capture_output=True, text=True, timeout=600,
                       cwd=ROOT, preexec_fn=pre)
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout, int(r.stderr.split()[-1]) // 1024


def stored(store: Path) -> dict[str, dict]:
    con = sqlite3.connect(store)
    try:
        con.row_factory = sqlite3.Row
        return {r["article_id"]: dict(r) for r in con.execute("SELECT * FROM articles")}
    finally:
        con.close()


# ---- defect 1: one bad input never stops a batch


def test_absurd_numbers_deep_json_huge_integers_and_surrogates_do_not_stop_a_batch(tmp_path):
    """Every record is stored or skipped with file:line; figures beyond P.MAX_FATALITIES are text, never tolls."""
    lines = [
        json.dumps({"id": "ok1", "text": ODESA, "published": "2024-03-05"}),
        '{"id":"ganja","text":"Armenian forces shelled Ganja on Monday, killing 99999999999999999999 civilians.",'
        '"published":"2020-10-01"}',
        json.dumps({"id": "nines", "text": f"Armenian forces shelled Tartar on Monday, killing {'9' * 400} civilians.",
                    "published": "2020-10-01"}),
        "[" * 100_000 + "]" * 100_000,
        '{"id":"bigint","n":' + "9" * 5000 + ',"text":' + json.dumps(KHERSON) + ',"published":"2024-03-05"}',
        '{"id":"surrogate","title":"Kherson \\udc00","text":"Shelling hit Kherson \\ud800 on Sunday.",'
        '"published":"2024-03-05"}',
        json.dumps({"id": "ok2", "text": "Shelling hit Kharkiv on Sunday, killing two people, officials said.",
                    "published": "2024-03-05"}),
    ]
    f = tmp_path / "batch.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = tmp_path / "s.gpkg"
    r = run_app("ingest", f, "--store", store, "--quiet")
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == 2, r.stderr
    assert f"{f}:4: JSON nested too deeply" in r.stderr
    assert set(stored(store)) == {"ok1", "ganja", "nines", "bigint", "surrogate", "ok2"}
    assert stored(store)["surrogate"]["title"] == "Kherson \ufffd"
    con = sqlite3.connect(store)
    try:
        tolls = dict(con.execute("SELECT article_id, fatalities FROM incident_sources"))
        notes = dict(con.execute("SELECT article_id, evidence FROM incident_sources"))
    finally:
        con.close()
    assert tolls["ok1"] == 2 and tolls["ok2"] == 2 and tolls["bigint"] == 3
    assert tolls.get("ganja") is None and tolls.get("nines") is None
    assert "99999999999999999999" in notes["ganja"]  # the evidence quoted is the report's own text


def test_a_toll_above_the_cap_is_kept_as_an_incident_without_fatalities(gaz):
    """'20 million killed' is no count: the incident stays, its toll is left empty with a note."""
    pipe = Pipeline(gaz)
    done = pipe.process(Article(id="m", text="Shelling hit Kharkiv on Monday, killing 20 million civilians, officials "
                                             "said.",
                                published=dt.date(2024, 3, 5)))
    assert done.incidents
    assert all(i.fatalities is None for i in done.incidents)
    assert any(f"above {P.MAX_FATALITIES:,}" in i.notes for i in done.incidents)
    ok = pipe.process(Article(id="k", text="Shelling hit Kharkiv on Monday, killing 9,999,999 civilians, officials "
                                           "said.",
                              published=dt.date(2024, 3, 5)))
    assert [i.fatalities for i in ok.incidents] == [9_999_999]


class Flaky(Pipeline):
    """A pipeline that fails on the articles named, the way a bug in extraction would."""

    def __init__(self, gaz, fail: set[str], unstorable: set[str] = frozenset()):
        super().__init__(gaz)
        self.fail, self.unstorable = fail, unstorable

    def process(self, article):
        if article.id in self.fail:
            raise RecursionError("maximum recursion depth exceeded")
        done = super().process(article)
        if article.id in self.unstorable:  # a figure SQLite cannot hold reaches the store
            done = replace(done, incidents=tuple(replace(i, fatalities=10**30) for i in done.incidents))
        return done


def test_an_article_that_fails_in_processing_or_storing_is_skipped_and_the_batch_goes_on(gaz, tmp_path):
    """The per-article guard: file and line, a one-line reason, the next article stored, nothing half-written."""
    arts = [Article(id=f"a{i}", text=ODESA.replace("Monday", day), published=dt.date(2024, 3, 5),
                    origin=f"b.jsonl:{i + 1}")
            for i, day in enumerate(["Monday", "Sunday", "Saturday", "Friday"])]
    with Store(tmp_path / "s.gpkg") as s:
        summary, _ = ingest_items(arts, s, Flaky(gaz, fail={"a1"}, unstorable={"a2"}))
        assert {a["article_id"] for a in s.articles()} == {"a0", "a3"}
        assert s.counts()["articles"] == 2  # the store is usable after the failures
        assert all(r["fatalities"] == 2 for r in s.incidents())
    assert summary.failed == 2 and summary.n_skipped == 2
    assert summary.skipped[0].startswith("b.jsonl:2: ") and "RecursionError" in summary.skipped[0]
    assert summary.skipped[1].startswith("b.jsonl:3: ") and "OverflowError" in summary.skipped[1]
    assert all("\n" not in s for s in summary.skipped)
    assert "articles: 4 read, 2 stored, 0 already in the store, 2 failed and skipped" in summary.lines()


def test_a_deep_json_document_is_reported_and_the_next_file_read(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("{\"a\":" * 100_000 + "1" + "}" * 100_000, encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"text": ODESA}), encoding="utf-8")
    p, a = read_inputs([deep, good])
    assert isinstance(p, InputProblem) and p.path == str(deep) and "nested too deeply" in p.message
    assert isinstance(a, Article) and a.text == ODESA


def test_a_five_thousand_digit_integer_is_no_id(tmp_path):
    f = tmp_path / "ids.jsonl"
    f.write_text('{"id":' + "9" * 5000 + ',"text":"x"}\n{"id":12345678901234567890,"text":"y"}\n', encoding="utf-8")
    p, a = read_inputs([f])
    assert isinstance(p, InputProblem) and p.line == 1 and "'id'" in p.message
    assert a.id == "12345678901234567890"  # a long numeric id (a tweet's) still is one


def test_dashboard_upload_of_bad_records_lists_them_and_stores_the_rest(seed_store, tmp_path, monkeypatch):
    """The dashboard uses the same reader and guard: no traceback, the good records stored."""
    import shutil

    from streamlit.testing.v1 import AppTest

    store = tmp_path / "incidents.gpkg"
    shutil.copy(seed_store, store)
    monkeypatch.setenv("CONFLICTMAP_STORE", str(store))
    at = AppTest.from_file("../streamlit_app.py", default_timeout=120)
    at.run()
    data = ("[" * 50_000 + "]" * 50_000 + "\n"
            + '{"id":"up1","text":"Armenian forces shelled Ganja on Monday, killing ' + "9" * 400 + ' civilians.",'
            '"published":"2020-10-01"}\n'
            + '{"id":"up2","text":"Shelling hit Kherson \\udc00 on Sunday, killing three civilians.",'
              '"published":"2024-03-05"}\n')
    at.file_uploader(key="up_files").upload("bad.jsonl", data.encode(), "application/json").run()
    at.button(key="ingest_go").click().run()
    assert not at.exception, at.exception
    assert any("bad.jsonl:1" in e.value and "nested too deeply" in e.value for e in at.error)
    assert {"up1", "up2"} <= set(stored(store))


# ---- defect 2: front matter and JSON parsed with limits


BOMB = "\n".join(["---", "title: Bomb", "a: &a [" + ",".join(['"lol"'] * 9) + "]"]
                 + [f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
                 + ["published: *i", "---", "Shelling hit Kharkiv on Monday.", ""])


def test_yaml_alias_bomb_in_front_matter_is_refused_quickly_in_little_memory(tmp_path):
    """594 bytes that expand to gigabytes: aliases are refused, in a process limited to 1 GB."""
    f = tmp_path / "bomb.txt"
    f.write_text(BOMB, encoding="utf-8")
    assert len(f.read_bytes()) < 700
    out, mb = peak_mb("import sys; from app.articles import read_inputs\nfor x in read_inputs([sys.argv[1]]): print(x)",
                      str(f), limit_mb=1024)
    assert "aliases" in out and f"{f}:1: bad front matter" in out
    assert mb < 200


def test_front_matter_depth_and_size_are_capped(tmp_path):
    deep = tmp_path / "deep.txt"
    deep.write_text("---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\nBody.\n", encoding="utf-8")
    long = tmp_path / "long.txt"
    long.write_text("---\ntitle: x\n" + "k: v\n" * 20_000 + "---\nBody.\n", encoding="utf-8")
    listed = tmp_path / "listed.txt"
    listed.write_text("---\npublished: [2020-01-01, 2020-01-02]\n---\nBody.\n", encoding="utf-8")
    (d,), (ln,), (ls,) = read_inputs([deep]), read_inputs([long]), read_inputs([listed])
    assert isinstance(d, InputProblem) and "nested more than" in d.message
    assert isinstance(ln, InputProblem) and "64,000 characters" in ln.message
    assert isinstance(ls, InputProblem) and "must be a date" in ls.message


# ---- defect 6: memory bounded on every path


def test_stdin_json_lines_are_read_as_they_arrive():
    """`ingest -` streams: the first record is read before standard input is closed."""
    p = subprocess.Popen([sys.executable, "-c", "from app.articles import read_inputs\n"
                          "for a in read_inputs(['-']): print(a.id, flush=True)"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT, text=True)
    try:
        p.stdin.write(json.dumps({"id": "first", "text": ODESA}) + "\n")
        p.stdin.flush()
        ready, _, _ = select.select([p.stdout], [], [], 60)
        assert ready, "nothing read before stdin was closed"
        assert p.stdout.readline().strip() == "first"
        p.stdin.write(json.dumps({"id": "second", "text": ODESA}) + "\n")
        p.stdin.close()
        assert p.stdout.read().split() == ["second"]
    finally:
        p.kill()
        p.wait()


def jsonl_of_reports(path: Path, size: int) -> Path:
    """JSON Lines of the project's real reports, replicated with distinct ids, up to ``size`` bytes."""
    reports = [(q.stem, q.read_text(encoding="utf-8")) for q in sorted((ROOT / "tests" / "reports").glob("*/*.txt"))]
    with path.open("w", encoding="utf-8") as f:
        n = 0
        while f.tell() < size:
            stem, text = reports[n % len(reports)]
            f.write(json.dumps({"id": f"{stem}-{n}", "text": text, "published": "2023-08-09"}) + "\n")
            n += 1
    return path


def test_stdin_of_fifty_megabytes_is_read_in_bounded_memory(tmp_path):
    src = jsonl_of_reports(tmp_path / "big.jsonl", 50_000_000)
    with src.open("rb") as f:
        out, mb = peak_mb("from app.articles import read_inputs\nn = sum(1 for _ in "
                          "read_inputs(['-']))\nprint(n)", stdin=f)
    assert int(out) > 5_000
    assert mb < 100, f"peak {mb} MB reading 50 MB from stdin"


def test_a_twenty_megabyte_record_is_read_in_parts_in_bounded_memory(tmp_path):
    f = tmp_path / "one.jsonl"
    para = "Shelling hit Kharkiv on Monday, killing two people, officials said. " * 30 + "\n\n"
    f.write_text(json.dumps({"id": "huge", "title": "Long", "text": para * (20_000_000 // len(para)),
                             "published": "2024-03-05"}) + "\n" + json.dumps({"id": "after", "text": ODESA}) + "\n")
    code = ("import sys; from app.articles import read_inputs\nfor a in read_inputs([sys.argv[1]]): "
            "print(a.id, len(a.text), a.origin, a.published)")
    out, mb = peak_mb(code, str(f))
    rows = [line.split() for line in out.splitlines()]
    assert len(rows) > 90 and rows[0][0] == "huge#part-1" and rows[-1][0] == "after"
    assert all(int(r[1]) <= 210_000 and r[3] == "2024-03-05" for r in rows[:-1])
    assert rows[1][2] == f"{f}:1#part-2"
    assert mb < 250, f"peak {mb} MB reading one 20 MB record"


def test_a_record_over_the_size_cap_is_refused_without_reading_it_whole(tmp_path, monkeypatch):
    import app.articles as A

    monkeypatch.setattr(A, "MAX_RECORD_BYTES", 10_000)
    monkeypatch.setattr(A, "STREAM_BYTES", 100)
    f = tmp_path / "b.jsonl"
    f.write_text(json.dumps({"id": "big", "text": "x " * 20_000}) + "\n"
                 + json.dumps({"id": "next", "text": ODESA}) + "\n")
    p, a = read_inputs([f])
    assert isinstance(p, InputProblem) and p.line == 1 and "record over" in p.message
    assert isinstance(a, Article) and a.id == "next" and a.origin == f"{f}:2"


def test_a_run_keeps_counts_not_incidents(gaz, tmp_path):
    """Without --out nothing per incident or per article is kept by the run."""
    arts = [Article(id=f"u{i}", text=ODESA.replace("two", str(i + 2))) for i in range(30)]
    arts += [InputProblem("x.jsonl", i, "malformed JSON") for i in range(1500)]
    with Store(tmp_path / "s.gpkg") as s:
        summary, incidents = ingest_items(arts, s, Pipeline(gaz))
    assert incidents == [] and summary.event_ids == []
    assert len(summary.undated_articles) <= 5 and summary.no_publication_date == 30
    assert summary.n_skipped == 1500 and len(summary.skipped) == 1000
    assert "  ... and 500 more not listed" in summary.lines()


# ---- defect 9: ingest --out checked before, recoverable after


def test_ingest_out_into_a_folder_is_refused_before_anything_is_stored(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"id": "x", "text": ODESA, "published": "2024-03-05"}) + "\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    r = run_app("ingest", f, "--store", tmp_path / "s.gpkg", "--out", tmp_path / "out", "--quiet")
    assert r.returncode != 0 and "is a folder" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "s.gpkg").exists()


def test_ingest_out_lost_to_a_full_disk_is_written_by_a_rerun(tmp_path, monkeypatch, capsys):
    """The GeoJSON write fails after the commit; the same command again writes every incident of the run."""
    import app.export
    from app import cli

    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"id": "x", "text": ODESA, "published": "2024-03-05"}) + "\n"
                 + json.dumps({"id": "y", "text": KHERSON, "published": "2024-03-05"}) + "\n", encoding="utf-8")
    store, out = tmp_path / "s.gpkg", tmp_path / "run.geojson"
    args = ["ingest", str(f), "--store", str(store), "--out", str(out), "--quiet"]

    def full(rows, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(app.export, "write_geojson", full)
    assert cli.main(args) == 1
    assert "No space left on device" in capsys.readouterr().err and not out.exists()
    monkeypatch.undo()
    assert cli.main(args) == 0
    err = capsys.readouterr().err
    assert "2 already in the store" in err and "wrote 2 incidents" in err
    feats = json.loads(out.read_text())["features"]
    assert sorted(x["properties"]["location"] for x in feats) == ["Kherson", "Odesa"]


# ---- defect 11: impossible dates in the text


def test_impossible_dates_in_a_report_are_not_stored_and_do_not_stretch_the_dashboard(tmp_path):
    from app.ui import data as D

    f = tmp_path / "dates.jsonl"
    f.write_text("\n".join(json.dumps({"id": f"d{i}", "text": t, "published": "2020-10-05"}) for i, t in enumerate([
        "Shelling hit Ganja on 1 January 9999, killing two civilians, officials said.",
        "Azerbaijani forces shelled Stepanakert in 0001, killing three civilians, officials said.",
        "Armenian forces shelled Tartar on 31 December 2099, killing four civilians, officials said.",
        "Armenian forces shelled Ganja on Sunday, killing one civilian, officials said.",
    ])) + "\n", encoding="utf-8")
    store = tmp_path / "s.gpkg"
    r = run_app("ingest", f, "--store", store, "--quiet")
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(store)
    try:
        days = [d for row in con.execute("SELECT event_date, date_start, date_end FROM incidents") for d in row if d]
    finally:
        con.close()
    assert days and all("2020-01-01" <= d <= "2020-10-06" for d in days), days
    opts = D.options(D.load_frame(store))
    assert opts["min_day"] >= dt.date(2020, 1, 1) and opts["max_day"] <= dt.date(2020, 10, 6)


# ---- defect 13: UTF-16, the summary's counts


@pytest.mark.parametrize("size", [2_000, 6_000_000])
def test_utf16_text_is_read_small_or_large(tmp_path, size):
    para = "Обстрел Харькова в понедельник, погибли двое мирных жителей, сообщили власти.\n\n"
    f = tmp_path / "u16.txt"
    f.write_bytes(("Заголовок\n\n" + para * (size // len(para.encode("utf-16")) + 1)).encode("utf-16"))
    got = list(read_inputs([f]))
    assert got and all(isinstance(a, Article) for a in got), got[:1]
    assert got[0].title == "Заголовок" and "Харькова" in got[-1].text
    assert (len(got) > 1) == (size > 4_000_000)


def test_summary_counts_each_incident_once_however_often_an_article_tells_it(gaz, tmp_path):
    class Twice(Pipeline):
        def process(self, article):
            done = super().process(article)
            return replace(done, incidents=done.incidents * 2)

    with Store(tmp_path / "s.gpkg") as s:
        summary, _ = ingest_items([Article(id="t", text=ODESA, published=dt.date(2024, 3, 5))], s, Twice(gaz))
    assert summary.incidents_new == 1 and sum(summary.kinds.values()) == 1
    assert ("incidents: 1 new, 0 merged into incidents already stored (new and merged by kind: 1 event)"
            in summary.lines())


# ---- property: arbitrary JSON Lines records never stop a batch, and every valid record is stored

WORDS = ["Kharkiv", "Odesa", "killed", "killing", "three", "civilians", "on Monday", "shelling", "struck", "said",
         ".", ",", "\n", "9" * 25, "99999999999999999999", "1,000,000,000", "\udc00", "\ud800x", "é", "🇺🇦", "'", '"']


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


valid_records = st.fixed_dictionaries(
    {"text": st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(lambda w: "Report " + " ".join(w))},
    optional={"published": st.sampled_from(["2020-10-01", "2024-03-05"]),
              "title": st.text(max_size=20),
              "extra": st.recursive(st.integers() | st.floats() | st.text(max_size=5) | st.just(int("9" * 60)),
                                    lambda c: (st.lists(c, max_size=3)
                                               | st.dictionaries(st.text(max_size=3), c, max_size=3)),
                                    max_leaves=10),
              "big": st.integers(min_value=20, max_value=3000).map(lambda n: int("9" * n)),
              "padding": st.integers(min_value=0, max_value=300_000).map(lambda n: "p" * n)})
invalid_lines = st.one_of(
    st.integers(min_value=1_500, max_value=20_000).map(deep),
    st.just("{not json"),
    st.sampled_from(['{"text": ""}', '{"text": 5}', "[1, 2]", '"a string"', '{"title": "no text"}',
                     '{"text": "x", "published": "2020-02-30"}', '{"text": "x", "id": ' + "9" * 5000 + "}"]),
)


PIPES: dict[int, Pipeline] = {}


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                                     HealthCheck.too_slow,
                                                                                     HealthCheck.data_too_large])
@given(st.lists(st.one_of(valid_records.map(lambda r: (True, r)), invalid_lines.map(lambda s: (False, s))),
                min_size=1, max_size=8))
def test_arbitrary_json_lines_records_never_stop_a_batch(gaz, records):
    pipe = PIPES.get(id(gaz)) or PIPES.setdefault(id(gaz), Pipeline(gaz))  # one pipeline for every example
    with tempfile.TemporaryDirectory() as td:
        f = Path(td) / "batch.jsonl"
        valid, lines = [], []
        for i, (ok, rec) in enumerate(records):
            if ok:
                rec = {**rec, "id": f"r{i}"}
                valid.append(rec["id"])
                lines.append(json.dumps(rec))
            else:
                lines.append(rec)
        f.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        with Store(Path(td) / "s.gpkg") as s:
            summary, _ = ingest([f], s, pipeline=pipe, progress=False)
            assert summary.failed == 0, summary.skipped
            assert summary.n_skipped == len(records) - len(valid), summary.skipped
            assert {a["article_id"] for a in s.articles()} == set(valid)
            assert all(r["fatalities"] is None or 0 <= r["fatalities"] <= P.MAX_FATALITIES for r in s.incidents())
