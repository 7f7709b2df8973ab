"""Deterministic synthetic inputs for the benchmark: news-like articles and incident stores.

Articles are 3-5 KB of varied wording built from templates, with places drawn from the
gazetteer across several conflict countries, actors, dates and casualty figures, and
filler paragraphs (diplomacy, humanitarian context, quotes) as real reports have.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from app.articles import Article
from app.incidents import Incident, event_id_for

COUNTRIES = {
    "UA": ("Ukraine", "Ukrainian", "Russian"), "SY": ("Syria", "Syrian", "Turkish"),
    "AZ": ("Azerbaijan", "Azerbaijani", "Armenian"), "ML": ("Mali", "Malian", "Burkinabe"),
    "SD": ("Sudan", "Sudanese", "Chadian"), "SO": ("Somalia", "Somali", "Kenyan"),
    "MM": ("Myanmar", "Burmese", "Chinese"), "CD": ("DR Congo", "Congolese", "Rwandan"),
    "YE": ("Yemen", "Yemeni", "Saudi"), "NG": ("Nigeria", "Nigerian", "Chadian"),
    "ET": ("Ethiopia", "Ethiopian", "Eritrean"), "LB": ("Lebanon", "Lebanese", "Israeli"),
}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "12", "15", "at least 20",
           "more than 30"]
EVENT_SENTENCES = [
    "{dem2} artillery shelled the town of {town} on {wd}, killing {num} civilians, the regional governor said.",
    "{dem1} officials said {num} people were killed when a drone strike hit a market in {town} on {wd}.",
    "Fighting between {dem1} troops and armed groups continued around {town} overnight, according to local residents.",
    "Gunmen attacked the village of {village} near {town} on {wd} and killed {num} villagers, a local official said.",
    "An improvised explosive device struck a military convoy on the road to {town} on {wd}, killing {num} soldiers, "
    "the army said.",
    "{dem2} warplanes bombed positions near {town} on {wd}; {num} fighters were killed, a monitoring group reported.",
    "Rescue workers in {town} said {num} bodies had been recovered from the rubble after {wd}'s missile attack.",
    "The {dem1} defence ministry said its forces had repelled an assault on {town} on {wd} and killed {num} attackers.",
]
FILLER = [
    "Diplomats in the capital said talks on a ceasefire had stalled again, with neither side willing to make the "
    "first concession.",
    "Aid agencies warned that supplies of food, fuel and medicine were running low and that access to the "
    "worst-affected districts remained restricted.",
    "\"We have nowhere else to go,\" said a mother of four who had fled her home with only a bag of clothes.",
    "Analysts say the fighting reflects a wider struggle for control of trade routes and border crossings that has "
    "lasted for years.",
    "The United Nations said it was deeply concerned by reports of attacks on civilian infrastructure, including "
    "schools and water stations.",
    "Prices of bread and cooking oil have doubled in local markets since the start of the month, traders said.",
    "Hospitals in the region are operating at more than twice their capacity, according to the health authorities, "
    "and many doctors have left.",
    "The government has repeatedly accused foreign powers of supplying weapons to its opponents, a charge they deny.",
    "Residents described nights spent in basements and cellars as the sound of explosions echoed across the city.",
    "Human rights groups called for an independent investigation into the deaths and for those responsible to be "
    "held to account.",
    "Mobile phone networks were cut in several districts, making it difficult to verify reports from the area.",
    "Thousands of people have crossed into neighbouring countries in recent weeks, according to the refugee agency.",
]


def towns_by_country(gaz, per_country: int = 40, seed: int = 7) -> dict[str, list[str]]:
    """Populated places with unambiguous-enough names, per country, from the gazetteer."""
    rng = random.Random(seed)
    out: dict[str, list[str]] = {}
    for cc in COUNTRIES:
        entries = gaz.places_in(cc, min_population=20_000)
        rng.shuffle(entries)
        names = []
        for e in entries:
            name = e.name
            if name.isascii() and name.replace(" ", "").replace("-", "").isalpha() and len(name) > 3:
                names.append(name)
            if len(names) >= per_country:
                break
        out[cc] = names
    return out


def articles(gaz, n: int, seed: int = 42) -> list[Article]:
    rng = random.Random(seed)
    towns = towns_by_country(gaz)
    out = []
    start = dt.date(2023, 1, 1)
    for i in range(n):
        cc = rng.choice(list(COUNTRIES))
        country, dem1, dem2 = COUNTRIES[cc]
        pub = start + dt.timedelta(days=rng.randrange(700))
        paras = []
        n_events = rng.randint(1, 3)
        for _ in range(n_events):
            t = rng.choice(EVENT_SENTENCES)
            paras.append(t.format(dem1=dem1, dem2=dem2, town=rng.choice(towns[cc]), village=rng.choice(towns[cc]),
                                  wd=rng.choice(WEEKDAYS), num=rng.choice(NUMBERS)))
        body = []
        for p in paras:
            body.append(p + " " + " ".join(rng.sample(FILLER, 2)))
        while sum(len(b) for b in body) < rng.randint(3000, 4800):
            body.insert(rng.randrange(len(body) + 1), " ".join(rng.sample(FILLER, 3)))
        title = f"{country}: {paras[0].split(',')[0][:80]}"
        out.append(Article(id=f"synth-{seed}-{i}", title=title, text="\n\n".join(body), published=pub,
                           publisher=rng.choice(["Wire service", "Regional Daily", "Monitor"]),
                           url=f"https://example.org/{seed}/{i}"))
    return out


ACTORS = ["Military Forces of Russia", "Military Forces of Ukraine", "Military Forces of Syria", "Hamas Movement",
          "RSF: Rapid Support Forces", "Al Shabaab", "JNIM: Group for Support of Islam and Muslims",
          "Unidentified Armed Group (Mali)", "Military Forces of Myanmar", "M23: March 23 Movement"]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Violence against civilians", "Attack")]


def incidents(n: int, seed: int = 3) -> list[Incident]:
    """``n`` distinct incidents scattered over several countries and three years."""
    rng = random.Random(seed)
    out = []
    start = dt.date(2022, 1, 1)
    for i in range(n):
        etype, sub = rng.choice(TYPES)
        day = start + dt.timedelta(days=rng.randrange(1095))
        lat, lon = rng.uniform(-5, 50), rng.uniform(-15, 100)
        fat = rng.choice([None, 0, 1, 2, 3, 5, 8, 12, 20, 45])
        inc = Incident(
            event_id="", article_id=f"a{i // 100}", kind="event", event_type=etype, sub_event_type=sub, event_date=day,
            date_start=day, date_end=day, time_precision=1, date_phrase="on Monday", actor1=rng.choice(ACTORS),
            actor2=rng.choice(["Civilians (Ukraine)", "Civilians (Sudan)", "", "Military Forces of Mali"]),
            inter1=1, inter2=7, location=f"Town {rng.randrange(5000)}",
            place_id=f"geonames:{1_000_000 + rng.randrange(50_000)}",
            place_kind="town", country_code=rng.choice(list(COUNTRIES)), admin1="Region", geo_precision=1,
            lat=round(lat, 5), lon=round(lon, 5), region_id=None, fatalities=fat, fatalities_detail=(),
            claimed_by=rng.choice(["local officials", "the army", "a monitoring group", "residents"]), disputed_by="",
            evidence="Shelling hit the town on Monday, killing several people, local officials said, in a report "
                     "that could not be independently verified.",
            evidence_start=0, evidence_end=120, title=f"Report {i}", publisher="Wire service",
            url=f"https://example.org/r/{i}", published=day, confidence=0.8,
        )
        out.append(replace(inc, event_id=event_id_for(inc.dedupe_key() + (i,))))
    return out
