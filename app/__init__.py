"""Offline conflict-incident map: gazetteer, geoparsing, incident extraction, store, exports.

The public surface (the CLI and the dashboard use only these):

    from app import Gazetteer, Geoparser, IncidentExtractor, Pipeline, Store, read_inputs

Nothing here imports Streamlit; the page lives in ``app.ui``.
"""

from .articles import Article, InputProblem, read_inputs
from .gazetteer import Gazetteer
from .geoparse import Geoparser, Mention
from .incidents import Incident, IncidentExtractor
from .models import Candidate, Place
from .pipeline import Pipeline, process_batch
from .store import Store

__all__ = ["Article", "Candidate", "Gazetteer", "Geoparser", "Incident", "IncidentExtractor", "InputProblem",
           "Mention", "Pipeline", "Place", "Store", "process_batch", "read_inputs"]
