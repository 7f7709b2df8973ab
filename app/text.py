"""Name folding and tokenising shared by the gazetteer and the geoparser.

``fold`` is length-preserving (one character in, one character out), so offsets
found in folded text are offsets in the original. ``name_key`` turns any name
into the key the gazetteer indexes and the geoparser looks up: folded tokens
joined by single spaces ("Nagorno-Karabakh" and "nagorno karabakh" agree).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

_SPECIAL = {
    "ə": "a", "Ə": "a", "ı": "i", "İ": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o",
    "đ": "d", "Đ": "d", "ħ": "h", "Ħ": "h", "ŧ": "t", "Ŧ": "t", "ŀ": "l", "Ŀ": "l",
}
_QUOTES = "’‘ʼʻ`´′"
_DASHES = "‐‑‒–—―−"


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [(0x00C0, 0x0250), (0x1E00, 0x1F00), (0x0041, 0x005B)]
    for lo, hi in ranges:
        for cp in range(lo, hi):
            ch = chr(cp)
            low = ch.lower()
            if len(low) != 1:
                continue
            base = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
            table[cp] = base if len(base) == 1 else low
    for ch, repl in _SPECIAL.items():
        table[ord(ch)] = repl
    for ch in _QUOTES:
        table[ord(ch)] = "'"
    for ch in _DASHES:
        table[ord(ch)] = "-"
    table[0x00A0] = " "  # no-break space
    return table


_TABLE = _build_table()


def fold(text: str) -> str:
    """Lower-case, strip diacritics, unify quotes and dashes; same length as ``text``."""
    return text.translate(_TABLE)


# Abbreviations with dots (U.S., D.R.) or words with inner apostrophes (Donets'k, Armenia's).
TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:'\w+)*")


def tokens(folded: str) -> list[tuple[str, int, int]]:
    """(token, start, end) over already-folded text."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(folded)]


def name_key(name: str) -> str:
    """The index key of a name: folded tokens joined by single spaces."""
    return " ".join(t for t, _, _ in tokens(fold(name)))


def strip_possessive(token: str) -> str | None:
    """'armenia's' -> 'armenia'; None when the token has no possessive ending."""
    if token.endswith("'s") and len(token) > 2:
        return token[:-2]
    return None


# Azerbaijani Latin -> the English spellings news uses (Ağdərə -> Aghdara,
# Xankəndi -> Khankendi, Cəbrayıl -> Jabrayil, Qarabağ -> Garabagh).
_AZ_TRANSLIT = str.maketrans({"ş": "sh", "ç": "ch", "ğ": "gh", "x": "kh", "c": "j", "q": "g",
                              "ə": "a", "ı": "i", "ö": "o", "ü": "u"})
# Turkish and other Latin orthographies with cedillas and breves.
_GENERIC_TRANSLIT = str.maketrans({"ş": "sh", "ç": "ch", "ğ": "gh", "ţ": "ts", "ș": "sh", "ț": "ts"})
_AZ_LETTERS = set("əƏ")


def name_variants(name: str, country_code: str = "") -> set[str]:
    """Index keys for one name: the plain key, without apostrophes, and transliterations."""
    keys = {name_key(name)}
    low = name.lower()
    if "'" in fold(name):
        keys.add(name_key(fold(name).replace("'", "")))
    if country_code in ("AZ",) or _AZ_LETTERS & set(name):
        keys.add(name_key(low.replace("i̇", "i").translate(_AZ_TRANSLIT)))
    if set("şçğţșț") & set(low):
        keys.add(name_key(low.translate(_GENERIC_TRANSLIT)))
    if country_code in _ARABIC_ARTICLE_COUNTRIES:
        # "El Obeid" is "Obeid" in half the reports, "Al-Fashir" "Fasher": the Arabic article dropped.
        for k in list(keys):
            first, _, rest = k.partition(" ")
            if first in _ARABIC_ARTICLES and rest:
                keys.add(rest)
    keys.discard("")
    return keys


_ARABIC_ARTICLES = frozenset("al el ad ed ar er as es at et az ez ash an en".split())
# Countries where place names carry the Arabic article (the Arab League's members and Chad).
_ARABIC_ARTICLE_COUNTRIES = frozenset("DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE TD".split())


# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt cpl adm cmdr gov sen rep st mt ft no vs etc jr sr "
    "jan feb mar apr jun jul aug sep sept oct nov dec approx est dept inc ltd co corp".split()
)
_SENT_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])|\n\s*\n|\n\s*[•*\-–]\s|\n")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; lines and bullet points end sentences too."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end() if not m.group().startswith("\n") else m.start()
        if m.group()[0] == ".":
            word = re.search(r"(\w+)$", text[start : m.start()])
            w = word.group(1).lower() if word else ""
            if w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha()):
                continue
        if text[start:end].strip():
            s = start + (len(text[start:end]) - len(text[start:end].lstrip()))
            spans.append((s, end))
        start = m.end()
    if text[start:].strip():
        s = start + (len(text[start:]) - len(text[start:].lstrip()))
        spans.append((s, len(text.rstrip())))
    return spans


def sentence_lookup(sents: Sequence[tuple[int, int]]) -> Callable[[int], int]:
    """offset -> sentence index, by bisection (sentences are in order)."""
    import bisect

    starts = [a for a, _ in sents]

    def index(offset: int) -> int:
        k = bisect.bisect_right(starts, offset) - 1
        return k if k >= 0 and offset < sents[k][1] else -1

    return index
