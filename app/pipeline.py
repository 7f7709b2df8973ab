"""The whole pipeline: articles -> places -> incidents -> store.

``process_batch`` is a pure function of a batch of articles (no store, no global
state), so the same code runs in one process or on a distributed engine
(``dask.bag.map_partitions``); only ``ingest`` writes, one article per transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .articles import Article, InputProblem, read_inputs, reason
from .gazetteer import Gazetteer
from .geoparse import Geoparser, ParsedArticle
from .incidents import Decision, Incident, IncidentExtractor
from .lexicon import Lexicon
from .store import AddResult, Store, StoreError

# No report counts more dead than this: a larger toll is a typo or an attack on the input, and is
# not stored as fatalities (the incident is kept, with a note). A number written with more digits
# than this one has is not read as a number at all.
MAX_FATALITIES = 10_000_000
_LONG_NUMBER = re.compile(rf"(?:\d[,.]?){{{len(str(MAX_FATALITIES))},}}\d")
# The summary lists at most this many skipped inputs and counts the rest; the names of at most
# this many articles without a publication date are kept. Per run, only counts grow.
MAX_LISTED = 1000
MAX_UNDATED_NAMED = 5


def _mask_long_numbers(article: Article) -> Article:
    """The article with every digit run longer than MAX_FATALITIES's (and so beyond any count) replaced
    by as many '#': offsets stay the same, and extraction reads no number from it."""
    def mask(s: str) -> str:
        return _LONG_NUMBER.sub(lambda m: "#" * len(m.group()), s) if _LONG_NUMBER.search(s) else s

    title, text = mask(article.title), mask(article.text)
    return article if title is article.title and text is article.text else replace(article, title=title, text=text)


def plausible(inc: Incident) -> Incident:
    """The incident, or, when its toll (or a part of it) is above MAX_FATALITIES, the incident
    without fatalities and with a note saying why."""
    if max((inc.fatalities or 0, *(n for _, n in inc.fatalities_detail))) <= MAX_FATALITIES:
        return inc
    note = f"a toll above {MAX_FATALITIES:,} is not plausible: not stored as fatalities"
    return replace(inc, fatalities=None, fatalities_detail=(), notes="; ".join(filter(None, (inc.notes, note))))


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

    def analyse(self, article: Article, trace: list[Decision] | None = None) -> tuple[ParsedArticle, list[Incident]]:
        """Geoparse and extract, numbers checked at the boundary: digit runs too long for any count
        are read as text (the evidence quoted is still the article's own), and tolls above
        MAX_FATALITIES are not stored as fatalities."""
        masked = _mask_long_numbers(article)
        parsed = self.geoparser.parse(masked)
        incidents = [plausible(inc) for inc in self.extractor.extract(parsed, trace)]
        if masked is not article:
            doc, seen = article.document, masked.document
            same = len(doc) == len(seen)
            incidents = [replace(inc, title=article.title,
                                 evidence=doc[inc.evidence_start : inc.evidence_end]
                                 if same and seen[inc.evidence_start : inc.evidence_end] == inc.evidence
                                 else inc.evidence)
                         for inc in incidents]
        return parsed, incidents

    def process(self, article: Article) -> Processed:
        parsed, incidents = self.analyse(article)
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
    """Counts of one run. Only counts grow with the run: at most MAX_LISTED skipped inputs and
    MAX_UNDATED_NAMED undated articles are named, and event ids are kept only when asked for."""

    articles: int = 0
    already_stored: int = 0
    failed: int = 0  # read, but processing or storing them failed: skipped, reported in ``skipped``
    incidents_new: int = 0
    incidents_merged: int = 0
    unmapped: int = 0
    undated: int = 0
    ambiguous_places: int = 0
    not_found_places: int = 0
    no_publication_date: int = 0
    undated_articles: list[str] = field(default_factory=list)  # the first ids of articles with no publication date
    skipped: list[str] = field(default_factory=list)  # the first MAX_LISTED skipped inputs
    n_skipped: int = 0
    event_ids: list[str] = field(default_factory=list)  # only with collect_event_ids
    kinds: Counter = field(default_factory=Counter)

    def skip(self, problem: str) -> None:
        self.n_skipped += 1
        if len(self.skipped) < MAX_LISTED:
            self.skipped.append(problem)

    def lines(self) -> list[str]:
        stored = self.articles - self.already_stored - self.failed
        out = [
            f"articles: {self.articles} read, {stored} stored, {self.already_stored} already in the store"
            + (f", {self.failed} failed and skipped" if self.failed else ""),
            f"incidents: {self.incidents_new} new, {self.incidents_merged} merged into incidents already stored "
            f"(new and merged by kind: {', '.join(f'{n} {k}' for k, n in sorted(self.kinds.items())) or 'none'})",
            f"unmapped incidents (no place in the text): {self.unmapped}",
            f"undated incidents: {self.undated}"
            + (f" ({self.no_publication_date} articles had no publication date: relative dates were left empty)"
               if self.no_publication_date else ""),
            f"unresolved places: {self.ambiguous_places} ambiguous, {self.not_found_places} not in the gazetteer",
            f"skipped inputs: {self.n_skipped}",
        ]
        out += [f"  - {s}" for s in self.skipped]
        if self.n_skipped > len(self.skipped):
            out.append(f"  ... and {self.n_skipped - len(self.skipped)} more not listed")
        if self.no_publication_date:
            more = ", ..." if self.no_publication_date > len(self.undated_articles) else ""
            ids = ", ".join(self.undated_articles) + more
            out.insert(0, f"WARNING: {self.no_publication_date} article(s) have no publication date ({ids}): "
                          "'on Tuesday' or 'yesterday' in them cannot be dated, so their events are stored undated. "
                          "Give the date with --published YYYY-MM-DD (or a 'published' field) and ingest again.")
        return out


def ingest(inputs: Iterable[str], store: Store, published: dt.date | None = None, pipeline: Pipeline | None = None,
           progress: bool | None = None, collect_event_ids: bool = False) -> tuple[Summary, list[Incident]]:
    """Read, process and store every article; returns the summary (and no incidents: see ``ingest_items``)."""
    items: Iterable = read_inputs(inputs, published)
    if progress is None:
        progress = sys.stderr.isatty()
    if progress:
        from tqdm import tqdm

        items = tqdm(items, unit=" articles", file=sys.stderr, leave=False)
    return ingest_items(items, store, pipeline, collect_event_ids=collect_event_ids)


def ingest_items(items: Iterable[Article | InputProblem], store: Store, pipeline: Pipeline | None = None, *,
                 collect_event_ids: bool = False, keep_incidents: bool = False) -> tuple[Summary, list[Incident]]:
    """Process and store articles (problems are counted as skipped inputs), one transaction each.

    Each article is guarded: an error in processing or storing it skips that article with a message
    naming its file and line, and the batch goes on (only a store that cannot be written at all stops
    it). ``collect_event_ids`` keeps the ids of the incidents every article of the run reports, those
    stored before included, so an export of the run can be written again; ``keep_incidents`` returns
    the incidents found. Without them memory does not grow with the run."""
    pipe = pipeline or default_pipeline()
    summary = Summary()
    run_incidents: list[Incident] = []
    for item in items:
        if isinstance(item, InputProblem):
            summary.skip(str(item))
            continue
        summary.articles += 1
        if item.published is None:
            summary.no_publication_date += 1
            if len(summary.undated_articles) < MAX_UNDATED_NAMED:
                summary.undated_articles.append(item.id)
        try:
            _ingest_one(item, store, pipe, summary, run_incidents if keep_incidents else None, collect_event_ids)
        except (StoreError, sqlite3.OperationalError):
            raise  # the store itself (locked, full, read-only): every later article would fail the same way
        except Exception as e:  # noqa: BLE001 - one article never stops the batch
            summary.failed += 1
            summary.skip(str(InputProblem(item.origin or item.id, None,
                                          f"article {item.id!r} could not be processed and was skipped ({reason(e)})")))
    return summary, run_incidents


def _ingest_one(item: Article, store: Store, pipe: Pipeline, summary: Summary, keep: list[Incident] | None,
                collect_event_ids: bool) -> None:
    if not store.has_article(item):  # not the same id with the same content
        done = pipe.process(item)
        result = store.add(item, done.incidents)
        if result.conflict:  # another article under a stored id: refused, reported, exit status 2
            summary.articles -= 1
            summary.skip(f"{item.origin or item.id}: {result.reason}")
            return
        if result.stored:
            _count(done, result, summary, keep, collect_event_ids)
            return
    summary.already_stored += 1
    if collect_event_ids:  # its incidents were stored by an earlier run: this run's export includes them
        summary.event_ids += store.event_ids_of(item.id)


def _count(done: Processed, result: AddResult, summary: Summary, keep: list[Incident] | None,
           collect_event_ids: bool) -> None:
    summary.incidents_new += result.new_incidents
    summary.incidents_merged += result.merged_incidents
    summary.ambiguous_places += done.ambiguous
    summary.not_found_places += done.not_found
    unique: dict[str, Incident] = {}  # an incident an article tells twice is stored (and counted) once
    for inc in done.incidents:
        unique.setdefault(inc.event_id, inc)
    for inc in unique.values():
        summary.kinds[inc.kind] += 1
        summary.unmapped += not inc.mapped
        summary.undated += inc.event_date is None and inc.kind == "event"
    if collect_event_ids:
        summary.event_ids += list(unique)
    if keep is not None:
        keep.extend(done.incidents)
