"""Rebuild geodata/natural_earth.gpkg from Natural Earth as Debian ships it.

Maintainers only: users and CI use the committed output. Run from the repo root:

    python geodata/build_geodata.py                  # fetches qgis-common with apt-get download
    python geodata/build_geodata.py --world-map PATH # or use an extracted world_map.gpkg

Source: Debian package ``qgis-common`` -> usr/share/qgis/resources/data/world_map.gpkg,
which holds Natural Earth 1:10m Admin 0 / Admin 1 v4.1.0 (generalised by the QGIS
project) and the "Breakaway, Disputed Areas" boundary lines (public domain).

Output layers (EPSG:4326):
  countries  id, name, iso_a2, iso_a3, area_km2, geometry
  regions    id, name, alt_names ("|"-separated), country_code, source, area_km2, geometry
The Nagorno-Karabakh Autonomous Oblast (1991 boundary) is assembled from the seven
"Former USSR oblast in 1991" lines of disputed_borders into one polygon.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString, Polygon

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from app.geo import WGS84, area_km2  # noqa: E402

OUT = HERE / "natural_earth.gpkg"
MANIFEST = HERE / "natural_earth.manifest.json"
WORLD_MAP_IN_DEB = "usr/share/qgis/resources/data/world_map.gpkg"
NK_LINE_NAME = "Former USSR oblast in 1991"
# Suffixes GeoNames-style admin names carry ("Donets'ka Oblast'", "Tartar Rayon");
# news usually drops them, so the bare form is indexed as an alias too.
ADMIN_SUFFIXES = (
    "oblast'", "oblast", "rayonu", "rayon", "governorate", "province", "region", "state",
    "district", "county", "prefecture", "municipality", "sahari", "city", "kray", "krai",
)


def fetch_world_map(workdir: Path) -> tuple[Path, str]:
    subprocess.run(["apt-get", "download", "qgis-common"], cwd=workdir, check=True)
    deb = next(workdir.glob("qgis-common_*.deb"))
    subprocess.run(["dpkg", "-x", str(deb), str(workdir / "x")], check=True)
    return workdir / "x" / WORLD_MAP_IN_DEB, deb.name


# ... and prefixes ("Muhafazat Hamah", "Gobolka Gedo", "Province du Nord-Kivu").
ADMIN_PREFIXES = (
    "muhafazat ", "mohafazat ", "gobolka ", "province du ", "province de l' ", "province de l'",
    "province de ", "province of ", "wilayat ", "wilayah ", "region de ", "région de ", "departement du ",
)
# French compass words in region names, as English news writes them ("Nord-Kivu" -> "North Kivu").
FRENCH_COMPASS = {"nord": "North", "sud": "South", "est": "East", "ouest": "West", "centre": "Centre"}


def english_variants(name: str) -> list[str]:
    out = []
    low = name.lower()
    for prefix in ADMIN_PREFIXES:
        if low.startswith(prefix):
            name = name[len(prefix):].strip()
            out.append(name)
            low = name.lower()
            break
    # Arabic article: news writes "Anbar", "Hasakah", "Raqqa" as often as "Al-Anbar".
    m = re.match(r"(?i)^(?:al|as|ash|ar|ad|an|at|az|el|ad-)[- ](.+)$", name)
    if m:
        out.append(m.group(1))
    head, sep, rest = name.partition("-")
    if sep and head.lower() in FRENCH_COMPASS and rest:
        out.append(f"{FRENCH_COMPASS[head.lower()]} {rest}")
    return out


def strip_suffix(name: str) -> str:
    low = name.lower().strip()
    for suf in ADMIN_SUFFIXES:
        if low.endswith(" " + suf):
            return name[: len(name) - len(suf) - 1].strip()
    return name


def chain_ring(lines: list[LineString], tol: float = 0.01) -> Polygon:
    """Join line pieces whose ends meet within ``tol`` degrees into one closed ring."""
    pieces = [list(line.coords) for line in lines]
    ring = pieces.pop(0)
    while pieces:
        end = ring[-1]
        best, best_d, flip = None, math.inf, False
        for i, p in enumerate(pieces):
            for rev in (False, True):
                start = p[-1] if rev else p[0]
                d = math.dist(end, start)
                if d < best_d:
                    best, best_d, flip = i, d, rev
        if best_d > tol:
            raise ValueError(f"pieces do not meet: gap of {best_d:.4f} degrees")
        nxt = pieces.pop(best)
        ring.extend(reversed(nxt) if flip else nxt)
    if math.dist(ring[0], ring[-1]) > tol:
        raise ValueError("ring does not close")
    ring.append(ring[0])
    poly = shapely.make_valid(Polygon(ring))
    if poly.geom_type != "Polygon":
        poly = max(poly.geoms, key=lambda g: g.area)
    return poly


def build(world_map: Path, deb_name: str | None) -> None:
    countries = gpd.read_file(world_map, layer="countries")
    states = gpd.read_file(world_map, layer="states_provinces")
    disputed = gpd.read_file(world_map, layer="disputed_borders")
    for df in (countries, states, disputed):
        if df.crs is None or df.crs.to_epsg() != 4326:
            raise SystemExit(f"{world_map}: expected EPSG:4326, got {df.crs}")

    # Natural Earth marks some ISO codes -99 (France, Norway, Kosovo ...); the
    # World Bank / FIPS columns carry the usable code there.
    iso2 = countries["iso_a2"].where(countries["iso_a2"] != "-99", countries["WB_A2"])
    iso2 = iso2.where(~iso2.isin(["-99", None]), None)
    c = gpd.GeoDataFrame(
        {
            "id": ["ne:country:" + (code or a3) for code, a3 in zip(iso2, countries["ISO_A3"], strict=True)],
            "name": countries["NAME"],
            "iso_a2": iso2.fillna(""),
            "iso_a3": countries["ISO_A3"],
        },
        geometry=countries.geometry.make_valid(),
        crs=WGS84,
    )
    c = c.drop_duplicates("id").reset_index(drop=True)
    c["area_km2"] = [round(area_km2(g), 1) for g in c.geometry]

    rows = []
    seen: dict[str, int] = {}
    for r in states.itertuples():
        base = f"ne:admin1:{r.iso_a2}:{r.fips or r.Index}"
        seen[base] = seen.get(base, 0) + 1
        rid = base if seen[base] == 1 else f"{base}:{seen[base]}"
        alts = []
        for n in (r.name, r.woe_name, r.gn_name):
            if isinstance(n, str) and n:
                alts += [n, strip_suffix(n)]
                alts += [strip_suffix(v) for v in english_variants(n)]
        alts = [a for a in dict.fromkeys(alts) if a and a != r.name]
        rows.append(
            {
                "id": rid,
                "name": r.name,
                "alt_names": "|".join(alts),
                "country_code": r.iso_a2 if r.iso_a2 != "-99" else "",
                "source": "Natural Earth 1:10m Admin 1 v4.1.0 (via Debian qgis-common)",
                "geometry": shapely.make_valid(r.geometry),
            }
        )
    nk_lines = []
    for g in disputed.loc[disputed["name"] == NK_LINE_NAME].geometry:
        nk_lines += list(getattr(g, "geoms", [g]))
    nk = chain_ring(nk_lines)
    rows.append(
        {
            "id": "ne:disputed:nagorno-karabakh",
            "name": "Nagorno-Karabakh",
            "alt_names": "",  # aliases live in overlay.csv with their sources
            "country_code": "AZ",
            "source": "Natural Earth 1:10m Breakaway/Disputed Areas v4.1.0, lines "
            f"'{NK_LINE_NAME}' joined into one ring (via Debian qgis-common)",
            "geometry": nk,
        }
    )
    regions = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=WGS84)
    regions["area_km2"] = [round(area_km2(g), 1) for g in regions.geometry]

    tmp = OUT.with_suffix(".tmp.gpkg")
    tmp.unlink(missing_ok=True)
    c.to_file(tmp, layer="countries", driver="GPKG", engine="pyogrio")
    regions.to_file(tmp, layer="regions", driver="GPKG", engine="pyogrio")
    tmp.replace(OUT)
    MANIFEST.write_text(
        json.dumps(
            {
                "source_package": deb_name,
                "source_file": WORLD_MAP_IN_DEB,
                "source_sha256": hashlib.sha256(world_map.read_bytes()).hexdigest(),
                "output_sha256": hashlib.sha256(OUT.read_bytes()).hexdigest(),
                "countries": len(c),
                "regions": len(regions),
                "nagorno_karabakh_area_km2": float(regions["area_km2"].iloc[-1]),
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.1f} MB): {len(c)} countries, {len(regions)} regions")
    print(f"Nagorno-Karabakh: {regions['area_km2'].iloc[-1]} km2")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--world-map", type=Path, help="an extracted world_map.gpkg (skips apt-get download)")
    args = ap.parse_args(argv)
    if args.world_map:
        build(args.world_map, None)
        return
    with tempfile.TemporaryDirectory() as td:
        path, deb = fetch_world_map(Path(td))
        build(path, deb)


if __name__ == "__main__":
    main()
