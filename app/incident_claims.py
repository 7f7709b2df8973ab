"""Who says so: the speaker a unit of text names ("according to ...", "X said"), the subject
before a reporting or denial verb, and a denial attached to the incident it disputes.
"""

from __future__ import annotations

import re

from .incident_records import Draft, Span
from .lang.en.incidents import (  # the English tables: app/lang
    ACCORDING,
    CLAUSE_STOP,
    DETERMINERS,
    INFORMED,
    NOUN_BEFORE,
    PRONOUNS,
    REPORTING,
    SPEAKER_NOUNS,
)


def claimant_of(sent: str) -> tuple[Span | None, str]:
    """Who a unit's own words say speaks, and the span of the attribution: "according to X",
    "X said", "said X"; a pronoun ("it said") gives the span and no name; "deaths have been
    reported" and "an August 11 report" name nobody."""
    m = ACCORDING.search(sent)
    if m:
        return (m.start(), m.end()), clean_party(m.group(1))
    m = INFORMED.search(sent)
    if m:
        subj = subject_before(sent, m.start())
        if subj and subj.split()[0].lower() not in PRONOUNS:
            return (_where(sent, subj, m.start()), m.end()), subj
    for m in REPORTING.finditer(sent):
        if re.search(r"\b(?:been|was|were|is|are|be|being)\s+$", sent[: m.start()]):
            continue  # "deaths have been reported": nobody named
        if m.group() in ("report", "reports", "claims", "estimates") and NOUN_BEFORE.search(sent[: m.start()]):
            continue  # "In an August 11 report, ...": a noun, not who speaks
        subj = subject_before(sent, m.start())
        if subj and subj.split()[0].lower() in PRONOUNS:
            return (max(0, m.start() - len(subj) - 1), m.end()), ""
        if subj:
            return (_where(sent, subj, m.start()), m.end()), subj
        after = subject_after(sent, m.end())
        if after and not subj:
            start = sent.find(after, m.end())
            return (start, start + len(after)), after
    return None, ""


def _where(sent: str, subj: str, before: int) -> int:
    """Where the speaker's words start in the sentence: the cleaned name may differ from the text in
    its spaces, quotes and leading adverbs ("The  army", "Meanwhile, the Health\nMinistry")."""
    at = sent.rfind(subj, 0, before)
    if at >= 0:
        return at
    words = [re.escape(w) for w in subj.split()]
    hits = list(re.finditer(r"\W*".join(words), sent[:before])) if words else []
    return hits[-1].start() if hits else max(0, before - len(subj) - 1)


def attach_denial(drafts: list[Draft], si: int, paragraph_of: dict[int, int], sent: str, denial: re.Match[str]) -> None:
    """A denial ("Turkey has rejected the allegation") disputes the incident told in the two
    sentences before: its subject is who disputes it, unless that is who claimed it."""
    subj = subject_before(sent, denial.start())
    if not subj or subj.split()[0].lower() in PRONOUNS:
        return
    for d in reversed(drafts):
        if d.sibling:
            continue
        if si - d.sentence <= 2 and paragraph_of.get(d.sentence) == paragraph_of.get(si):
            if not d.disputed_by and subj.lower() != d.claimed_by.lower():
                d.disputed_by = subj
            return


def clean_party(text: str) -> str:
    """Who speaks, as the text names them; '' for a fragment that names nobody ("Meanwhile",
    "neighbourhood in the east of the city")."""
    t = re.sub(r"\s+", " ", text).strip(" ,.;:'\"“”‘’")
    t = re.sub(r"^(?:\d{1,2}[:.]\d{2}\s*(?:gmt|utc|local time)?\s*|\d+\s+)", "", t, flags=re.I)  # live-blog times
    t = re.sub(r"^(?:(?:also|then|later|earlier|meanwhile|however|separately|moreover|furthermore|additionally|"
               r"in addition|for (?:his|her|its|their) part)\b[\s,]*)+", "", t, flags=re.I)
    words = t.split()
    if not words:
        return ""
    first = words[0]
    # A speaker opens with a capital (a name, a title, an organisation) or a determiner ("the police",
    # "a local official"), or has a word that can speak ("health officials in the city", "police").
    if first[0].islower() and first.lower() not in DETERMINERS and not any(
            w.lower().strip(",.") in SPEAKER_NOUNS for w in words):
        return ""  # lower-case and no word that can speak: a fragment
    return " ".join(words[:10])


# A sentence's opening phrase that names nobody: "Meanwhile", "In a separate development", "On Monday".
_ADVERBIAL_LEAD = re.compile(r"(?:(?:in|on|at|by|for|from|after|before|during|since|under|with|despite|amid)\s|"
                             r"(?:meanwhile|separately|elsewhere|however|also|later|earlier)\b)", re.I)
_DATE_LEAD = re.compile(r"^(?:on|early|late|overnight|last|this|yesterday|today|in|by|at)\b.*?,\s*", re.I)


def subject_before(sent: str, verb_at: int) -> str:
    """The speaker before a reporting verb: back to the start of its clause."""
    head = sent[:verb_at]
    stops = list(CLAUSE_STOP.finditer(head))
    start = stops[-1].end() if stops else 0
    subj = head[start:].strip()
    subj = _DATE_LEAD.sub("", subj)
    subj = re.sub(r"(?:^|\s+)(?:also|had|has|have|later|earlier|then|on \w+day|is|was|were|are|\w+ly)$", "", subj,
                  flags=re.I).strip()
    if not subj and stops:
        # "Turkey, a staunch ally of Azerbaijan, has rejected ...": the clause is an appositive; the
        # subject is the first name before it, past a lead that names nobody ("Meanwhile, Pavlo
        # Kyrylenko, governor of ..., said"; "In a separate development, Dadullah Qaneh, a council
        # member ..., says").
        begin = 0
        for stop in stops:
            part = _DATE_LEAD.sub("", sent[begin : stop.start()].strip())
            begin = stop.end()
            if not part or _ADVERBIAL_LEAD.match(part) or not clean_party(part):
                continue
            if len(part.split()) <= 6 and part[0].isupper():
                subj = part
            break
    if not subj or len(subj.split()) > 10 or not re.search(r"[A-Za-z]", subj):
        return ""
    return clean_party(subj)


def subject_after(sent: str, verb_end: int) -> str:
    m = re.match(r"\s*([^,.;:“”\"]{2,80})", sent[verb_end:])
    if not m:
        return ""
    subj = clean_party(m.group(1))
    named = subj and subj.split()[0].lower() not in PRONOUNS | {"that", "on", "in", "the"}
    return subj if named or subj.lower().startswith("the ") else ""
