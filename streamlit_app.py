"""Dashboard entry point: `streamlit run streamlit_app.py` (see README).

Thin on purpose: layout only; everything else lives in the `app` package.
Until the dashboard issue lands this page offers the offline geocoder.
"""

import streamlit as st

from app.gazetteer import GEONAMES_CREDIT, Gazetteer


@st.cache_resource
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


st.set_page_config(page_title="Conflict-incident map", layout="wide")
st.title("Conflict-incident map")
st.caption(f"Offline gazetteer: {GEONAMES_CREDIT}; Natural Earth (public domain); curated overlay.")
name = st.text_input("Place name", "Martakert")
country = st.text_input("Prefer country (ISO code, optional)", "")
if name:
    cands = gazetteer().lookup(name, country=country or None)
    if not cands:
        st.warning(f"No place matches {name!r}.")
    else:
        st.dataframe(
            [
                {"score": round(c.score, 3), "match": c.match, "name": c.place.name, "kind": c.place.kind,
                 "country": c.place.country_code, "admin1": c.place.admin1, "lat": c.place.lat,
                 "lon": c.place.lon, "population": c.place.population, "source": c.place.source}
                for c in cands
            ]
        )
