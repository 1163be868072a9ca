"""Erasing a candidate: no text column anywhere still holds their name, email or notes;
their scores stay for calibration."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from interviews.erasure import candidate_erase
from scoring.models import AuditEvent, Decision, QuestionScore, Scorecard
from scoring.services import scorecard_amend
from tests.factories import make_candidate, make_interview, make_plan, make_position

pytestmark = pytest.mark.django_db

NAME, EMAIL, NOTE = "Zebulon Quagmire-Xu", "zebulon.qx@example.org", "Mentioned Zebulon's previous employer"


def text_columns():
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_name FROM information_schema.columns
               WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'jsonb', 'json')"""
        )
        return cursor.fetchall()


def rows_containing(value):
    found = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s', [f"%{value}%"])
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def test_erasure_leaves_no_trace_of_the_candidate_and_keeps_the_scores(hiring_manager, recruiter, interviewer, admin_user, as_user):
    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    candidate = make_candidate(position, name=NAME, email=EMAIL)
    candidate.notes, candidate.cv_url = NOTE, "https://cv.example.org/zebulon.pdf"
    candidate.save()
    interview = make_interview(candidate=candidate, plan=make_plan(position=position), interviewers=[interviewer])
    card = Scorecard.objects.create(interview=interview, interviewer=interviewer)
    for question in interview.questions.all():
        QuestionScore.objects.create(scorecard=card, question=question, score=3, notes=f"{NAME} said: {NOTE}")
    Scorecard.objects.filter(pk=card.pk).update(status="submitted", recommendation="yes", summary=f"{NAME} is strong",
                                                submitted_at=timezone.now())
    card.refresh_from_db()
    scorecard_amend(scorecard=card, by=interviewer, reason=f"{NAME} clarified",
                    changes={f"notes:{interview.questions.first().pk}": f"{NAME} later added"})
    Decision.objects.create(candidate=candidate, decision="hire", rationale=f"Hire {NAME}", by=hiring_manager)
    assert rows_containing(NAME) and rows_containing(EMAIL)

    client = as_user(admin_user)
    response = client.post("/admin/interviews/candidate/", {"action": "erase_personal_data", "_selected_action": [candidate.pk]})
    assert response.status_code == 302

    for value in (NAME, EMAIL, NOTE, "Zebulon", "cv.example.org"):
        assert rows_containing(value) == [], value
    assert list(QuestionScore.objects.filter(scorecard=card).values_list("score", flat=True)) == [3, 3, 3]
    assert Scorecard.objects.get(pk=card.pk).recommendation == "yes"
    assert Decision.objects.get(candidate=candidate).decision == "hire"
    assert AuditEvent.objects.filter(action="candidate.erase", actor=admin_user).exists()


def test_pages_cached_before_an_erasure_no_longer_show_the_candidate(
        hiring_manager, interviewer, admin_user, as_user, django_capture_on_commit_callbacks):
    position = make_position(hiring_manager=hiring_manager)
    candidate = make_candidate(position, name=NAME, email=EMAIL)
    interview = make_interview(candidate=candidate, plan=make_plan(position=position), interviewers=[interviewer])
    card = Scorecard.objects.create(interview=interview, interviewer=interviewer)
    for question in interview.questions.all():
        QuestionScore.objects.create(scorecard=card, question=question, score=3)
    Scorecard.objects.filter(pk=card.pk).update(status="submitted", recommendation="yes", summary="Strong.",
                                                submitted_at=timezone.now())
    client = as_user(hiring_manager)
    pages = [f"/candidates/{candidate.pk}/debrief/", f"/positions/{position.pk}/compare/"]
    for url in pages:  # viewed, so cached
        assert NAME in client.get(url).content.decode()
    cache.set("sentinel", "cached before the erasure")

    with django_capture_on_commit_callbacks(execute=True):
        candidate_erase(candidate=candidate, by=admin_user)

    assert cache.get("sentinel") is None  # this process's cache was emptied
    for url in pages:
        page = client.get(url).content.decode()
        assert NAME not in page and f"Erased candidate {candidate.pk}" in page


def test_erasure_is_for_admins_only(as_user, recruiter, hiring_manager):
    candidate = make_candidate(make_position(hiring_manager=hiring_manager, recruiter=recruiter), name=NAME)
    response = as_user(recruiter).post("/admin/interviews/candidate/", {"action": "erase_personal_data", "_selected_action": [candidate.pk]})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    candidate.refresh_from_db()
    assert candidate.name == NAME


def test_the_service_is_idempotent(hiring_manager, admin_user):
    candidate = make_candidate(make_position(hiring_manager=hiring_manager), name=NAME)
    candidate_erase(candidate=candidate, by=admin_user)
    candidate_erase(candidate=candidate, by=admin_user)
    candidate.refresh_from_db()
    assert candidate.name == f"Erased candidate {candidate.pk}"
