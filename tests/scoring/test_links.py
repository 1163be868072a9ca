"""scoring.links: one reverse() for a page's many links, the same URLs as reverse() each time."""

from django.urls import reverse

from scoring.links import link_maker


def test_link_maker_gives_what_reverse_gives_for_ids_and_slugs():
    debrief, question = link_maker("scoring:debrief"), link_maker("questionbank:detail")
    for pk in (1, 7, 1234567890, 98765432101234):
        assert debrief(pk) == reverse("scoring:debrief", args=[pk])
    for slug in ("bias-variance", "0123456789", "a-0123456789-b"):
        assert question(slug) == reverse("questionbank:detail", args=[slug])
