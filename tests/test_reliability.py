"""Bad and hostile input, interrupted writes, two writers at once."""

import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus_eval import load_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.articles import Article, InputProblem, read_inputs
from app.store import Store, StoreError

pytestmark = pytest.mark.realdata
ROOT = Path(__file__).resolve().parent.parent


def batch(path: Path, n_copies: int, start: int = 0) -> Path:
    """A JSON Lines batch of distinct articles made from the labelled corpus."""
    corpus = load_corpus()
    with path.open("w", encoding="utf-8") as f:
        k = 0
        for copy in range(n_copies):
            for item in corpus:
                if k >= start:
                    f.write(json.dumps({"id": f"{item['id']}-{copy}", "title": item["title"],
                                        "text": item["text"] + f"\n\n(Report {copy}.)", "published": item["published"],
                                        "publisher": item["publisher"], "url": item["url"]}) + "\n")
                k += 1
    return path


def ingest(store: Path, *inputs, check=True, **kw):
    return subprocess.run([sys.executable, "-m", "app", "ingest", *map(str, inputs), "--store", str(store), "--quiet"],
                          capture_output=True, text=True, timeout=600, check=check, **kw)


def whole_articles(store: Path) -> None:
    con = sqlite3.connect(store)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = con.execute("SELECT a.article_id, a.n_incidents, (SELECT count(DISTINCT event_id) FROM "
                           "incident_sources s "
                           "WHERE s.article_id = a.article_id) FROM articles a").fetchall()
        assert rows
        for aid, n, stored in rows:
            assert n == stored, f"{aid}: {stored} of its {n} incidents stored"
        orphans = con.execute("SELECT count(*) FROM incident_sources WHERE article_id NOT IN (SELECT article_id FROM "
                              "articles)").fetchone()[0]
        assert orphans == 0
        dup = con.execute("SELECT count(*) FROM (SELECT event_id, article_id FROM incident_sources GROUP BY 1, 2 "
                          "HAVING count(*) > 1)").fetchone()[0]
        assert dup == 0
    finally:
        con.close()


def counts(store: Path) -> dict:
    with Store(store) as s:
        return s.counts()


def test_sigkill_mid_batch_leaves_whole_articles_and_a_rerun_completes(tmp_path):
    src = batch(tmp_path / "batch.jsonl", 10)  # 160 articles
    store = tmp_path / "s.gpkg"
    proc = subprocess.Popen([sys.executable, "-m", "app", "ingest", str(src), "--store", str(store), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    n = 0
    while time.time() < deadline:
        time.sleep(0.05)
        if store.exists():
            try:
                con = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=1)
                n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
                con.close()
            except sqlite3.Error:
                continue
        if n >= 15:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = counts(store)
    assert 0 < partial["articles"] < 160, partial
    whole_articles(store)
    ingest(store, src)  # the rerun completes the batch ...
    whole_articles(store)
    full = tmp_path / "full.gpkg"
    ingest(full, src)
    assert counts(store) == counts(full)  # ... with nothing twice


def test_two_processes_ingest_one_store_at_once(tmp_path):
    a = batch(tmp_path / "a.jsonl", 3)  # copies 0-2
    b_all = batch(tmp_path / "b_all.jsonl", 5)
    b = tmp_path / "b.jsonl"  # copies 1-4: overlaps a
    b.write_text("".join(line for line in b_all.read_text().splitlines(keepends=True)
                         if not json.loads(line)["id"].endswith("-0")), encoding="utf-8")
    store = tmp_path / "s.gpkg"
    Store(store).close()  # both writers open an existing store
    p1 = subprocess.Popen([sys.executable, "-m", "app", "ingest", str(a), "--store", str(store), "--quiet"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p2 = subprocess.Popen([sys.executable, "-m", "app", "ingest", str(b), "--store", str(store), "--quiet"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out1, out2 = p1.communicate(timeout=600), p2.communicate(timeout=600)
    assert p1.returncode == 0, out1
    assert p2.returncode == 0, out2
    whole_articles(store)
    single = tmp_path / "single.gpkg"
    ingest(single, b_all)
    assert counts(store) == counts(single)


def test_locked_store_fails_clearly(tmp_path):
    store = tmp_path / "s.gpkg"
    Store(store).close()
    holder = sqlite3.connect(store, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store(store, lock_timeout=0.5) as s, pytest.raises(StoreError, match="locked by another process"):
            s.add(Article(id="x", text="t"), [])
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# ---- inputs


def test_fifty_megabytes_of_text_are_read_in_bounded_parts(tmp_path):
    big = tmp_path / "big.txt"
    para = "Shelling hit Kharkiv on Monday, killing two people, officials said. " * 30 + "\n\n"
    with big.open("w", encoding="utf-8") as f:
        f.write("A very long report\n\n")
        while f.tell() < 50_000_000:
            f.write(para)
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so the child would report pytest's peak.
    code = ("import sys; from app.articles import read_inputs, Article; "
            "n = m = 0\nfor a in read_inputs([sys.argv[1]]):\n  n += 1; m = max(m, len(a.text))\n"
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
            "print(n, m, int(hwm) // 1024)")
    r = subprocess.run([sys.executable, "-c", code, str(big)], capture_output=True, text=True, timeout=300, check=True)
    parts, longest, peak_mb = map(int, r.stdout.split())
    assert parts > 200 and longest <= 210_000
    assert peak_mb < 250, f"peak {peak_mb} MB while reading a 50 MB file"


def test_a_long_text_is_ingested_part_by_part(tmp_path):
    big = tmp_path / "long.txt"
    body = ("Russian drones struck Odesa on Monday, killing two civilians, the governor said.\n\n"
            + "Residents described a long night of explosions across the city. " * 40 + "\n\n") * 120
    big.write_text("---\ntitle: Long report\npublished: 2024-03-06\n---\n" + body, encoding="utf-8")
    assert big.stat().st_size < 4_000_000
    import app.articles as A

    parts = list(read_inputs([big]))
    assert len(parts) == 1  # below the streaming threshold: one article
    old = A.STREAM_BYTES
    try:
        A.STREAM_BYTES = 100_000
        parts = list(read_inputs([big]))
    finally:
        A.STREAM_BYTES = old
    assert len(parts) > 1 and all(isinstance(p, Article) for p in parts)
    assert parts[1].id.endswith("#part-2") and parts[1].published == parts[0].published
    assert sum(len(p.text) for p in parts) >= len(body) - 10


@pytest.mark.parametrize("text", [
    "Հայաստան Ադրբեջան Ստեփանակերտ Ağdərə Xankəndi Şuşa Харьков Донецк حلب إدلب 北京 🇺🇦 \u202e\u200b",
    "Kharkiv Kherson Odesa Aleppo Idlib Gao Goma Tripoli Stepanakert Martakert " * 50,
    "x" * 1_000_000,
    "\n\n\n" + " " * 1000 + "\t\r\n",
    "On 2020-02-30 nothing happened. Killing killed dead 999999999999999999999 people.",
])
def test_odd_texts_do_not_crash(gaz, text):
    from app.pipeline import Pipeline

    done = Pipeline(gaz).process(Article(id="odd", text=text))
    for inc in done.incidents:
        assert (inc.lat is None) == (inc.lon is None)
        if inc.lat is not None:
            assert -90 <= inc.lat <= 90 and -180 <= inc.lon <= 180


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=600) | st.lists(st.sampled_from(
    ["Kharkiv", "killed", "three", "civilians", "on Monday", "Mr", "the village of", ",", ".", "\n", "Azerbaijani",
     "shelling", "said", "Nagorno-Karabakh", "since Sunday", "denied", "US", "Ağdərə", "’s", "more than", "100"]),
    max_size=60).map(" ".join))
def test_arbitrary_text_never_crashes(gaz, text):
    import datetime as dt

    from app.pipeline import Pipeline

    cached = getattr(test_arbitrary_text_never_crashes, "pipe", None)
    pipe = test_arbitrary_text_never_crashes.pipe = cached or Pipeline(gaz)
    done = pipe.process(Article(id="h", text=text or "x", published=dt.date(2024, 3, 6)))
    for inc in done.incidents:
        assert (inc.lat is None) == (inc.lon is None)
        if inc.lat is not None:
            assert -90 <= inc.lat <= 90 and -180 <= inc.lon <= 180
        assert inc.fatalities is None or inc.fatalities >= 0


@pytest.mark.parametrize("payload, message", [
    (b"", "empty"), (b"   \n\t ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 40, "binary"),
])
def test_empty_and_binary_files_named_clearly(tmp_path, payload, message):
    f = tmp_path / "input.txt"
    f.write_bytes(payload)
    (p,) = list(read_inputs([f]))
    assert isinstance(p, InputProblem) and message in p.message and str(f) in str(p)


def test_legacy_encodings_are_decoded(tmp_path):
    f = tmp_path / "latin1.txt"
    f.write_bytes("Attaque à Gao\n\nDes tirs d'obus ont frappé Gao mardi, a déclaré l'armée "
                  "malienne.".encode("latin-1"))
    (a,) = list(read_inputs([f]))
    assert isinstance(a, Article) and "frappé" in a.text


# ---- safe defaults


def test_server_defaults_are_safe():
    import tomllib

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["address"] == "127.0.0.1"
    assert cfg["server"]["enableXsrfProtection"] is True
    assert 0 < cfg["server"]["maxUploadSize"] <= 50
    assert cfg["browser"]["gatherUsageStats"] is False
    readme = (ROOT / "README.md").read_text()
    assert f"{cfg['server']['maxUploadSize']} MB" in readme


def test_no_pickle_or_eval_of_user_data():
    for p in (ROOT / "app").rglob("*.py"):
        src = p.read_text()
        assert not re.search(r"import (?:pickle|marshal|shelve)|pickle\.loads?\(|allow_pickle=True|\beval\(|\bexec\(|"
                             r"yaml\.load\(|yaml\.unsafe_load", src), p
