"""Date phrases in news text, resolved against the publication date.

Weekday arithmetic ("on Wednesday" in a report of Wednesday 30 September is that
day; "on Tuesday" the day before) is done here; absolute dates ("8 October",
"October 8, 2020", "26 November") are parsed by dateparser. Nothing is invented:
without a publication date, relative phrases resolve to nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .lang.en.dates import ANY_DATE, DAY_LIST, DAY_LIST_US, DAY_NUMBER, PATTERNS, SMALL_NUMBERS
from .lang.en.words import MONTHS, WEEKDAYS


@dataclass(frozen=True, slots=True)
class DateRef:
    """A date phrase and what it means against the publication date."""

    phrase: str
    start: int
    end: int
    kind: str
    date: dt.date | None  # the event date (None when it cannot be resolved)
    date_start: dt.date | None
    date_end: dt.date | None
    precision: int | None  # 1 exact day, 2 within a few days / a week, 3 coarser
    cumulative: bool = False  # "since Sunday": a period up to the report, not one day
    note: str = ""
    is_background: bool = False  # a period that ended well before the report (a war in 1988-1994)


def _weekday_on_or_before(pub: dt.date, wd: str) -> dt.date:
    delta = (pub.weekday() - WEEKDAYS.index(wd.lower())) % 7
    return pub - dt.timedelta(days=delta)


@lru_cache(maxsize=4096)
def _parse_abs(text: str, pub: dt.date | None) -> dt.date | None:
    import dateparser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"], "DATE_ORDER": "DMY"}
    if pub is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(pub, dt.time(12))
    got = dateparser.parse(text, languages=["en"], settings=settings)
    if got is None:
        return None
    d = got.date()
    if pub is not None and not re.search(r"\d{4}", text) and d > pub:
        d = d.replace(year=d.year - 1)
    return d


# What a date phrase means: (date, start, end, precision, cumulative, note).
Resolved = tuple[dt.date | None, dt.date | None, dt.date | None, int | None, bool, str]


def _resolve(kind: str, m: re.Match, pub: dt.date | None) -> Resolved:
    """(date, start, end, precision, cumulative, note)."""
    g = m.groups()
    if kind in ("abs", "abs_us"):
        text = m.group(0)
        if pub is None and not g[2]:
            return None, None, None, None, False, "no publication date to give the year"
        d = _parse_abs(text, pub)
        return d, d, d, 1 if d else None, False, "" if d else "unreadable date"
    if kind == "month_year":
        mi = [mm[:3] for mm in MONTHS].index(g[0][:3].lower()) + 1
        first = dt.date(int(g[1]), mi, 1)
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return None, first, last, 3, False, "a month, not a day"
    if kind == "month_only":
        if pub is None:
            return None, None, None, None, False, "no publication date to give the year"
        mi = [mm[:3] for mm in MONTHS].index(g[0][:3].lower()) + 1
        first = dt.date(pub.year if mi <= pub.month else pub.year - 1, mi, 1)
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return None, first, min(last, pub), 3, bool(re.match(r"(?i)since", m.group(0))), "a month, not a day"
    if kind == "last_year":
        if pub is None:
            return None, None, None, None, False, "no publication date to resolve it against"
        return None, dt.date(pub.year - 1, 1, 1), dt.date(pub.year - 1, 12, 31), 3, False, "a year, not a day"
    if kind == "impossible_year":
        return None, None, None, None, False, "a year no report of today can mean: not an event date"
    if kind in ("year", "year_range"):
        y0 = int(g[0])
        y1 = int(g[1]) if kind == "year_range" else y0
        if kind == "year_range" and y1 < 100:
            y1 = (y0 // 100) * 100 + y1
        return None, dt.date(y0, 1, 1), dt.date(max(y0, y1), 12, 31), 3, False, "a year or years, not a day"
    if pub is None:
        since = kind.startswith("since") or kind == "past_period"
        return None, None, None, None, since, "no publication date to resolve it against"
    if kind == "on_wd":
        d = _weekday_on_or_before(pub, g[0])
        return d, d, d, 1, False, ""
    if kind == "last_wd":
        d = _weekday_on_or_before(pub - dt.timedelta(days=1), g[0])
        return d, d, d, 1, False, ""
    if kind in ("yesterday", "last_night", "previous_day"):
        d = pub - dt.timedelta(days=1)
        return d, d, d, 1, False, ""
    if kind in ("today", "overnight"):
        return pub, pub, pub, 1, False, ""
    if kind == "past_day":
        d = pub - dt.timedelta(days=1)
        return d, d, pub, 2, False, "the day before the report, or that day"
    if kind == "days_ago":
        n = SMALL_NUMBERS.get(g[0].lower()) or int(g[0])
        d = pub - dt.timedelta(days=n)
        return d, d, d, 1, False, ""
    if kind == "last_week":
        monday = pub - dt.timedelta(days=pub.weekday() + 7)
        return monday + dt.timedelta(days=2), monday, monday + dt.timedelta(days=6), 2, False, ""
    if kind == "this_month":
        return None, pub.replace(day=1), pub, 3, False, "a month, not a day"
    if kind == "weekend":
        # The weekend on or before the report: its Saturday, give or take a day.
        sat = _weekday_on_or_before(pub, "saturday")
        if re.match(r"(?i)last", m.group(0)) and pub.weekday() >= 5:
            sat -= dt.timedelta(days=7)
        return sat, sat, min(sat + dt.timedelta(days=1), pub), 2, False, "the weekend: Saturday or Sunday"
    if kind == "last_month":
        first = (pub.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        last = pub.replace(day=1) - dt.timedelta(days=1)
        return None, first, last, 3, False, ""
    if kind == "since_wd":
        s = _weekday_on_or_before(pub - dt.timedelta(days=1), g[0])
        return None, s, pub, 2 if (pub - s).days <= 7 else 3, True, ""
    if kind == "since_abs":
        start = _parse_abs(g[0] + (f" {g[1]}" if g[1] else ""), pub)
        return None, start, pub, 2 if start and (pub - start).days <= 7 else 3, True, ""
    if kind == "since_month":
        mi = [mm[:3] for mm in MONTHS].index(g[0][:3].lower()) + 1
        year = int(g[1]) if g[1] else (pub.year if mi <= pub.month else pub.year - 1)
        return None, dt.date(year, mi, 1), pub, 3, True, ""
    if kind == "since_start":
        return None, None, pub, 3, True, "start of the period not given"
    if kind == "past_period":
        unit = g[0].lower()
        days = {"week": 7, "month": 30}.get(unit)
        if days is None:
            n, what = unit.split()
            days = (SMALL_NUMBERS.get(n) or int(n)) * (7 if what.startswith("week") else 1)
        return None, pub - dt.timedelta(days=days), pub, 2 if days <= 7 else 3, True, ""
    return None, None, None, None, False, ""


def _impossible(day: dt.date | None, published: dt.date | None) -> bool:
    """An event date no report can give: after the report (a day's grace for time zones), or
    before 1900; without a publication date, after today."""
    if day is None:
        return False
    latest = (published or dt.date.today()) + dt.timedelta(days=1)
    return day > latest or day.year < 1900


def find_dates(text: str, published: dt.date | None) -> list[DateRef]:
    """Every date phrase in ``text`` (non-overlapping, in order). A list of days in one month
    ("on 19 and 21 November") gives one date per day."""
    if not ANY_DATE.search(text):
        return []
    taken: list[tuple[int, int]] = []
    out: list[DateRef] = []
    for rx, us in ((DAY_LIST, False), (DAY_LIST_US, True)):
        for m in rx.finditer(text):
            if any(m.start() < y and x < m.end() for x, y in taken):
                continue
            month, year = (m.group(1), m.group(3)) if us else (m.group(2), m.group(3))
            days = list(DAY_NUMBER.finditer(m.group(2) if us else m.group(1)))
            base = m.start(2) if us else m.start(1)
            pub_missing = published is None and not year
            resolved: Resolved
            for k, day in enumerate(days):
                # each day is a phrase of its own; the last one carries the month (and the year)
                a = base + day.start()
                b = m.end() if (k == len(days) - 1 and not us) else base + day.end()
                if k == 0 and us:
                    a = m.start()
                if pub_missing:
                    resolved = (None, None, None, None, False, "no publication date to give the year")
                else:
                    d = _parse_abs(f"{day.group(0)} {month} {year or ''}".strip(), published)
                    if d is None:
                        continue
                    resolved = (d, d, d, 1, False, "")
                out.append(_ref("abs", text[a:b], a, b, resolved, published))
            taken.append(m.span())
    for kind, rx in PATTERNS:
        for m in rx.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            if (kind == "on_wd" and not re.match(r"(?i)on|early|late|overnight", m.group(0))
                    and text[a:b][0].islower()):
                continue
            resolved = _resolve(kind, m, published)
            if kind in ("abs", "abs_us") and resolved[0] is None and not resolved[5]:
                continue
            taken.append((a, b))
            out.append(_ref(kind, m.group(0), a, b, resolved, published))
    return sorted(out, key=lambda r: r.start)


def _ref(kind: str, phrase: str, a: int, b: int, resolved: Resolved, published: dt.date | None) -> DateRef:
    """The date phrase, with what it means: impossible dates dropped, the background marked."""
    d, s, e, p, cum, note = resolved
    if _impossible(d or s, published):
        # "1 January 9999" in a 2020 report, or a date before reporting began: no event date
        d, s, e, p, note = None, None, None, None, "a date after the report or before 1900: not an event date"
    # Background: outside the report's time window. Years that ended more than ~2 months
    # before the report, months more than three weeks before it ("In March", "last
    # year"), and days more than a month before it ("on January 1" in a February report).
    background = kind in ("year", "year_range", "month_year", "last_year") and e is not None and (
        published is None or e < published - dt.timedelta(days=60))
    if published is not None and e is not None:
        if kind in ("month_only", "month_year", "last_month") and e < published - dt.timedelta(days=21):
            background = True
        if kind in ("abs", "abs_us") and e < published - dt.timedelta(days=31):
            background = True
    if kind in ("since_month", "month_only") and cum or (kind == "month_year" and re.match(r"(?i)since", phrase)):
        background = False
    return DateRef(phrase, a, b, kind, d, s, e, p, cum, note, background)
