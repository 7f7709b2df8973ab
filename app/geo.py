"""Coordinates and areas: the one module that knows (lat, lon) versus (lon, lat).

Everything stored or exported is WGS84 (EPSG:4326) in GeoJSON order (lon, lat);
records expose ``lat`` and ``lon`` by name so nobody has to remember an order.
Areas are computed in a Lambert azimuthal equal-area projection centred on the
geometry itself, which keeps area distortion negligible for anything up to the
size of a large country.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

WGS84 = "EPSG:4326"
EARTH_RADIUS_KM = 6371.0088


def latlon(lon: float, lat: float) -> tuple[float, float]:
    """(lon, lat) -> (lat, lon), the order of Leaflet and folium."""
    return (lat, lon)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_array(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """``haversine_km`` over arrays of degrees that broadcast together (every point against every
    anchor: ``lat[:, None]`` with ``anchor_lat[None, :]``)."""
    la1, lo1, la2, lo2 = np.radians(lat1), np.radians(lon1), np.radians(lat2), np.radians(lon2)
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


@lru_cache(maxsize=256)
def _laea_to(lat0: float, lon0: float) -> Transformer:
    laea = CRS.from_proj4(f"+proj=laea +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m +no_defs")
    return Transformer.from_crs(WGS84, laea, always_xy=True)


def area_km2(geom: BaseGeometry) -> float:
    """Area of a WGS84 (lon, lat) geometry in km², in an equal-area projection centred on it."""
    if geom is None or geom.is_empty:
        return 0.0
    c = geom.centroid
    tr = _laea_to(round(c.y, 3), round(c.x, 3))

    def project(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(tr.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geom, project).area / 1e6


def representative_latlon(geom: BaseGeometry) -> tuple[float, float]:
    """A point guaranteed to lie inside the geometry, as (lat, lon)."""
    p = shapely.point_on_surface(geom)
    return latlon(p.x, p.y)
