"""Incident extraction on the real-report corpus (tests/reports/dev and tests/reports/test), scored
with the shared scorer's own matching (../shared/tools/score_reports.py: same date, a point within
25 km of the gold place or the same place name), in process, with per-field accuracy on the matched
events. ``python -m bench.reports [PART ...]`` prints the table; ``python -m bench`` includes it.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "tools" / "score_reports.py"
PARTS = {"dev": ROOT / "tests" / "reports" / "dev", "test": ROOT / "tests" / "reports" / "test"}
FIELDS = ("recall", "precision", "recall_strict", "event_type", "actor1_side", "fatalities_exact", "claimed_by")


def _scorer():
    spec = importlib.util.spec_from_file_location("score_reports", SCORER)
    sr = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sr)
    return sr


def evaluate(folder: Path, pipeline) -> dict[str, float]:
    """Scores of ``pipeline`` on one part, as the shared scorer matches incidents."""
    from app.articles import Article, parse_date

    sr = _scorer()
    sr.EVAL = folder
    sr.SIDES.clear()
    with (folder / "sides.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if len(row) >= 2 and row[0].strip() and row[0] != "keyword" and not row[0].startswith("#"):
                sr.SIDES[sr.norm(row[0])] = row[1].strip()
    n = {"gold": 0, "sys": 0, "lenient": 0, "strict": 0, "type": 0, "side": 0, "side_n": 0, "fat": 0, "fat_n": 0,
         "claim": 0, "claim_n": 0}
    for doc in sr.load_docs():
        rec = doc["rec"]
        art = Article(id=rec["id"], title=rec["title"], text=rec["text"], publisher=rec["publisher"] or "",
                      url=rec["url"] or "", published=parse_date(rec["published"]) if rec["published"] else None)
        # As the store keeps them (and ingest --out writes them): one incident per event id.
        incidents = list({i.event_id: i for i in pipeline.process(art).incidents if i.kind == "event"}.values())
        feats = [{"properties": i.to_dict(),
                  "geometry": {"type": "Point", "coordinates": [i.lon, i.lat]} if i.mapped else None}
                 for i in incidents]
        s = sr.score_incidents(doc, feats)
        n["gold"] += s["gold"]
        n["sys"] += s["sys"]
        n["lenient"] += s["lenient"]
        n["strict"] += s["strict"]
        for gold, inc in _pairs(sr, doc, incidents):
            n["type"] += inc.event_type in {gold.get("event_type"), *gold.get("event_type_alternatives", [])}
            if sr.side(gold.get("actor1")) is not None:
                n["side_n"] += 1
                n["side"] += sr.side(inc.actor1) == sr.side(gold.get("actor1"))
            count = (gold.get("fatalities") or {}).get("count")
            if count is not None:
                n["fat_n"] += 1
                n["fat"] += inc.fatalities == count
            if gold.get("claimed_by"):
                n["claim_n"] += 1
                n["claim"] += bool(set(sr.norm(inc.claimed_by).split()) & set(sr.norm(gold["claimed_by"]).split()))
    ratio = lambda a, b: round(a / b, 3) if b else 0.0  # noqa: E731
    return {"recall": ratio(n["lenient"], n["gold"]), "precision": ratio(n["lenient"], n["sys"]),
            "recall_strict": ratio(n["strict"], n["gold"]), "event_type": ratio(n["type"], n["lenient"]),
            "actor1_side": ratio(n["side"], n["side_n"]), "fatalities_exact": ratio(n["fat"], n["fat_n"]),
            "claimed_by": ratio(n["claim"], n["claim_n"]), "gold_events": n["gold"], "system_events": n["sys"]}


def _pairs(sr, doc, incidents):
    """Gold events and the system event each is matched to, as ``score_incidents`` matches them: among
    the unused events with the gold date and place, the first that also has the type and actor side."""
    places = {p["canonical"]: p for p in doc["gold"]["places"]}
    used: set[int] = set()
    for gold in doc["gold"]["incidents"]:
        if gold.get("kind") != "event":
            continue
        lo = dt.date.fromisoformat(gold["date"][:10])
        hi = dt.date.fromisoformat((gold.get("date_end") or gold["date"])[:10])
        if any(w in (gold.get("date_resolution") or "").lower() for w in ("approximate", "on or before", "accept")):
            lo, hi = lo - dt.timedelta(days=1), hi + dt.timedelta(days=1)
        best = None
        for j, inc in enumerate(incidents):
            if j in used or inc.event_date is None or not (lo <= inc.event_date <= hi):
                continue
            loc = gold.get("location")
            if loc:
                p = places.get(loc, {"canonical": loc})
                near = inc.mapped and p.get("lat") is not None and sr.km(inc.lat, inc.lon, p["lat"], p["lon"]) <= 25
                if not (near or sr.norm(inc.location) in sr.place_names(p)):
                    continue
            strict = (inc.event_type in {gold.get("event_type"), *gold.get("event_type_alternatives", [])}
                      and (sr.side(inc.actor1) == sr.side(gold.get("actor1")) or sr.side(gold.get("actor1")) is None))
            if best is None or (strict and not best[0]):
                best = (strict, j)
        if best is not None:
            used.add(best[1])
            yield gold, incidents[best[1]]


def available() -> bool:
    return SCORER.is_file() and all((p / "sides.csv").is_file() for p in PARTS.values())


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from app.gazetteer import Gazetteer
    from app.pipeline import Pipeline

    if not available():
        print("the shared scorer (../shared/tools/score_reports.py) is not on this machine")
        return 1
    pipe = Pipeline(Gazetteer.load(user_db=False))
    print(f"{'part':<6} " + " ".join(f"{f:>16}" for f in FIELDS))
    for part in argv or list(PARTS):
        r = evaluate(PARTS[part], pipe)
        print(f"{part:<6} " + " ".join(f"{r[f]:>16.2f}" for f in FIELDS) + f"   ({r['gold_events']} gold events)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
