"""Incident extraction on the real-report corpus (tests/reports), scored with the shared scorer's
matching. The floors are what the extractor reaches on the TEST part, which no rule was tuned on,
rounded down; the issue's goals (recall 0.85, precision 0.80) are far above them and tracked in
BENCHMARKS.md. Skipped cleanly where ../shared/tools/score_reports.py is absent."""

import pytest

from bench import reports

pytestmark = [pytest.mark.realdata,
              pytest.mark.skipif(not reports.available(), reason="the shared scorer is not on this machine")]

FLOORS = {"recall": 0.51, "precision": 0.55, "fatalities_exact": 0.54, "event_type": 0.84, "actor1_side": 0.50}


@pytest.fixture(scope="module")
def test_part(gaz):
    from app.pipeline import Pipeline

    return reports.evaluate(reports.PARTS["test"], Pipeline(gaz))


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_real_report_floor(test_part, field):
    assert test_part[field] >= FLOORS[field], f"{field} {test_part[field]:.3f} fell below {FLOORS[field]}"


def test_the_parts_are_disjoint_and_whole():
    dev = {p.name for p in reports.PARTS["dev"].glob("*.json")}
    test = {p.name for p in reports.PARTS["test"].glob("*.json")}
    assert not dev & test and len(dev) >= 40 and len(test) >= 40
