"""The whole pipeline: articles -> places -> incidents -> store.

``process_batch`` is a pure function of a batch of articles (no store, no global
state), so the same code runs in one process or on a distributed engine
(``dask.bag.map_partitions``); only ``ingest`` writes, one article per transaction.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .articles import Article, InputProblem, read_inputs
from .gazetteer import Gazetteer
from .geoparse import Geoparser
from .incidents import Incident, IncidentExtractor
from .lexicon import Lexicon
from .store import Store


@dataclass(frozen=True)
class Processed:
    article: Article
    incidents: tuple[Incident, ...]
    ambiguous: int
    not_found: int


class Pipeline:
    """Geoparser and extractor over one gazetteer and lexicon, loaded once."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon | None = None):
        self.lexicon = lexicon or Lexicon()
        self.geoparser = Geoparser(gazetteer, self.lexicon)
        self.extractor = IncidentExtractor(gazetteer, self.lexicon)

    def process(self, article: Article) -> Processed:
        parsed = self.geoparser.parse(article)
        incidents = self.extractor.extract(parsed)
        return Processed(
            article, tuple(incidents),
            sum(m.status == "ambiguous" for m in parsed.mentions),
            sum(m.status == "not_found" for m in parsed.mentions),
        )


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    """One pipeline per process (a Dask worker builds its own once)."""
    return Pipeline(Gazetteer.load())


def process_batch(articles: Iterable[Article]) -> list[Processed]:
    """Independent of every other batch: safe to run anywhere, in any order."""
    pipe = default_pipeline()
    return [pipe.process(a) for a in articles]


@dataclass
class Summary:
    articles: int = 0
    already_stored: int = 0
    incidents_new: int = 0
    incidents_merged: int = 0
    unmapped: int = 0
    undated: int = 0
    ambiguous_places: int = 0
    not_found_places: int = 0
    no_publication_date: int = 0
    undated_articles: list[str] = field(default_factory=list)  # ids of articles with no publication date
    skipped: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        out = [
            f"articles: {self.articles} read, {self.articles - self.already_stored} stored, {self.already_stored} already in the store",
            f"incidents: {self.incidents_new} new, {self.incidents_merged} merged into incidents already stored "
            f"({', '.join(f'{n} {k}' for k, n in sorted(self.kinds.items())) or 'none'})",
            f"unmapped incidents (no place in the text): {self.unmapped}",
            f"undated incidents: {self.undated}" + (f" ({self.no_publication_date} articles had no publication date: "
                                                     "relative dates were left empty)" if self.no_publication_date else ""),
            f"unresolved places: {self.ambiguous_places} ambiguous, {self.not_found_places} not in the gazetteer",
            f"skipped inputs: {len(self.skipped)}",
        ]
        out += [f"  - {s}" for s in self.skipped]
        if self.no_publication_date:
            ids = ", ".join(self.undated_articles[:5]) + (", ..." if len(self.undated_articles) > 5 else "")
            out.insert(0, f"WARNING: {self.no_publication_date} article(s) have no publication date ({ids}): "
                          "'on Tuesday' or 'yesterday' in them cannot be dated, so their events are stored undated. "
                          "Give the date with --published YYYY-MM-DD (or a 'published' field) and ingest again.")
        return out


def ingest(inputs: Iterable[str], store: Store, published: dt.date | None = None, pipeline: Pipeline | None = None,
           progress: bool | None = None) -> tuple[Summary, list[Incident]]:
    """Read, process and store every article; returns the summary and this run's incidents."""
    items: Iterable = read_inputs(inputs, published)
    if progress is None:
        progress = sys.stderr.isatty()
    if progress:
        from tqdm import tqdm

        items = tqdm(items, unit=" articles", file=sys.stderr, leave=False)
    return ingest_items(items, store, pipeline)


def ingest_items(items: Iterable[Article | InputProblem], store: Store,
                 pipeline: Pipeline | None = None) -> tuple[Summary, list[Incident]]:
    """Process and store articles (problems are counted as skipped inputs), one transaction each."""
    pipe = pipeline or default_pipeline()
    summary = Summary()
    run_incidents: list[Incident] = []
    for item in items:
        if isinstance(item, InputProblem):
            summary.skipped.append(str(item))
            continue
        summary.articles += 1
        if item.published is None:
            summary.no_publication_date += 1
            summary.undated_articles.append(item.id)
        if store.has_article(item):  # the same id and the same content
            summary.already_stored += 1
            continue
        done = pipe.process(item)
        result = store.add(item, done.incidents)
        if result.conflict:  # another article under a stored id: refused, reported, exit status 2
            summary.articles -= 1
            summary.skipped.append(f"{item.origin or item.id}: {result.reason}")
            continue
        if not result.stored:
            summary.already_stored += 1
            continue
        summary.incidents_new += result.new_incidents
        summary.incidents_merged += result.merged_incidents
        summary.ambiguous_places += done.ambiguous
        summary.not_found_places += done.not_found
        for inc in done.incidents:
            summary.kinds[inc.kind] += 1
            summary.unmapped += not inc.mapped
            summary.undated += inc.event_date is None and inc.kind == "event"
            summary.event_ids.append(inc.event_id)
        run_incidents.extend(done.incidents)
    return summary, run_incidents
