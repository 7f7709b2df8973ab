"""English date phrases: the patterns ``app.dates`` resolves against the publication date.
Earlier patterns win where phrases overlap."""

from __future__ import annotations

import re

from .words import WEEKDAYS

MON = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
WD = "(?:" + "|".join(WEEKDAYS) + ")"
PART = r"(?:\s+(?:morning|afternoon|evening|night))?"

# "on 19 and 21 November", "April 11 and 12": one month, several days, each a date of its own.
# ("between 3 and 5 May" is a range, not two days: left to the single-date patterns.)
DAY_LIST = re.compile(rf"(?<!between )\b(\d{{1,2}}(?:\s*,\s*\d{{1,2}})*(?:\s*,)?\s+(?:and|&)\s+\d{{1,2}})\s+({MON})\.?(?:,?\s+(\d{{4}}))?\b", re.I)
# ... and the last day ends the phrase: "on March 3 and 4 people were killed" is one day and a toll
DAY_LIST_US = re.compile(rf"(?<!between )\b({MON})\.?\s+(\d{{1,2}}(?:\s*,\s*\d{{1,2}})*(?:\s*,)?\s+(?:and|&)\s+\d{{1,2}})(?:st|nd|rd|th)?\b"
                         r"(?:,?\s+(\d{4}))?(?=\s*(?:[,.;:)]|$)|\s+(?:in|on|at|near|when|while|and|after|before|the|as)\b)", re.I)
DAY_NUMBER = re.compile(r"\d{1,2}")

# Earlier patterns win where phrases overlap.
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("since_abs", re.compile(rf"\b(?:since|from)\s+(?:the\s+)?(\d{{1,2}}\s+{MON}|{MON}\.?\s+\d{{1,2}})(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("since_month", re.compile(rf"\bsince\s+({MON})(?:\s+(\d{{4}}))?\b", re.I)),
    ("since_wd", re.compile(rf"\bsince\s+(?:last\s+)?({WD})\b", re.I)),
    ("since_start", re.compile(r"\bsince\s+(?:the\s+(?:fighting|war|conflict|offensive|clashes|hostilities|escalation)\s+(?:began|started|erupted|broke out)|the\s+start\s+of\s+the\s+(?:year|war|conflict|month|fighting))\b", re.I)),
    ("past_day", re.compile(r"\b(?:over|in|during|within)\s+the\s+(?:past|last)\s+(?:day|24\s+hours|twenty-four\s+hours)\b", re.I)),
    ("past_period", re.compile(r"\b(?:over|in|during)\s+the\s+(?:past|last)\s+(week|month|(?:two|three|four|\d+)\s+(?:days|weeks))\b", re.I)),
    ("abs", re.compile(rf"\b(\d{{1,2}})\s+({MON})\.?(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("abs_us", re.compile(rf"\b({MON})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)),
    ("last_wd", re.compile(rf"\blast\s+({WD}){PART}\b", re.I)),
    ("on_wd", re.compile(rf"\b(?:on\s+|early\s+|late\s+|overnight\s+(?:on\s+|into\s+)?)?({WD}){PART}\b", re.I)),
    ("yesterday", re.compile(rf"\byesterday{PART}\b", re.I)),
    # "the previous evening": the day before the one the sentence speaks from (the report's, or a statement's)
    ("previous_day", re.compile(r"\bthe\s+(?:previous|preceding)\s+(?:day|evening|night|morning|afternoon)\b"
                                r"|\bthe\s+day\s+before\b(?!\s+(?:the|a|an|his|her|its|their)\b)", re.I)),
    ("last_night", re.compile(r"\blast\s+night\b", re.I)),
    ("today", re.compile(r"\b(?:today|this\s+(?:morning|afternoon|evening))\b", re.I)),
    ("overnight", re.compile(r"\b(?:overnight|through\s+the\s+night|during\s+the\s+night)\b", re.I)),
    ("days_ago", re.compile(r"\b(two|three|four|five|six|\d)\s+days\s+(?:ago|earlier)\b", re.I)),
    ("last_week", re.compile(r"\blast\s+week\b", re.I)),
    ("last_month", re.compile(r"\blast\s+month\b", re.I)),
    ("month_year", re.compile(rf"\b(?:in\s+|since\s+|of\s+)?({MON})\.?\s+(1[89]\d\d|20\d\d)\b", re.I)),
    ("this_month", re.compile(r"\b(?:earlier\s+)?this\s+month\b", re.I)),
    ("month_only", re.compile(rf"\b(?:in|since|during|by|until|last)\s+(?:early\s+|late\s+|mid-?)?({MON})\b(?!\.?\s*\d)", re.I)),
    ("last_year", re.compile(r"\blast\s+year\b", re.I)),
    ("weekend", re.compile(r"\b(?:(?:this|last|over\s+the|at\s+the|the)\s+)?weekend\b", re.I)),
    ("year_range", re.compile(r"\b(?:in\s+)?(1[89]\d\d|20\d\d)\s*[-–]\s*(\d{2,4})\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|of)\s+(?:the\s+)?(?:early\s+|late\s+|mid-)?(1[89]\d\d|20\d\d)s?\b", re.I)),
    ("impossible_year", re.compile(r"\b(?:in|since|of|on)\s+(0\d{3}|[3-9]\d{3})\b", re.I)),
]
SMALL_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


# Most sentences hold no date phrase: one search says whether any pattern can match.
ANY_DATE = re.compile(rf"(?i)\b(?:{WD}|{MON}|yesterday|today|tonight|overnight|night|morning|week|month|days|past day|24 hours|"
                       r"previous|preceding|day before|"
                       r"weekend|last year|since|1[89]\d\d|20\d\d|0\d{3}|[3-9]\d{3})")
