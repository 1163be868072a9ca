"""The exposure page: who may see it, its counts per month and in 90 days, a position's cap, the
wear flag in words, its filters (bad values included) and a query count that does not grow."""

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from accounts.roles import Role
from scoring import calibration
from scoring.exposure import month_starts, wear_sentence
from tests.conftest import make_user
from tests.factories import (
    make_candidate,
    make_interview,
    make_plan,
    make_position,
    make_scorecard,
)

pytestmark = pytest.mark.django_db

URL = "/calibration/exposure/"
_names = count(1)


def interview(position, plan, panel, *, days_ago=2):
    n = next(_names)
    candidate = make_candidate(position=position, name=f"Candidate Exp{n}", email=f"e{n}@example.com")
    return make_interview(candidate=candidate, plan=plan, interviewers=panel,
                          starts_at=timezone.now() - timedelta(days=days_ago))


def one_question_plan(position, slug="precision"):
    return make_plan(position=position, sections=[("Fundamentals", (slug,))], competencies=["Evaluation"])


# --- Access ------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["hiring_manager", "recruiter", "admin_user"])
def test_it_shows_the_page_to_hiring_managers_recruiters_and_admins(request, as_user, role):
    response = as_user(request.getfixturevalue(role)).get(URL)
    assert response.status_code == 200
    assert "No bank question has been asked in an interview yet" in response.content.decode()


@pytest.mark.parametrize("role", ["interviewer", "outsider"])
def test_it_refuses_interviewers_and_people_without_a_role(request, as_user, role):
    assert as_user(request.getfixturevalue(role)).get(URL).status_code == 403


def test_it_sends_anonymous_visitors_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/calibration/exposure/")


def test_the_calibration_page_links_to_it(hm_client):
    assert f'href="{URL}"' in hm_client.get("/calibration/").content.decode()


# --- Counts ------------------------------------------------------------------------------

def test_it_counts_uses_per_month_in_90_days_and_all_time(hm_client, position, interviewer):
    plan = one_question_plan(position)
    for days in (2, 3, 40, 100, 400):
        interview(position, plan, [interviewer], days_ago=days)
    interview(position, plan, [interviewer], days_ago=5).cancel(reason="No-show")
    interview(position, plan, [interviewer], days_ago=-3)  # not held yet
    body = hm_client.get(URL).content.decode()
    row = body[body.index('id="question-precision"'):]
    row = row[:row.index("</tr>")]
    cells = [c.split(">", 1)[1].split("<", 1)[0] for c in row.split('<td class="text-end"')[1:]]
    assert cells == ["3", "5"]  # 90 days: 2, 3 and 40 days ago; all time adds 100 and 400 (not the cancelled or future)
    this_month = month_starts(timezone.localdate())[-1]
    assert f"{this_month:%b} " in row and '<svg class="exposure-strip"' in row
    assert '<rect x="132"' in row  # twelve bars, the last at 11 x 12 px


def test_month_starts_are_the_last_twelve_months_oldest_first():
    from datetime import date
    months = month_starts(date(2026, 3, 15))
    assert months[0] == date(2025, 4, 1) and months[-1] == date(2026, 3, 1) and len(months) == 12


def test_a_position_filter_shows_its_cap_and_whether_a_question_is_over_it(hm_client, hiring_manager, position,
                                                                            interviewer):
    position.exposure_cap = 2
    position.save(update_fields=["exposure_cap"])
    plan = one_question_plan(position)
    for days in (2, 3, 4):
        interview(position, plan, [interviewer], days_ago=days)
    other = make_position(hiring_manager=hiring_manager, title="Other")
    interview(other, one_question_plan(other, "bias-variance"), [interviewer])
    body = hm_client.get(URL, {"position": position.pk}).content.decode()
    assert "caps a question at 2 uses in 90 days" in body
    assert "Over the cap of 2" in body
    assert 'id="question-bias-variance"' not in body  # not asked in this position
    assert 'id="question-bias-variance"' in hm_client.get(URL).content.decode()


# --- Wear --------------------------------------------------------------------------------

def test_a_worn_question_is_flagged_with_its_sentence(hm_client, as_user, recruiter, position, interviewer):
    plan = one_question_plan(position)
    # 25 interviews scored 2 (90 to 66 days ago), then 25 scored 4 (50 to 26 days ago).
    for n in range(50):
        iv = interview(position, plan, [interviewer], days_ago=90 - n if n < 25 else 75 - n)
        make_scorecard(interview=iv, interviewer=interviewer, scores=[2 if n < 25 else 4])
    calibration.calibration_refresh()  # the worker's run
    shift = timezone.localdate(timezone.now() - timedelta(days=50))
    body = hm_client.get(URL).content.decode()
    assert "May have leaked" in body
    assert (f"Scores rose from 2.0 to 4.0 after {shift.day} {shift:%B %Y} (25 and 25 interviews; p &lt; 0.001): "
            "it may have leaked.") in body
    assert "1 question flagged" in body
    # flagged only, and sorted worn first, keep it; a recruiter sees it too
    assert 'id="question-precision"' in hm_client.get(URL, {"flagged": "on", "sort": "wear"}).content.decode()
    assert "May have leaked" in as_user(recruiter).get(URL).content.decode()


def test_flagged_only_leaves_out_questions_without_a_flag(hm_client, position, interviewer):
    interview(position, one_question_plan(position), [interviewer])
    body = hm_client.get(URL, {"flagged": "on"}).content.decode()
    assert 'id="question-precision"' not in body
    assert "No question matches these filters" in body


def test_the_sentences_for_untested_and_steady_questions():
    assert wear_sentence(None) == "Not enough scored interviews to test for wear yet (it needs 20 before and 20 after a change)."
    assert wear_sentence({"tested": False, "n": 12}).startswith("Not enough scored interviews to test for wear yet (12;")
    steady = {"tested": True, "n": 60, "p_value": None}
    assert wear_sentence(steady) == "No rise of 0.3 points or more in its scores over 60 scored interviews."
    close = {"tested": True, "flagged": False, "n": 60, "n_before": 30, "n_after": 30, "mean_before": 2.4,
             "mean_after": 2.75, "p_value": 0.04, "shift_day": "2026-03-01"}
    assert wear_sentence(close) == ("Scores rose from 2.4 to 2.8 after 1 March 2026 (30 and 30 interviews; "
                                    "p = 0.040): within chance (a flag needs p below 0.002).")
    leaked = {**close, "flagged": True, "mean_after": 3.0, "p_value": 0.0004}
    assert wear_sentence(leaked) == ("Scores rose from 2.4 to 3.0 after 1 March 2026 (30 and 30 interviews; "
                                     "p < 0.001): it may have leaked.")  # once read "p = < 0.001"


# --- Filters -----------------------------------------------------------------------------

def test_the_area_filter(hm_client, position, interviewer):
    interview(position, make_plan(position=position), [interviewer])  # bias-variance, precision, code-bigrams
    body = hm_client.get(URL, {"area": "coding-design"}).content.decode()
    assert 'id="question-code-bigrams"' in body and 'id="question-precision"' not in body


@pytest.mark.parametrize("query", [
    {"position": "abc"}, {"position": "99999999999999999999999"}, {"position": "-1"}, {"area": "nonsense"},
    {"sort": "sideways"}, {"page": "abc"}, {"page": "-5"}, {"page": "10" * 30},
    {"position": ["1", "2"]}, {"area": "x" * 5000},
])
def test_bad_filters_are_named_not_a_500(hm_client, position, interviewer, query):
    interview(position, one_question_plan(position), [interviewer])
    response = hm_client.get(URL, query)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="question-precision"' in body  # the bad filter is left out, the rest still shows
    if set(query) & {"position", "area", "sort"}:
        assert 'class="alert alert-warning"' in body


def test_a_position_that_is_not_yours_is_refused_in_words(as_user, recruiter, hiring_manager, interviewer):
    theirs = make_position(hiring_manager=make_user("hm2", Role.HIRING_MANAGER), title="Not yours")
    body = as_user(recruiter).get(URL, {"position": theirs.pk}).content.decode()
    assert "That position is not one of yours; showing every position." in body


def test_pages_of_25(hm_client, position, interviewer, monkeypatch):
    from scoring import exposure
    monkeypatch.setattr(exposure, "PAGE_SIZE", 1)
    interview(position, make_plan(position=position), [interviewer])
    body = hm_client.get(URL, {"page": "2", "sort": "uses"}).content.decode()
    assert "Page 2 of 3" in body and "sort=uses" in body


# --- Performance --------------------------------------------------------------------------

@pytest.mark.parametrize("interviews", [1, 30])
def test_the_query_count_does_not_grow_with_the_data(django_assert_num_queries, hm_client, position, interviewer,
                                                     interviews):
    plans = [make_plan(position=position), one_question_plan(position, "regularization")]
    for n in range(interviews):
        iv = interview(position, plans[n % 2], [interviewer], days_ago=n * 9 + 1)
        make_scorecard(interview=iv, interviewer=interviewer, scores=[n % 4 + 1, 2, 3])
    hm_client.get("/")  # the first request after sign-in stamps the session (a write)
    calibration.calibration_refresh()
    # Session, user, roles and permissions; the position filter's choice (checked); the stored
    # figures; the page's count and rows; the questions' titles; their months; the bell's
    # unread count; the position filter's options (rendered). Whatever the data.
    for _ in range(2):
        with django_assert_num_queries(11):
            assert hm_client.get(URL, {"position": position.pk, "sort": "wear"}).status_code == 200


# --- Demo ---------------------------------------------------------------------------------

def test_the_demo_shows_a_year_of_uses_and_one_worn_question(client):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from interviews.models import Position
    from scoring.demo_exposure import INTERVIEWS, TITLE

    for command in ("seed_demo", "load_starter_plans", "seed_demo_interviews", "seed_demo_scores"):
        call_command(command, verbosity=0)
    call_command("seed_demo_scores", verbosity=0)  # idempotent: a second run adds nothing
    position = Position.objects.get(title=TITLE)
    assert position.candidates.count() == INTERVIEWS
    client.force_login(get_user_model().objects.get(username="hannah"))
    body = client.get(URL, {"position": position.pk, "sort": "wear"}).content.decode()
    assert body.count("May have leaked") == 1
    assert "it may have leaked." in body and "Over the cap of 12" in body
    first_row = body[body.index("<tbody>"):]
    assert "May have leaked" in first_row[:first_row.index("</tr>")]  # worn first


def test_a_question_page_links_to_its_own_row(hm_client, as_user, interviewer, position):
    body = hm_client.get("/questions/precision/").content.decode()
    assert 'href="/calibration/exposure/?question=precision">Uses and wear</a>' in body
    assert "This question has not been asked in an interview yet" in hm_client.get(URL, {"question": "precision"}).content.decode()
    interview(position, make_plan(position=position), [interviewer])
    body = hm_client.get(URL, {"question": "precision"}).content.decode()
    assert 'id="question-precision"' in body and 'id="question-bias-variance"' not in body
    assert "That is not a question&#x27;s slug" in hm_client.get(URL, {"question": "no such/slug"}).content.decode()
    assert "Uses and wear" not in as_user(interviewer).get("/questions/precision/").content.decode()
