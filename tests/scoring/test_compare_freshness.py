"""The comparison page is never stale: every change to what the page shows is on the next
view, each viewer has their own page, and the shortcut for those who see everything agrees
with the visibility rules."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from interviews.models import Candidate, Stage
from accounts.roles import Role
from interviews.services import interview_reschedule
from scoring import comparison
from scoring.models import Decision, QuestionScore, Scorecard
from scoring.services import scorecard_amend
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard
from tests.scoring.test_compare import page_cells, trio, url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def main(response):
    """The page's <main>: everything but the header and footer (the navbar holds a CSRF token)."""
    return re.search(r"<main.*?</main>", response.content.decode(), flags=re.S).group(0)


def rows(response):
    """The table as {name: [cell texts]}, read from the HTML, as a person reads it."""
    return {cells[0]: cells for cells in page_cells(response)}


def _submit_bobs_draft(data):
    # As scoring.services submits one: a single UPDATE of the scorecard row.
    assert Scorecard.objects.filter(interview=data["bob_interview"], status="draft").update(
        status="submitted", recommendation="strong_yes", summary="Great", submitted_at=timezone.now()) == 1


def _amend_adas_first_score(data):
    card = Scorecard.objects.filter(interview=data["ada_interview"]).order_by("interviewer_id").first()
    question = data["ada_interview"].questions.order_by("order").first()
    scorecard_amend(scorecard=card, by=card.interviewer, reason="Misread my notes", changes={f"score:{question.pk}": 1})


def _add_to_adas_panel(data):
    interview = data["ada_interview"]
    interview_reschedule(interview=interview, starts_at=interview.starts_at,
                         duration_minutes=interview.duration_minutes,
                         interviewers=[*interview.interviewers.all(), make_user("int3", Role.INTERVIEWER)])


def _move_cy_to_screen(data):
    data["cy"].stage = Stage.SCREEN
    data["cy"].save(update_fields=["stage"])


def _rename_cy(data):
    Candidate.objects.filter(pk=data["cy"].pk).update(name="Cyrus")  # no save(), no timestamp: still seen


CHANGES = {
    # change: (what it does, the row it changes, the cells expected after it)
    "a draft submitted": (_submit_bobs_draft, "Bob", {"overall": "2.83", "strong_yes": "1", "done": "1"}),
    "a score amended": (_amend_adas_first_score, "Ada", {"c-ml-fundamentals": "1.50", "overall": "2.50"}),
    "an interview cancelled": (lambda d: d["bob_interview"].cancel(reason="Ill"), "Bob",
                               {"planned": "0"}),
    "the panel changed": (_add_to_adas_panel, "Ada", {"done": "0"}),
    "a stage changed": (_move_cy_to_screen, "Cy", {"stage": "Screen"}),
    "a decision recorded": (lambda d: Decision.objects.create(candidate=d["bob"], decision="no_hire", rationale="No",
                                                              by=d["ada"].position.hiring_manager), "Bob",
                            {"decision": "No hire"}),
    "a name changed": (_rename_cy, "Cyrus", {"name": "Cyrus"}),
    "a candidate added": (lambda d: make_candidate(position=d["ada"].position, name="Dee", email="dee@example.com"), "Dee",
                          {"overall": "—"}),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_after_a_view_shows_on_the_next_view(as_user, hiring_manager, position, trio, change):
    act, name, expected = CHANGES[change]
    client = as_user(hiring_manager)
    keys = [c.key for c in client.get(url(position)).context["table"].columns]
    before = client.get(url(position))
    act(trio)
    after = rows(client.get(url(position)))
    assert {key: dict(zip(keys, after[name]))[key] for key in expected} == expected
    assert rows(before) != after


def test_a_change_of_the_position_shows_on_the_next_view(as_user, hiring_manager, position, trio):
    client = as_user(hiring_manager)
    client.get(url(position))
    position.title = "Research Engineer"
    position.save(update_fields=["title"])
    assert "Candidates for Research Engineer" in main(client.get(url(position)))


def test_the_normalised_score_follows_the_interviewers_scores_on_other_positions(as_user, hiring_manager, position,
                                                                                interviewer, trio):
    client = as_user(hiring_manager)
    before = rows(client.get(url(position, normalise=1)))
    # interviewer scores a candidate of another position: their own baseline moves.
    other = make_position(hiring_manager=make_user("hm2", Role.HIRING_MANAGER), title="Other")
    plan = make_plan(position=other)
    interview = make_interview(candidate=make_candidate(position=other, name="Eve", email="eve@example.com"), plan=plan,
                               interviewers=[interviewer])
    make_scorecard(interview=interview, interviewer=interviewer, scores=[1, 1, 1], recommendation="strong_no")
    after = rows(client.get(url(position, normalise=1)))
    assert after["Ada"][:5] == before["Ada"][:5]  # the raw scores are the same
    assert after != before


def test_each_viewer_has_their_own_page(as_user, hiring_manager, position, trio):
    """A hiring manager of another position on this panel sees only the candidates they
    interview, and nobody's scores before submitting their own, right after the position's own
    hiring manager has viewed it."""
    assert set(rows(as_user(hiring_manager).get(url(position)))) == {"Ada", "Bob", "Cy"}
    colleague = make_user("hm_on_panel", Role.HIRING_MANAGER)
    make_interview(candidate=trio["ada"], plan=trio["plan"], interviewers=[colleague])
    seen = as_user(colleague).get(url(position))
    keys = [c.key for c in seen.context["table"].columns]
    assert list(rows(seen)) == ["Ada"] and dict(zip(keys, rows(seen)["Ada"]))["overall"] == "—"


def test_an_out_of_range_position_is_not_found(as_user, hiring_manager):
    assert as_user(hiring_manager).get("/positions/99999999999999999999/compare/").status_code == 404


def test_only_the_positions_own_people_and_admins_run_it(position, trio, interviewer, outsider):
    other_manager = make_user("hm2", Role.HIRING_MANAGER)
    assert not position.is_run_by(interviewer)  # on its panels, but sees only what the rule allows
    assert not position.is_run_by(other_manager) and not position.is_run_by(outsider)


@pytest.mark.parametrize("role", ["hiring_manager", "recruiter", "admin_user"])
def test_those_who_see_everything_are_spared_the_visibility_filters_with_the_same_result(request, position, trio, role):
    """The queries skip the visibility filters for the position's hiring manager and recruiter
    and for admins (Position.is_run_by), and sum their scores in SQL: the rules give
    them every candidate and every submitted scorecard anyway, and the sums are the ORM's."""
    user = request.getfixturevalue(role)
    make_interview(candidate=make_candidate(position=make_position(hiring_manager=make_user("hm3", Role.HIRING_MANAGER),
                                                          title="Other"), name="Zed", email="zed@example.com"),
                   plan=trio["plan"], interviewers=[user])  # something outside the position too
    make_interview(candidate=trio["cy"], plan=trio["plan"], interviewers=[])  # no panel: planned, never done
    make_interview(candidate=trio["ada"], plan=trio["plan"], interviewers=[user]).cancel(reason="Moved")
    assert position.is_run_by(user)
    ruled = Scorecard.objects.visible_to(user).submitted().filter(interview__candidate__position=position)
    assert set(comparison._visible_cards(position, user)) == set(ruled) and ruled.exists()
    visible = Candidate.objects.filter(position=position, pk__in=Candidate.objects.visible_to(user).values("pk"))
    assert {c.pk for c in comparison._candidates(position, user, comparison.Options())} == {c.pk for c in visible}
    ruled_scores = QuestionScore.objects.filter(scorecard__in=ruled, score__isnull=False)
    for by_interviewer in (False, True):
        in_sql = comparison._all_sums(position, by_interviewer)
        assert sorted(sorted(g.items()) for g in in_sql) == sorted(
            sorted(g.items()) for g in comparison._visible_sums(ruled_scores, by_interviewer)) and in_sql
    _, recommendations, interviews = comparison._position_figures(position)
    assert recommendations == comparison._recommendation_counts(position, user) and recommendations
    by_orm = {c.pk: (c.planned, c.done) for c in comparison._candidates(position, user, comparison.Options())}
    assert {pk: interviews.get(pk, (0, 0)) for pk in by_orm} == by_orm and set(interviews) <= set(by_orm)
    assert [by_orm[trio[name].pk] for name in ("ada", "bob", "cy")] == [(1, 1), (1, 0), (1, 0)]
    for complete in (True, False):
        options = comparison.Options(complete=complete)
        assert ([c.pk for c in comparison._candidates(position, user, options, interviews)]
                == [c.pk for c in comparison._candidates(position, user, options)])


def test_the_sums_are_exact_decimals(hiring_manager, position, interviewer):
    plan = make_plan(position=position, sections=[("Fundamentals", ("bias-variance", "precision"))], competencies=["Theory", "Theory"])
    plan.items.filter(order=1).update(weight=Decimal("0.33"))
    interview = make_interview(candidate=make_candidate(position=position), plan=plan, interviewers=[interviewer])
    make_scorecard(interview=interview, interviewer=interviewer, scores=[4, 3])
    (group,) = comparison.competency_sums(position, hiring_manager)
    assert (group["weighted_sum"], group["weight_sum"], group["n"]) == (Decimal("4.32"), Decimal("1.33"), 2)


def test_a_position_without_candidates_shows_its_first_on_the_next_view(as_user, hiring_manager, position):
    client = as_user(hiring_manager)
    assert "This position has no candidates yet" in main(client.get(url(position, normalise=1)))
    assert "This position has no candidates yet" in main(client.get(url(position, normalise=1)))
    make_candidate(position=position, name="Ann", email="ann@example.com")
    assert list(rows(client.get(url(position, normalise=1)))) == ["Ann"]
