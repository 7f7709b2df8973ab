"""Scoring geoparser output against the hand-labelled corpus in tests/corpus/.

Used by the tests (per-article expectations) and by the benchmark (place F1).
A labelled place counts as found when a mention covers one of its occurrences,
has the labelled status, and (when resolved) denotes the same place: within
30 km for towns and villages; the same country for countries; for regions, the
labelled point inside the polygon or within 60 km of the record's point.
Capital cities used for their governments ("Baku said") are listed as
``metonyms``: neither required nor counted against the parser.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry import Point

from app.articles import Article, parse_date
from app.geo import haversine_km

CORPUS = Path(__file__).resolve().parent / "corpus"
HELDOUT = Path(__file__).resolve().parent / "heldout"


def load_corpus(folder: Path = CORPUS) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def to_article(item: dict) -> Article:
    return Article(id=item["id"], text=item["text"], title=item.get("title", ""),
                   published=parse_date(item.get("published")), publisher=item.get("publisher", ""),
                   url=item.get("url", ""))


def occurrences(doc: str, surface: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", doc, re.IGNORECASE)]


def same_place(m, exp: dict) -> bool:
    p = m.place
    if p is None:
        return False
    kind = exp.get("kind")
    if kind == "country":
        return p.kind == "country" and p.country_code == exp["country_code"]
    if kind == "region":
        if p.kind != "region":
            return False
        if p.geometry is not None and p.geometry.buffer(0.05).contains(Point(exp["lon"], exp["lat"])):
            return True
        return haversine_km(p.lat, p.lon, exp["lat"], exp["lon"]) < 60
    return p.is_populated_place and haversine_km(p.lat, p.lon, exp["lat"], exp["lon"]) < 30


@dataclass
class Score:
    tp: int = 0
    fn: list = field(default_factory=list)
    fp: list = field(default_factory=list)
    traps: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + len(self.fp)) if self.tp + len(self.fp) else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + len(self.fn)) if self.tp + len(self.fn) else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fn += other.fn
        self.fp += other.fp
        self.traps += other.traps


def score_article(item: dict, document: str, mentions) -> Score:
    """``mentions``: objects with start, end, status, place (app.geoparse.Mention or alike)."""
    sc = Score()
    covered: set[int] = set()
    for exp in item["expected_places"]:
        occ = occurrences(document, exp["text"])
        hits = [m for m in mentions if any(m.start <= a < m.end or a <= m.start < b for a, b in occ)]
        want = exp.get("status", "resolved")
        ok = [m for m in hits if m.status == want and (want != "resolved" or same_place(m, exp))]
        if ok:
            sc.tp += 1
            covered.update(id(m) for m in hits)
        else:
            got = [(m.text, m.status, m.place.name if m.place else None, m.place.country_code if m.place else None)
                   for m in hits]
            sc.fn.append((item["id"], exp["text"], got))
            covered.update(id(m) for m in hits)
    allowed = {t.lower() for t in item.get("metonyms", [])}
    expected_texts = {e["text"].lower() for e in item["expected_places"]}
    for m in mentions:
        if id(m) in covered or m.status == "not_found":
            continue
        surface = document[m.start : m.end].lower()
        if getattr(m, "qualifier", "") == "organisation":
            continue  # a place inside a body's name ("Armed Forces of Ukraine"): optional, as in REPORTS-SCHEMA
        if surface in allowed or any(surface in t or t in surface for t in expected_texts):
            continue
        # another occurrence of a labelled name counts with its label, once
        place = m.place
        sc.fp.append((item["id"], surface, place.name if place else None, place.country_code if place else None))
        if any(surface == t.lower() or surface in t.lower().split() for t in item.get("not_places", [])):
            sc.traps.append((item["id"], surface))
    return sc
