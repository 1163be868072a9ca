"""The near-duplicate warning: asked for a new question's title and for an edit that changes
the title, never for an edit that keeps it (which would take two saves every time)."""

import pytest

from questionbank.models import Question
from tests.conftest import question_form_data as form_data

pytestmark = pytest.mark.django_db

# Close to the built-in "Bias-variance decomposition of prediction error".
SIMILAR = "Bias-variance decomposition of the prediction error"


@pytest.fixture
def near_duplicate(hm_client):
    hm_client.post("/questions/new/", form_data(title=SIMILAR, slug="bv-again", confirm_similar="on"))
    return Question.objects.get(slug="bv-again")


def test_an_edit_that_keeps_the_title_saves_at_the_first_submit(hm_client, near_duplicate):
    response = hm_client.post("/questions/bv-again/edit/", form_data(title=SIMILAR, prompt="A shorter prompt?"))
    assert response.status_code == 302
    assert "A similar question already exists" not in response.content.decode()
    near_duplicate.refresh_from_db()
    assert near_duplicate.current_revision.number == 2
    assert near_duplicate.current_revision.prompt == "A shorter prompt?"


def test_an_edit_that_changes_the_title_to_a_near_duplicate_is_warned_once(hm_client, near_duplicate):
    data = form_data(title="Bias variance decomposition of prediction errors")
    first = hm_client.post("/questions/bv-again/edit/", data)
    assert first.status_code == 400
    assert "A similar question already exists" in first.content.decode()
    assert Question.objects.get(slug="bv-again").current_revision.number == 1
    second = hm_client.post("/questions/bv-again/edit/", {**data, "confirm_similar": "on"})
    assert second.status_code == 302
    assert Question.objects.get(slug="bv-again").current_revision.title == "Bias variance decomposition of prediction errors"
