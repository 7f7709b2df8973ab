"""The command line as other tools call it: a subprocess, its JSON, its exit status."""

import json
import subprocess
import sys

import pytest

from app.cli import build_parser
from app.geo import haversine_km

pytestmark = pytest.mark.realdata


def run(*args):
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=120)


def test_geocode_json_contract():
    r = run("geocode", "Martakert", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    first = data[0]
    for key in ("name", "kind", "country_code", "admin1", "lat", "lon", "population", "id", "source", "score"):
        assert key in first
    assert haversine_km(first["lat"], first["lon"], 40.2113, 46.8214) < 3
    assert first["geometry"]["type"] == "Point"


def test_geocode_region_has_polygon_and_area():
    data = json.loads(run("geocode", "Nagorno-Karabakh", "--json").stdout)
    assert data[0]["kind"] == "region"
    assert 4200 <= data[0]["area_km2"] <= 4600
    assert data[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_geocode_country_preference():
    data = json.loads(run("geocode", "Martuni", "--country", "AZ", "--json", "--no-geometry").stdout)
    assert data[0]["country_code"] == "AZ"
    assert "geometry" not in data[0]


def test_geocode_no_match_exits_1_with_message():
    r = run("geocode", "Qxzqxzqx")
    assert r.returncode == 1
    assert "no place matches" in r.stderr
    assert r.stdout == ""


def test_gazetteer_import_bad_file_exit_status(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("name,lat,lon\nX,100,0\n", encoding="utf-8")
    r = run("gazetteer", "import", str(f), "--user-db", str(tmp_path / "u.sqlite"))
    assert r.returncode == 2
    assert f"{f}:2" in r.stderr


def _subparsers(parser):
    for action in parser._actions:
        if action.__class__.__name__ == "_SubParsersAction":
            yield from action.choices.items()


@pytest.mark.realdata
def test_every_command_has_help_text():
    parser = build_parser()
    stack = list(_subparsers(parser))
    assert stack
    while stack:
        name, sub = stack.pop()
        assert sub.description, f"{name} has no description"
        for action in sub._actions:
            if action.dest != "help" and action.__class__.__name__ != "_SubParsersAction":
                assert action.help, f"{name}: {action.dest} has no help"
        stack.extend(_subparsers(sub))
