"""Build the fast tier's test gazetteer, tests/data/gazetteer, from the full index.

1. Runs the fast tier (``pytest -m "not realdata"``) with ``small_gaz`` standing for the full
   index (CONFLICTMAP_TEST_GAZETTEER=full), recording every name key the code looks up, every
   key it tests for that the index holds, and every place id it fetches.
2. Writes, through ``app.gazindex.write_subset``, every place the full index holds under those
   keys (so each name's namesakes elsewhere come along: the distractors the rules must beat)
   or with those ids, in the index format, each row with its source and licence.
3. Runs the fast tier again on the result and says which tests still differ.

Run it after adding a fast-tier test that names new places, or after a change to the sources:
    .venv/bin/python scripts/build_test_gazetteer.py
A GeoNames release that drops or moves a place changes the next rebuild, never the committed copy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "gazetteer"
sys.path.insert(0, str(ROOT))


def record() -> tuple[set[str], set[str]]:
    """What the fast tier asks of the full index: the keys it looks up or finds, the ids it fetches."""
    import pytest

    from app.gazetteer import Gazetteer

    keys: set[str] = set()
    ids: set[str] = set()
    full: set[int] = set()  # the Gazetteers on the full index (not, say, the committed test gazetteer)
    entries, get, has_key, load = Gazetteer.entries, Gazetteer.get, Gazetteer.has_key, Gazetteer.load

    def rec_load(cls, *args, **kwargs):
        gaz = load.__func__(cls, *args, **kwargs)
        full.add(id(gaz))
        return gaz

    def rec_entries(self, key):
        if id(self) in full:
            keys.add(key)
        return entries(self, key)

    def rec_get(self, place_id):
        if id(self) in full:
            ids.add(place_id)
        return get(self, place_id)

    def rec_has_key(self, key):
        found = has_key(self, key)
        if found and id(self) in full:
            keys.add(key)
        return found

    Gazetteer.entries, Gazetteer.get, Gazetteer.has_key = rec_entries, rec_get, rec_has_key
    Gazetteer.load = classmethod(rec_load)
    os.environ["CONFLICTMAP_TEST_GAZETTEER"] = "full"
    try:
        # (not the tests of the committed copy itself, which is about to be replaced)
        code = pytest.main(["-q", "-m", "not realdata", "-k", "not test_the_test_gazetteer", "-p", "no:cacheprovider",
                            "-x", str(ROOT / "tests")])
    finally:
        Gazetteer.entries, Gazetteer.get, Gazetteer.has_key, Gazetteer.load = entries, get, has_key, load
        os.environ.pop("CONFLICTMAP_TEST_GAZETTEER")
    if code != 0:
        sys.exit(f"the fast tier fails on the full index (pytest exit {code}): fix that first")
    return keys, ids


def main() -> None:
    import shutil

    from app.gazetteer import build_base_index
    from app.gazindex import write_subset

    keys, ids = record()
    base = build_base_index()
    if OUT.exists():
        shutil.rmtree(OUT)
    rows = write_subset(base, OUT, sorted(keys), sorted(ids))
    (OUT / "meta.json").write_text(json.dumps({
        "places": len(rows), "keys_recorded": len(keys), "ids_recorded": len(ids), "built_from": base.name,
        "built_by": "scripts/build_test_gazetteer.py",
    }, indent=1) + "\n")
    with (OUT / "places.tsv").open("w", encoding="utf-8") as f:  # what is inside, for review and diffs
        f.write("id\tname\tkind\tcountry_code\tadmin1\tpopulation\tsource\n")
        for r in rows:
            f.write(f"{r.id}\t{r.name}\t{r.kind}\t{r.country_code}\t{r.admin1}\t{r.population}\t{r.source}\n")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} places for {len(keys)} keys and {len(ids)} ids")
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-m", "not realdata", "-p", "no:cacheprovider"],
                       cwd=ROOT)
    sys.exit(r.returncode)


if __name__ == "__main__":
    main()
