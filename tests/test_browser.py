"""End to end in a real browser: Debian's chromium driven by Playwright against
`streamlit run`, with every request to another host aborted and counted."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = [pytest.mark.browser, pytest.mark.realdata]
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


HOSTILE = '<img src=x onerror="window.__pwned=1;alert(1)"><script>window.__pwned=2</script>'


def add_hostile_article(store: Path) -> None:
    """A report whose every field tries to run script: it must show as text."""
    import datetime as dt

    from app.articles import Article
    from app.gazetteer import Gazetteer
    from app.pipeline import Pipeline
    from app.store import Store

    art = Article(id="hostile", title=f"Strike {HOSTILE}", publisher=f'Evil "><b>Press</b> {HOSTILE}',
                  url="javascript:window.__pwned=3", published=dt.date(2020, 9, 30),
                  text=f"Azerbaijani drones struck Hadrut on Wednesday, killing two civilians, {HOSTILE} "
                       "officials said.")
    with Store(store) as s:
        s.add(art, Pipeline(Gazetteer.load(user_db=False)).process(art).incidents)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(seed_store, tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: scripts/test.sh installs it (apt-get install chromium)")
    store = tmp_path_factory.mktemp("browser") / "incidents.gpkg"
    shutil.copy(seed_store, store)
    add_hostile_article(store)
    port = free_port()
    env = dict(os.environ, CONFLICTMAP_STORE=str(store))
    log = open(store.parent / "streamlit.log", "wb")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + (store.parent / "streamlit.log").read_text(errors="replace")[-2000:])
    yield url
    log.close()
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright

    external: list[str] = []
    local = re.compile(r"^(?:https?|wss?)://(?:127\.0\.0\.1|localhost)(?::\d+)?/")
    with sync_playwright() as p:
        # Every request to another host goes to a proxy that is not there, so it fails at once;
        # the listener counts them. (Routing every request through Python instead slows the
        # page's lazy-loaded scripts enough to stall it.)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + ["--proxy-server=http://127.0.0.1:9"])
        context = browser.new_context(viewport={"width": 1500, "height": 1500}, accept_downloads=True)
        context.on("request", lambda r: external.append(r.url)
                   if re.match(r"^(?:https?|wss?)://", r.url) and not local.match(r.url) else None)
        page = context.new_page()
        page.goto(server)
        yield page, external
        browser.close()


def settle(page) -> None:
    """Ask for a rendered frame: headless Chromium otherwise lets the page's lazy
    elements (and so the map's iframe) wait."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                  "r(document.body.getBoundingClientRect().height)))")


def app_idle(page, timeout_s: float = 60) -> None:
    """Wait until the app's script has finished its run: a click during a rerun can be lost."""
    page.wait_for_function("""() => { const a = document.querySelector('[data-testid="stApp"]');
        const s = a && a.getAttribute('data-test-script-state');
        return s && s !== 'running' && s !== 'rerunRequested'; }""", timeout=timeout_s * 1000)


def download(page, button: str):
    """Click a download button once the app is idle, and the file it sends. A click that a
    rerun swallowed (no download event) is clicked again, up to three times."""
    last = None
    target = page.get_by_role("button", name=button)
    for _ in range(3):
        app_idle(page)
        settle(page)
        try:
            target.scroll_into_view_if_needed(timeout=30000)
            # The file is made on the server when the button is clicked (the button shows a spinner
            # meanwhile); on a loaded machine that takes a while: wait for it, do not click again.
            with page.expect_download(timeout=120000) as dl:
                target.click(timeout=60000)
            return dl.value
        except PlaywrightTimeout as e:
            last = e
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"no-download-{button}.png"), full_page=True)
    raise AssertionError(f"no download from the {button!r} button (screenshot in tests/artifacts): {last}")


# The map's incident columns, read in the page through the component iframe (same origin), or null
# while the iframe is (re)built: waits poll this on animation frames, never on fixed sleeps.
MAP_COUNT_JS = """() => { const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
    const d = f && f.contentWindow && f.contentWindow.conflictmapIncidents;
    return d ? {n: d.cols.lat.length} : null; }"""


def map_frame(page):
    """The map's iframe, once its incidents are drawn."""
    settle(page)
    try:
        page.wait_for_function(MAP_COUNT_JS, timeout=60000)
    except PlaywrightTimeout:
        raise AssertionError("the map did not render in the component iframe: "
                             f"{page.evaluate('document.body.innerText')[:800]}") from None
    return next(f for f in page.frames if "streamlit_folium" in f.url
                and f.evaluate("window.conflictmapIncidents !== undefined"))


def marker_count(page, expect: int | None = None) -> int:
    """How many incidents the map draws; with ``expect``, once it draws that many (a filter's rerun)."""
    settle(page)
    if expect is None:
        return page.wait_for_function(MAP_COUNT_JS, timeout=30000).json_value()["n"]
    js = f"() => {{ const c = ({MAP_COUNT_JS})(); return c && c.n === {expect} ? c : null; }}"
    return page.wait_for_function(js, timeout=30000).json_value()["n"]


def click_marker(page, frame, location: str):
    """Click the canvas marker of the incident at ``location`` on its pixel; the popup."""
    xy = frame.evaluate("""(name) => { const D = window.conflictmapIncidents, C = D.cols;
        const i = C.loc.findIndex(k => D.tables.loc[k] === name);
        const p = window.conflictmapMap.latLngToContainerPoint([C.lat[i], C.lon[i]]); return [p.x, p.y]; }""", location)
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    return popup


def test_dashboard_end_to_end(browser_page):
    page, external = browser_page
    frame = map_frame(page)
    assert marker_count(page) == 3  # Martakert, Tonashen, Hadrut; Nagorno-Karabakh is drawn as its polygon
    page.wait_for_load_state("networkidle")  # the base map has arrived: then the picture
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"))

    # the Martakert marker's popup, by a real click on its pixel
    popup = click_marker(page, frame, "Martakert")
    text = popup.inner_text()
    assert "Fatalities\t3" in text or re.search(r"Fatalities\s+3", text), text
    assert "Armenian media" in text
    assert "Explosions/Remote violence" in text and "Martakert" in text
    # ... and its full record beside the map
    record = page.get_by_test_id("stTable").first
    record.wait_for(timeout=20000)
    assert "Armenian media" in record.inner_text() and "Martakert" in record.inner_text()
    page.keyboard.press("Escape")

    # a date filter changes the number of markers
    day = page.get_by_role("spinbutton", name="day, Until")
    day.click()
    page.keyboard.press("ArrowDown")  # 2020-09-30 -> 2020-09-29
    page.get_by_text("Conflict-incident map").first.click()  # the date is committed on blur
    assert marker_count(page, expect=0) == 0  # the filtered map, however long its rerun takes
    assert day.get_attribute("aria-valuenow") == "29"
    shown = int(page.locator('[data-testid="stMetric"]').filter(has_text="Incidents").locator(
        '[data-testid="stMetricValue"]').inner_text())
    assert shown == 1  # the SU-25 report, unmapped

    # the GeoJSON download holds exactly the filtered incidents
    fc = json.loads(Path(download(page, "GeoJSON").path()).read_text())
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    assert len(fc["features"]) == shown
    assert fc["features"][0]["properties"]["event_date"] == "2020-09-29"

    assert external == [], f"requests left the machine: {external}"


def test_standalone_html_map_runs_no_hostile_script(tmp_path, browser_page):
    from app.ui.mapview import MapOptions, build_map, standalone_html

    row = {"event_id": "e1", "kind": "event", "event_type": "Battles", "event_date": "2020-09-30", "actor1": HOSTILE,
           "fatalities": 1, "location": HOSTILE, "latitude": 40.2, "longitude": 46.8, "claimed_by": HOSTILE,
           "source": HOSTILE, "source_url": "javascript:window.__pwned=3", "notes": HOSTILE}
    out = tmp_path / "map.html"
    out.write_text(standalone_html(build_map([row], options=MapOptions(offline_assets="inline", height="100%"))))
    main_page, external = browser_page
    before = len(external)
    page = main_page.context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(out.as_uri())
    page.wait_for_function("window.conflictmapMap !== undefined")
    xy = page.evaluate("() => { const p = window.conflictmapMap.latLngToContainerPoint([40.2, 46.8]); return [p.x, "
                       "p.y]; }")
    page.mouse.click(*xy)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    assert "<script>" in popup.inner_text() and popup.locator("img, script").count() == 0
    assert page.evaluate("window.__pwned === undefined") and dialogs == []
    assert external[before:] == []
    page.close()


def test_region_label_is_text(tmp_path, browser_page):
    """A region's name (a user can import places) shows as text in its tooltip and popup."""
    from shapely.geometry import box

    from app.ui.mapview import MapOptions, build_map, standalone_html

    row = {"event_id": "r1", "kind": "event", "event_type": "Battles", "event_date": "2020-09-30", "fatalities": 1,
           "location": "a region", "latitude": 40.0, "longitude": 46.5, "region_id": "user:1", "place_kind": "region"}
    region = (box(46, 39.5, 47, 40.5), HOSTILE, "region", None, None)
    out = tmp_path / "region.html"
    out.write_text(standalone_html(build_map([row], lambda pid: region,
                                             options=MapOptions(offline_assets="inline", height="100%"))))
    page = browser_page[0].context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(out.as_uri())
    page.wait_for_function("window.conflictmapMap !== undefined")
    page.evaluate("""() => { window.conflictmapMap.eachLayer(l => {
        if (l instanceof L.GeoJSON && l.options.pane === "areas") {
            l.openTooltip([40, 46.5]); l.openPopup([40, 46.5]); } }); }""")
    for sel in (".leaflet-tooltip", ".leaflet-popup-content"):
        shown = page.locator(sel)
        shown.wait_for(timeout=10000)
        assert "<script>window.__pwned=2</script>" in shown.inner_text()
        assert shown.locator("img, script").count() == 0
    assert page.evaluate("window.__pwned === undefined") and dialogs == []
    page.close()


def test_marker_size_by_fatalities(tmp_path, browser_page):
    """The one marker-radius formula (cmMarkerRadius in app/ui/js/conflictmap.js): 4 px with no
    fatalities reported, growing with the square root of the count, capped at 22 px; the markers
    and the legend's dots both use it."""
    from app.ui.mapview import MapOptions, build_map, standalone_html

    fatalities = [None, 0, 3, 50, 1000]
    rows = [{"event_id": f"e{i}", "kind": "event", "event_type": "Battles", "event_date": "2020-09-30",
             "fatalities": f, "location": f"Town {i}", "latitude": 40.2 + i / 10, "longitude": 46.8}
            for i, f in enumerate(fatalities)]
    out = tmp_path / "sizes.html"
    out.write_text(standalone_html(build_map(rows, options=MapOptions(offline_assets="inline", height="100%"))))
    page = browser_page[0].context.new_page()
    page.goto(out.as_uri())
    page.wait_for_function("window.conflictmapMap !== undefined")
    radius = page.evaluate("(fs) => fs.map(cmMarkerRadius)", fatalities)
    assert radius == pytest.approx([4, 4, 4 + 2.2 * 3 ** 0.5, 4 + 2.2 * 50 ** 0.5, 22])
    drawn = page.evaluate("""() => { const r = []; window.conflictmapMap.eachLayer(l => {
        if (l instanceof L.CircleMarker) r.push([l.incidentIndex, l.options.radius]); }); return r; }""")
    assert sorted(drawn) == [[i, pytest.approx(r)] for i, r in enumerate(radius)]
    dots = page.evaluate("() => Array.from(document.querySelectorAll('.cm-legend i:not(.sq)')).map(e => e.style.width)")
    assert dots[-3:] == [f"{2 * r:g}px" for r in page.evaluate("[0, 5, 50].map(cmMarkerRadius)")]
    page.close()


def test_hostile_text_is_shown_as_text(browser_page):
    page, external = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.reload()
    frame = map_frame(page)
    popup = click_marker(page, frame, "Hadrut")
    assert "<script>window.__pwned=2</script>" in popup.inner_text()  # shown, literally
    assert popup.locator("img, script, b").count() == 0  # nothing injected
    assert popup.locator("a[href^='javascript']").count() == 0  # no javascript: link
    settle(page)  # a rendered frame after the popup: any injected handler would have run
    assert dialogs == []
    assert frame.evaluate("window.__pwned === undefined") and page.evaluate("window.__pwned === undefined")
    # the table on the page shows the title as text too
    assert page.locator("img[src='x']").count() == 0
    assert external == []
