"""The revision page's diff: prose word by word; list items (key points, follow-ups,
criteria) line by line, a changed item as one removed and one added line; anchors level by
level, each labelled with its level."""

import re

import pytest

from questionbank.diffing import anchor_diff, line_diff
from questionbank.services import question_create, revision_publish
from tests.conftest import revision_content

pytestmark = pytest.mark.django_db

POINTS = ["Learning curves", "Regularisation", "Early stopping"]
ANCHORS = {
    1: "Names overfitting only.",
    2: "Adds one remedy.",
    3: "Plus remedies, with costs.",
    4: "Plus learning curves and costs.",
}


def test_a_changed_item_is_one_removed_and_one_added_line_and_the_others_stay_whole():
    lines = line_diff(POINTS, ["Learning curves", "Weight decay", "Early stopping"])
    assert lines == [
        {"op": "same", "text": "Learning curves"},
        {"op": "removed", "text": "Regularisation"},
        {"op": "added", "text": "Weight decay"},
        {"op": "same", "text": "Early stopping"},
    ]


def test_a_removed_item_does_not_touch_its_neighbours():
    lines = line_diff(POINTS, ["Learning curves", "Early stopping"])
    assert [(line["op"], line["text"]) for line in lines] == [
        ("same", "Learning curves"), ("removed", "Regularisation"), ("same", "Early stopping"),
    ]


def test_follow_ups_are_diffed_one_per_line():
    old = [{"question": "How?", "good_answer": "Slowly"}, {"question": "Why?", "good_answer": "Because"}]
    new = [{"question": "How?", "good_answer": "Quickly"}, {"question": "Why?", "good_answer": "Because"}]
    assert line_diff(old, new) == [
        {"op": "removed", "text": "How? | Slowly"}, {"op": "added", "text": "How? | Quickly"},
        {"op": "same", "text": "Why? | Because"},
    ]


def test_anchors_are_compared_level_by_level_and_labelled():
    new = [ANCHORS[1], ANCHORS[2], "Remedies with their costs.", ANCHORS[4]]
    lines = anchor_diff([ANCHORS[level] for level in (1, 2, 3, 4)], new)
    assert lines == [
        {"op": "same", "label": "1 · Poor", "text": ANCHORS[1]},
        {"op": "same", "label": "2 · Weak", "text": ANCHORS[2]},
        {"op": "removed", "label": "3 · Good", "text": ANCHORS[3]},
        {"op": "added", "label": "3 · Good", "text": "Remedies with their costs."},
        {"op": "same", "label": "4 · Excellent", "text": ANCHORS[4]},
    ]


def test_the_revision_page_shows_only_the_changed_key_point_and_anchor_as_changed(hm_client, hiring_manager):
    question = question_create(
        slug="overfit", area="fundamentals", kind="concept", level="mid", roles=["ds"], by=hiring_manager,
        content=revision_content(key_points=POINTS, anchors=ANCHORS),
    )
    revision_publish(
        question=question, by=hiring_manager, note="Anchor 3",
        content=revision_content(key_points=["Learning curves", "Weight decay", "Early stopping"],
                                 anchors={**ANCHORS, 3: "Remedies with their costs."}),
    )
    body = hm_client.get("/questions/overfit/revisions/1/").content.decode()
    diff = body[body.index('<dl class="diff">'):body.index("</dl>")]
    removed = re.findall(r"<del>(.*?)</del>", diff)
    added = re.findall(r"<ins>(.*?)</ins>", diff)
    assert removed == ["Regularisation", "Plus remedies, with costs."]
    assert added == ["Weight decay", "Remedies with their costs."]
    assert "<span>Plus learning curves and costs.</span>" in diff  # anchor 4 is shown unchanged
    assert "Learning curves</span>" in diff and "Early stopping</span>" in diff
    for label in ("1 · Poor", "2 · Weak", "3 · Good", "4 · Excellent"):
        assert f'<span class="diff-label">{label}</span>' in diff
    assert diff.count("Removed: ") == 2 and diff.count("Added: ") == 2  # said to screen readers too
