"""Where an event is: the place a unit of text ties to its event, the other places listed with
it, the days and places of a unit that tells several, and the relations between places that
locating and merging share (what identifies a place, where the map puts it, how specific it is,
whether one lies inside another).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import shapely

from .dates import DateRef
from .geoparse import Mention
from .incident_records import Span
from .lang.en.incidents import (  # the English tables: app/lang
    BETWEEN_BEFORE,
    DAY_LIST_GAP,
    ENCLOSED_BY,
    LIST_GAP,
    LOCATIVE,
    REFERENCE_IN_GAP,
    REFERENCE_POINT,
    REPORTED_ON,
    TOLD_AFTER,
)
from .models import Place


def loc_id(m: Mention | None) -> str | None:
    """What identifies an event's place: the gazetteer id, or the own name of a place it lacks."""
    if m is None:
        return None
    if m.status == "not_found":  # scoped by the country around it: two villages of one name are two places
        return f"unlisted:{m.enclosing.country_code if m.enclosing else ''}:{m.text.lower()}"
    return m.place.id if m.place is not None else None


def located_at(m: Mention | None) -> Place | None:
    """Where the map puts an event's place: the place itself, or the one around a place the
    gazetteer lacks."""
    if m is None:
        return None
    return m.enclosing if m.status == "not_found" else m.place


# How specific a place is (plain ints: they are compared in the hot loops of locating and merging).
NO_PLACE = -1
COUNTRY_LEVEL = 0
REGION_LEVEL = 1
PLACE_LEVEL = 2  # a populated place the gazetteer lists
UNLISTED_LEVEL = 3  # a place the gazetteer lacks (a village, a camp), placed inside one it has
_LEVEL_OF_KIND = {"country": COUNTRY_LEVEL, "region": REGION_LEVEL}


def specificity(m: Mention | None) -> int:
    """COUNTRY_LEVEL, REGION_LEVEL, PLACE_LEVEL (a populated place), UNLISTED_LEVEL (a place the
    gazetteer lacks), NO_PLACE for none."""
    if m is None:
        return NO_PLACE
    if m.status == "not_found":
        return UNLISTED_LEVEL
    return _LEVEL_OF_KIND.get(m.place.kind, PLACE_LEVEL) if m.place is not None else NO_PLACE


def within(inner: Mention, outer: Mention) -> bool:
    """Is ``inner`` the same place as ``outer`` or inside it (Beit Lahiya in the Gaza Strip, Makuach
    in Jonglei)?"""
    if loc_id(inner) == loc_id(outer):
        return True
    a, b = located_at(inner), located_at(outer)
    if a is None or b is None:
        return False
    if a.id == b.id:
        return inner.status == "not_found"
    if b.kind == "country":
        return a.country_code == b.country_code
    if b.kind == "region":
        if b.geometry is not None:
            return bool(shapely.dwithin(b.geometry, shapely.points(a.lon, a.lat), 0.05))
        return bool(a.admin1) and a.admin1 == b.admin1
    return False


def siblings(sent: str, offset: int, mentions: Sequence[Mention], chosen: Mention,
             claim_span: Span | None) -> list[Mention]:
    """Places listed with the event's place ("hit Idlib city, Benin town and the al-Arbeen area",
    "in Nawnghkio, Namkham and Lashio townships"): one incident each, as ACLED codes them."""
    usable = [m for m in mentions if m.qualifier not in ("organisation", "dateline")
              and (m.status == "not_found" or (m.status == "resolved" and m.place is not None))
              and not (claim_span and claim_span[0] <= m.start - offset < claim_span[1])
              and not (m is not chosen
                       and REFERENCE_POINT.search(sent, max(0, m.start - offset - 20), m.start - offset))]
    usable.sort(key=lambda m: m.start)
    if chosen not in usable:
        return []
    level = min(specificity(chosen), PLACE_LEVEL)
    if level < REGION_LEVEL:  # a country: no list of places
        return []
    k = usable.index(chosen)
    chain = [chosen]
    if BETWEEN_BEFORE.search(sent, 0, usable[k].start - offset) and k + 1 < len(usable):
        return []  # "between Markoye and Tokabangou": one place between two, not two places

    def joined(a: Mention, b: Mention) -> bool:
        # "Huwara near Nablus, El-Bireh near Ramallah and ...": each item with its reference point
        gap = REFERENCE_IN_GAP.sub("", sent[a.end - offset : b.start - offset], count=1)
        return len(gap) <= 40 and bool(LIST_GAP.match(gap)) and min(specificity(b), PLACE_LEVEL) == level

    i = k
    while i > 0 and joined(usable[i - 1], usable[i]):
        i -= 1
        chain.insert(0, usable[i])
    j = k
    while j + 1 < len(usable) and joined(usable[j], usable[j + 1]):
        j += 1
        chain.append(usable[j])
    return [m for m in chain if m is not chosen and loc_id(m) != loc_id(chosen)]

def dated_places(sent: str, offset: int, mentions: Sequence[Mention], dates: Sequence[DateRef],
                  claim_span) -> list[tuple[DateRef, Mention]]:
    """A sentence that tells several days ("on 11 and 12 April ... on the Zamzam and Abu Shouk
    camps and Al Fasher"; "on 19 and 21 November in Tche; on 22 November in Drodro"): each place
    goes with the days told just before it (or, before any day, with the first ones), one
    incident per day and place, as ACLED codes them. Empty when the sentence tells one day,
    or when it names more groups of days than places (the days are not the events')."""
    days = [r for r in dates if r.date is not None and r.precision == 1 and not r.is_background
            and not REPORTED_ON.search(sent[: r.start]) and not TOLD_AFTER.match(sent, r.end)]
    if len(days) < 2:
        return []
    groups = [[days[0]]]
    for prev, r in zip(days, days[1:], strict=False):
        if DAY_LIST_GAP.fullmatch(sent, prev.end, r.start):
            groups[-1].append(r)
        else:
            groups.append([r])
    ordered = sorted(mentions, key=lambda m: m.start)
    # "the village of Kishishe in Rutshuru", "Tche, Djugu": the place named just after an
    # unlisted one to say where it lies is not a place of the events
    around = {id(m) for p, m in zip(ordered, ordered[1:], strict=False)
              if p.status == "not_found" and p.enclosing is not None
              and m.place is not None and m.place.id == p.enclosing.id
              and ENCLOSED_BY.fullmatch(sent, p.end - offset, m.start - offset)}
    places = sorted((m for m in mentions if m.qualifier not in ("organisation", "dateline")
                     and (m.status == "not_found" or (m.status == "resolved" and m.place is not None))
                     and id(m) not in around and specificity(m) >= PLACE_LEVEL
                     and not (claim_span and claim_span[0] <= m.start - offset < claim_span[1])
                     and not REFERENCE_POINT.search(sent, max(0, m.start - offset - 20), m.start - offset)),
                    key=lambda m: m.start)
    if not places or (len(groups) > 1 and len(groups) > len(places)):
        return []
    pairs, seen = [], set()
    for m in places:
        group = next((g for g in reversed(groups) if g[0].start < m.start - offset), groups[0])
        for r in group:
            if (r.date, loc_id(m)) not in seen:
                seen.add((r.date, loc_id(m)))
                pairs.append((r, m))
    return pairs if len(pairs) > 1 else []

def event_place(sent: str, offset: int, mentions: Sequence[Mention], claim_span: Span | None) -> Mention | None:
    """The place a unit ties to its event: the most specific one named where events happen ("in",
    "near", "struck"), not who speaks or from where, not a possessive, a clock or a "-based" body;
    a village named inside the chosen place, or just before it and put inside it, wins over it."""
    best, best_score = None, -1.0
    speaker_town = None
    for m in mentions:
        if m.qualifier in ("organisation", "dateline"):
            continue  # "the Kharkiv regional administration said", "DAKAR -": who speaks, and from where
        unlisted = m.status == "not_found"  # a village the gazetteer lacks: its own name, placed around it
        if not unlisted and (m.status != "resolved" or m.place is None):
            continue
        rel = m.start - offset
        if claim_span and claim_span[0] <= rel < claim_span[1]:
            # "Armenia's defence ministry said": who speaks, not where. A town in a local
            # official's title ("the mayor of Donetsk said") is kept as a last resort.
            # So is a region in a regional governor's title ("the governor of the Donetsk region said
            # shelling killed two"): the official reports on the area they govern.
            where = located_at(m)
            title = sent[max(0, rel - 30) : rel].lower()
            if where is not None and where.kind != "country" and re.search(
                    r"\b(?:mayor|governor|head|officials?|authorities|administration|council|police|residents?)"
                    r"\s+(?:of|in)\s+(?:the\s+)?$", title):
                speaker_town = replace(m, qualifier=m.qualifier or "near") if where.is_populated_place else m
            continue
        after = sent[m.end - offset : m.end - offset + 6]
        if re.match(r"['’]s\b", after) or (m.text.endswith(("'s", "’s"))):
            continue  # possessive: an actor or a speaker, not a place of events
        if re.match(r"\s+time\b|-based\b", after):
            continue  # "(Sanaa time)": a clock; "the Tripoli-based ambulance service": who, not where
        if unlisted:
            # More specific than any place around it when the text says what it is ("Isige town");
            # a bare name after "in" wins only over nothing, or over the place the text puts it in.
            score = 3.2 if m.descriptor else 1.5
        else:
            score = {"country": 1.0, "region": 2.0}.get(m.place.kind if m.place is not None else "", 3.0)
        if LOCATIVE.search(sent[max(0, rel - 40) : rel].lower()):
            score += 2.0
        if REFERENCE_POINT.search(sent, max(0, rel - 25), rel):
            score -= 2.5  # "south of Manila", "bordering Mali": where it is not, unless nothing else is named
        if m.descriptor and not unlisted:
            score += 0.5
        if score > best_score:
            best, best_score = m, score
    if best is not None:
        # "attacks on Juer, in the Alabek payam": the place named just before the chosen one, and put inside it
        ordered = sorted((m for m in mentions if m.qualifier not in ("organisation", "dateline")
                          and (m.status == "not_found" or m.place is not None)), key=lambda m: m.start)
        k = ordered.index(best) if best in ordered else 0
        if k > 0 and specificity(ordered[k - 1]) >= PLACE_LEVEL and ENCLOSED_BY.fullmatch(
                sent, ordered[k - 1].end - offset, best.start - offset) and not (
                claim_span and claim_span[0] <= ordered[k - 1].start - offset < claim_span[1]):
            return ordered[k - 1]
    if best is not None and best.status == "resolved":
        # "in Witho, Lamu County": the unlisted village the text puts inside the chosen place
        inner = next((m for m in mentions if m.status == "not_found" and m.enclosing is not None
                      and best.place is not None and m.enclosing.id == best.place.id and m.start < best.start), None)
        if inner is not None:
            best = inner
    return best or speaker_town
