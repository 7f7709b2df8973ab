"""The stages of incident extraction, each on its own: the record they fill in and the reason
they give when they end a unit's reading (what ``python -m app explain`` prints)."""

import datetime as dt

from app.articles import Article
from app.incident_claims import claimant_of
from app.incident_records import DEATH_ONLY, GENERIC_MAX, Inter
from app.incidents import trigger_of  # the candidate stage's cached trigger lookup

PUB = dt.date(2024, 3, 13)  # a Wednesday


def units_of(pipe, text):
    parsed = pipe.geoparser.parse(Article(id="t", text=text, published=PUB))
    return pipe.extractor, pipe.extractor._report(parsed, [])


def test_trigger_records_name_their_priority():
    death = trigger_of("three people were killed on tuesday")
    assert death.priority == DEATH_ONLY and death.event_type == ""
    attack = trigger_of("gunmen struck at dawn")
    assert attack.priority == GENERIC_MAX and attack.event_type == "Battles"
    assert attack.start == len("gunmen ") and attack.end == attack.start + len("struck")


def test_claimant_stage_alone():
    span, who = claimant_of("Police said three people were killed.")
    assert who == "Police" and span == (0, len("Police said"))
    assert claimant_of("Deaths have been reported in the area.") == (None, "")


def test_a_stage_that_ends_a_unit_says_why(pipe):
    ex, r = units_of(pipe, "No attacks on the city were reported on Tuesday. The weather was mild.")
    first, second = r.units
    assert ex._read(r, first) == ("dropped", "negated: it says the event did not happen")
    assert first.trigger is not None and first.trigger.priority == GENERIC_MAX
    assert ex._read(r, second) == ("no event", "no word that tells an event")
    assert second.trigger is None


def test_argument_stages_fill_the_unit(pipe):
    ex, r = units_of(pipe, "Russian drones hit an apartment block in Kharkiv, Ukraine, on Tuesday, killing three "
                           "people.")
    (u,) = r.units
    assert ex._read(r, u) is None  # an event: every argument stage ran
    assert u.fatalities == 3 and u.place.text == "Kharkiv" and u.date.date == dt.date(2024, 3, 12)
    assert not u.aggregate
    ex._who(r, u)
    assert u.event_type == "Explosions/Remote violence"
    assert u.actor1.inter == Inter.STATE_FORCES and "Russia" in u.actor1.name
    assert u.actor2.inter == Inter.CIVILIANS
