"""Word lists the geoparser and the incident extractor use to read English news.

Data that ships with libraries does the heavy lifting: first names from
``gender-guesser`` (61,000 names from many countries), English word frequencies
from ``wordfreq``, country demonyms from ``countryinfo`` plus the sourced
``geodata/demonyms.csv``. What stays here are short closed lists (titles,
weekdays, organisation head words) that no library keeps in the form we need.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from .lang.en.words import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS
from .text import fold

GEODATA = Path(__file__).resolve().parent.parent / "geodata"

DATE_WORDS = frozenset(WEEKDAYS + MONTHS + MONTH_ABBREVIATIONS)

# Words that, right before a capitalised name, say the name is a person's.
TITLES = frozenset(
    """mr mrs ms miss dr prof professor sir dame lord lady president vice-president minister premier
    chancellor secretary general gen lt lieutenant col colonel maj major capt captain sgt sergeant
    cpl corporal commander cmdr admiral adm marshal brigadier king queen prince princess emir sheikh
    sultan pope patriarch archbishop bishop imam ayatollah rabbi father mullah cleric judge justice
    senator sen rep congressman congresswoman governor gov mayor ambassador envoy spokesman spokeswoman
    spokesperson adviser advisor aide deputy chief director commissioner rapporteur coordinator
    leader warlord journalist reporter correspondent analyst activist resident witness officer
    mp mep prosecutor""".split()
)
# Head words that make a capitalised run an organisation rather than a place.
FORMAL_ORG_HEADS = frozenset(
    """organization organisation union council ministry agency committee group observatory office bank
    fund institute university association federation corporation company conference commission court government
    tribunal parliament assembly mission programme program alliance coalition network watch foundation
    centre center department embassy secretariat authority board bureau party front movement cross
    crescent times post herald press news radio television tv airlines airways service services
    initiative administration wire journal gazette tribune daily monitor observer chronicle telegraph
    review magazine newspaper media broadcasting channel""".split()
)
MILITARY_ORG_HEADS = frozenset(
    "forces force army navy guard guards brigade battalion regiment division corps command militia fleet".split()
)
ORG_CONNECTORS = frozenset("of for and in on the de du des al el".split())
# Lower-case words allowed inside a multi-word place name ("Deir ez-Zor", "Khan al-Assal").
# First words of place names, never first names of people ("Wadi Gaza", "Jebel Marra").
GEO_PREFIXES = frozenset(
    "wadi jebel jabal tell tel ras mount lake port fort saint san santa new al el bir ain umm abu".split())
NAME_PARTICLES = frozenset(
    "al el ez es ad ed as at an ar ur de du des da do di la le les los las del der den van von bin ibn ben abu umm "
    "bir wadi ba".split())


# What may follow an armed group's name: the end, a non-word character, or "-led", "-backed" ...
_ACTOR_END = re.compile(r"$|[^\w-]|-(?:led|backed|linked|aligned|affiliated|run|controlled|held)\b")


@dataclass(frozen=True)
class Actor:
    """A named armed group as news writes it, and its ACLED-style name."""

    name: str
    actor: str
    inter: int  # ACLED: 1 state forces, 2 rebels, 3 political militia, 4 identity militia, 7 civilians, 8 external
    country_code: str


@dataclass
class Lexicon:
    """Loaded once per process and passed to the geoparser and incident extractor."""

    extra_demonyms: Path = field(default=GEODATA / "demonyms.csv")

    @cached_property
    def first_names(self) -> frozenset[str]:
        import gender_guesser.detector as gd

        return frozenset(fold(n) for n in gd.Detector(case_sensitive=False).names)

    def is_first_name(self, word: str) -> bool:
        return len(word) > 2 and fold(word) in self.first_names

    @cached_property
    def demonyms(self) -> dict[str, str]:
        """Folded demonym (singular and plural) -> ISO country code ('' for no single country)."""
        out: dict[str, str] = {}
        data = resources.files("countryinfo") / "data"
        for entry in data.iterdir():
            if not entry.name.endswith(".json"):
                continue
            try:
                info = json.loads(entry.read_text(encoding="utf-8"))
                dem, cc = info.get("demonym"), info["ISO"]["alpha2"]
            except (KeyError, TypeError, ValueError):
                continue
            if dem and " " not in dem:
                out.setdefault(fold(dem), cc)
        with self.extra_demonyms.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                out[fold(row["demonym"])] = row["country_code"]
        for dem, cc in list(out.items()):
            for plural in (dem + "s", dem[:-1] + "ies" if dem.endswith("y") else dem + "s"):
                out.setdefault(plural, cc)
        return out

    def demonym_country(self, word: str) -> str | None:
        """Country code for a demonym ('' for a demonym of no single country); None if not one."""
        return self.demonyms.get(fold(word))

    def zipf(self, word: str) -> float:
        """How common ``word`` is in English (Zipf scale: 7 'the', 5 'police', 3 'Aleppo')."""
        from wordfreq import zipf_frequency

        return zipf_frequency(word, "en")

    @cached_property
    def actors(self) -> list[Actor]:
        """Named armed groups (geodata/actors.csv), longest names first."""
        out = []
        with (GEODATA / "actors.csv").open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for name in row["names"].split("|"):
                    out.append(Actor(name.strip(), row["actor"], int(row["inter"]), row["country_code"]))
        return sorted(out, key=lambda a: -len(a.name))

    @cached_property
    def _actor_by_name(self) -> dict[str, Actor]:
        return {a.name: a for a in self.actors}

    def actor_named(self, name: str) -> Actor | None:
        """The armed group of exactly this name, if the dictionary has one."""
        return self._actor_by_name.get(name)

    @cached_property
    def _actors_by_first(self) -> tuple[re.Pattern[str], dict[str, list[Actor]]]:
        """Where a name can start (one pass of a small regex), and the names by their first character,
        longest first: one alternation of 600 names made every article's search ten times slower."""
        by_first: dict[str, list[Actor]] = {}
        for a in self.actors:  # longest first already; every name has two characters or more
            by_first.setdefault(a.name[:2], []).append(a)
        firsts = "".join(sorted({k[0] for k in by_first}))
        starts = re.compile(r"(?<![\w-])[" + re.escape(firsts) + "]")
        return starts, by_first

    def find_actors(self, text: str) -> list[tuple[int, int, Actor]]:
        """Named groups in ``text``, left to right, the longest name at each place (case-sensitive: "IS"
        and "AA" are groups only in capitals; "Hamas-led", "RSF-controlled" count)."""
        starts, by_first = self._actors_by_first
        out: list[tuple[int, int, Actor]] = []
        pos = 0
        for m in starts.finditer(text):
            p = m.start()
            if p < pos:
                continue
            for actor in by_first.get(text[p : p + 2], ()):
                end = p + len(actor.name)
                if text.startswith(actor.name, p) and _ACTOR_END.match(text, end):
                    out.append((p, end, actor))
                    pos = end
                    break
        return out

    @staticmethod
    def is_date_word(word: str) -> bool:
        return fold(word).rstrip(".") in DATE_WORDS
