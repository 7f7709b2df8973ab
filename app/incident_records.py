"""The records incident extraction works on: an actor with its ACLED inter code, an event trigger,
one unit of text (a sentence or one of its clauses) that the stages of app/incidents.py fill in,
and the draft incident a unit becomes before a report's drafts are merged (app/incident_merging.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal, NamedTuple

from .dates import DateRef
from .geoparse import Mention

Kind = Literal["event", "aggregate_report"]


class Inter(IntEnum):
    """ACLED's inter codes: what kind of actor an actor is."""

    STATE_FORCES = 1
    REBEL_GROUPS = 2
    POLITICAL_MILITIAS = 3
    IDENTITY_MILITIAS = 4
    RIOTERS = 5
    PROTESTERS = 6
    CIVILIANS = 7
    EXTERNAL_FORCES = 8


class ActorRef(NamedTuple):
    """An actor as the incident names it, with its inter code (None: nobody named)."""

    name: str
    inter: int | None


NO_ACTOR = ActorRef("", None)


class Trigger(NamedTuple):
    """The strongest event words of a unit: the ACLED type they tell, their priority and where they are."""

    event_type: str
    sub_event_type: str
    priority: int
    start: int
    end: int


# Trigger priorities (app/lang/en/incidents.py TRIGGERS) with a meaning of their own.
DEATH_ONLY = 5  # a death word and no other event word ("killed", "died")
GENERIC_MAX = 30  # at and below: a generic event word ("attack", "struck") that names no means
CONFIDENT_PRIORITY = 80  # above it, a more specific trigger adds no confidence


# A span of a unit's text: (start, end), relative to the unit.
Span = tuple[int, int]


@dataclass(slots=True)
class Unit:
    """One sentence, or one clause of a sentence that tells two events, and what the stages of
    extraction found in it. ``start``/``end`` are offsets in the document; every other offset
    (trigger, claim span) is relative to the unit's text. Fields after ``low`` are filled in by
    the stages, in the order they are listed."""

    index: int  # position among the report's units
    sentence: int
    clause: int  # 0 for a sentence or its first clause
    start: int
    end: int
    text: str
    low: str
    claim: tuple[Span | None, str] | None = None  # who the unit's own words say speaks, once worked out
    trigger: Trigger | None = None
    denial: re.Match[str] | None = None
    event_type: str = ""
    sub_event_type: str = ""
    claim_span: Span | None = None
    claimant: str = ""  # the speaker, with "It said" / "The statement said" resolved
    dates: Sequence[DateRef] = ()
    date: DateRef | None = None
    since_then: bool = False  # "killed ... since the attack on October 7": a toll, not background
    fatalities: int | None = None
    detail: tuple[tuple[str, int], ...] = ()
    mentions: Sequence[Mention] = ()
    place: Mention | None = None
    aggregate: bool = False
    actor1: ActorRef = NO_ACTOR
    actor2: ActorRef = NO_ACTOR


@dataclass(eq=False)  # drafts are compared by identity: value equality made merging quadratic
class Draft:
    """An incident as one unit tells it, before the drafts of the report are merged."""

    sentence: int
    start: int
    end: int
    text: str
    event_type: str
    sub_event_type: str
    kind: Kind = "event"
    date: DateRef | None = None
    place: Mention | None = None
    actor1: ActorRef = NO_ACTOR
    actor2: ActorRef = NO_ACTOR
    fatalities: int | None = None
    detail: tuple[tuple[str, int], ...] = ()
    claimed_by: str = ""
    disputed_by: str = ""
    notes: list[str] = field(default_factory=list)
    confidence: float = 0.5
    prio: int = 0  # the trigger's priority: GENERIC_MAX and below is a generic word, DEATH_ONLY a death alone
    merged_into: int | None = None  # the sentence of the incident this draft was found to repeat
    sibling: bool = False  # one more place listed with the draft before it ("Kharkiv and Izium")


# ACLED's name for an armed group nobody in the text names (scoped by country: "... (Mali)"), and
# the word every actor ACLED leaves unnamed opens with (an armed group, a communal militia).
UNIDENTIFIED_GROUP = "Unidentified Armed Group"
UNIDENTIFIED_PREFIX = "Unidentified"


def in_country(name: str, country: str) -> str:
    """ACLED's country-scoped actor name ("Civilians (Mali)"); the bare name when the country is unknown."""
    return f"{name} ({country})" if country else name
