"""The browser assets of the map, local and pinned: no request leaves the machine.

Our own: ``js/``, ``css/`` and the Jinja ``templates/`` beside this module, shipped with
the package and read with importlib.resources (``asset``, ``ENV``); mapview puts them
into the map the way folium does, as MacroElement templates.

Third-party: folium loads Leaflet, jQuery, Bootstrap and icon fonts from CDNs. The map
here needs only Leaflet (circle markers, polygons, and popups and a legend built with
DOM calls), so Leaflet is the one third-party asset. It comes from the npm registry at
set-up time (``python -m app.ui.assets fetch``, run by scripts/setup.sh): ``npm ci``
against the committed package-lock.json (sha512 of the tarball), then every file is
checked against the sha256 below before it is put in ``static/vendor/`` (served by
Streamlit as /app/static/...). Nothing third-party is committed.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

ROOT = Path(__file__).resolve().parent.parent.parent
VENDOR_SPEC = Path(__file__).resolve().parent / "vendor"  # package.json + package-lock.json
STATIC = ROOT / "static"
LEAFLET_VERSION = "1.9.3"
LEAFLET_DIR = STATIC / "vendor" / f"leaflet-{LEAFLET_VERSION}"
URL_PREFIX = "/app/static"  # Streamlit's static file serving

# file inside the npm package -> sha256 of its content
LEAFLET_FILES = {
    "dist/leaflet.js": "5819285cec137b229c94e1ee5ad73e8b6b84345a4367d60f75fe477fe0fb7b03",
    "dist/leaflet.css": "90b693d86392a4779c861b28cf307e7e59c3fb35328c4d8b95f58f814d38c722",
    "dist/images/layers.png": "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6",
    "dist/images/layers-2x.png": "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf",
    "dist/images/marker-icon.png": "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437",
    "dist/images/marker-icon-2x.png": "00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528",
    "dist/images/marker-shadow.png": "264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da",
    "LICENSE": None,  # kept beside the code it licenses
}


class AssetError(RuntimeError):
    pass


# Inline text that would end its element (or open an HTML comment in a script) early.
_CLOSERS = {".js": ("</script", "<!--"), ".css": ("</style",), ".html": ()}


# JSON for a <script>: plain ASCII (every non-ASCII character, U+2028 and U+2029 among
# them, as a \u escape), compact, and no NaN (not JSON).
JSON_KWARGS: dict[str, Any] = {"ensure_ascii": True, "separators": (",", ":"), "allow_nan": False}


@cache
def asset(name: str) -> str:
    """The text of one of our own browser files, e.g. 'js/conflictmap.js', to inline
    (refused if it would end its element early)."""
    return inlinable(name, resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


def inlinable(name: str, text: str) -> str:
    """``text`` (the file ``name``) unchanged, if it can be put inside its <script> or
    <style> element as it is; AssetError if it would end the element early."""
    for closer in _CLOSERS[Path(name).suffix]:
        if closer in text.lower():
            raise AssetError(f"{name} contains {closer!r}, which would end its element in the page")
    return text


def script_json(obj: Any) -> str:
    """``obj`` as JSON that is safe inside a <script>: jinja2's htmlsafe_json_dumps (the
    ``|tojson`` filter folium's templates use) escapes <, >, & and ', so the text cannot
    end the script or open a comment. A plain str: a markupsafe.Markup would HTML-escape
    whatever str it is added to (streamlit-folium joins the layers' scripts with +)."""
    return str(jinja2.utils.htmlsafe_json_dumps(obj, **JSON_KWARGS))


def _environment() -> jinja2.Environment:
    """The map's templates. Not autoescaped (as folium's are not): they write JavaScript,
    and an autoescaped macro returns Markup, which HTML-escapes the plain strings that
    streamlit-folium adds to it. So data goes in only as ``script_json`` made it, or
    through ``|tojson`` (the same escaping), never as bare ``{{ text }}``."""
    env = jinja2.Environment(loader=jinja2.PackageLoader(__package__, "templates"), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.policies["json.dumps_kwargs"] = dict(JSON_KWARGS)
    env.globals["asset"] = asset
    return env


ENV = _environment()


def _sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def local_path(name: str) -> Path:
    """'leaflet.js' -> static/vendor/leaflet-1.9.3/leaflet.js."""
    return LEAFLET_DIR / name


def missing() -> list[str]:
    """Files absent or not matching their pinned hash."""
    bad = []
    for src, digest in LEAFLET_FILES.items():
        p = LEAFLET_DIR / src.removeprefix("dist/")
        if not p.exists() or (digest and _sha256(p) != digest):
            bad.append(str(p))
    return bad


def ensure() -> None:
    if missing():
        raise AssetError(
            f"map assets missing or altered in {LEAFLET_DIR}: run `python -m app.ui.assets fetch` "
            "(scripts/setup.sh does it)"
        )


def fetch() -> Path:
    """npm ci the pinned lockfile in a temporary folder, check every file, install into static/."""
    if not missing():
        return LEAFLET_DIR
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError("npm is needed once, at set-up, to fetch Leaflet (apt-get install npm)")
    with tempfile.TemporaryDirectory() as td:
        work = Path(td)
        for f in ("package.json", "package-lock.json"):
            shutil.copy(VENDOR_SPEC / f, work / f)
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], cwd=work,
                       check=True, stdout=subprocess.DEVNULL)
        pkg = work / "node_modules" / "leaflet"
        staged = work / "staged"
        for src, digest in LEAFLET_FILES.items():
            p = pkg / src
            if not p.exists():
                raise AssetError(f"leaflet@{LEAFLET_VERSION} from npm has no {src}")
            if digest and _sha256(p) != digest:
                raise AssetError(f"leaflet@{LEAFLET_VERSION} {src}: sha256 {_sha256(p)} is not the pinned {digest}")
            dest = staged / src.removeprefix("dist/")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, dest)
        if LEAFLET_DIR.exists():
            shutil.rmtree(LEAFLET_DIR)
        LEAFLET_DIR.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged), LEAFLET_DIR)
    return LEAFLET_DIR


def url(name: str) -> str:
    return f"{URL_PREFIX}/vendor/leaflet-{LEAFLET_VERSION}/{name}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["fetch"]:
        print(f"map assets ready in {fetch()}")
        return 0
    if argv[:1] == ["check"]:
        bad = missing()
        for b in bad:
            print(f"missing or altered: {b}", file=sys.stderr)
        return 1 if bad else 0
    print("usage: python -m app.ui.assets fetch|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
