"""The gazetteer's place records, which every stage after it passes on: ``Place`` (one
gazetteer entry in full), ``Candidate`` (a place a name may denote, scored) and ``PlaceKind``.

Every other record lives beside the stage that makes it, typed and (where it leaves the
stage) frozen: ``articles.Article``; ``gazindex.Entry`` (a place under a name key, for
ranking); ``geoparse.Mention``, ``Skipped``, ``Demonym``, ``ParsedArticle``;
``incidents.Incident``, ``Decision``; ``incident_records`` for the extractor's own.
A stage takes records and returns records; the shapes are in code, not in comments.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Literal

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

PlaceKindName = Literal["country", "region", "city", "town", "village", "place"]
POPULATED_KINDS = frozenset({"city", "town", "village", "place"})


class PlaceKind(StrEnum):
    """What a gazetteer place is. A member equals its name ('country'), so it compares with
    ``Place.kind``; the order is the index's (a kind's code is its position)."""

    COUNTRY = "country"
    REGION = "region"
    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    PLACE = "place"

    @property
    def is_populated(self) -> bool:
        return self.value in POPULATED_KINDS

MatchKind = Literal["name", "alias", "fuzzy"]


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry: a country, an admin region or a populated place."""

    id: str
    name: str
    kind: PlaceKindName
    country_code: str
    admin1: str
    lat: float
    lon: float
    population: int = 0
    source: str = ""
    alt_names: tuple[str, ...] = ()
    area_km2: float | None = None
    # A published area beside the computed one, with where it was published.
    reported_area_km2: float | None = None
    reported_area_source: str = ""
    capital: bool = False  # a national capital
    # Regions and countries carry their polygon (WGS84, lon/lat order).
    geometry: BaseGeometry | None = field(default=None, compare=False, repr=False)

    @property
    def is_populated_place(self) -> bool:
        return self.kind in POPULATED_KINDS

    def to_dict(self, with_geometry: bool = True) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "geometry"}
        d["alt_names"] = list(self.alt_names)
        if with_geometry:
            d["geometry"] = mapping(self.geometry) if self.geometry is not None else None
        return d


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may denote, with how well it fits (0..1, higher is better)."""

    place: Place
    score: float
    match: MatchKind
    matched_name: str

    def to_dict(self, with_geometry: bool = True) -> dict[str, Any]:
        d = self.place.to_dict(with_geometry=with_geometry)
        d.update(score=round(self.score, 4), match=self.match, matched_name=self.matched_name)
        return d
