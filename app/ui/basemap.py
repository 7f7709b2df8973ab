"""The offline base map: Natural Earth outlines from geodata/, simplified for the browser.

Built once at set-up (``python -m app.ui.basemap``, run by scripts/setup.sh) into
static/basemap/ where Streamlit serves it; the browser fetches it from the app's own
host and caches it, so it is not part of the map script resent on every rerun. The
standalone HTML map embeds a coarser copy instead.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path

from ..gazetteer import NATURAL_EARTH
from . import assets

OUT = assets.STATIC / "basemap"
# simplification tolerance in degrees (0.02° is ~2 km: invisible below zoom 7)
LAYERS = {"countries": ("countries", 0.02), "admin1": ("regions", 0.02), "countries_inline": ("countries", 0.05)}


def url(name: str) -> str:
    return f"{assets.URL_PREFIX}/basemap/{name}.geojson"


@lru_cache(maxsize=4)
def data(name: str) -> dict:
    """The layer as a GeoJSON dict (built in memory if the file is not there)."""
    p = OUT / f"{name}.geojson"
    if p.exists():
        return json.loads(p.read_text(encoding="utf-8"))
    return _build(name)


def _build(name: str) -> dict:
    import pyogrio
    import shapely

    layer, tol = LAYERS[name]
    df = pyogrio.read_dataframe(NATURAL_EARTH, layer=layer)
    if layer == "regions":
        df = df[df["id"].str.startswith("ne:admin1:")]
    geoms = shapely.set_precision(df.geometry.simplify(tol, preserve_topology=True).values, 0.001)
    feats = [{"type": "Feature", "properties": {"name": n if isinstance(n, str) else ""},
              "geometry": json.loads(shapely.to_geojson(g))}
             for n, g in zip(df["name"], geoms, strict=True) if g is not None and not g.is_empty]
    return {"type": "FeatureCollection", "features": feats}


def build() -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for name in LAYERS:
        p = OUT / f"{name}.geojson"
        if not p.exists() or p.stat().st_mtime < NATURAL_EARTH.stat().st_mtime:
            tmp = p.with_suffix(".tmp")
            tmp.write_text(json.dumps(_build(name), separators=(",", ":")), encoding="utf-8")
            tmp.replace(p)
        written.append(p)
    return written


if __name__ == "__main__":
    for p in build():
        print(f"{p} ({p.stat().st_size / 1e6:.1f} MB)")
    sys.exit(0)
