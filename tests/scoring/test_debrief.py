"""The debrief: contents, disagreements, missing scorecards, decisions with history, PDF,
who may see it, and a query count that does not grow with the panel."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from accounts.models import AuditEvent
from scoring.models import Decision, Scorecard
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(hiring_manager, recruiter, interviewer, interviewer2):
    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    candidate = make_candidate(position=position)
    interview = make_interview(candidate=candidate, plan=make_plan(position=position), interviewers=[interviewer, interviewer2],
                               starts_at=timezone.now() - timezone.timedelta(days=3))
    return {"position": position, "candidate": candidate, "interview": interview}


def url(candidate):
    return f"/candidates/{candidate.pk}/debrief/"


def test_it_shows_submitted_scorecards_side_by_side_with_disagreements(as_user, hiring_manager, interviewer, interviewer2, setup):
    make_scorecard(interview=setup["interview"], interviewer=interviewer, scores=[4, 3, 2], recommendation="strong_yes", summary="Strong on theory",
                   notes=f"{interviewer.username} notes")
    make_scorecard(interview=setup["interview"], interviewer=interviewer2, scores=[2, 3, 2], recommendation="no", summary="Shaky on basics",
                   notes=f"{interviewer2.username} notes")
    response = as_user(hiring_manager).get(url(setup["candidate"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Strong on theory" in body and "Shaky on basics" in body
    assert "int1 notes" in body and "int2 notes" in body
    rows = response.context["sections"][0]["rows"]
    assert [r.disagreement for r in rows] == [True, False, False]
    assert response.context["recommendation_split"] is True
    assert "Split panel" in body
    # (4 + 2 + 3 + 3 + 2 + 2) / 6 across three competencies of weight 1
    assert response.context["overall"] == pytest.approx(16 / 6, abs=0.01)
    assert response.context["per_competency"] == {"Coding": 2.0, "Evaluation": 3.0, "ML fundamentals": 3.0}


def test_it_names_missing_scorecards_and_how_overdue(as_user, hiring_manager, interviewer, interviewer2, setup):
    make_scorecard(interview=setup["interview"], interviewer=interviewer, scores=[3, 3, 3], notes=f"{interviewer.username} notes")
    make_scorecard(interview=setup["interview"], interviewer=interviewer2, scores=[3, 3, 3], submit=False, notes=f"{interviewer2.username} notes")
    body = as_user(hiring_manager).get(url(setup["candidate"])).content.decode()
    assert "Missing scorecards" in body and "int2" in body and "overdue by 2 days" in body
    assert "int2 notes" not in body  # a draft stays private


def test_the_hiring_manager_records_a_decision_and_changing_it_keeps_history(as_user, hiring_manager, setup):
    client = as_user(hiring_manager)
    decision_url = f"/candidates/{setup['candidate'].pk}/decision/"
    refused = client.post(decision_url, {"decision": "hire", "rationale": " "})
    assert refused.status_code == 400 and "Write the rationale" in refused.content.decode()
    client.post(decision_url, {"decision": "hold", "rationale": "Need a second coding round"})
    client.post(decision_url, {"decision": "hire", "rationale": "Coding round went well"})
    decisions = list(Decision.objects.filter(candidate=setup["candidate"]).values_list("decision", "rationale", "by"))
    assert decisions == [("hire", "Coding round went well", hiring_manager.pk), ("hold", "Need a second coding round", hiring_manager.pk)]
    body = client.get(url(setup["candidate"])).content.decode()
    assert "Earlier decisions" in body and "Need a second coding round" in body


@pytest.mark.parametrize("role", ["recruiter", "interviewer"])
def test_only_the_hiring_manager_decides(request, as_user, setup, role):
    client = as_user(request.getfixturevalue(role))
    assert client.post(f"/candidates/{setup['candidate'].pk}/decision/", {"decision": "hire", "rationale": "x"}).status_code == 403
    assert not Decision.objects.exists()


def test_an_interviewer_sees_colleagues_only_after_submitting(as_user, interviewer, interviewer2, setup):
    make_scorecard(interview=setup["interview"], interviewer=interviewer2, scores=[1, 1, 1], summary="Colleagues view",
                   notes=f"{interviewer2.username} notes")
    mine = make_scorecard(interview=setup["interview"], interviewer=interviewer, scores=[3, 3, 3], submit=False, notes=f"{interviewer.username} notes")
    client = as_user(interviewer)
    assert "Colleagues view" not in client.get(url(setup["candidate"])).content.decode()
    Scorecard.objects.filter(pk=mine.pk).update(status="submitted", recommendation="yes", summary="Mine", submitted_at=timezone.now())
    assert "Colleagues view" in client.get(url(setup["candidate"])).content.decode()


def test_people_outside_the_position_get_404(as_user, outsider, setup):
    for user in (outsider, make_user("hm2", Role.HIRING_MANAGER), make_user("int3", Role.INTERVIEWER), make_user("rec2", Role.RECRUITER)):
        assert as_user(user).get(url(setup["candidate"])).status_code == 404


def test_anonymous_is_sent_to_login_and_get_on_decision_is_405(client, as_user, hiring_manager, setup):
    assert client.get(url(setup["candidate"]))["Location"].startswith("/login/")
    assert as_user(hiring_manager).get(f"/candidates/{setup['candidate'].pk}/decision/").status_code == 405


def test_the_pdf_export_is_a_pdf_and_is_audited(as_user, hiring_manager, interviewer, setup):
    make_scorecard(interview=setup["interview"], interviewer=interviewer, scores=[4, 3, 2], summary="Clear — “quoted” words",
                   notes=f"{interviewer.username} notes")
    response = as_user(hiring_manager).get(url(setup["candidate"]), {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="debrief.export_pdf", actor=hiring_manager).exists()


@pytest.mark.parametrize("panel_size,candidates", [(2, 2), (6, 50)])
def test_the_debrief_query_count_does_not_grow_with_the_panel_or_candidates(
        as_user, hiring_manager, django_assert_num_queries, panel_size, candidates):
    position = make_position(hiring_manager=hiring_manager)
    panel = [make_user(f"p{n}", Role.INTERVIEWER) for n in range(panel_size)]
    plan = make_plan(position=position)
    for n in range(candidates):
        candidate = make_candidate(position=position, name=f"Candidate {n}", email=f"c{n}@example.com")
        interview = make_interview(candidate=candidate, plan=plan, interviewers=panel)
        for person in panel:
            make_scorecard(interview=interview, interviewer=person, scores=[3, 2, 4], notes=f"{person.username} notes")
    client = as_user(hiring_manager)
    client.get(url(candidate))  # the first request after sign-in stamps the session (a write)
    # Session, user, candidate, scorecards, their scores, interviews with their questions,
    # panellists yet to submit, decisions, audit insert; for the page header: roles and
    # permissions (1, accounts.roles.load_access). Nothing is cached: the same debrief again costs the same.
    for _ in range(2):
        with django_assert_num_queries(11):
            assert client.get(url(candidate)).status_code == 200


def test_an_id_beyond_the_database_range_is_a_404(as_user, hiring_manager):
    assert as_user(hiring_manager).get(f"/candidates/{2**63}/debrief/").status_code == 404


def test_the_decision_form_keeps_what_was_typed_and_says_what_is_wrong(as_user, hiring_manager, setup):
    # Its inputs are written in debrief.html (not through crispy's field templates).
    client = as_user(hiring_manager)
    body = client.get(url(setup["candidate"])).content.decode()
    for n, value in enumerate(["hire", "no_hire", "hold"]):
        assert (f'<input type="radio" class="form-check-input" name="decision" value="{value}" id="id_decision_{n}" '
                f'required>') in body
    assert 'aria-describedby="id_rationale_helptext" id="id_rationale">\n</textarea>' in body
    assert "is-invalid" not in body and 'aria-invalid' not in body
    refused = client.post(f"/candidates/{setup['candidate'].pk}/decision/", {"decision": "hold", "rationale": "  "})
    body = refused.content.decode()
    assert refused.status_code == 400
    assert 'value="hold" id="id_decision_2" required checked>' in body
    assert 'aria-invalid="true" aria-describedby="id_rationale_helptext id_rationale_error" id="id_rationale">\n  </textarea>' in body
    assert '<p id="error_1_id_rationale"><strong>Write the rationale' in body
    body = client.post(f"/candidates/{setup['candidate'].pk}/decision/", {"decision": "<x>", "rationale": "<b>Fine"}).content.decode()
    assert '<fieldset aria-describedby="id_decision_error">' in body and body.count('aria-invalid="true"') == 3
    assert "Select a valid choice. &lt;x&gt; is not one of the available choices." in body
    assert 'id="id_rationale">\n&lt;b&gt;Fine</textarea>' in body


def test_what_people_typed_stays_escaped_in_the_table(as_user, hiring_manager, interviewer, interviewer2, setup):
    # The scores are written without escaping (debrief.html); notes, skip reasons, titles and
    # competencies are not.
    from interviews.models import InterviewQuestion

    InterviewQuestion.objects.filter(interview=setup["interview"], order=1).update(competency="<i>ML</i>")
    InterviewQuestion.objects.create(interview=setup["interview"], order=9, free_text="<script>alert(1)</script>",
                                     competency="Coding", added_by=interviewer)
    make_scorecard(interview=setup["interview"], interviewer=interviewer, scores=[4, None, 2],
                   skip_reason="<b>no time</b>", notes="<img src=x onerror=alert(1)>")
    make_scorecard(interview=setup["interview"], interviewer=interviewer2, scores=[3, 3, 3],
                   notes="first <u>line</u>\r\nsecond")
    body = as_user(hiring_manager).get(url(setup["candidate"])).content.decode()
    assert "<img" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "first &lt;u&gt;line&lt;/u&gt;<br>second" in body
    assert "Skipped: &lt;b&gt;no time&lt;/b&gt;" in body
    assert "<script>alert" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;i&gt;ML&lt;/i&gt; · weight 1" in body
    assert '<span class="score-pill score-pill-4">4</span>' in body
