"""Within-report merging: one event told several times in one report (headline, lead, a later
detail, a bulletin's highlights then its body) becomes one incident with the richest fields, and
a toll told again is a claim on the event, not another event.
"""

from __future__ import annotations

from functools import lru_cache

from .incident_places import COUNTRY_LEVEL, REGION_LEVEL, loc_id, located_at, specificity, within
from .incident_records import GENERIC_MAX, UNIDENTIFIED_PREFIX, Draft
from .lang.en.incidents import ANAPHORA, BATTLES, ERV, SEPARATE, VAC

# A repeat is told within this many incidents of the first telling.
MERGE_WINDOW = 40


# compatible() asks these of one draft against up to MERGE_WINDOW others: asked once per text.
@lru_cache(maxsize=4096)
def _anaphoric(text: str) -> bool:
    """'The attack ...', 'the strikes': the sentence speaks of an event already told."""
    return bool(ANAPHORA.search(text[:160]))


@lru_cache(maxsize=4096)
def _separate(text: str) -> bool:
    """'In a separate attack ...': an event of its own."""
    return bool(SEPARATE.search(text))


def fold_unplaced(drafts: list[Draft]) -> list[Draft]:
    """An event that names no place, in a report that places the event of that day, is another
    telling of it ("A local official said at least 20 civilians were killed in the strikes"): its toll
    becomes a claim on that event, unless it says it is a separate one ("In a separate attack ...")."""
    out = list(drafts)
    for d in drafts:
        if d.kind != "event" or d.place is not None or SEPARATE.search(d.text):
            continue
        day = d.date.date if d.date else None  # None: the report's own date
        placed = [o for o in out if o is not d and o.kind == "event" and o.place is not None
                  and (o.date.date if o.date else None) == day]
        if not placed and ANAPHORA.search(d.text):
            # "Habib also confirmed the clash, saying the gunfight began late on Sunday night": the
            # event just told, whatever day this sentence gives it
            placed = [o for o in out if o is not d and o.kind == "event" and o.place is not None
                      and 0 < d.sentence - o.sentence <= 4]
        if not placed:
            continue
        into = min(placed, key=lambda o: (abs(o.sentence - d.sentence), o.sentence > d.sentence))
        fold_toll(into, d.fatalities, d.detail, d.claimed_by)
        into.notes.append(f"also told in: {d.text[:120]}")
        d.merged_into = into.sentence
        out.remove(d)
    return out


def fold_toll(into: Draft, fatalities: int | None, detail, claimant: str) -> None:
    """Another telling of one event's toll: taken when there was none; when the sources disagree,
    ACLED keeps the lowest credible figure and every figure stays a claim in the notes."""
    if fatalities is None:
        return
    if into.fatalities is None:
        into.fatalities, into.detail = fatalities, detail
    elif fatalities != into.fatalities:
        into.notes.append(f"{claimant or 'another source'}: {fatalities} killed; "
                          f"{into.claimed_by or 'the report'}: {into.fatalities}")
        if fatalities < into.fatalities:
            into.fatalities, into.detail = fatalities, detail


def last_primary(drafts: list[Draft]) -> Draft | None:
    """The incident a following sentence goes on about: the last one told, not a place listed with it."""
    return next((d for d in reversed(drafts) if not d.sibling), None)


def compatible(d: Draft, o: Draft) -> bool:
    """Can two drafts of one report be one event told twice ("At least 60 were killed in Beit Lahiya
    ... " and "The strike on the five-storey building ...")? Same kind; dates equal or one of
    them only the report's date; one place inside the other (or one unplaced); the same toll
    (or one untold); and at least one of place or toll shared for real."""
    if d.kind != o.kind or d.kind != "event":
        return False
    dd, od = (d.date.date if d.date else None), (o.date.date if o.date else None)
    if dd is not None and od is not None and dd != od:
        return False
    anaphoric = _anaphoric(d.text)
    if d.fatalities is not None and o.fatalities is not None and d.fatalities != o.fatalities and not (
            anaphoric and d.sentence - o.sentence <= 3):
        return False  # two tolls: two events, unless the sentence says it speaks of "the strikes" just told
    # one death ties nothing
    same_toll = d.fatalities is not None and d.fatalities >= 2 and d.fatalities == o.fatalities
    if (same_toll and d.fatalities is not None and d.fatalities >= 5 and 0 < d.sentence - o.sentence <= 3
            and d.place is not None and o.place is not None
            and (d.date is None or o.date is None or dd == od) and not _separate(d.text)):
        # "... shot dead 15 people in Pibor region" then "... he was ambushed and 15 people were killed" near
        # Nyat village: the same toll told twice, close together, is one event (its most specific place)
        a, b = located_at(d.place), located_at(o.place)
        if a is None or b is None or a.country_code == b.country_code:
            return True
    if d.event_type != o.event_type and min(d.prio, o.prio) > GENERIC_MAX:
        return False  # a mine blast and the operation launched in response are two events
    if d.place is not None and o.place is not None:
        if loc_id(d.place) == loc_id(o.place):
            return True
        if anaphoric and d.sentence - o.sentence <= 2 and ANAPHORA.match(d.text):
            return True  # "The strike on Nyaung Kone ...", right after the event: its place, told closer
        if (dd is None) != (od is None) and not (same_toll or anaphoric):
            return False  # a dated event and an undated one at two places: two events
        if not (within(d.place, o.place) or within(o.place, d.place)):
            return False
        # One inside the other (Beit Lahiya in the Gaza Strip): the same event only when the
        # toll is the same, the outer place is a whole country, or the sentence says "the attack".
        outer = o.place if within(d.place, o.place) else d.place
        return same_toll or specificity(outer) == COUNTRY_LEVEL or anaphoric
    # A later sentence that names no place goes on about the event already told (the tolls agree,
    # or one is untold); an earlier unplaced one is tied to a later place only by the toll or "the attack".
    if d.place is None:
        return d.sentence - o.sentence <= 2  # the sentences just after it
    return same_toll or anaphoric


def merge_repeats(drafts: list[Draft]) -> list[Draft]:
    """One event told several times in one report (headline, lead, a later detail; a bulletin's
    highlights, then its body) becomes one incident with the richest fields: the most specific
    place, a date over the report's date, the toll, the actors and the claims."""
    out: list[Draft] = []
    for d in drafts:
        # A repeat is told within a few dozen incidents of the first telling: looking further back
        # would make long articles quadratic for nothing.
        twin = next((o for o in out[-MERGE_WINDOW:] if compatible(d, o)), None) if d.place is not None or not out else (
            out[-1] if compatible(d, out[-1]) else None)
        if twin is None:
            out.append(d)
            continue
        d.merged_into = twin.sentence
        # The evidence is the sentence that tells the event best: its own date, its own place.
        better = (specificity(d.place) > specificity(twin.place)
                  or ((twin.date is None or twin.date.date is None) and d.date is not None and d.date.date is not None))
        if better:
            # ... and who says so goes with it
            twin.notes.append(f"also told in: {twin.text[:120]}")
            twin.text, twin.start, twin.end, twin.sentence = d.text, d.start, d.end, d.sentence
            twin.claimed_by = d.claimed_by or twin.claimed_by
        if specificity(d.place) > specificity(twin.place):
            twin.place = d.place
        if twin.date is None or twin.date.date is None:
            twin.date = d.date or twin.date
        fold_toll(twin, d.fatalities, d.detail, d.claimed_by)
        twin.claimed_by = twin.claimed_by or d.claimed_by
        twin.disputed_by = twin.disputed_by or d.disputed_by
        unidentified = twin.actor1.name.startswith(UNIDENTIFIED_PREFIX)
        if not twin.actor1.name or unidentified and d.actor1.name and not d.actor1.name.startswith(UNIDENTIFIED_PREFIX):
            twin.actor1 = d.actor1 if d.actor1.name else twin.actor1
        if not twin.actor2.name:
            twin.actor2 = d.actor2
        if twin.event_type == BATTLES and d.event_type in (ERV, VAC):
            twin.event_type, twin.sub_event_type = d.event_type, d.sub_event_type
        if not better:
            twin.notes.append(f"also told in: {d.text[:120]}")
    return out


def absorb_summaries(drafts: list[Draft]) -> list[Draft]:
    """A lead that tells the event at the level of a region or country ("a community in Belgorod
    Region", "six killed across Gaza") before the body names the places: with one place inside
    it on that day, the two are one event (the toll goes to the place); with several, the lead is
    a summary of them and stands only for a toll they do not account for."""
    out = list(drafts)
    for r in drafts:
        if r.kind != "event" or r.place is None or specificity(r.place) > REGION_LEVEL or r not in out:
            continue
        inside = [s for s in out if s is not r and abs(s.sentence - r.sentence) <= MERGE_WINDOW
                  and s.kind == "event" and s.place is not None
                  and specificity(s.place) > specificity(r.place) and within(s.place, r.place)
                  and (s.date is None or r.date is None or s.date.date == r.date.date)
                  and (s.event_type == r.event_type or min(s.prio, r.prio) <= GENERIC_MAX)]
        if not inside:
            continue
        if len(inside) == 1:
            s = inside[0]
            if s.fatalities is None:
                s.fatalities, s.detail = r.fatalities, r.detail
            elif r.fatalities is not None and r.fatalities != s.fatalities:
                continue
            s.claimed_by = s.claimed_by or r.claimed_by
            if not s.actor1.name or (s.actor1.name.startswith(UNIDENTIFIED_PREFIX) and r.actor1.name):
                s.actor1 = r.actor1 if r.actor1.name else s.actor1
            s.notes.append(f"also told in: {r.text[:120]}")
            r.merged_into = s.sentence
            out.remove(r)
            continue
        told = sum(s.fatalities or 0 for s in inside)
        if r.fatalities is None or told >= r.fatalities:
            r.merged_into = inside[0].sentence  # a summary of the places it names
            out.remove(r)
    return out
