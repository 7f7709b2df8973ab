"""Article + resolved places -> incidents: what happened, where, when, to whom, how many,
and who says so.

Sentence by sentence: an event trigger decides the ACLED event type; the sentence's
date phrase, resolved against the publication date, dates it; the places the
geoparser resolved in that sentence locate it; actors come from named groups,
demonym + force phrases ("an Azerbaijani air attack") and victim words; fatalities
follow ACLED's conservative reading ("more than 100" is 100); the attribution
("Armenian media said", "according to ...") and any denial in the same or the next
sentence ("Turkey has rejected the allegation") are kept as claims. Background
history (a war in 1988-1994) and generic mentions ("the fighting") are not
incidents. Nothing is invented: no date without a publication date, no point
without a place in the text.

``IncidentExtractor.extract`` runs these as stages over one ``Unit`` record per sentence or
clause (app/incident_records.py): units, event candidate, then each argument on its own, then
the draft; a stage that drops a unit, or attaches it to an incident already told, returns the
verdict and reason that ``python -m app explain`` prints. Locating is in app/incident_places.py,
claimants and denials in app/incident_claims.py, within-report merging in
app/incident_merging.py, the English rule tables in app/lang/en.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any, NamedTuple

from . import lang
from .articles import Article
from .dates import DateRef, find_dates
from .furniture import is_boilerplate
from .gazetteer import Gazetteer
from .geoparse import Mention, ParsedArticle
from .incident_claims import attach_denial, claimant_of, clean_party, subject_before
from .incident_merging import absorb_summaries, fold_toll, fold_unplaced, last_primary, merge_repeats
from .incident_places import (
    PLACE_LEVEL,
    REGION_LEVEL,
    dated_places,
    event_place,
    loc_id,
    located_at,
    siblings,
    specificity,
    within,
)
from .incident_records import (
    CONFIDENT_PRIORITY,
    DEATH_ONLY,
    GENERIC_MAX,
    NO_ACTOR,
    UNIDENTIFIED_GROUP,
    ActorRef,
    Draft,
    Inter,
    Kind,
    Span,
    Trigger,
    Unit,
    in_country,
)
from .lang.en.incidents import (  # the English tables: app/lang
    AFTER_EVENT,
    AGGREGATE,
    AIRCRAFT,
    ANAPHORA,
    ANY_DEATH,
    ANY_TRIGGER,
    ARMED_TARGET,
    ATTACK_MEANS,
    BATTLES,
    CIVILIAN_DEAD,
    CLAIM_NOUN_DENIAL,
    CLAIM_SPREAD,
    CLAUSE_BREAK,
    CLAUSE_HINT,
    COMBATANT_DEAD,
    COMMUNAL,
    DEFINITE_ARMED,
    DEMONYM_FORCE,
    DENIAL,
    DOCUMENT_SPEAKER,
    EARLIER_PERIODS,
    ERV,
    FALSE_CLAIM,
    FALSE_WORDS,
    FATAL_PATTERNS,
    FATAL_PATTERNS_WORDS,
    GENERIC_ARMED,
    GENERIC_BEFORE,
    GENERIC_NOUNS,
    HABITUAL,
    IMPACT_AFTER,
    INTERCEPTED,
    KILLED,
    NEGATED,
    OFFICIAL,
    ON_SETTLEMENT,
    POLICE_NOUNS,
    RELATIVE_ASIDE,
    REPORTED_ON,
    RETREAT,
    SAME_DAY,
    SD,
    SHOT_DOWN,
    SINCE_TOLL,
    SPLIT,
    SPLIT_WORDS,
    STATE_GENERIC,
    TARGET_BEFORE,
    TOLD_AFTER,
    TRIGGERS,
    VAC,
    VICTIMS,
    WORD_HUNDREDS,
)
from .lang.en.words import NUMBER_WORDS, QUALIFIERS
from .lexicon import Lexicon
from .models import Place
from .text import sentence_lookup

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Incident:
    """One reported event (or a cumulative toll), located, dated, attributed."""

    event_id: str
    article_id: str
    kind: Kind
    event_type: str
    sub_event_type: str
    event_date: dt.date | None
    date_start: dt.date | None
    date_end: dt.date | None
    time_precision: int | None
    date_phrase: str
    actor1: str
    actor2: str
    inter1: int | None
    inter2: int | None
    location: str
    place_id: str | None
    place_kind: str
    country_code: str
    admin1: str
    geo_precision: int | None
    lat: float | None
    lon: float | None
    region_id: str | None  # set when located only to a region: the map draws its polygon
    fatalities: int | None
    fatalities_detail: tuple[tuple[str, int], ...]
    claimed_by: str
    disputed_by: str
    evidence: str
    evidence_start: int
    evidence_end: int
    title: str
    publisher: str
    url: str
    published: dt.date | None
    confidence: float
    notes: str = ""

    @property
    def mapped(self) -> bool:
        return self.lat is not None and self.lon is not None

    def dedupe_key(self) -> tuple:
        """Same date, place, type and actors: one incident, however many articles report it."""
        return (self.kind, self.event_date.isoformat() if self.event_date else None, self.place_id,
                self.event_type, self.sub_event_type, self.actor1, self.actor2)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("event_date", "date_start", "date_end", "published"):
            d[k] = d[k].isoformat() if d[k] else None
        d["fatalities_detail"] = [list(x) for x in self.fatalities_detail]
        return d


def event_id_for(key: tuple) -> str:
    return "ev-" + hashlib.sha1(repr(key).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Decision:
    """What extraction made of one sentence, and by which rule: what ``python -m app explain`` prints."""

    sentence: int
    start: int
    end: int
    verdict: str  # event, aggregate, continues, merged, denial, dropped, no event
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "start": self.start, "end": self.end, "verdict": self.verdict,
                "reason": self.reason}


# What ends the reading of a unit: a verdict (dropped, no event, denial, continues) and why. The
# reason may be a callable, built only when someone listens (explain, or the debug log).
Reason = str | Callable[[], str]
Outcome = tuple[str, Reason]

_FURNITURE: Outcome = ("dropped", "a caption, credit or page furniture: it tells no event")
_NO_EVENT_WORD: Outcome = ("no event", "no word that tells an event")
_NEGATED: Outcome = ("dropped", "negated: it says the event did not happen")
_DEATH_ALONE: Outcome = ("no event", "a death word with no toll and no incident to continue")
_EMPTY_PERIOD: Outcome = ("dropped", "a period with no toll: nothing to record")
_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class _Report:
    """One article being read: what every stage may consult, and the drafts told so far."""

    parsed: ParsedArticle
    art: Article
    explaining: bool  # someone listens to the decisions: build their reasons
    trace: list[Decision] | None
    paragraph_of: dict[int, int]
    captions: list[tuple[int, int]]
    mentions_of: dict[int, list[Mention]]
    units: list[Unit]
    drafts: list[Draft] = field(default_factory=list)
    first_of: dict[int, Draft] = field(default_factory=dict)  # the first draft of each sentence

    def decide(self, si: int, verdict: str, reason: Reason) -> None:
        """Record a decision on sentence ``si``; a callable ``reason`` is built only when someone listens."""
        if not self.explaining:
            return
        reason = reason() if callable(reason) else reason
        a, b = self.parsed.sentences[si]
        log.debug("%s sentence %d: %s: %s", self.art.id, si, verdict, reason)
        if self.trace is not None:
            self.trace.append(Decision(si, a, b, verdict, reason))


def _event_reason(u: Unit, pub: dt.date | None) -> str:
    """Why a unit is an event: its type and the arguments found, as ``explain`` prints them."""
    date, place = u.date, u.place
    when = f"{date.phrase} = {date.date}" if date and date.date else ("none: the report date" if pub else "none")
    where = (place.text + (" (not in the gazetteer)" if place.status == "not_found" else "")) if place else "none"
    tpos = u.trigger.start if u.trigger is not None else 0
    return (f"{u.event_type} / {u.sub_event_type} ('{u.low[tpos:tpos + 24].split(' ')[0]}'); "
            f"date {when}; place {where}; "
            f"toll {u.fatalities if u.fatalities is not None else 'none'}; actor1 {u.actor1.name or 'none'}; "
            f"actor2 {u.actor2.name or 'none'}; claimed by {u.claimant or 'nobody named'}")


class IncidentExtractor:
    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon | None = None):
        self.gaz = gazetteer
        self.lex = lexicon or Lexicon()
        self._country_names: dict[str, str] = {}

    # ------------------------------------------------------------------ public

    def extract(self, parsed: ParsedArticle, trace: list[Decision] | None = None) -> list[Incident]:
        """Incidents of one parsed article. ``trace``, when given, receives one Decision per
        sentence (and per merge): which rule kept or dropped it, and why.

        The stages: the report's units (sentences, and clauses of sentences that tell two
        events); for each unit, the event candidate (trigger -> type, or why it tells no event of
        its own), then its arguments one by one (claimant, date, toll, place, aggregate, actors);
        then the report's drafts are merged and finished into incidents."""
        if not lang.supported(parsed.article.language):
            log.warning("%s: no rules for language %r (app/lang); the English ones are used",
                        parsed.article.id, parsed.article.language)
        r = self._report(parsed, trace)
        for u in r.units:
            stop = self._read(r, u)
            if stop is not None:
                r.decide(u.sentence, *stop)
                continue
            self._who(r, u)
            d = self._draft(r, u)
            self._listed_places(r, u, d)
        final = self._merge(r)
        self._speaker_after(final, r)
        self._only_group(final, r)
        self._refine_places(final, r.drafts, r.mentions_of, r.captions, parsed, r.decide)
        return [self._finish(d, r.art, parsed) for d in final]

    # ------------------------------------------------------------------ stages

    def _report(self, parsed: ParsedArticle, trace: list[Decision] | None) -> _Report:
        """Units: the report's sentences, each read whole, or clause by clause where it tells two
        events with a place each (see _clauses)."""
        doc = parsed.document
        mentions_of: dict[int, list[Mention]] = {}
        for m in parsed.mentions:
            mentions_of.setdefault(m.sentence, []).append(m)
        units: list[Unit] = []
        for si, (a, b) in enumerate(parsed.sentences):
            split = si in mentions_of and CLAUSE_HINT.search(doc, a, b)
            parts = self._clauses(doc, a, b, mentions_of[si]) if split else ((a, b),)
            for k, (ca, cb) in enumerate(parts):
                text = doc[ca:cb]
                units.append(Unit(len(units), si, k, ca, cb, text, _lower(text)))
        return _Report(parsed, parsed.article, trace is not None or log.isEnabledFor(logging.DEBUG), trace,
                       _paragraphs(doc, parsed.sentences), list(parsed.furniture), mentions_of, units)

    def _read(self, r: _Report, u: Unit) -> Outcome | None:
        """The stages one unit goes through, in order. The first that drops the unit, or attaches
        it to an incident already told, ends its reading and says why; None: it tells an event."""
        stop = self._furniture(r, u) or self._candidate(r, u)
        if stop is not None:
            return stop
        self._speaker(r, u)
        stop = self._negated(r, u) or self._when(r, u)
        if stop is not None:
            return stop
        u.fatalities, u.detail = fatalities(u.text)
        self._where(r, u)
        self._aggregate(u)
        return self._death_only(r, u) or self._too_vague(u) or self._continuation(r, u)

    @staticmethod
    def _furniture(r: _Report, u: Unit) -> Outcome | None:
        """Captions, credits, "Read more" lines and other page furniture tell no event."""
        if is_boilerplate(u.low) or any(x <= u.start < y for x, y in r.captions):
            return _FURNITURE
        return None

    def _candidate(self, r: _Report, u: Unit) -> Outcome | None:
        """Event candidate: the unit's strongest event words decide its ACLED type. A unit that
        calls a claim false ("false reports claimed that ...") disputes the incident told just
        before; one with a denial and no event word denies it; one with neither tells no event."""
        u.trigger = trig = self._trigger(u.low)
        u.denial = denial = DENIAL.search(u.low)
        false_claim = FALSE_CLAIM.search(u.low)
        if false_claim and r.drafts:
            # "false reports claimed that separatists had killed 9 soldiers": a disputed claim on
            # the incident told before, not an incident of its own
            before = last_primary(r.drafts)
            if before is not None and u.sentence - before.sentence <= 3:
                speaker = subject_before(u.text, false_claim.start()) or self._claim_of(u)[1]
                before.disputed_by = before.disputed_by or speaker or r.art.publisher or "the author"
                before.notes.append(f"disputed claim: {u.text[:160]}")
                return "denial", (f"'{false_claim.group(0)}': a claim disputed, "
                                  f"on the incident of sentence {before.sentence}")
        if denial and r.drafts and trig is None:
            attach_denial(r.drafts, u.sentence, r.paragraph_of, u.text, denial)
            return "denial", f"'{denial.group(0)}': a denial of the incident told just before"
        if trig is None:
            return _NO_EVENT_WORD
        u.event_type, u.sub_event_type = trig.event_type, trig.sub_event_type
        return None

    def _claim_of(self, u: Unit) -> tuple[Span | None, str]:
        """Who speaks in a unit, by its own words; worked out only for units that need it (most
        tell no event)."""
        if u.claim is None:
            u.claim = claimant_of(u.text)
        return u.claim

    def _speaker(self, r: _Report, u: Unit) -> None:
        """Claimant: who the unit says speaks. "The statement said ...": the body whose statement
        it is, named in the five units before; "It said ...": the speaker named in the two
        sentences before."""
        claim_span, claimant = self._claim_of(u)
        if claimant and DOCUMENT_SPEAKER.fullmatch(claimant):
            claimant = next((self._claim_of(v)[1] for v in reversed(r.units[max(0, u.index - 5) : u.index])
                             if self._claim_of(v)[1] and not DOCUMENT_SPEAKER.fullmatch(self._claim_of(v)[1])),
                            claimant)
        if not claimant and claim_span:
            # back through the units of the two sentences before, no further (long live blogs)
            for k in range(u.index - 1, -1, -1):
                v = r.units[k]
                if u.sentence - v.sentence > 2:
                    break
                if self._claim_of(v)[1]:
                    claimant = self._claim_of(v)[1]
                    break
        u.claim_span, u.claimant = claim_span, claimant

    def _negated(self, r: _Report, u: Unit) -> Outcome | None:
        """Negation and denial: "no strikes on the city were reported" did not happen; a denial
        before the event words and no figure ("Moscow denies deliberately targeting civilians")
        disputes the incident told before."""
        if NEGATED.search(u.low):
            return _NEGATED
        denial = u.denial
        assert u.trigger is not None
        if denial and denial.start() < u.trigger.start and r.drafts and not _DIGIT.search(u.text):
            attach_denial(r.drafts, u.sentence, r.paragraph_of, u.text, denial)
            return "denial", f"'{denial.group(0)}' before the event word and no figure: a denial"
        return None

    def _when(self, r: _Report, u: Unit) -> Outcome | None:
        """Date: the event's date phrase, resolved against the publication date. A clause takes
        its sentence's date (and source), "on the same day" the day of the event just told. A unit
        dated only in the background ("fought a war in 1988-1994") or by an earlier month or year
        alone ("Last month, RSF fighters overran Zamzam") tells no event of this report."""
        low = u.low
        u.dates = dates = find_dates(u.text, r.art.published)
        date = self._event_date(dates, u.text)
        head = r.first_of.get(u.sentence) if u.clause else None
        if head is not None:
            # "..., while a Su-34 struck the market in Jisr al-Shughour": the sentence's date and source
            date = date or head.date
            u.claimant = u.claimant or head.claimed_by
        told_last = last_primary(r.drafts)
        if date is None and SAME_DAY.search(low) and told_last is not None and told_last.date is not None:
            date = told_last.date  # "on the same day": the day of the event just told
        history = [d for d in dates if d.is_background]
        if history and date is not None and not date.is_background and re.match(r"['’]s\b", u.text[date.end:]):
            # "In March, attackers killed 137 ... as in Monday's attack": the weekday names the event the
            # report is about, only compared; the sentence's own events are the earlier ones
            date = None
        # "killed ... since the attack on October 7 last year": a toll
        u.since_then = since_then = bool(SINCE_TOLL.search(low))
        if history and (date is None or date.is_background) and not since_then:
            return "dropped", f"background: '{history[0].phrase}' is outside the report's time window"
        if date is not None and date.is_background:
            date = None
        if (date is not None and date.date is None and not date.cumulative and date.kind in EARLIER_PERIODS
                and not since_then and not AGGREGATE.search(low)):
            return "dropped", f"background: '{date.phrase}' tells an earlier event, not one of this report"
        u.date = date
        return None

    def _where(self, r: _Report, u: Unit) -> None:
        """Place: the most specific place the unit ties to the event (see _location)."""
        u.mentions = [m for m in r.mentions_of.get(u.sentence, []) if u.start <= m.start < u.end]
        u.place = event_place(u.text, u.start, u.mentions, u.claim_span)

    @staticmethod
    def _aggregate(u: Unit) -> None:
        """Aggregate: a cumulative toll ("since the war began", "so far this year") is an
        aggregate report, not an event. A period in a clause about the place ("..., where
        militants have massacred hundreds this year") does not make the event one."""
        assert u.trigger is not None
        cue = AGGREGATE.search(u.low)
        date = u.date
        if cue and date is not None and date.date is not None and not date.cumulative:
            aside = RELATIVE_ASIDE.search(u.low, u.trigger.end)
            if aside and aside.start() < cue.start():
                cue = None
        u.aggregate = bool((date and date.cumulative) or cue or u.since_then)

    @staticmethod
    def _death_only(r: _Report, u: Unit) -> Outcome | None:
        """A death with no other event word continues the last incident of its paragraph: its
        toll is added, or, told again by another source or of "the strikes", folded in (lowest
        figure kept). With no incident to continue and no toll it tells nothing."""
        assert u.trigger is not None
        if u.trigger.priority != DEATH_ONLY:
            return None
        fat, detail, claimant = u.fatalities, u.detail, u.claimant
        last = last_primary(r.drafts)
        if last and r.paragraph_of[last.sentence] == r.paragraph_of[u.sentence] and not u.aggregate:
            recount = last.fatalities is not None and fat is not None and (
                ANAPHORA.search(u.low) or (claimant and last.claimed_by and claimant != last.claimed_by))
            if recount:
                # "The separatists said the strikes had killed 21": the same dead counted again.
                fold_toll(last, fat, detail, claimant)
            elif fat is not None:
                last.fatalities = (last.fatalities or 0) + fat
                last.detail = last.detail + detail
            if not last.claimed_by and claimant:
                last.claimed_by = claimant
            if last.place is None and u.place is not None:
                last.place = u.place
            return "continues", (f"a toll without a new event word: the incident of sentence {last.sentence}"
                                 + (" counted again by another source (lowest figure kept)" if recount else ""))
        if fat is None:
            return _DEATH_ALONE
        return None

    def _too_vague(self, u: Unit) -> Outcome | None:
        """Talk about the conflict, a pattern, or a period with no toll: not one event to record."""
        assert u.trigger is not None
        generic = self._generic(u.low, u.trigger.start, u.date, u.fatalities, u.place, u.aggregate)
        if generic:
            return "dropped", generic
        if u.aggregate and u.fatalities is None:
            return _EMPTY_PERIOD  # "clashes have been reported since 27 August": no toll, nothing to record
        return None

    @staticmethod
    def _continuation(r: _Report, u: Unit) -> Outcome | None:
        """The sentence right after an event, in its paragraph, with no place and no date of its
        own tells more of the same event ("... were killed when a shell struck")."""
        last = last_primary(r.drafts)
        if (last is not None and u.place is None and u.date is None and u.sentence - last.sentence == 1
                and r.paragraph_of[last.sentence] == r.paragraph_of[u.sentence] and not u.aggregate
                and last.kind == "event"):
            if u.fatalities is not None:
                last.fatalities = (last.fatalities or 0) + u.fatalities
                last.detail = last.detail + u.detail
            last.claimed_by = last.claimed_by or u.claimant
            return "continues", f"no place and no date of its own: more of the incident of sentence {last.sentence}"
        return None

    def _who(self, r: _Report, u: Unit) -> None:
        """Actors and roles (see _actors), and the event type that depends on them: a death alone
        is a battle when the dead are combatants, else violence against civilians; drones or
        missiles "shot down" are disrupted weapons use; who took territory says whether it was
        regained; a clash with civilians, or a generic attack on a community with no armed side on
        the receiving end, is violence against civilians."""
        low, trig = u.low, u.trigger
        assert trig is not None
        etype, sub = u.event_type, u.sub_event_type
        if trig.priority == DEATH_ONLY:
            combatants = COMBATANT_DEAD.search(low) and not VICTIMS.search(low)
            etype, sub = (BATTLES, "Armed clash") if combatants else (VAC, "Attack")
        if etype == BATTLES and sub == "Armed clash" and SHOT_DOWN.search(low):
            if INTERCEPTED.search(low) and not AIRCRAFT.search(low):
                etype, sub = SD, "Disrupted weapons use"
        actor1, actor2 = self._actors(u.text, low, (trig.start, trig.end), u.claim_span, u.claimant, etype, u.place,
                                      r.parsed)
        if etype == BATTLES and sub in ("Government regains territory", "Non-state actor overtakes territory"):
            state = actor1.inter == Inter.STATE_FORCES
            sub = "Government regains territory" if state else "Non-state actor overtakes territory"
        if etype == BATTLES and sub == "Armed clash" and actor2.inter == Inter.CIVILIANS:
            etype, sub = VAC, "Attack"
        elif (etype == BATTLES and sub == "Armed clash" and trig.priority <= GENERIC_MAX and not actor2.name
              and (VICTIMS.search(low) or ON_SETTLEMENT.search(low)
                   or (actor1.inter not in (Inter.STATE_FORCES, None) and not ARMED_TARGET.search(low, trig.end)))):
            # "bandits attacked Wonaka, Ajja and Mada", "a night-time raid on the city of Beni": a
            # one-sided attack on a community, with no armed side named on the receiving end
            etype, sub = VAC, "Attack"
            actor2 = ActorRef(self._scoped("Civilians", _event_country(u.place, r.parsed)), Inter.CIVILIANS)
        u.event_type, u.sub_event_type, u.actor1, u.actor2 = etype, sub, actor1, actor2

    def _draft(self, r: _Report, u: Unit) -> Draft:
        """The unit's incident, with the claims it states about itself: "information spread by X
        claiming ..." (false, says the author), "a claim that X denied", and who denies it after
        the claim."""
        assert u.trigger is not None
        sent, low, claim_span = u.text, u.low, u.claim_span
        d = Draft(u.sentence, u.start, u.end, sent, u.event_type, u.sub_event_type,
                  "aggregate_report" if u.aggregate else "event", u.date, u.place,
                  u.actor1, u.actor2, u.fatalities, u.detail, u.claimant)
        spread = CLAIM_SPREAD.search(sent)
        if spread:
            d.claimed_by = clean_party(spread.group(1))
            if FALSE_WORDS.search(low):
                d.disputed_by = r.art.publisher or "the author"
        inline = CLAIM_NOUN_DENIAL.search(sent)
        denial = u.denial
        if inline:
            d.disputed_by = clean_party(inline.group(1))
        elif denial and denial.start() > (claim_span[1] if claim_span else -1):
            subj = subject_before(sent, denial.start())
            if subj and subj.lower() != u.claimant.lower():
                d.disputed_by = subj
        d.prio = u.trigger.priority
        d.confidence = self._confidence(d, d.prio)
        r.drafts.append(d)
        r.first_of.setdefault(u.sentence, d)
        r.decide(u.sentence, "aggregate" if u.aggregate else "event", lambda: _event_reason(u, r.art.published))
        return d

    def _listed_places(self, r: _Report, u: Unit, d: Draft) -> None:
        """Dated places and siblings: a unit that tells several days and places ("on 19 and 21
        November in Tche; on 22 November in Drodro") or lists places with its own ("hit Kharkiv
        and Izium") is one incident per day and place; places named after "after"/"following" the
        event words belong to what came after it."""
        if u.place is None or u.aggregate:
            return
        assert u.trigger is not None
        sent, a = u.text, u.start
        pairs = dated_places(sent, a, u.mentions, u.dates, u.claim_span)
        extras: list[tuple[DateRef | None, Mention]]
        if pairs:
            # "on 19 and 21 November in Tche; on 22 November in Drodro": one incident per day and place
            d.date, d.place = pairs[0]
            extras = list(pairs[1:])
        elif AFTER_EVENT.search(sent, u.place.end - a, u.trigger.start):
            # "Tension is high in Witho, Majembeni and Mkunumbi after an attack": the places
            # belong to what came after the event, not to the event
            extras = []
        else:
            extras = [(d.date, sib) for sib in siblings(sent, a, u.mentions, u.place, u.claim_span)]
        here = d.place if d.place is not None else u.place
        for when, sib in extras:
            extra = replace(d, date=when, place=sib, fatalities=None, detail=(), notes=list(d.notes), sibling=True)
            if d.fatalities is not None:
                extra.notes.append(f"the toll of {d.fatalities} is given for {here.text} and "
                                   + ", ".join(o.text for _, o in extras)
                                   + " together: counted once, at " + here.text)
            r.drafts.append(extra)
            r.decide(u.sentence, "event", _also_at(sib, when if pairs else None, here))

    @staticmethod
    def _merge(r: _Report) -> list[Draft]:
        """Within-report merging: a headline stands only when the body tells no event; an official
        statement claims what it says without other attribution; then repeats, summaries and
        unplaced tellings are merged (app/incident_merging.py)."""
        art, drafts = r.art, r.drafts
        # A headline sums up the story: its incidents stand only if the body does not tell them.
        title_end = len(art.title) if art.title and r.parsed.document.startswith(art.title) else 0
        body = [d for d in drafts if d.start >= title_end]
        # A headline's event is told again in the body, with its date and details; it stands on
        # its own only when the body tells none ("Gunmen kill 37 in attack on Niger village").
        kept = body if any(d.kind == "event" for d in body) else drafts
        for d in drafts:
            if d not in kept:
                r.decide(d.sentence, "merged", "a headline: the body tells its event")
        if art.publisher and OFFICIAL.search(art.publisher):
            # An official statement: what it says without other attribution is its author's claim.
            for d in kept:
                d.claimed_by = d.claimed_by or art.publisher
        final = fold_unplaced(absorb_summaries(merge_repeats(kept)))
        for d in kept:
            if d not in final and d.merged_into is not None:
                r.decide(d.sentence, "merged", f"the same event as the incident of sentence {d.merged_into}")
        return final

    def _only_group(self, final: list[Draft], r: _Report) -> None:
        """'the militants launched a coordinated assault' in a report whose only named armed group is
        the Taliban: the militants are the Taliban, as the report itself says. Applied to incidents
        left to an unidentified armed group whose sentence speaks of the group anaphorically ("the
        militants", "the insurgents") or is within two sentences of the group's name."""
        if not any(d.actor1.name.startswith(UNIDENTIFIED_GROUP) for d in final):
            return  # most reports: nothing to attribute, no need to read the whole text for names
        doc = r.parsed.document
        named = [(a, actor) for a, _b, actor in self.lex.find_actors(doc)
                 if actor.inter in (Inter.REBEL_GROUPS, Inter.POLITICAL_MILITIAS, Inter.IDENTITY_MILITIAS)]
        if len({actor.actor for _a, actor in named}) != 1:
            return
        group = named[0][1]
        where = sentence_lookup(r.parsed.sentences)
        near = {k for k in (where(a) for a, _actor in named) if k >= 0}
        for d in final:
            if not d.actor1.name.startswith(UNIDENTIFIED_GROUP):
                continue
            place = located_at(d.place)
            cc = place.country_code if place is not None else ""
            if group.country_code and cc and cc != group.country_code:
                continue
            if DEFINITE_ARMED.search(d.text.lower()) or any(abs(d.sentence - k) <= 2 for k in near):
                d.actor1 = ActorRef(group.actor, group.inter)
                d.notes.append(f"actor1: {group.actor}, the only armed group the report names")
                r.decide(d.sentence, "actor", f"actor1 {group.actor}: the only armed group the report names")

    @staticmethod
    def _speaker_after(final: list[Draft], r: _Report) -> None:
        """A lead that names no source is often attributed in the sentence after it ("Boko Haram
        fighters have killed seven people in Dogba. ... the governor said"): the speaker of the next
        two sentences of its paragraph, when they tell no other event, is who claims it."""
        told = {d.sentence for d in r.drafts if d.merged_into is None}
        doc = r.parsed.document
        for d in final:
            if d.claimed_by or d.kind != "event":
                continue
            for si in range(d.sentence + 1, min(d.sentence + 3, len(r.parsed.sentences))):
                if si in told or r.paragraph_of.get(si) != r.paragraph_of.get(d.sentence):
                    break
                a, b = r.parsed.sentences[si]
                _span, speaker = claimant_of(doc[a:b])
                if speaker and not DOCUMENT_SPEAKER.fullmatch(speaker):
                    d.claimed_by = speaker
                    r.decide(si, "source", f"who claims the incident of sentence {d.sentence}: {speaker}")
                    break

    def _refine_places(self, final: list[Draft], drafts: list[Draft], mentions_of: dict[int, list[Mention]],
                       captions, parsed: ParsedArticle, decide) -> None:
        """A lead that places its event only in a country or region ("in the north of Burkina Faso",
        "in Ituri province") is followed by sentences that name the town without telling another event
        ("The attack took place in Markoye"; "The camp, Lala, lies in Djugu territory"): the event is
        there, as ACLED codes it at the most specific place reported."""
        told = {d.sentence for d in drafts}
        for d in final:
            if d.kind != "event" or d.sibling or specificity(d.place) > REGION_LEVEL:
                continue
            for si in range(d.sentence + 1, min(d.sentence + 4, len(parsed.sentences))):
                if si in told:
                    break  # another event is told: what follows is about that one
                a, _b = parsed.sentences[si]
                if any(x <= a < y for x, y in captions):
                    continue
                inner = [m for m in mentions_of.get(si, ()) if m.qualifier not in ("organisation", "dateline")
                         and specificity(m) >= PLACE_LEVEL and (m.status == "not_found" or m.place is not None)
                         and (d.place is None or within(m, d.place))]
                if inner:
                    d.place = inner[0]
                    d.notes.append(f"placed by: {parsed.document[a:_b][:120]}")
                    decide(si, "places", f"the place of the incident of sentence {d.sentence}: {inner[0].text}")
                    break

    # ------------------------------------------------------------------ pieces

    @staticmethod
    def _trigger(low: str) -> Trigger | None:
        """The sentence's strongest event words: their ACLED type, priority and span."""
        return trigger_of(low)

    @staticmethod
    def _event_date(dates: list[DateRef], sent: str) -> DateRef | None:
        """The event's date phrase: not the background, and not the day a statement was made
        ("the army said on Tuesday that ... on Sunday") when the sentence has another."""
        usable = [d for d in dates if not d.is_background]
        told = [d for d in usable if REPORTED_ON.search(sent[: d.start]) or TOLD_AFTER.match(sent, d.end)]
        # "said on Friday (Feb 15) that ...": the date in brackets is the same day of speaking
        told += [d for d in usable if d not in told and any(
            t.end <= d.start and re.fullmatch(r"\s*\(\s*", sent[t.end : d.start]) for t in told)]
        if len(usable) > 1 and len(told) < len(usable):
            usable = [d for d in usable if d not in told]
        elif usable and len(told) == len(usable) and (
                re.match(r"(?i)\s*(?:\w+\s+)?(?:report|statement|briefing|update|bulletin)", sent[told[0].end:])
                or (not any(t.cumulative for t in told)
                    and re.match(r"\)?\s*that\b", sent[max(t.end for t in told):]))):
            # the only date is a document's, or the day someone spoke ("police said on Tuesday that 15
            # people were killed"): the event's own day is told elsewhere, or is the report's
            return None
        if usable:
            pick = usable[0]
            if told and pick not in told and pick.date is not None and pick.kind == "previous_day":
                # "police said Saturday that 32 people were killed the previous evening": the day
                # before the statement, not before the report
                day = max(t.date for t in told if t.date is not None) - dt.timedelta(days=1) if any(
                    t.date is not None for t in told) else pick.date
                return replace(pick, date=day, date_start=day, date_end=day)
            return pick
        return dates[0] if dates else None

    @staticmethod
    def _generic(low: str, tpos: int, date, fat, place, aggregate) -> str:
        """'the fighting', 'the worst fighting since...': talk about the conflict, not an event.
        Returns why ('' when the sentence tells an event)."""
        if date is not None or fat is not None or aggregate:
            return ""
        noun = GENERIC_NOUNS.match(low, tpos)
        acting = place is not None and noun is not None and bool(IMPACT_AFTER.match(low, noun.end()))
        if noun and GENERIC_BEFORE.search(low[:tpos]) and not acting:
            return f"talk about the conflict ('the {noun.group(0)}'), no date, place or toll of one event"
        if HABITUAL.search(low):
            return "a pattern ('almost daily', 'continues to'), not one event"
        if re.match(r"(?:attacks|strikes|air ?strikes|raids|clashes|battles|bombings)\b", low[tpos:]):
            return "plural, undated and uncounted: talk about many events, not one"
        where = located_at(place)
        if where is None and not (place is not None and place.status == "not_found"):
            return "no date, no toll and no place: nothing an analyst could map or count"
        if where is not None and where.kind == "country" and place.status != "not_found":
            return "no date, no toll, and only a country: too vague to be one event"
        return ""

    def _clauses(self, doc: str, a: int, b: int, mentions: list[Mention]) -> list[tuple[int, int]]:
        """A sentence that tells two events in two clauses ("two Su-24s hit Idlib, while a Su-34
        struck the market in Jisr al-Shughour"; "...; shelling also hit X") is read clause by clause:
        split where each side has an event word and a place of its own."""
        placed = [m for m in mentions if m.qualifier not in ("organisation", "dateline")
                  and (m.status == "not_found" or m.place is not None)]
        if len(placed) < 2:
            return [(a, b)]
        cuts = [a + m.start() for m in CLAUSE_BREAK.finditer(doc, a, b)]
        out, start = [], a
        for cut in cuts:
            left, right = doc[start:cut].lower(), doc[cut:b].lower()
            if (self._trigger(left) and self._trigger(right)
                    and any(start <= m.start < cut for m in placed) and any(cut <= m.start < b for m in placed)):
                out.append((start, cut))
                start = cut
        out.append((start, b))
        return out

    def _scoped(self, name: str, cc: str) -> str:
        """An actor name scoped by the country of ``cc`` ("Civilians (Mali)"), bare without one."""
        return in_country(name, self._country_name(cc) if cc else "")

    def _country_name(self, cc: str) -> str:
        if cc not in self._country_names:
            p = self.gaz.get(f"ne:country:{cc}") if cc else None
            self._country_names[cc] = p.name if p else cc
        return self._country_names[cc]

    def _actors(self, sent: str, low: str, trigger_span: Span, claim_span: Span | None, claimant: str, etype: str,
                place: Mention | None, parsed: ParsedArticle) -> tuple[ActorRef, ActorRef]:
        """(actor1, actor2), each an ActorRef: name and ACLED inter code.

        Who acted: named after "by", else named before the trigger and not on the receiving
        end ("an Armenian battalion had fled", "two soldiers were killed"). Who was hit:
        named after the trigger, else the victims the sentence names, else the force of a
        state that reports being attacked ("repelled an attack on its camp").
        """
        loc_cc = _event_country(place, parsed)
        found = self._mentioned_actors(sent, low, trigger_span, claim_span, claimant, loc_cc)
        actor1, actor2 = _roles(found, etype)
        return self._unnamed_sides(low, etype, claimant, loc_cc, actor1, actor2)

    def _mentioned_actors(self, sent: str, low: str, trigger_span: Span, claim_span: Span | None, claimant: str,
                          loc_cc: str) -> list[_Found]:
        """The actors a sentence names outside its attribution, each with its role towards the event
        words: named groups (the lexicon), demonym + force phrases ("an Azerbaijani air attack"),
        generic armed groups ("gunmen") and the state's generic forces ("troops": the speaker's, else
        the forces of the country where it happens)."""
        tpos, tend = trigger_span
        found: list[_Found] = []
        spans: list[tuple[int, int]] = []

        def outside_claim(pos: int) -> bool:
            return not (claim_span and claim_span[0] <= pos < claim_span[1])

        def role_at(pos: int) -> str:
            if re.search(r"\bby\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$", low[:pos]):
                return "by"
            if RETREAT.match(sent, _end_of_phrase(sent, pos)) or TARGET_BEFORE.search(low, max(0, pos - 60), pos):
                return "target"
            return "before" if pos <= tpos else "after"  # "A Russian missile strike": the trigger's own modifier

        for a, b, actor in self.lex.find_actors(sent):
            if outside_claim(a):
                found.append(_Found(a, actor.actor, actor.inter, role_at(a)))
                spans.append((a, b))
        for m in DEMONYM_FORCE.finditer(sent):
            word = m.group(1)
            cc = self.lex.demonym_country(word)
            if cc is None:
                cc = self._country_of_name(word)
            if not cc or not outside_claim(m.start()):
                continue
            police = bool(re.search(POLICE_NOUNS, m.group(2).lower()))
            name = f"{'Police Forces' if police else 'Military Forces'} of {self._country_name(cc)}"
            # "an Israeli strike hit ...": the owner of the weapon in the event words is the one who struck
            own_weapon = tpos <= m.start() < tend and ATTACK_MEANS.fullmatch(m.group(2).lower())
            found.append(_Found(m.start(), name, Inter.STATE_FORCES, "before" if own_weapon else role_at(m.start())))
            spans.append((m.start(), m.end(2)))
        def inside(m: re.Match[str]) -> bool:
            return any(a <= m.start() < b or m.start() <= a < m.end() for a, b in spans)

        for m in GENERIC_ARMED.finditer(low):
            if outside_claim(m.start()) and not inside(m):
                name = self._scoped(UNIDENTIFIED_GROUP, loc_cc)
                found.append(_Found(m.start(), name, Inter.REBEL_GROUPS, role_at(m.start())))
        # "troops", "soldiers": the forces of the state that speaks of them ("the IDF said troops ..."),
        # else of the country where it happens.
        speaker = next((actor for _a, _b, actor in self.lex.find_actors(claimant) if actor.inter == Inter.STATE_FORCES),
                       None) if claimant else None
        for m in STATE_GENERIC.finditer(low):
            if outside_claim(m.start()) and (loc_cc or speaker) and not inside(m):
                police = "police" in m.group(0)
                if speaker is not None and not police:
                    name = speaker.actor
                else:
                    name = f"{'Police Forces' if police else 'Military Forces'} of {self._country_name(loc_cc)}"
                found.append(_Found(m.start(), name, Inter.STATE_FORCES, role_at(m.start())))
        return found

    def _unnamed_sides(self, low: str, etype: str, claimant: str, loc_cc: str,
                       actor1: ActorRef, actor2: ActorRef) -> tuple[ActorRef, ActorRef]:
        """The sides a sentence does not name: civilians when civilians died (or victims and nobody
        else hit) in a strike or an attack; in a battle, the reporting state's own forces; else
        ACLED's unidentified armed group, or a communal militia where communities fight."""
        victims = VICTIMS.search(low)
        civilian_dead = bool(CIVILIAN_DEAD.search(low))
        if etype in (ERV, VAC, "") and (civilian_dead or (victims and not actor2.name)):
            actor2 = ActorRef(self._scoped("Civilians", loc_cc), Inter.CIVILIANS)
        # The reporting side's own forces: acting ("Azerbaijan ... said an Armenian battalion had
        # fled") or attacked ("the army said it had repelled an attack on its camp").
        own = self._claimant_force(claimant, loc_cc)
        if own and etype == BATTLES:
            if not actor1.name and own != actor2.name:
                actor1 = ActorRef(own, Inter.STATE_FORCES)
            elif not actor2.name and own != actor1.name:
                actor2 = ActorRef(own, Inter.STATE_FORCES)
        if actor1.name and actor2.name == actor1.name:
            actor2 = NO_ACTOR
        if not actor1.name and etype in (ERV, VAC, BATTLES) and loc_cc:
            # Nobody named: ACLED's unidentified actors, a communal militia where communities fight
            if COMMUNAL.search(low):
                actor1 = ActorRef(self._scoped("Unidentified Communal Militia", loc_cc), Inter.IDENTITY_MILITIAS)
            else:
                actor1 = ActorRef(self._scoped(UNIDENTIFIED_GROUP, loc_cc), Inter.REBEL_GROUPS)
            if actor1 == actor2:
                actor2 = NO_ACTOR
        return actor1, actor2

    def _claimant_force(self, claimant: str, loc_cc: str) -> str:
        """'Azerbaijan', 'the Malian army', "Russia's defence ministry" -> that state's forces."""
        if not claimant:
            return ""
        low = claimant.lower()
        cc = self._country_in(claimant)
        if cc and (re.search(r"\b(?:army|military|armed forces|defen[cs]e|ministry|government|forces|troops|command)\b",
                             low)
                   or len(claimant.split()) <= 2 and self._country_of_name(claimant.split()[-1].lower())):
            return f"Military Forces of {self._country_name(cc)}"
        if not cc and loc_cc and re.search(r"^(?:the\s+)?(?:army|military|armed forces)\b", low):
            return f"Military Forces of {self._country_name(loc_cc)}"
        return ""

    def _country_of_name(self, word: str) -> str:
        from .models import PlaceKind

        for e in self.gaz.entries(word.lower().replace("’", "'").removesuffix("'s")):
            if e.kind is PlaceKind.COUNTRY and _is_country_code(e.country_code):  # a country ("Kashmir" has none: -1)
                return e.country_code
        return ""

    def _country_in(self, text: str) -> str:
        for w in re.findall(r"[A-Z][\w’'-]+", text):
            cc = self.lex.demonym_country(w) or self._country_of_name(w)
            if cc:
                return cc
        return ""

    @staticmethod
    def _confidence(d: Draft, prio: int) -> float:
        c = 0.35 + min(prio, CONFIDENT_PRIORITY) / 200
        if d.place is not None:
            c += 0.15 * (d.place.confidence or 0)
        if d.date is not None and d.date.date is not None:
            c += 0.1
        if d.actor1.name:
            c += 0.05
        if d.claimed_by:
            c += 0.05
        return round(min(c, 0.99), 3)

    def _finish(self, d: Draft, art: Article, parsed: ParsedArticle) -> Incident:
        p: Place | None = d.place.place if d.place else None
        notes = list(d.notes)  # what the merging of repeats and claims recorded
        if not lang.supported(art.language):
            notes.append(f"language '{art.language}' has no rules of its own (app/lang): read with the English ones")
        unlisted = d.place is not None and d.place.status == "not_found"
        if unlisted:
            assert d.place is not None
            # A place the gazetteer lacks keeps its own name; the map shows it at the smallest
            # place the text names around it.
            p = d.place.enclosing
            notes.append(f"{d.place.text} is not in the gazetteer: "
                         + (f"placed at {p.name}" if p else "no place around it is named: unmapped"))
        date = d.date
        if date is not None and date.note:
            notes.append(f"date: {date.note}")
        if art.published is None and (date is None or (date.date is None and date.kind not in ("year", "year_range"))):
            notes.append("no publication date: the event date is left empty")
        if p is None and not unlisted:
            notes.append("no place named in the sentence: unmapped")
        geo_precision = None
        region_id = None
        if p is not None:
            if p.kind in ("region", "country"):
                geo_precision = 3
                region_id = p.id if p.kind == "region" and not unlisted else None
            else:
                geo_precision = 2 if (unlisted or (d.place is not None and d.place.qualifier)) else 1
        if d.kind == "aggregate_report":
            event_date = None
            precision = date.precision if date else 3
        elif date is None and art.published is not None:
            # No date in the sentence: reported on the publication date, so on or shortly before it.
            event_date, precision = art.published, 2
            notes.append("no date in the sentence: the report's date, within a few days")
        else:
            event_date = date.date if date else None
            precision = date.precision if (date and date.date) else None
        inc = Incident(
            event_id="", article_id=art.id, kind=d.kind, event_type=d.event_type, sub_event_type=d.sub_event_type,
            event_date=event_date, date_start=date.date_start if date else None,
            date_end=date.date_end if date else None, time_precision=precision,
            date_phrase=date.phrase if date else "", actor1=d.actor1.name, actor2=d.actor2.name,
            inter1=_plain(d.actor1.inter),
            inter2=_plain(d.actor2.inter), location=d.place.text if (unlisted and d.place) else (p.name if p else ""),
            place_id=loc_id(d.place) if unlisted else (p.id if p else None),
            place_kind=p.kind if p else "", country_code=p.country_code if p else "", admin1=p.admin1 if p else "",
            geo_precision=geo_precision, lat=p.lat if p else None, lon=p.lon if p else None, region_id=region_id,
            fatalities=d.fatalities, fatalities_detail=d.detail, claimed_by=d.claimed_by,
            disputed_by=d.disputed_by, evidence=d.text, evidence_start=d.start, evidence_end=d.end,
            title=art.title, publisher=art.publisher, url=art.url, published=art.published,
            confidence=d.confidence, notes="; ".join(notes),
        )
        return replace(inc, event_id=event_id_for(inc.dedupe_key()))


# ---------------------------------------------------------------------- helpers



class _Found(NamedTuple):
    """An actor named in a sentence, where, and in which role towards the event words: acting
    ("by", "before" them) or hit ("after" them, the "target" of a retreat or a death)."""

    pos: int
    name: str
    inter: int
    role: str

    def ref(self) -> ActorRef:
        return ActorRef(self.name, self.inter)


def _roles(found: list[_Found], etype: str) -> tuple[ActorRef, ActorRef]:
    """Who acted and who was hit, from the actors a sentence names: actor1 named after "by", else
    before the event words; actor2 after them, or retreating or dying; in a battle with nobody
    before the event words, the first named after them acted. A named group ("the Fano militia")
    outranks a generic word near it ("fighters")."""
    found.sort()
    seen: set[str] = set()
    actors = []
    for f in found:
        if f.name not in seen:
            seen.add(f.name)
            actors.append(f)
    # A named group ("the Fano militia") outranks a generic word near it ("fighters").
    named = {f.name for f in found if not f.name.startswith(UNIDENTIFIED_GROUP)}
    if named:
        actors = [f for f in actors if not f.name.startswith(UNIDENTIFIED_GROUP)] + \
                 [f for f in actors if f.name.startswith(UNIDENTIFIED_GROUP)]
    def pick(roles: tuple[str, ...]) -> ActorRef:
        return next((f.ref() for f in actors if f.role in roles), NO_ACTOR)

    actor1 = pick(("by",))
    if not actor1.name:
        actor1 = pick(("before",))
    rest = [f for f in actors if f.name != actor1.name]
    actor2 = next((f.ref() for f in rest if f.role in ("after", "target")), NO_ACTOR)
    if not actor1.name and etype == BATTLES:
        actor1 = next((f.ref() for f in rest if f.role == "after"), NO_ACTOR)
        if actor1 == actor2:
            actor2 = next((f.ref() for f in rest if f.name != actor1.name and f.role == "target"), NO_ACTOR)
    return actor1, actor2


def _plain(inter: int | None) -> int | None:
    """The stored inter code: a plain int, whether it came from the lexicon or an Inter."""
    return None if inter is None else int(inter)


@lru_cache(maxsize=4096)
def trigger_of(low: str) -> Trigger | None:
    """The strongest event words of a lower-cased sentence: type, sub-event type, priority, span."""
    # cached: a clause is tested when the sentence is split, then read as a unit of its own
    if not ANY_TRIGGER.search(low):
        return None
    best = None
    for rx, etype, sub, prio in TRIGGERS:
        m = rx.search(low)
        if m and (best is None or prio > best.priority):
            best = Trigger(etype, sub, prio, m.start(), m.end())
    return best




def _to_int(num: str) -> int | None:
    s = num.lower().strip()
    s = re.sub(r"^(?:" + "|".join(QUALIFIERS) + r")\s+", "", s)
    if s in NUMBER_WORDS:
        return NUMBER_WORDS[s]
    if s in ("a", "an", "the"):
        return 1  # "two soldiers and a civilian", "the customary chief was slain"
    m = re.match(r"([\d,]+(?:\.\d+)?)\s*(thousand|million)?$", s)
    if m:
        v = float(m.group(1).replace(",", ""))
        v *= {"thousand": 1_000, "million": 1_000_000}.get(m.group(2) or "", 1)
        return int(v)
    return _words_to_int(s)


def _words_to_int(s: str) -> int | None:
    """'one hundred and twenty' -> 120, 'three thousand five hundred' -> 3500, 'twenty-five' -> 25."""
    total, current = 0, 0
    words = [w for w in re.split(r"[-\s,]+", s) if w and w != "and"]
    if not words:
        return None
    for w in words:
        if w == "hundred":
            current = max(current, 1) * 100
        elif w == "thousand":
            total += max(current, 1) * 1000
            current = 0
        elif w in NUMBER_WORDS:
            current += NUMBER_WORDS[w]
        else:
            return None
    return total + current


def fatalities(sentence: str) -> tuple[int | None, tuple[tuple[str, int], ...]]:
    """Deaths the sentence reports, by ACLED's conservative rules, and the split when given.

    "more than 100" -> 100; "three" -> 3; "seven civilians and 80 service personnel" -> 87
    (civilians 7, service personnel 80); "dozens" -> None; wounded are not counted.
    """
    low = sentence.lower()
    if not ANY_DEATH.search(low):
        return None, ()
    words = bool(WORD_HUNDREDS.search(low))
    m = (SPLIT_WORDS if words else SPLIT).search(low)
    if m and re.match(rf"(?:\s*,[^,.]{{1,60}},)?\s*(?:had\s+)?{KILLED}", low[m.end() : m.end() + 80]):
        a, b = _to_int(m.group(1)), _to_int(m.group(3))
        if a is not None and b is not None:
            return a + b, ((m.group(2).strip(), a), (m.group(4).strip(), b))
    total = 0
    found: list[tuple[int, str, int]] = []
    taken: list[tuple[int, int]] = []
    for rx in FATAL_PATTERNS_WORDS if words else FATAL_PATTERNS:
        for m in rx.finditer(low):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            n = _to_int(m.group(1))
            if n is None:
                continue
            tail = low[m.end() : m.end() + 25]
            if re.match(r"\s*(?:were\s+|had been\s+|have been\s+)?(?:wounded|injured|hurt)", tail):
                continue
            if re.search(r"\b(?:wounded|injured|wounding|injuring)\s+$", low[: m.start()]):
                continue
            taken.append(m.span())
            who = m.group(2).strip() if m.lastindex and m.lastindex >= 2 and m.group(2) else ""
            total += n
            found.append((m.start(), who, n))
    if not found:
        return None, ()
    parts = [(who, n) for _, who, n in sorted(found)]
    # "losing 10 soldiers and killing 46 assailants": both sides' dead, as ACLED counts them.
    return total, tuple(p for p in parts if p[0]) if len(parts) > 1 or parts[0][0] else ()


def _end_of_phrase(sent: str, pos: int) -> int:
    """End of the noun phrase that starts at ``pos`` (up to the first verb-like word)."""
    m = re.match(r"(?:[\w’'-]+\s+){0,7}?(?:[\w’'-]+)"
                 r"(?=\s+(?:had|has|have|was|were|fled|retreated|withdrew|surrendered|lost|killed|wounded)\b)",
                 sent[pos:])
    return pos + m.end() if m else pos


def _paragraphs(doc: str, sents) -> dict[int, int]:
    out, para = {}, 0
    prev_end = 0
    for i, (a, b) in enumerate(sents):
        if "\n\n" in doc[prev_end:a] or re.search(r"\n\s*[•*-]", doc[prev_end:a]):
            para += 1
        out[i] = para
        prev_end = b
    return out


def _event_country(place: Mention | None, parsed: ParsedArticle) -> str:
    """The country an event happened in: its place's, else the report's main one (also where the
    place's is none: a disputed area has no country of its own in Natural Earth, "-1" for Kashmir)."""
    where = located_at(place)
    return where.country_code if where and _is_country_code(where.country_code) else _main_country(parsed)


def _main_country(parsed: ParsedArticle) -> str:
    usable = {cc: w for cc, w in parsed.countries.items() if _is_country_code(cc)}
    if not usable:
        return ""
    return max(usable.items(), key=lambda kv: kv[1])[0]


def _is_country_code(cc: str | None) -> bool:
    return cc is not None and len(cc) == 2 and cc.isalpha()




def _also_at(sib: Mention, when: DateRef | None, listed_with: Mention) -> Callable[[], str]:
    """The reason ``explain`` gives for a place listed with the event's place (built only when asked)."""
    return lambda: (f"also at {sib.text}" + (f" on {when.phrase}" if when is not None else "")
                    + f", listed with {listed_with.text}: one incident each")


def _lower(text: str) -> str:
    """Lower case with every character in its place: positions found in it are used on the text
    ("İ".lower() is two characters; such a letter is kept as it is)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
