"""Matching extracted incidents to the labelled ones in tests/corpus/, field by field.

An expected incident is matched to the extracted incident whose evidence sentence
contains (or is contained in) the labelled evidence sentence. Fields are compared
the way an analyst would: fatalities 0 and empty are the same ("none reported");
actors by the country or group they name; claimants by shared words.
"""

from __future__ import annotations

import re
from collections import Counter

from app.geo import haversine_km

COMPARED = ("kind", "event_type", "event_date", "fatalities", "location", "actor1", "actor2", "claimed_by",
            "disputed_by")
FIELDS = ("found", *COMPARED)


def _words(s: str | None) -> set[str]:
    common = {"the", "and", "for", "forces", "military", "of"}
    return {w for w in re.findall(r"[a-z]{3,}", (s or "").lower()) if w not in common}


def _same_party(a: str | None, b: str | None) -> bool:
    if not a and not b:
        return True
    if not a or not b:
        return False
    wa, wb = _words(a), _words(b)
    return bool(wa & wb)


def _same_actor(a: str | None, b: str | None) -> bool:
    def norm(s):
        return re.sub(r"\(.*?\)", "", s or "").strip().lower()
    if not a and not b:
        return True
    if not a or not b:
        return False
    if norm(a) == norm(b):
        return True
    return _same_party(a, b) and ("civilians" in norm(a)) == ("civilians" in norm(b))


def match(expected: dict, incidents: list) -> object | None:
    ev = expected["evidence"].strip()
    for inc in incidents:
        e = inc.evidence.strip()
        if ev in e or e in ev or (len(ev) > 40 and ev[:40] in e):
            return inc
    return None


def compare(expected: dict, inc, gaz=None) -> dict[str, bool]:
    out = {f: False for f in FIELDS}
    if inc is None:
        return out
    out["found"] = True
    out["kind"] = inc.kind == expected["kind"]
    out["event_type"] = inc.event_type == expected["event_type"]
    exp_date = expected.get("event_date")
    got = inc.event_date.isoformat() if inc.event_date else None
    out["event_date"] = got == exp_date or expected["kind"] == "aggregate_report"
    ef, gf = expected.get("fatalities"), inc.fatalities
    out["fatalities"] = (ef or None) == (gf or None)
    loc = expected.get("location")
    if not loc:
        out["location"] = inc.lat is None
    else:
        out["location"] = bool(inc.location) and (
            _same_party(loc, inc.location) or (inc.place_id and gaz is not None and _near(gaz, loc, inc)))
    out["actor1"] = _same_actor(expected.get("actor1"), inc.actor1)
    out["actor2"] = _same_actor(expected.get("actor2"), inc.actor2)
    out["claimed_by"] = _same_party(expected.get("claimed_by"), inc.claimed_by)
    out["disputed_by"] = _same_party(expected.get("disputed_by"), inc.disputed_by)
    return out


def _near(gaz, name: str, inc) -> bool:
    cands = gaz.lookup(re.sub(r"\s*\(.*\)", "", name), fuzzy=False, limit=5)
    return any(haversine_km(c.place.lat, c.place.lon, inc.lat, inc.lon) < 30 for c in cands)


def score(corpus: list[dict], extract, gaz=None) -> tuple[Counter, int, list]:
    """Per-field correct counts, number of labelled incidents, and the misses."""
    ok: Counter = Counter()
    total = 0
    misses = []
    for item in corpus:
        incs = extract(item)
        for exp in item["expected_incidents"]:
            total += 1
            inc = match(exp, incs)
            res = compare(exp, inc, gaz)
            ok.update(f for f, v in res.items() if v)
            bad = [f for f, v in res.items() if not v]
            if bad:
                misses.append((item["id"], exp["evidence"][:70], bad,
                               None if inc is None else {f: getattr(inc, f, None) for f in COMPARED},
                               {f: exp.get(f) for f in COMPARED}))
    return ok, total, misses
