"""Text -> mentions -> resolved places. The gazetteer and lexicon are passed in.

Finding: one pass over the tokens of the folded document, trying the longest
capitalised n-gram at each token against the gazetteer's keys. Skipping: people
(a title before, a known first name, a surname seen before), organisations (a run
with an organisation head word), weekdays and months, demonyms, common English
words. Resolving: every candidate is scored from the document's context (countries
and demonyms it mentions, regions it names, the other places it mentions, the kind
of place the text says it is, an admin region named beside it) with population
only as the prior; a mention whose best reading does not clearly win stays
``ambiguous``, and a phrase like "the village of X" that the gazetteer lacks is
reported ``not_found``.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import shapely

from .articles import Article
from .furniture import furniture_spans
from .gazetteer import NAMESAKE_REGION_FACTOR, Entry, Gazetteer, prior
from .geo import haversine_km_array
from .lexicon import FORMAL_ORG_HEADS, GEO_PREFIXES, MILITARY_ORG_HEADS, NAME_PARTICLES, ORG_CONNECTORS, TITLES, Lexicon
from .models import Candidate, Place, PlaceKind
from .text import fold, sentence_lookup, sentences, strip_possessive, tokens

Status = Literal["resolved", "ambiguous", "not_found"]


class Tokens:
    """The words of the folded text, column by column: ``text[k]``, ``start[k]``, ``end[k]``
    (offsets hold in the original document too); iterating gives (text, start, end). Columns, not
    a record per word: the parser reads hundreds of thousands of words, and a NamedTuple per word
    made it 5 % slower."""

    __slots__ = ("text", "start", "end")

    def __init__(self, folded: str):
        found = tokens(folded)
        self.text: tuple[str, ...] = ()
        self.start: tuple[int, ...] = ()
        self.end: tuple[int, ...] = ()
        if found:
            self.text, self.start, self.end = zip(*found, strict=False)

    def __len__(self) -> int:
        return len(self.text)

    def __iter__(self) -> Iterator[tuple[str, int, int]]:
        return zip(self.text, self.start, self.end, strict=False)

Range = tuple[int, int]  # (start, end) character offsets into the document
_AREAS = frozenset({PlaceKind.COUNTRY, PlaceKind.REGION})  # the kinds with a territory, not a point
MAX_NGRAM = 6
# A region this large (a US state, a Canadian province, most first-order units) is known
# by its name: capitalised, that name is the region, however common the word.
LARGE_REGION_KM2 = 5_000.0
_GOOD_GAP = re.compile(r"^(?: {1,2}|-| - |'|’|\.)$")  # "." inside an abbreviation: "W.Va."
DESCRIPTOR_BEFORE = {
    "village": "village", "hamlet": "village", "settlement": "village", "town": "town", "city": "city",
    "port": "city", "region": "region", "province": "region", "district": "region",
    "governorate": "region", "oblast": "region", "state": "region", "county": "region", "enclave": "region",
    "prefecture": "region", "territory": "region", "country": "country", "department": "region",
}
DESCRIPTOR_AFTER = {
    "oblast": "region", "province": "region", "region": "region", "governorate": "region", "district": "region",
    "rayon": "region", "county": "region", "prefecture": "region", "state": "region", "territory": "region",
    "department": "region",
    "city": "city", "town": "town", "village": "village", "camp": "town",
    "regions": "region", "provinces": "region", "governorates": "region", "districts": "region",
    "oblasts": "region", "states": "region", "countryside": "region",
}
# "the Dnepr group of forces", "the Azov battalion", "the Wagner group": a unit, not a place.
UNIT_WORDS = frozenset("group grouping battalion brigade regiment division corps militia".split())
# "the Zaporozhye direction": the region when one has that name, else near the town.
FRONT_WORDS = frozenset("direction front axis sector".split())
DIRECTIONS = frozenset(
    "northern southern eastern western central north-eastern north-western south-eastern south-western "
    "northeastern northwestern southeastern southwestern north south east west".split()
)
# Units below the first-order regions: when the gazetteer lacks the unit, its namesake town
# stands for it (at a coarser precision), never the whole province around it.
SECOND_ORDER_WORDS = frozenset("district county rayon raion township cercle municipality commune".split())
# Lower-case words inside a multi-word name the gazetteer holds ("Gulf of Aden", "Trinidad and Tobago").
INNER_WORDS = NAME_PARTICLES | frozenset(("of", "and", "the"))
# Regions named by a position alone (Zambia's "Southern", Botswana's "Central") are written
# like the adjectives: they get no exemption from the common-word rule.
POSITION_WORDS = DIRECTIONS | frozenset("central upper lower middle".split())
NEAR_WORDS = frozenset("near outside around outskirts nearby close km kilometres kilometers miles".split())
# Places the gazetteer lacks, told by their shape: "the village of X", "X camp", "X Payam",
# or a capitalised name right after a locative word ("in Witho", "attacked Wonaka, Ajja and Mada").
_SITE_BEFORE = (r"village|hamlet|settlement|town|commune|locality|township|neighbou?rhood|camp|payam|sub-county|"
                r"municipality|suburb|district|area|county|chiefdom|sector|province|department|prefecture")
_SITE_AFTER = (r"village|hamlet|town|camp|refugee camp|idp camp|displacement camp|payam|township|commune|locality|"
               r"neighbou?rhood|sub-county|district|county|municipality|area|market|base|settlement|province|department|prefecture")
# Read off the tokens already at hand: site words, the words that precede a camp's kind, locative words.
SITE_BEFORE_WORDS = frozenset(_SITE_BEFORE.replace("neighbou?rhood", "neighbourhood|neighborhood").split("|"))
SITE_AFTER_WORDS = frozenset(w.split()[-1]
                             for w in _SITE_AFTER.replace("neighbou?rhood", "neighbourhood|neighborhood").split("|"))
PLURAL_SITE_WORDS = frozenset("villages towns camps settlements localities communities neighbourhoods neighborhoods "
                              "areas".split())
CAMP_QUALIFIERS = frozenset("refugee idp displacement displaced".split())
LOCATIVE_WORDS = frozenset("in at on near outside around into between attacked raided struck shelled bombed overran "
                           "captured stormed".split())
# Verbs after a lone first name that make it a speaker ("Abraham said").
REPORTING_AFTER_NAME = frozenset("said says told added explained recalled stated claimed".split())
# Words that open a place's name and never stand alone ("Puerto Jordán", "Ciudad Juárez", "Port Sudan").
PLACE_NAME_OPENERS = frozenset("puerto porto port ciudad villa cape cabo bahia bahía isla nueva nuevo santo sao são "
                               "san santa fort mount lake wadi jebel jabal ras bir ain umm".split())
SHAPE_WORDS = SITE_BEFORE_WORDS | SITE_AFTER_WORDS | LOCATIVE_WORDS
# A ship's prefix: the capitalised words after it name a vessel.
VESSEL_BEFORE = re.compile(r"\b(?:USS|HMS|HMCS|HMAS|INS|RFA|USNS|M/[VT]|MV|MT)\s+(?:[A-Z][\w.-]*\s+){0,3}$")
SITE_KIND = {"village": "village", "hamlet": "village", "settlement": "village", "town": "town", "camp": "site",
             "market": "site", "base": "site", "neighbourhood": "site", "neighborhood": "site", "suburb": "site"}


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name in an article, and which place it denotes."""

    article_id: str
    text: str
    start: int
    end: int
    status: Status
    confidence: float
    place: Place | None
    candidates: tuple[Candidate, ...] = ()
    descriptor: str = ""  # what the text says it is: village, town, city, region, country
    qualifier: str = ""  # "near", "part" (northern X ...), "organisation", "dateline" or "" for the place itself
    sentence: int = -1
    # For a place the gazetteer lacks: the smallest place around it that the text names.
    enclosing: Place | None = None

    def to_dict(self) -> dict[str, Any]:
        p = self.place
        return {
            "article_id": self.article_id, "text": self.text, "start": self.start, "end": self.end,
            "status": self.status, "confidence": round(self.confidence, 3),
            "name": p.name if p else None, "kind": p.kind if p else None,
            "country_code": p.country_code if p else None, "admin1": p.admin1 if p else None,
            "lat": p.lat if p else None, "lon": p.lon if p else None, "id": p.id if p else None,
            "descriptor": self.descriptor, "qualifier": self.qualifier, "sentence": self.sentence,
            "enclosing": ({"id": self.enclosing.id, "name": self.enclosing.name, "kind": self.enclosing.kind,
                           "lat": self.enclosing.lat, "lon": self.enclosing.lon} if self.enclosing else None),
            "candidates": [
                {"id": c.place.id, "name": c.place.name, "kind": c.place.kind, "country_code": c.place.country_code,
                 "lat": c.place.lat, "lon": c.place.lon, "score": round(c.score, 3)}
                for c in self.candidates
            ],
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something that looked like a place but is not one here, and why."""

    text: str
    start: int
    end: int
    # person, organisation, date_word, demonym, common_word, abbreviation, vessel, part_of_name, out_of_context
    reason: str
    country_code: str = ""  # what it says about the document's countries, if anything


@dataclass(frozen=True, slots=True)
class Demonym:
    text: str
    start: int
    end: int
    country_code: str  # '' for a demonym of no single country (Kurdish, Arab)


@dataclass(frozen=True)
class ParsedArticle:
    article: Article
    document: str
    mentions: tuple[Mention, ...]
    skipped: tuple[Skipped, ...]
    demonyms: tuple[Demonym, ...]
    persons: tuple[tuple[int, int], ...]
    organisations: tuple[tuple[int, int], ...]
    sentences: tuple[tuple[int, int], ...]
    countries: dict[str, float] = field(default_factory=dict)  # document country evidence
    furniture: tuple[tuple[int, int], ...] = ()  # captions, credits, other stories' headlines (app.furniture)


@dataclass
class _Span:
    i: int  # first token
    j: int  # last token
    key: str
    start: int
    end: int
    possessive: bool = False
    descriptor: str = ""
    qualifier: str = ""
    within: int | None = None  # index of a span it is placed in ("Kramatorsk, Donetsk Oblast")
    second_order: bool = False  # "X district", "X county": a unit below the first-order regions
    name_end: int | None = None  # where the name itself ends, when a descriptor word was taken in ("Benin town")


@dataclass(frozen=True)
class GeoparseConfig:
    resolved_min_share: float = 0.5  # best candidate's share of the total score
    resolved_min_ratio: float = 1.6  # best over second best
    common_word_zipf: float = 4.8  # mid-sentence: skip single words at least this common ...
    common_word_zipf_sentence_start: float = 4.0  # ... and at a sentence start
    alt_name_zipf: float = 4.0  # ... and words that are only a place's other name
    surname_max_zipf: float = 4.6  # second word of "First Last" must be rarer than this
    out_of_context_km: float = 600.0
    max_candidates: int = 3


class Geoparser:
    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon | None = None, config: GeoparseConfig | None = None):
        self.gaz = gazetteer
        self.lex = lexicon or Lexicon()
        self.cfg = config or GeoparseConfig()

    # ------------------------------------------------------------------ public

    def parse(self, article: Article) -> ParsedArticle:
        doc = article.document
        folded = fold(doc)
        toks = Tokens(folded)
        sents = sentences(doc)
        sent_starts = {a for a, _ in sents}
        caps = [doc[s].isupper() for _, s, _ in toks]

        def starts_sentence(i: int) -> bool:  # asked only of single-word matches
            return _at_sentence_start(doc, toks.start[i], sent_starts)

        persons = self._persons(doc, toks, caps)
        orgs, groups = self._organisations(doc, toks, caps)
        demonyms = self._demonyms(doc, toks, caps)
        spans = self._find(doc, folded, toks, caps)
        kept, skipped = self._filter(doc, toks, spans, persons, orgs, groups, demonyms, caps, starts_sentence)
        self._context(doc, toks, kept)
        # Captions and other stories' headlines ("Related articles") say nothing of where the report is.
        page_furniture = tuple(furniture_spans(doc))
        furniture = _Mask(len(doc), page_furniture)
        body = [sp for sp in kept if not furniture.hit(sp.start, sp.end)]
        countries, own = self._document_countries(body, demonyms, skipped)
        aside = furniture if len(body) < len(kept) else None
        mentions = self._resolve(article.id, doc, kept, countries, own, sents, aside)
        mentions, dropped = self._drop_out_of_context(mentions, countries, own)
        skipped += dropped
        mentions = _mark_datelines(doc, mentions)  # before places around unlisted ones are chosen
        swallowed: set[tuple[int, int]] = set()
        mentions += self._not_found(article.id, doc, toks, caps, mentions, persons, orgs, sents, skipped, swallowed)
        if swallowed:  # a word read as a place that is part of a longer name the gazetteer lacks
            mentions = [m for m in mentions if (m.start, m.end) not in swallowed]
        by_sentence: dict[int, list[Mention]] = defaultdict(list)
        for m in mentions:
            if m.place is not None and m.status == "resolved" and m.qualifier not in ("organisation", "dateline"):
                by_sentence[m.sentence].append(m)
        mentions = [replace(m, enclosing=self._enclosing(by_sentence.get(m.sentence, []), m.start)
                            or self._region_before(by_sentence, m.sentence))
                    if m.status == "not_found" and m.enclosing is None else m for m in mentions]
        mentions.sort(key=lambda m: m.start)
        return ParsedArticle(
            article=article, document=doc, mentions=tuple(mentions), skipped=tuple(skipped),
            demonyms=tuple(demonyms), persons=tuple(persons),
            organisations=tuple(orgs), sentences=tuple(sents), countries=countries, furniture=page_furniture,
        )

    # ------------------------------------------------------------------ finding

    def _find(self, doc: str, folded: str, toks: Tokens, caps: list[bool]) -> list[_Span]:
        spans: list[_Span] = []
        n = len(toks)
        i = 0
        while i < n:
            if not caps[i]:
                i += 1
                continue
            found = None
            for length in range(min(MAX_NGRAM, n - i), 0, -1):
                j = i + length - 1
                if not caps[j]:
                    continue
                if any(not _GOOD_GAP.match(folded[toks.end[k] : toks.start[k + 1]]) for k in range(i, j)):
                    continue
                if any(not caps[k] and toks.text[k] not in INNER_WORDS for k in range(i + 1, j)):
                    continue
                words = [toks.text[k] for k in range(i, j + 1)]
                key = " ".join(words)
                if self.gaz.has_key(key):
                    found = _Span(i, j, key, toks.start[i], toks.end[j])
                    break
                if length > 1 and all(folded[toks.end[k] : toks.start[k + 1]] == "-" for k in range(i, j)):
                    joined = "".join(words)  # "Pétion-Ville" is GeoNames' "Pétionville"
                    if self.gaz.has_key(joined):
                        found = _Span(i, j, joined, toks.start[i], toks.end[j])
                        break
                bare = strip_possessive(words[-1])
                if bare:
                    key = " ".join(words[:-1] + [bare])
                    if self.gaz.has_key(key):
                        found = _Span(i, j, key, toks.start[i], toks.end[j] - 2, possessive=True)
                        break
            if found:
                spans.append(found)
                i = found.j + 1
            else:
                i += 1
        return spans

    # ------------------------------------------------------------------ people, organisations, demonyms

    def _persons(self, doc: str, toks: Tokens, caps: list[bool]) -> list[Range]:
        out: list[tuple[int, int]] = []
        n = len(toks)
        surnames: set[str] = set()

        def run_from(k: int) -> int:
            j = k
            while (j + 1 < n and (caps[j + 1] or toks.text[j + 1] in NAME_PARTICLES)
                   and _gap_ok(doc, toks, j, spaces_only=False)):
                if toks.text[j + 1] in TITLES and not caps[j + 1]:
                    break
                j += 1
            while j > k and not caps[j]:
                j -= 1
            return j

        k = 0
        while k < n:
            word = toks.text[k].rstrip(".")
            if word in TITLES and k + 1 < n and caps[k + 1] and _gap_ok(doc, toks, k, spaces_only=True, allow_dot=True):
                a = k + 1
                while a < n and toks.text[a] in TITLES and caps[a]:  # "Foreign Minister Sergei Lavrov"
                    a += 1
                if a < n and caps[a]:
                    j = run_from(a)
                    if not self._is_country_or_region_run(toks, a, j):
                        out.append((toks.start[a], toks.end[j]))
                        surnames.add(_bare(toks.text[j]))
                        k = j + 1
                        continue
            if (caps[k] and self.lex.is_first_name(toks.text[k]) and k + 1 < n and caps[k + 1]
                    and _gap_ok(doc, toks, k, spaces_only=True) and self.lex.zipf(toks.text[k]) < 5.5
                    and toks.text[k] not in GEO_PREFIXES
                    and self.lex.demonym_country(toks.text[k + 1]) is None):
                j = run_from(k)
                second = doc[toks.start[k + 1] : toks.end[k + 1]]
                # "said Claudia Paris, a researcher": a speaker, however common the surname.
                speaker = (k > 0 and toks.text[k - 1] in ("said", "says", "told", "to")) or bool(
                    re.match(r",\s+(?:a|an|the)\s", doc[toks.end[j] : toks.end[j] + 6]))
                if (j > k and (speaker or self.lex.zipf(_bare(second)) < self.cfg.surname_max_zipf)
                        and not self.gaz.has_key(" ".join(toks.text[k : j + 1]))
                        and _bare(toks.text[k + 1]) not in FORMAL_ORG_HEADS | MILITARY_ORG_HEADS):
                    out.append((toks.start[k], toks.end[j]))
                    if not self._is_notable_place(_bare(toks.text[j])):
                        surnames.add(_bare(toks.text[j]))  # "Claudia Paris" does not make every Paris a person
                    k = j + 1
                    continue
            k += 1
        # "..., Abraham said": a first name alone before a reporting verb is who speaks, not a place
        # (Abrahám in Slovakia), unless it names a notable place ("Jordan said", "Washington said")
        for k in range(n - 1):
            if (caps[k] and toks.text[k + 1] in REPORTING_AFTER_NAME and (k == 0 or not caps[k - 1])
                    and self.lex.is_first_name(toks.text[k]) and not self._is_notable_place(_bare(toks.text[k]))
                    and not any(a <= toks.start[k] < b for a, b in out)):
                out.append((toks.start[k], toks.end[k]))
        if surnames:
            taken = [(a, b) for a, b in out]
            for w, s, e in toks:
                if _bare(w) in surnames and doc[s].isupper() and not any(a <= s < b for a, b in taken):
                    out.append((s, e))
        return sorted(out)

    def _is_notable_place(self, key: str) -> bool:
        """A country, a region or a city of 100,000 or more: 'Wadi Gaza' is not a person."""
        return any(e.kind in _AREAS or e.population >= 100_000 for e in self.gaz.entries(key))

    def _is_country_or_region_run(self, toks: Tokens, a: int, j: int) -> bool:
        key = " ".join(toks.text[a : j + 1])
        return any(e.kind in _AREAS for e in self.gaz.entries(key))

    def _organisations(self, doc: str, toks: Tokens, caps: list[bool]) -> tuple[list[Range], list[Range]]:
        """Organisation spans (all of them), and those among them that are named groups or
        units: a place inside "the Texas Department of Transportation" is still a place,
        one inside "the Azov battalion" or "Hayat Tahrir al-Sham" is not."""
        out = []
        n = len(toks)
        for h in range(n):
            head = _bare(toks.text[h])
            formal = head in FORMAL_ORG_HEADS
            if not (caps[h] and (formal or head in MILITARY_ORG_HEADS)):
                continue
            if head == "government" and h + 1 < n and toks.text[h + 1] == "area":
                continue  # "Gwoza Local Government Area": Nigeria's second-order unit, not a body
            a = h
            while a - 1 >= 0 and caps[a - 1] and _gap_ok(doc, toks, a - 1, spaces_only=False):
                a -= 1
            b = h
            while b + 1 < n and _gap_ok(doc, toks, b, spaces_only=False):
                nxt = toks.text[b + 1]
                if caps[b + 1] or doc[toks.end[b] : toks.start[b + 1]] == "-":
                    b += 1
                elif (nxt in ORG_CONNECTORS and (formal or nxt == "of") and b + 2 < n
                      and _gap_ok(doc, toks, b + 1, spaces_only=False)):
                    c = b + 2
                    while c < n and toks.text[c] in ORG_CONNECTORS and _gap_ok(doc, toks, c - 1, spaces_only=False):
                        c += 1
                    if c < n and caps[c]:
                        b = c
                    else:
                        break
                else:
                    break
            if a == b == h and not formal:
                continue  # a lone "Forces" or "Army" names no place
            key = " ".join(toks.text[a : b + 1])
            if self.gaz.has_key(key):
                continue  # "Central African Republic" is a place
            out.append((toks.start[a], toks.end[b]))
        groups: list[tuple[int, int]] = []
        for k in range(n - 1):
            if (caps[k] and not caps[k + 1] and toks.text[k + 1] in UNIT_WORDS
                    and _gap_ok(doc, toks, k, spaces_only=True)):
                a = k
                while a - 1 >= 0 and caps[a - 1] and _gap_ok(doc, toks, a - 1, spaces_only=False):
                    a -= 1
                groups.append((toks.start[a], toks.end[k + 1]))
        # Named armed groups: "Hayat Tahrir al-Sham" is not Damascus ("Sham"), "Hamas" not Hamm.
        groups += [(a, b) for a, b, _ in self.lex.find_actors(doc)]
        groups = _merge(groups)
        return _merge(out + groups), groups

    def _demonyms(self, doc: str, toks: Tokens, caps: list[bool]) -> list[Demonym]:
        out = []
        for k, (w, s, e) in enumerate(toks):
            if not caps[k]:
                continue
            cc = self.lex.demonym_country(w)
            bare = strip_possessive(w)
            if cc is None and bare:
                cc = self.lex.demonym_country(bare)
            if cc is not None:
                out.append(Demonym(doc[s:e], s, e, cc))
        return out

    # ------------------------------------------------------------------ skip rules

    def _filter(self, doc: str, toks: Tokens, spans: list[_Span], persons: list[Range], orgs: list[Range],
                groups: list[Range], demonyms: list[Demonym], caps: list[bool],
                starts_sentence: Callable[[int], bool]) -> tuple[list[_Span], list[Skipped]]:
        kept: list[_Span] = []
        skipped: list[Skipped] = []
        dem_at = {d.start: d for d in demonyms}
        # The countries the text names outright (country names, demonyms, places of one country):
        # a first look, before any word is judged.
        doc_countries = _Lazy(lambda: frozenset(
            {d.country_code for d in demonyms if d.country_code}
            | {e.country_code for sp in spans for e in self.gaz.entries(sp.key)
               if e.kind is PlaceKind.COUNTRY or e.population >= 100_000}))
        in_person, in_group, in_org = _Mask(len(doc), persons), _Mask(len(doc), groups), _Mask(len(doc), orgs)
        for sp in spans:
            surface = doc[sp.start : sp.end]
            single = sp.i == sp.j
            reason = None
            if in_person.hit(sp.start, sp.end):
                reason = "person"
            elif in_group.hit(sp.start, sp.end) or (
                    in_org.hit(sp.start, sp.end)
                    and any(_bare(w) in FORMAL_ORG_HEADS | MILITARY_ORG_HEADS for w in toks.text[sp.i : sp.j + 1])):
                reason = "organisation"
            elif VESSEL_BEFORE.search(doc, max(0, sp.start - 40), sp.start):
                reason = "vessel"  # "USS Carney", "M/V MSC Sky II": a ship's name, not a place
            elif single and sp.i > 0 and toks.text[sp.i - 1] in PLACE_NAME_OPENERS and caps[sp.i - 1] and (
                    doc[toks.end[sp.i - 1] : sp.start] == " "):
                # "Puerto Jordán", "Mount Kenya": the end of a longer name the gazetteer lacks, not Jordan or
                # Kenya (and no evidence for them); the whole name is read as a place of its own
                reason = "part_of_name"
            elif single and self.lex.is_date_word(surface):
                reason = "date_word"
            elif sp.start in dem_at and single:
                reason = "demonym"
            elif single:
                reason = self._word_rule(surface, sp.key, starts_sentence(sp.i), _in_heading(doc, sp.start, sp.end),
                                         doc_countries)
            if reason:
                # An armed group's name says where the text is by the group's country ("Fano" is
                # Ethiopia's militia here, not Fano in Italy)
                group = self.lex.actor_named(surface) if reason == "organisation" else None
                hint = group.country_code if group is not None else self._country_hint(sp.key)
                skipped.append(Skipped(surface, sp.start, sp.end, reason, hint))
            else:
                if in_org.hit(sp.start, sp.end):
                    # "the Ohio Department of Health": the place, named as part of a body's name.
                    sp.qualifier = "organisation"
                kept.append(sp)
        return kept, skipped

    def _word_rule(self, surface: str, key: str, sentence_start: bool, heading: bool = False,
                   doc_countries: _Lazy | None = None) -> str | None:
        entries = self.gaz.entries(key)
        letters = [c for c in surface if c.isalpha()]
        if len(letters) < 2:
            return "abbreviation"
        if surface.isupper() and len(letters) > 3 and not heading:
            return "abbreviation"  # SANA, OCHA, NATO; datelines and headings are exempt
        if len(letters) <= 3 and surface.isupper():
            # "US", "UK", "DRC" yes; "IS", "BBC", "SU" no: a short capitals form must be
            # one of a country's or region's own names (towns are not written as initials).
            # Initials with full stops are a name's own written form for any kind ("D.C.", "L.A.").
            for e in entries:
                if e.kind in _AREAS or "." in surface:
                    p = e.place
                    if surface in (p.name, *p.alt_names):
                        return None
            return "abbreviation"
        kinds = {e.kind for e in entries}
        z = self.lex.zipf(surface.lower())
        if "country" in kinds:
            return None  # Turkey, Chad, Jordan: capitalised, a country
        if z >= 5.5:
            return "common_word"  # North, Central, Most, Police
        if any((e.primary and e.population >= 500_000) or e.capital for e in entries):
            return None  # London, Washington: a big city's own name or a capital's
        # Texas, California, Ontario: a state's or province's own name. At a sentence's start, where any
        # word is capitalised ("Unity among the factions", "Lakes and rivers"), only in a text that
        # names that state's country.
        if z < 5.1 and key not in POSITION_WORDS and any(
                e.primary and e.kind is PlaceKind.REGION and e.area_km2 >= LARGE_REGION_KM2
                and (not sentence_start or (doc_countries is not None and e.country_code in doc_countries.value))
                for e in entries):
            return None
        limit = self.cfg.common_word_zipf_sentence_start if sentence_start else self.cfg.common_word_zipf
        if not any(e.primary for e in entries) and not kinds & _AREAS:
            # a word that is only another name of a town ("Sky" for Sandusky, "El" for Yale, "Sub" for
            # Surabaya in "Sub-County") is that town only when the word is rare ("Ga." stays Georgia)
            limit = min(limit, self.cfg.alt_name_zipf)
        if surface.isupper() and len(letters) > 3:
            limit = self.cfg.common_word_zipf_sentence_start  # "UPDATE", "BREAKING"
        return "common_word" if z >= limit else None

    def _country_hint(self, key: str) -> str:
        """The country a name points to: a country's own, or the one country all its places share."""
        entries = self.gaz.entries(key)
        for e in entries:
            if e.kind is PlaceKind.COUNTRY:
                return e.country_code
        ccs = {e.country_code for e in entries}
        return ccs.pop() if len(ccs) == 1 else ""

    # ------------------------------------------------------------------ descriptive context

    def _context(self, doc: str, toks: Tokens, spans: list[_Span]) -> None:
        n = len(toks)
        for idx, sp in enumerate(spans):
            # "the village of X", "the town of X"
            if sp.i >= 2 and toks.text[sp.i - 1] == "of" and toks.text[sp.i - 2] in DESCRIPTOR_BEFORE:
                sp.descriptor = DESCRIPTOR_BEFORE[toks.text[sp.i - 2]]
            # "X Oblast", "X province", "Idlib city" (unless the name itself has that word)
            nxt = toks.text[sp.j + 1] if sp.j + 1 < n and not sp.possessive and sp.qualifier != "organisation" else ""
            if nxt in DESCRIPTOR_AFTER:
                sp.descriptor = DESCRIPTOR_AFTER[nxt]
                sp.second_order = nxt.rstrip("s") in SECOND_ORDER_WORDS
                if not nxt.endswith("s") and nxt != "countryside":
                    sp.name_end, sp.end = sp.end, toks.end[sp.j + 1]
                # "Raqqa and Al Hasakah governorates", "Tillaberi and Tahoua regions"
                if nxt.endswith("s") and nxt != "countryside":
                    k = idx - 1
                    while k >= 0 and (
                        (spans[k].j + 1 == spans[k + 1].i and "," in doc[spans[k].end : spans[k + 1].start])
                        or (spans[k].j + 2 == spans[k + 1].i and toks.text[spans[k].j + 1] in ("and", "or"))
                    ):
                        spans[k].descriptor = spans[k].descriptor or sp.descriptor
                        k -= 1
            elif nxt in FRONT_WORDS:
                if any(e.kind is PlaceKind.REGION for e in self.gaz.entries(sp.key)):
                    sp.descriptor = "region"
                else:
                    sp.descriptor, sp.qualifier = "front", "near"
            # "northern Syria", "near Bakhmut", "the outskirts of Kherson", "10 km from X"
            before = [toks.text[k] for k in range(max(0, sp.i - 4), sp.i)]
            if sp.qualifier == "organisation":
                pass
            elif before and before[-1] in DIRECTIONS:
                sp.qualifier = "part"
            elif any(w in NEAR_WORDS for w in before) or (
                    len(before) >= 2 and before[-1] == "of" and before[-2] in ("north", "south", "east", "west")):
                sp.qualifier = "near"
            # "Kramatorsk, Donetsk Oblast" / "Djibo, Soum province" / "BEIRUT, Lebanon"
            if idx + 1 < len(spans) and doc[sp.end : spans[idx + 1].start] in (
                    ",", ", ", " , ", " in ", " in the ", ", in "):
                sp.within = idx + 1  # used only when that place is a country or region

    # ------------------------------------------------------------------ resolution

    def _document_countries(self, spans: list[_Span], demonyms: list[Demonym],
                            skipped: list[Skipped]) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
        """Country evidence, and how much of it each place name gave (so that a name is
        never its own evidence)."""
        w: defaultdict[str, float] = defaultdict(float)
        own: defaultdict[tuple[str, str], float] = defaultdict(float)
        for sp in spans:
            cc = self._country_hint(sp.key)
            entries = self.gaz.entries(sp.key)
            if cc and any(e.kind is PlaceKind.COUNTRY for e in entries):
                w[cc] += 1.0
                own[(sp.key, cc)] += 1.0  # "Georgia" is no evidence for reading "Georgia" as the country
                continue
            ccs = {e.country_code for e in entries}
            if len(ccs) == 1:
                cc = ccs.pop()
                w[cc] += 0.5
                own[(sp.key, cc)] += 0.5
        for d in demonyms:
            if d.country_code:
                w[d.country_code] += 0.5
        for s in skipped:
            # a body's or a people's name says where the text is; a common word ("The" in "The group") does not
            if s.country_code and s.reason in ("organisation", "demonym") and self.lex.zipf(s.text.lower()) < 5.5:
                w[s.country_code] += 0.5
        w.pop("", None)
        return dict(w), dict(own)

    def _score(self, key: str, descriptor: str, countries: dict[str, float], regions: list[Place],
               anchors: np.ndarray | None, within: Place | None) -> tuple[tuple[Entry, ...], np.ndarray]:
        entries = self.gaz.entries(key)
        if not entries:
            return (), np.zeros(0)
        lat = np.array([e.lat for e in entries])
        lon = np.array([e.lon for e in entries])
        pop = np.array([e.population for e in entries], dtype=float)
        kind = np.array([e.kind for e in entries])  # their names: a StrEnum is a str
        area = np.array([e.area_km2 for e in entries], dtype=float)
        cc = [e.country_code for e in entries]
        prim = np.array([e.primary for e in entries], dtype=bool)
        is_country = kind == PlaceKind.COUNTRY.value
        is_region = kind == PlaceKind.REGION.value
        # A region known only by a point (a US county) is placed like a town: by the regions
        # around it and the places near it.
        populated = ~(is_country | is_region) | (is_region & (area == 0))
        capital = np.array([e.capital for e in entries], dtype=bool)
        s = prior(kind, pop, capital, area) * np.where(prim | capital, 1.0, 0.9)  # "Washington" is the capital's own
        if countries:
            top = max(countries.values())
            cw = np.array([countries.get(c, 0.0) / top for c in cc])
            # A country the rest of the text never names is a weak reading of its name in a
            # text about another country ("Georgia" in a report from Atlanta).
            # A region of no single country (the Middle East, the Sahel) is neither helped nor hurt.
            other = 0.3 + 0.7 * cw
            if "" in cc:
                other = np.where(np.array([c == "" for c in cc]), 1.0, other)
            s = s * np.where(is_country, 0.5 + cw, other)
        for reg in regions:
            if reg.geometry is not None:
                inside = shapely.contains_xy(reg.geometry, lon, lat)
                s = s * np.where(inside & populated, 2.0, 1.0)
        if anchors is not None and len(anchors):
            d = _min_dist_km(lat, lon, anchors)
            # Far from the other places: a weaker reading, except a capital, named for its
            # government from anywhere ("Washington said").
            s = s * np.where(populated & ~capital, 0.5 + 1.5 * np.exp(-d / 150.0), 1.0)
        if within is not None:
            if within.geometry is not None:
                ok = shapely.contains_xy(within.geometry, lon, lat)
            else:
                ok = np.array([c == within.country_code for c in cc])
            s = s * np.where(ok, 3.0, 0.3)
        if descriptor not in ("region", "country", "front") and is_region.any() and populated.any():
            # A town and the district named after it (Kherson, Donetsk, Idlib): without
            # "district", the town is meant. A same-named town elsewhere (California, Maryland)
            # says nothing about the state.
            namesake = np.array(self.gaz.namesakes_for_key(key))
            s = s * np.where(namesake, NAMESAKE_REGION_FACTOR, 1.0)
        if descriptor in ("village", "town", "city"):
            s = s * np.where(populated, 1.3, 0.3)
        elif descriptor == "region":
            s = s * np.where(is_region, 2.5, 0.4)
        elif descriptor == "country":
            s = s * np.where(is_country, 2.5, 0.4)
        return entries, s

    def _resolve_key(self, key: str, descriptor: str, countries: dict[str, float], regions: list[Place],
                     anchors: np.ndarray | None, within: Place | None, second_order: bool = False,
                     ) -> tuple[Status, float, Place | None, tuple[Candidate, ...]]:
        entries, s = self._score(key, descriptor, countries, regions, anchors, within)
        if not entries:
            return "not_found", 0.0, None, ()
        order = np.argsort(-s, kind="stable")
        total = float(s.sum())
        best = order[0]
        share = float(s[best]) / total if total > 0 else 0.0
        ratio = float(s[best] / s[order[1]]) if len(order) > 1 and s[order[1]] > 0 else math.inf
        cands = []
        seen = set()
        for k in order[: self.cfg.max_candidates * 3]:
            place = entries[k].place
            if place.id in seen:
                continue
            seen.add(place.id)
            cands.append(Candidate(place, float(s[k]) / total, "name" if entries[k].primary else "alias", key))
            if len(cands) >= self.cfg.max_candidates:
                break
        # Two entries of one place (a name and an alias) are not an ambiguity.
        if len(order) > 1 and entries[order[1]].id == cands[0].place.id:
            ratio, share = math.inf, max(share, cands[0].score)
        if descriptor in ("village", "town", "city") and not cands[0].place.is_populated_place:
            # "Benin town", "the town of Sudan": the text says a town, the gazetteer has none of that name.
            return "not_found", 0.0, None, tuple(cands)
        resolved = share >= self.cfg.resolved_min_share or ratio >= self.cfg.resolved_min_ratio
        if resolved and descriptor in ("region", "front") and cands[0].place.is_populated_place and not second_order:
            # "Hama province", "Deir ez-Zor governorate": the region around the city of that name;
            # "the Zaporozhye direction": the region, when the city is its namesake capital.
            region = self.region_of(cands[0].place, namesake=descriptor == "front")
            if region is not None:
                return "resolved", 0.9 * share, region, (Candidate(region, share, "alias", key),) + tuple(cands)
        if resolved:
            confidence = min(1.0, share * min(1.0, ratio / 2.0) ** 0.25 if ratio != math.inf else share)
            return "resolved", confidence, cands[0].place, tuple(cands)
        # The context cannot settle it: the best reading still goes on the map, with its
        # confidence lowered and the others kept as candidates for an analyst to pick from.
        return "ambiguous", 0.5 * share, cands[0].place, tuple(cands)

    def region_of(self, place: Place, namesake: bool = False) -> Place | None:
        """The admin-1 region a populated place lies in (only one named like it, if ``namesake``)."""
        if not place.admin1:
            return None
        if namesake:
            from rapidfuzz import fuzz

            names = [fold(n) for n in (place.name, *place.alt_names)]
            if max(fuzz.ratio(fold(place.admin1), n) for n in names) < 75:
                return None
        for c in self.gaz.lookup(place.admin1, country=place.country_code, kind="region", fuzzy=False, limit=5):
            p = c.place
            if p.kind == "region" and p.country_code == place.country_code and p.geometry is not None \
                    and shapely.contains_xy(p.geometry, place.lon, place.lat):
                return p
        return None

    def _resolve(self, article_id: str, doc: str, spans: list[_Span], countries: dict[str, float],
                 own_evidence: dict[tuple[str, str], float], sents: list[Range],
                 aside: _Mask | None = None) -> list[Mention]:
        """Readings of every span. Names only in ``aside`` (captions, other stories' headlines) are
        read too, but are no anchors or regions for the others."""
        # One sense per discourse: every occurrence of a name (with its descriptors) resolves together.
        # "Donetsk" and "Donetsk Oblast" are two places; "the town of X" and "X" are one.
        groups: dict[tuple[str, bool], list[int]] = defaultdict(list)
        for idx, sp in enumerate(spans):
            groups[(sp.key, sp.descriptor in ("region", "country"))].append(idx)

        # (status, confidence, place, candidates) by (key, named as a region or country)
        def run(regions: list[Place], anchors: np.ndarray | None,
                results: dict[tuple[str, bool], tuple]) -> dict[tuple[str, bool], tuple]:
            out = {}
            for gk, idxs in groups.items():
                key = gk[0]
                if gk in results and len(results[gk][3]) <= 1:
                    out[gk] = results[gk]  # one reading only: the context cannot change it
                    continue
                descriptor = next((spans[i].descriptor for i in idxs if spans[i].descriptor), "")
                within = None
                for i in idxs:
                    w = spans[i].within
                    if w is None:
                        continue
                    wk = (spans[w].key, spans[w].descriptor in ("region", "country"))
                    if wk in results and results[wk][2] is not None and results[wk][2].kind in ("country", "region"):
                        within = results[wk][2]
                own = anchors
                if anchors is not None and gk in results and results[gk][2] is not None:
                    p = results[gk][2]
                    own = anchors[~((anchors[:, 0] == p.lat) & (anchors[:, 1] == p.lon))]
                # A name is never its own evidence: the countries the rest of the document names.
                others = {c: w - own_evidence.get((key, c), 0.0) for c, w in countries.items()}
                out[gk] = self._resolve_key(key, descriptor, {c: w for c, w in others.items() if w > 0},
                                            regions, own, within, all(spans[i].second_order for i in idxs))
            return out

        first = run([], None, {})
        told = first if aside is None else {
            gk: r for gk, r in first.items() if any(not aside.hit(spans[i].start, spans[i].end) for i in groups[gk])}
        # Places inside a region the text names are the likelier readings: any first-order unit
        # (Texas, Ontario) or smaller region with a polygon.
        regions = [r[2] for r in told.values()
                   if r[0] == "resolved" and r[2].kind == "region" and r[2].geometry is not None
                   and ((r[2].area_km2 or 0) < 200_000 or r[2].id.startswith("ne:admin1:"))]
        anchor_pts = [(r[2].lat, r[2].lon) for r in told.values()
                      if r[0] == "resolved" and r[2].is_populated_place and r[1] >= 0.6]
        anchors = np.array(anchor_pts) if anchor_pts else None
        final = run(regions, anchors, first) if (regions or anchors is not None) else first
        out = []
        sent_of = sentence_lookup(sents)
        for gk, idxs in groups.items():
            status, conf, place, cands = final[gk]
            for i in idxs:
                sp = spans[i]
                qualifier = sp.qualifier
                if sp.second_order and place is not None and place.is_populated_place and not qualifier:
                    qualifier = "near"  # "Kupiansk district": its town stands for it, approximately
                end = sp.name_end if status == "not_found" and sp.name_end else sp.end  # its own name, not "Benin town"
                out.append(Mention(article_id, doc[sp.start : end], sp.start, end, status, conf, place, cands,
                                   sp.descriptor, qualifier, sent_of(sp.start)))
        return out

    def _drop_out_of_context(self, mentions: list[Mention], countries: dict[str, float],
                             own: dict[tuple[str, str], float]) -> tuple[list[Mention], list[Skipped]]:
        """A place far from everything else the article mentions, in a country it never
        names, is a surname or a word, not a place ('Hamas' is not Hamm, Germany). If the
        text says it is a place ("the village of Solhan"), the gazetteer lacks the right one:
        not_found, with what it has as candidates."""
        if not countries:
            return mentions, []
        evidence = sum(countries.values())
        # A country's or a macro-region's point is nowhere in particular: not an anchor.
        anchors = [(m.place.lat, m.place.lon) for m in mentions
                   if m.place is not None and m.status == "resolved" and m.place.kind != "country"
                   and not (m.place.kind == "region"
                            and (not m.place.country_code or (m.place.area_km2 or 0) > 500_000))]

        def supported(p: Place, surface: str) -> bool:
            return countries.get(p.country_code, 0.0) - own.get((_key_of(surface), p.country_code), 0.0) > 0

        anchor_arr = np.array(anchors) if anchors else None
        keep, dropped = [], []
        for m in mentions:
            places = [m.place] if m.status == "resolved" and m.place is not None else [c.place for c in m.candidates]
            if not places or not all(p.is_populated_place and not p.capital for p in places):
                keep.append(m)
                continue
            continents = {self.gaz.continent(c) for c, w in countries.items()
                          if w - own.get((_key_of(m.text), c), 0.0) > 0}
            # A city of 100,000 or more on the continent the text is about is no stray word
            # ("Russian drones hit Kharkiv" need not name Ukraine); Palma in Spain is one in a
            # report on Mozambique, Hamm in Germany one in a report on Gaza.
            if not all(p.population < 100_000 or self.gaz.continent(p.country_code) not in continents for p in places):
                keep.append(m)
                continue
            own_total = sum(w for (k, _), w in own.items() if k == _key_of(m.text))
            if any(supported(p, m.text) for p in places) or evidence - own_total <= 0:
                keep.append(m)  # in a named country, or the article names no country at all
                continue
            near = anchor_arr is not None and any(_near_any(p, anchor_arr, self.cfg.out_of_context_km) for p in places)
            if near:
                keep.append(m)
            elif m.descriptor in ("village", "town", "city"):
                keep.append(Mention(m.article_id, m.text, m.start, m.end, "not_found", 0.0, None, m.candidates,
                                    m.descriptor, m.qualifier, m.sentence))
            else:
                dropped.append(Skipped(m.text, m.start, m.end, "out_of_context"))
        return keep, dropped

    def _not_found(self, article_id: str, doc: str, toks: Tokens, caps: list[bool], mentions: list[Mention],
                   persons: list[Range], orgs: list[Range], sents: list[Range], skipped: Sequence[Skipped] = (),
                   swallowed: set[Range] | None = None) -> list[Mention]:
        """Places the gazetteer lacks: named by their shape ("the village of X", "X camp") or
        right after a locative word. Each keeps its own name, and the smallest place the text
        names around it (the next place in the sentence, else the one before) as ``enclosing``."""
        out: list[Mention] = []
        # A word skipped as a far-off reading ("Bulo" in "Bulo Marer") may still open a longer name the
        # gazetteer lacks; on its own it stays dropped ("Hamm" is no unlisted village either).
        # Characters already spoken for (places, people, bodies): one mask, so that each test is as
        # long as the name, not as long as the article.
        taken = _Mask(len(doc), [(m.start, m.end) for m in mentions] + list(persons) + list(orgs) + [
            (s.start, s.end) for s in skipped if s.reason not in ("common_word", "out_of_context", "part_of_name")])
        dropped = {(s.start, s.end) for s in skipped if s.reason == "out_of_context"}
        found_at: dict[tuple[int, int], int] = {}
        sent_of = sentence_lookup(sents)
        swallowed = set() if swallowed is None else swallowed

        def candidate(s: int, e: int, descriptor: str, listed_as_places: bool = False) -> None:
            name = doc[s:e]
            bare = re.sub(r"['’]s$", "", name)
            e = s + len(bare)
            if (s, e) in found_at:
                if descriptor and not out[found_at[(s, e)]].descriptor:
                    # "on Nyaung Kone, a village": the shape found later says what the name is
                    out[found_at[(s, e)]] = replace(out[found_at[(s, e)]], descriptor=descriptor)
                return
            if (s, e) in dropped and not listed_as_places:
                return
            if taken.hit(s, e):
                # In a list of places, "Ruwan Baure" is one village even where the gazetteer knows a
                # "Baure": the longer name wins over a reading of its last word (not over people or bodies).
                inner = [m for m in mentions if s <= m.start and m.end <= e and m.end - m.start < e - s]
                if not (listed_as_places and inner and not any(a < e and s < b for a, b in list(persons) + list(orgs))
                        and not any(a < e and s < b for a, b in ((o.start, o.end) for o in out))):
                    return
                swallowed.update((m.start, m.end) for m in inner)
            words = bare.split()
            first = words[0].lower()
            # With a site word ("X camp") the name is a place unless it is a very common word; after
            # a bare locative ("in X") it must be rarer. "Abu", "Wadi", "Tell" open place names.
            common = self.cfg.common_word_zipf if descriptor else self.cfg.common_word_zipf_sentence_start
            opener = first in GEO_PREFIXES or first in PLACE_NAME_OPENERS
            if (not opener and self.lex.zipf(first) >= common) or self.lex.is_date_word(first):
                return
            if self.lex.demonym_country(words[0]) is not None or (bare.isupper() and len(bare) <= 5):
                return
            # the place around it is chosen once all mentions are known (parse)
            found_at[(s, e)] = len(out)
            out.append(Mention(article_id, bare, s, e, "not_found", 0.0, None, (), descriptor, "", sent_of(s)))
            taken.add(s, e)

        n = len(toks)

        def joined(k: int) -> bool:  # token k and k+1 are one name: one space or a hyphen between
            return doc[toks.end[k] : toks.start[k + 1]] in (" ", "-")

        def run_from(k: int) -> int:
            j = k
            while j + 1 < n and joined(j) and (caps[j + 1] or (
                    toks.text[j + 1] in NAME_PARTICLES and j + 2 < n and joined(j + 1) and caps[j + 2])):
                j += 1
            return j

        def run_back(k: int) -> int:
            i = k
            while i - 1 >= 0 and joined(i - 1) and (caps[i - 1] or (
                    toks.text[i - 1] in NAME_PARTICLES and i - 2 >= 0 and joined(i - 2) and caps[i - 2])):
                i -= 1
            return i

        for k in [k for k, w in enumerate(toks.text) if (w in SHAPE_WORDS or w in PLURAL_SITE_WORDS) and not caps[k]]:
            w = toks.text[k]
            if w in SITE_BEFORE_WORDS and k + 2 < n and toks.text[k + 1] == "of" and caps[k + 2]:  # "the village of X"
                candidate(toks.start[k + 2], toks.end[run_from(k + 2)], SITE_KIND.get(w, "village"))
            if (w in ("village", "town", "hamlet", "settlement") and k >= 2
                    and toks.text[k - 1] in ("a", "the", "small")):
                # "Nyaung Kone, a village lying ...": the name before the comma
                b = k - 2
                if b >= 0 and caps[b] and doc[toks.end[b] : toks.start[k - 1]].strip() == ",":
                    candidate(toks.start[run_back(b)], toks.end[b], SITE_KIND.get(w, "village"))
            if w in SITE_AFTER_WORDS:  # "X camp", "Isige town", "Zamzam refugee camp"
                b = k - 1 if k >= 1 and toks.text[k - 1] not in CAMP_QUALIFIERS else k - 2
                if b >= 0 and caps[b] and joined(b):
                    candidate(toks.start[run_back(b)], toks.end[b], SITE_KIND.get(w, "village"))
            if w in PLURAL_SITE_WORDS and k >= 1:  # "the Zamzam and Abu Shouk displacement camps"
                b = k - 1 if toks.text[k - 1] not in CAMP_QUALIFIERS else k - 2
                items: list[tuple[int, int]] = []
                while b >= 0 and caps[b] and (items or joined(b)):
                    a = run_back(b)
                    items.append((a, b))
                    gap = doc[toks.end[a - 1] : toks.start[a]] if a >= 1 else ""
                    if a >= 2 and gap in (", ", ",") and caps[a - 1]:
                        b = a - 1
                    elif (a >= 2 and toks.text[a - 1] == "and"
                          and doc[toks.end[a - 2] : toks.start[a - 1]] in (" ", ", ")):
                        b = a - 2
                    else:
                        break
                if len(items) > 1:
                    for a, j in items:
                        candidate(toks.start[a], toks.end[j], SITE_KIND.get(w.rstrip("s"), "village"),
                                  listed_as_places=True)
            if w in LOCATIVE_WORDS and k + 1 < n and caps[k + 1]:  # "in Witho", "attacked Wonaka, Ajja and Mada"
                a = k + 1
                items = []
                while a < n and caps[a]:
                    j = run_from(a)
                    items.append((a, j))
                    gap = doc[toks.end[j] : toks.start[j + 1]] if j + 1 < n else ""
                    if gap in (", ", ",") and j + 1 < n and caps[j + 1]:
                        a = j + 1
                    elif gap in (" ", ", ") and j + 2 < n and toks.text[j + 1] == "and" and caps[j + 2]:
                        a = j + 2
                    else:
                        break
                # "... Doka and Takoka villages": the list says what its items are, even the ones whose
                # gazetteer reading was dropped as far off (Ajja is no Ajjah in the West Bank here)
                last = items[-1][1]
                plural = last + 1 < n and toks.text[last + 1] in PLURAL_SITE_WORDS and len(items) > 1
                # A long list after an event word names places, each one: "attacked Wonaka, Ajja, Mada
                # and Doka" keeps Ajja even when its gazetteer reading was dropped as far off.
                for a, j in items:
                    candidate(toks.start[a], toks.end[j], "village" if plural else "",
                              listed_as_places=plural or len(items) >= 3)
        return out

    @staticmethod
    def _region_before(by_sentence: dict[int, list[Mention]], sentence: int) -> Place | None:
        """With no place around it in its own sentence, an unlisted village lies in the region the
        two sentences before name ("... in Russia's Belgorod Region. ... the settlement of Gorkovsky")."""
        for k in (sentence - 1, sentence - 2):
            regions = [m for m in by_sentence.get(k, []) if m.place is not None and m.place.kind == "region"]
            if regions:
                return regions[-1].place
        return None

    @staticmethod
    def _enclosing(in_sent: list[Mention], pos: int) -> Place | None:
        """The place the text puts a place it names around it, among the resolved places of its
        sentence: the next one ("Makuach, in Twic East County"), else the last one before it."""
        # A town listed beside it ("Wonaka, Ajja and Kano") is a neighbour, not the place around it:
        # prefer a region; a town only when nothing larger is named.
        def populated(m: Mention) -> bool:  # (every mention here has its place)
            return m.place is not None and m.place.is_populated_place

        after = sorted((m for m in in_sent if m.start > pos), key=lambda m: (populated(m), m.start))
        before = sorted((m for m in in_sent if m.start < pos), key=lambda m: (populated(m), -m.start))
        pick = after[0] if after else (before[0] if before else None)
        return pick.place if pick else None

# ---------------------------------------------------------------------- helpers

# What follows the place in a dateline: ", Somalia", ", Aug 19, 2019", "/ Nyala", an agency in
# brackets, then a dash ("DAKAR -", "KINSHASA, Dec 8 (NNN) —") or, after an agency or a name
# in capitals, a colon ("TALOQAN (Pajhwok):").
_DATELINE_TAIL = re.compile(
    r"(?P<rest>(?:\s*[,/]\s*[^,/\n()—–:]{1,30}?){0,3})\s*(?P<agency>\([^()\n]{1,40}\))?\s*(?P<sep>—|–|--?(?=\s)|:)")


def _mark_datelines(doc: str, mentions: list[Mention]) -> list[Mention]:
    """A place opening a paragraph as a dateline places the reporter, not the events: such
    mentions (and the country or region named in the same dateline) get the qualifier
    'dateline', which incident extraction never takes as an event's place."""
    spans: list[tuple[int, int]] = []
    for m in mentions:
        line_start = doc.rfind("\n", 0, m.start) + 1
        if doc[line_start : m.start].strip(" \t•*\"“"):
            continue
        t = _DATELINE_TAIL.match(doc, m.end)
        if not t:
            continue
        if t.group("sep") == ":" and not (t.group("agency") or m.text.isupper()):
            continue  # "Zabul: Taliban attack kills 6": a headline naming the event's place
        spans.append((m.start, t.end()))
    if not spans:
        return mentions
    return [replace(m, qualifier="dateline")
            if m.qualifier != "organisation" and any(a <= m.start < b for a, b in spans)
            else m for m in mentions]



def _in_heading(doc: str, s: int, e: int) -> bool:
    """A dateline ('BAKU, Oct 4 -') or an all-capitals heading line ('BURKINA FASO')."""
    line_start = doc.rfind("\n", 0, s) + 1
    line_end = doc.find("\n", e)
    line = doc[line_start : line_end if line_end >= 0 else len(doc)]
    if not doc[line_start:s].strip(" \t•*-"):
        return True
    return line == line.upper() and line != line.lower()


def _at_sentence_start(doc: str, s: int, sent_starts: set[int]) -> bool:
    k = s - 1
    dash = False
    while k >= 0 and doc[k] in " \t\"“‘'(*•-–—\u00a0":
        # "DAKAR - Drone strikes ...": a spaced dash opens the text after a dateline or heading
        dash = dash or (doc[k] in "-–—" and k > 0 and doc[k - 1] in " \t)")
        k -= 1
    return k < 0 or dash or (k + 1) in sent_starts or doc[k] in "\n:" or s in sent_starts


def _gap_ok(doc: str, toks: Tokens, k: int, spaces_only: bool, allow_dot: bool = False) -> bool:
    gap = doc[toks.end[k] : toks.start[k + 1]]
    if allow_dot and gap.startswith("."):
        gap = gap[1:]
    if spaces_only:
        return gap == " "
    return gap in (" ", "-", "–", " - ")


@lru_cache(maxsize=65536)
def _bare(word: str) -> str:
    w = fold(word)
    return strip_possessive(w) or w


@lru_cache(maxsize=8192)
def _key_of(surface: str) -> str:
    from .text import name_key

    key = name_key(surface)
    words = key.split()
    bare = strip_possessive(words[-1]) if words else None
    return " ".join(words[:-1] + [bare]) if bare else key


class _Lazy:
    """A value computed on first use (most articles never need it)."""

    __slots__ = ("_fn", "_value", "_done")

    def __init__(self, fn: Callable[[], Any]):
        self._fn, self._value, self._done = fn, None, False

    @property
    def value(self) -> Any:
        if not self._done:
            self._value, self._done = self._fn(), True
        return self._value


class _Mask:
    """Which characters some spans cover: an overlap test as long as the name, not the list."""

    __slots__ = ("bits",)

    def __init__(self, size: int, spans: Iterable[Range] = ()):
        self.bits = bytearray(size)
        for a, b in spans:
            self.add(a, b)

    def add(self, a: int, b: int) -> None:
        self.bits[a:b] = b"\x01" * (b - a)

    def hit(self, a: int, b: int) -> bool:
        return any(self.bits[a:b])


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out




def _near_any(p: Place, anchors: np.ndarray, km: float) -> bool:
    """Within ``km`` of an anchor other than its own point."""
    others = anchors[~((anchors[:, 0] == p.lat) & (anchors[:, 1] == p.lon))]
    return bool(len(others)) and bool(_min_dist_km(np.array([p.lat]), np.array([p.lon]), others)[0] < km)


def _min_dist_km(lat: np.ndarray, lon: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    return haversine_km_array(lat[:, None], lon[:, None], anchors[None, :, 0], anchors[None, :, 1]).min(axis=1)
