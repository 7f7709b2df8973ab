"""The gazetteer's public interface (typed entries, no rows), the committed test gazetteer the fast
tier runs on, and the rule that no module reads another's private names. All on the test
gazetteer: no full index needed."""

import ast
import json
from pathlib import Path

import pytest

from app.gazindex import Entry, read_rows, write_index
from app.models import Place, PlaceKind

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "data" / "gazetteer"


def test_entries_are_typed_records(small_gaz):
    entries = small_gaz.entries("kherson")
    assert entries and all(isinstance(e, Entry) for e in entries)
    city = next(e for e in entries if e.kind is PlaceKind.CITY and e.country_code == "UA")
    assert city.primary and city.population > 100_000 and not city.capital
    assert city.is_populated_place and city.kind == "city"  # the enum compares with Place.kind
    assert isinstance(city.place, Place) and city.place.name == city.name == "Kherson"
    assert city.id.startswith("geonames:") and city.admin1 == "Kherson" and "CC BY 4.0" in city.source
    assert city.point == (city.place.lat, city.place.lon)
    region = next(e for e in entries if e.kind is PlaceKind.REGION)
    assert region.area_km2 > 10_000 and region.place.geometry is not None
    assert small_gaz.get(city.id) == city.place
    assert small_gaz.entries("no such place anywhere") == ()


def test_entries_of_a_key_are_cached_and_immutable(small_gaz):
    assert small_gaz.entries("kherson") is small_gaz.entries("kherson")
    with pytest.raises(AttributeError):
        small_gaz.entries("kherson")[0].population = 1  # frozen


def test_namesakes_and_lookup_read_entries(small_gaz):
    # Kherson Oblast has its namesake city inside it; the city has none.
    kinds = (e.kind for e in small_gaz.entries("kherson"))
    by_kind = dict(zip(kinds, small_gaz.namesakes_for_key("kherson"), strict=True))
    assert by_kind[PlaceKind.REGION] and not by_kind[PlaceKind.CITY]
    (best, *_) = small_gaz.lookup("Kherson", country="UA", fuzzy=False)
    assert best.place.kind == "city" and best.place.country_code == "UA"


def test_the_test_gazetteer_is_sourced_and_small():
    rows = read_rows(SMALL)
    assert 200 <= len(rows) <= 2_000
    assert all(r.source for r in rows), "every place keeps its source and licence"
    assert all("CC BY 4.0" in r.source for r in rows if r.id.startswith("geonames:"))
    assert all("Natural Earth" in r.source for r in rows if r.id.startswith("ne:"))
    meta = json.loads((SMALL / "meta.json").read_text())
    assert meta["places"] == len(rows)


def test_the_test_gazetteer_keys_follow_the_current_folding_rules(tmp_path):
    """The committed keys are what write_index makes of the committed places today: a change to
    text.name_variants or to the index layout shows here, not as a puzzling rule test."""
    from app.gazetteer import Gazetteer

    write_index(read_rows(SMALL), tmp_path / "again")
    committed, again = Gazetteer.open(SMALL), Gazetteer.open(tmp_path / "again")
    keys = (SMALL / "keys.txt").read_text(encoding="utf-8").split("\n")
    assert sorted(keys) == sorted((tmp_path / "again" / "keys.txt").read_text(encoding="utf-8").split("\n")), (
        "the test gazetteer's keys are stale: run scripts/build_test_gazetteer.py")
    assert all(committed.entries(k) == again.entries(k) and [e.id for e in committed.entries(k)]
               == [e.id for e in again.entries(k)] for k in keys)


def _private_reads(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    yield f"{path}:{node.lineno}: imports {a.name}"
                modules.add(a.asname or a.name)
        elif isinstance(node, ast.Import):
            modules.update((a.asname or a.name).split(".")[0] for a in node.names)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name) and node.value.id in modules):
            yield f"{path}:{node.lineno}: reads {node.value.id}.{node.attr}"


def test_no_module_reads_another_modules_private_names():
    found = [hit for p in sorted((ROOT / "app").rglob("*.py")) + sorted((ROOT / "bench").rglob("*.py"))
             for hit in _private_reads(p)]
    assert not found, "\n".join(found)


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):  # at module level or inside a function alike
        if isinstance(node, ast.ImportFrom) and node.level == 1:  # from .x import y; from . import x
            out.update([node.module] if node.module else [a.name for a in node.names])
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize("module", ["gazindex", "userdata"])
def test_the_index_and_the_user_gazetteer_do_not_import_the_gazetteer(module):
    """gazetteer imports userdata (the user's layer) and gazindex (the index both write): the
    other way round would be a cycle again."""
    assert "gazetteer" not in _imported_modules(ROOT / "app" / f"{module}.py")
