"""The Streamlit page with Streamlit's AppTest: filters, counts, ingest, errors."""

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from app.store import Store

pytestmark = pytest.mark.realdata
TIMEOUT = 120


@pytest.fixture
def app(seed_store, tmp_path, monkeypatch):
    store = tmp_path / "incidents.gpkg"
    shutil.copy(seed_store, store)
    monkeypatch.setenv("CONFLICTMAP_STORE", str(store))
    at = AppTest.from_file("../streamlit_app.py", default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at, store


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_page_shows_the_seed(app):
    at, _ = app
    assert metric(at, "Incidents") == "5"
    assert metric(at, "Unmapped (no place in the text)") == "2"
    assert len(at.session_state["filtered_ids"]) == 5


def test_filters_change_what_is_shown(app):
    at, _ = app
    at.multiselect(key="f_types").set_value(["Explosions/Remote violence"]).run()
    assert metric(at, "Incidents") == "1"
    assert len(at.session_state["filtered_ids"]) == 1
    at.multiselect(key="f_types").set_value([]).run()
    at.number_input(key="f_minfat").set_value(50).run()
    assert metric(at, "Incidents") == "2"
    table = at.dataframe[-1].value
    assert len(table) == 2


def test_ingest_pasted_text(app):
    at, store = app
    import datetime as dt

    at.text_input(key="paste_title").input("Drone strike on Kharkiv").run()
    at.text_area(key="paste_text").input(
        "Russian drones struck Kharkiv overnight, killing two civilians, the regional governor said.").run()
    at.date_input(key="paste_date").set_value(dt.date(2024, 3, 15)).run()
    at.button(key="ingest_go").click().run()
    assert not at.exception, at.exception
    assert any("reports added" in s.value for s in at.success)
    with Store(store) as s:
        assert s.counts()["articles"] == 2
    assert metric(at, "Incidents") == "6"


def test_bad_upload_shows_an_error_and_keeps_the_store(app):
    at, store = app
    with Store(store) as s:
        before = s.counts()
    at.file_uploader(key="up_files").upload("bad.jsonl", b'{"text": "fine"}\n{broken\n', "application/json").run()
    at.button(key="ingest_go").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any("bad.jsonl:2" in e and "malformed JSON" in e for e in errors), errors
    with Store(store) as s:
        assert s.counts()["incidents"] >= before["incidents"]


def test_a_report_without_a_publication_date_asks_for_one(app):
    """Issue 11: a report with no date at all is flagged loudly in the page, not only in the CLI."""
    at, _store = app
    report = "Drones struck Kherson on Tuesday, killing two civilians, officials said."
    at.text_area(key="paste_text").input(report).run()
    at.button(key="ingest_go").click().run()
    assert not at.exception, at.exception
    assert any("no publication date" in w.value and "Published" in w.value for w in at.warning)
