"""The API's question detail carries a design round's phases, each with its own rubric."""

import pytest

from questionbank import bankfiles
from tests.phased import make_phased_question, phased_content

pytestmark = pytest.mark.django_db


def test_the_api_question_detail_includes_the_phases(api, hiring_manager):
    make_phased_question()
    body = api.as_(hiring_manager).get("/api/v1/questions/feed-ranking-phased/").json()
    assert body["current"]["criteria"] == phased_content()["criteria"]
    assert [p["name"] for p in body["current"]["phases"]] == list(bankfiles.DESIGN_PHASES)
    assert body["current"]["phases"][3] == {
        "name": "Evaluation", "minutes": 7, "focus": phased_content()["phases"][3]["focus"],
        "criteria": phased_content()["phases"][3]["criteria"],
        "anchors": {str(k): v for k, v in phased_content()["phases"][3]["anchors"].items()},
    }
