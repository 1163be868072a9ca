"""Erasing a candidate: no text column anywhere, no file and no cache entry still holds their
name, email or anything written about them; their scores stay for calibration; the admin
confirms first; a failure changes nothing."""

import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.cache import cache, caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import AuditEvent
from interviews.models import Candidate, Interview
from scoring.erasure import candidate_erase
from scoring.models import Amendment, Decision, QuestionScore, Scorecard
from scoring.services import scorecard_amend
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.django_db

NAME, EMAIL, NOTE = "Zebulon Quagmire-Xu", "zebulon.qx@example.org", "Mentioned Zebulon's previous employer"

# A candidate touched by every feature, each text distinctive (and free of characters HTML
# escapes, so a page or a cached fragment holding one shows it verbatim).
ZYX = "Zyxwerasure Quillfeather"
ZYX_EMAIL = "zyx.quillfeather@erasure-probe.example"
ZYX_SOURCE = "Quillfeather family referral"
ZYX_NOTES = "Zyxwerasure prefers mornings and lives in Wrenhollow"
CV_TEXT = b"%PDF-1.4\n% Curriculum vitae of Zyxwerasure Quillfeather, Wrenhollow\n%%EOF\n"
SKIP_REASON = "Zyxwerasure Quillfeather had to leave early"
QUESTION_NOTE = "Zyxwerasure explained the Brightmoor cache well"
ADHOC_TEXT = "Ask Zyxwerasure Quillfeather about the Brightmoor ranking rewrite"
ADHOC_COMPETENCY = "Zyxwerasure-specific"  # as the security probe's "Yolanda-specific"
SUMMARY = "Zyxwerasure Quillfeather is strong on retrieval"
AMENDED_NOTE = "Zyxwerasure later clarified the Brightmoor numbers"
AMEND_REASON = "Quillfeather sent a correction by email"
RATIONALE = "Hire Zyxwerasure Quillfeather for the ranking team"
CANCEL_REASON = "Zyxwerasure Quillfeather asked to move the slot"
LOG_MESSAGE = "Corrected the spelling of Zyxwerasure Quillfeather"
ERASED_VALUES = [ZYX, "Zyxwerasure", "Quillfeather", ZYX_EMAIL, ZYX_SOURCE, ZYX_NOTES, "Wrenhollow", SKIP_REASON,
                 QUESTION_NOTE, ADHOC_TEXT, ADHOC_COMPETENCY, SUMMARY, AMENDED_NOTE, AMEND_REASON, RATIONALE,
                 CANCEL_REASON, LOG_MESSAGE]


def text_columns():
    """Every column of every table that can hold text: character types, JSON, arrays and
    the search vectors."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_name FROM information_schema.columns
               WHERE table_schema = current_schema()
                 AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'tsvector')"""
        )
        return cursor.fetchall()


def rows_containing(value, columns=None):
    found = []
    with connection.cursor() as cursor:
        for table, column in columns or text_columns():
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s', [f"%{value}%"])
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def files_containing(value, root):
    """Files under ``root`` whose path or content holds ``value`` (any case)."""
    needle = value.casefold()
    return [str(path) for path in root.rglob("*") if path.is_file() and (
        needle in str(path.relative_to(root)).casefold()
        or needle.encode() in path.read_bytes().decode("utf-8", "replace").casefold().encode())]


def cache_entries_containing(value):
    """Entries of this process's cache (LocMemCache keeps them pickled: a str is stored as
    its UTF-8 bytes) that hold ``value``."""
    store = caches["default"]._cache
    return [key for key, blob in list(store.items()) if value.encode() in blob]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def preview(html):
    """The confirmation page's rows, label -> value."""
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', html))


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def test_it_erases_every_trace_of_a_candidate_touched_by_every_feature_and_keeps_the_scores(
        media_root, hiring_manager, recruiter, interviewer, interviewer2, admin_user, django_capture_on_commit_callbacks):
    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    rita, hana, ivan, admin = signed_in(recruiter), signed_in(hiring_manager), signed_in(interviewer), signed_in(admin_user)

    # The recruiter adds them with a CV file.
    created = rita.post("/candidates/new/", {
        "name": ZYX, "email": ZYX_EMAIL, "position": position.pk, "stage": "interviewing", "source": ZYX_SOURCE,
        "notes": ZYX_NOTES, "cv_url": "", "cv_file": SimpleUploadedFile("cv.pdf", CV_TEXT, content_type="application/pdf"),
    })
    assert created.status_code == 302
    candidate = Candidate.objects.get(email=ZYX_EMAIL)
    cv_path = media_root / candidate.cv_file.name
    assert cv_path.read_bytes() == CV_TEXT

    # An interview: ivan skips a question, adds an ad-hoc one, writes notes, submits, amends.
    plan = make_plan(position=position)
    interview = make_interview(candidate=candidate, plan=plan, interviewers=[interviewer, interviewer2], by=recruiter)
    assert ivan.get(f"/interviews/{interview.pk}/live/").status_code == 200
    added = ivan.post(f"/interviews/{interview.pk}/live/adhoc/", {"free_text": ADHOC_TEXT, "competency": ADHOC_COMPETENCY})
    assert added.status_code == 302
    card = Scorecard.objects.get(interview=interview, interviewer=interviewer)
    first, second, third, adhoc = card.scores.order_by("question__order")
    assert adhoc.question.ad_hoc and adhoc.question.free_text == ADHOC_TEXT
    QuestionScore.objects.filter(pk=first.pk).update(skipped=True, skip_reason=SKIP_REASON)
    QuestionScore.objects.filter(pk__in=[second.pk, third.pk, adhoc.pk]).update(score=3, notes=QUESTION_NOTE)
    submitted = ivan.post(f"/interviews/{interview.pk}/scorecard/submit/", {"recommendation": "yes", "summary": SUMMARY})
    assert submitted.status_code == 302
    card.refresh_from_db()
    scorecard_amend(scorecard=card, by=interviewer, reason=AMEND_REASON,
                    changes={f"notes:{second.question_id}": AMENDED_NOTE, f"score:{third.question_id}": 2})
    make_scorecard(interview=interview, interviewer=interviewer2, scores=[4, 3, 2], recommendation="strong_yes", summary="Solid all round.")

    # The hiring manager decides; a second interview was cancelled; a third was deleted in the
    # admin; an admin corrected the interview and the decision.
    assert hana.post(f"/candidates/{candidate.pk}/decision/", {"decision": "hire", "rationale": RATIONALE}).status_code == 302
    cancelled = make_interview(candidate=candidate, plan=plan, interviewers=[interviewer], by=recruiter)
    cancelled.cancel(reason=CANCEL_REASON)
    deleted = make_interview(candidate=candidate, plan=plan, interviewers=[interviewer2], by=recruiter)
    response = admin.post("/admin/interviews/interview/",
                          {"action": "delete_selected", "_selected_action": [deleted.pk], "post": "yes"})
    assert response.status_code == 302 and not Interview.objects.filter(pk=deleted.pk).exists()
    LogEntry.objects.log_actions(admin_user.pk, [interview], CHANGE, '[{"changed": {"fields": ["Starts at"]}}]')
    LogEntry.objects.log_actions(admin_user.pk, Decision.objects.filter(candidate=candidate), CHANGE, LOG_MESSAGE)

    # Exports (audited; the comparison sorted by the ad-hoc competency's column) and views.
    sort = f"c-{slugify(ADHOC_COMPETENCY)}"
    csv = hana.get(f"/positions/{position.pk}/compare/?format=csv&sort={sort}")
    assert csv.status_code == 200 and ZYX in csv.content.decode() and ADHOC_COMPETENCY in csv.content.decode()
    pdf = hana.get(f"/candidates/{candidate.pk}/debrief/?format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    pages = {hana: [f"/candidates/{candidate.pk}/debrief/", f"/positions/{position.pk}/compare/",
                    f"/candidates/{candidate.pk}/", "/candidates/"],
             ivan: [f"/interviews/{interview.pk}/scorecard/", f"/candidates/{candidate.pk}/debrief/"]}
    for client, urls in pages.items():
        for url in urls:
            assert ZYX in client.get(url).content.decode(), url
    debrief = hana.get(f"/candidates/{candidate.pk}/debrief/").content.decode()
    assert all(text in debrief for text in (ADHOC_TEXT, ADHOC_COMPETENCY, SUMMARY, RATIONALE))

    # Every value is somewhere before the erasure, so the searches below can fail.
    columns = text_columns()
    for value in ERASED_VALUES:
        assert rows_containing(value, columns), value
    assert rows_containing(sort, columns) == ["accounts_auditevent.detail"]
    assert "django_admin_log.object_repr" in rows_containing(ZYX, columns)  # the deleted interview's entry
    assert files_containing(ZYX, media_root)  # (no page caches its data: the cache is checked after, in case one does)
    scores_before = sorted(QuestionScore.objects.filter(scorecard__interview=interview).values_list("pk", "score"))

    # The admin selects them: a confirmation page, and nothing erased yet.
    changelist = "/admin/interviews/candidate/"
    confirm = admin.post(changelist, {"action": "erase_personal_data", "_selected_action": [candidate.pk]})
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert ZYX in html and 'name="post" value="yes"' in html
    assert preview(html) == {
        "Email address": "yes", "Source": "yes", "Candidate notes": "yes", "CV file": "yes", "CV link": "no",
        "Question notes": "3", "Skip reasons": "1", "Scorecard summaries": "2",
        "Ad-hoc questions (text and competency)": "1", "Cancel reasons": "1", "Decision rationales": "1",
        "Amendments (reasons and text values)": "2", "Admin-log entries": "3", "Audit events naming them": "1",
        "Interviews (dates and status)": "2", "Scores": "6", "Recommendations": "2", "Decisions": "1",
    }
    assert Candidate.objects.get(pk=candidate.pk).name == ZYX and cv_path.exists()

    # It confirms.
    with django_capture_on_commit_callbacks(execute=True):
        erased = admin.post(changelist, {"action": "erase_personal_data", "_selected_action": [candidate.pk], "post": "yes"})
    assert erased.status_code == 302 and erased["Location"] == changelist
    listing = admin.get(changelist).content.decode()
    assert f"Erased the personal data of 1 candidate(s); they now read: Erased candidate {candidate.pk}." in listing

    # Nothing is left: no column of any table, no file, no cache entry, no page.
    for value in ERASED_VALUES:
        assert rows_containing(value, columns) == [], value
        assert files_containing(value, media_root) == [], value
        assert cache_entries_containing(value) == [], value
    assert rows_containing(sort, columns) == []
    assert not cv_path.exists()
    for client, urls in pages.items():
        for url in urls:
            page = client.get(url).content.decode()
            assert f"Erased candidate {candidate.pk}" in page, url
            for value in ERASED_VALUES:
                assert value not in page, (url, value)
    assert hana.get(f"/candidates/{candidate.pk}/cv/").status_code == 404
    for value in ERASED_VALUES:  # the pages just viewed are cached again, erased
        assert cache_entries_containing(value) == [], value

    # The scores, recommendations, decision and dates stay.
    assert sorted(QuestionScore.objects.filter(scorecard__interview=interview).values_list("pk", "score")) == scores_before
    assert sorted(Scorecard.objects.filter(interview=interview).values_list("recommendation", flat=True)) == [
        "strong_yes", "yes"]
    assert list(Decision.objects.filter(candidate=candidate).values_list("decision", flat=True)) == ["hire"]
    assert Interview.objects.get(pk=interview.pk).starts_at == interview.starts_at
    assert Interview.objects.get(pk=cancelled.pk).status == "cancelled"
    assert QuestionScore.objects.get(pk=first.pk).skipped
    assert sorted(Amendment.objects.filter(scorecard=card).values_list("field", "new_value")) == [
        (f"notes:{second.question_id}", "[erased]"), (f"score:{third.question_id}", 2)]
    assert AuditEvent.objects.filter(action="candidate.erase", actor=admin_user, target=f"candidate {candidate.pk}").exists()


def test_a_failure_during_the_erasure_changes_nothing_and_keeps_the_cv_file(
        media_root, hiring_manager, interviewer, admin_user, monkeypatch, django_capture_on_commit_callbacks):
    candidate = make_candidate(position=make_position(hiring_manager=hiring_manager), name=ZYX, email=ZYX_EMAIL)
    candidate.cv_file = SimpleUploadedFile("cv.pdf", CV_TEXT)
    candidate.save()
    cv_path = media_root / candidate.cv_file.name
    interview = make_interview(candidate=candidate, plan=make_plan(position=candidate.position), interviewers=[interviewer])
    card = make_scorecard(interview=interview, interviewer=interviewer, scores=[None, 3, 4], skip_reason=SKIP_REASON, summary=SUMMARY)

    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("scoring.erasure.audit", fail)  # the last write of an erasure
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        candidate_erase(candidate=candidate, by=admin_user)

    assert callbacks == []
    assert cv_path.read_bytes() == CV_TEXT
    candidate.refresh_from_db()
    assert (candidate.name, candidate.email, candidate.cv_file.name) == (ZYX, ZYX_EMAIL, cv_path.relative_to(media_root).as_posix())
    assert Scorecard.objects.get(pk=card.pk).summary == SUMMARY
    assert card.scores.get(skipped=True).skip_reason == SKIP_REASON


def test_it_erases_a_candidate_with_a_skipped_question(hiring_manager, interviewer, admin_user):
    """The walkthrough's 500: the skip reason of a skipped question cannot be blank."""
    candidate = make_candidate(position=make_position(hiring_manager=hiring_manager), name=ZYX, email=ZYX_EMAIL)
    interview = make_interview(candidate=candidate, plan=make_plan(position=candidate.position), interviewers=[interviewer])
    card = make_scorecard(interview=interview, interviewer=interviewer, scores=[None, 3, 4], skip_reason=SKIP_REASON)

    response = signed_in(admin_user).post(
        "/admin/interviews/candidate/", {"action": "erase_personal_data", "_selected_action": [candidate.pk], "post": "yes"})

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.name == f"Erased candidate {candidate.pk}" and candidate.email == ""
    assert list(card.scores.order_by("question__order").values_list("skipped", "skip_reason", "score")) == [
        (True, "[erased]", None), (False, "", 3), (False, "", 4)]


def test_the_admin_action_asks_first_and_erases_several_candidates_together(hiring_manager, admin_user):
    position = make_position(hiring_manager=hiring_manager)
    first = make_candidate(position=position, name=ZYX, email=ZYX_EMAIL)
    second = make_candidate(position=position, name="Other Person", email="other@example.org")
    admin = signed_in(admin_user)
    selected = {"action": "erase_personal_data", "_selected_action": [first.pk, second.pk]}

    confirm = admin.post("/admin/interviews/candidate/", selected)

    html = confirm.content.decode()
    assert confirm.status_code == 200 and ZYX in html and "Other Person" in html
    assert "Yes, erase the personal data of 2 candidates" in html
    assert html.count('name="_selected_action"') == 2
    assert set(Candidate.objects.values_list("name", flat=True)) == {ZYX, "Other Person"}
    response = admin.post("/admin/interviews/candidate/", {**selected, "post": "yes"}, follow=True)
    assert "Erased the personal data of 2 candidate(s)" in response.content.decode()
    assert set(Candidate.objects.values_list("name", flat=True)) == {
        f"Erased candidate {first.pk}", f"Erased candidate {second.pk}"}


def test_the_candidates_own_erase_page_confirms_then_erases(hiring_manager, admin_user):
    candidate = make_candidate(position=make_position(hiring_manager=hiring_manager), name=ZYX, email=ZYX_EMAIL)
    admin = signed_in(admin_user)
    url = f"/admin/interviews/candidate/{candidate.pk}/erase/"

    page = admin.get(url)
    assert page.status_code == 200 and ZYX in page.content.decode()
    assert preview(page.content.decode())["Email address"] == "yes"
    assert admin.post(url, {}).status_code == 200  # no post=yes: the page again
    assert Candidate.objects.get(pk=candidate.pk).name == ZYX

    response = admin.post(url, {"post": "yes"})

    assert response.status_code == 302 and response["Location"] == f"/admin/interviews/candidate/{candidate.pk}/change/"
    assert Candidate.objects.get(pk=candidate.pk).name == f"Erased candidate {candidate.pk}"
    assert admin.get("/admin/interviews/candidate/999999/erase/").status_code == 404


def test_the_candidates_change_page_links_to_the_erasure(hiring_manager, admin_user):
    candidate = make_candidate(position=make_position(hiring_manager=hiring_manager), name=ZYX)
    page = signed_in(admin_user).get(f"/admin/interviews/candidate/{candidate.pk}/change/")
    assert page.status_code == 200
    assert f'href="/admin/interviews/candidate/{candidate.pk}/erase/"' in page.content.decode()


def test_erasure_needs_the_delete_permission(hiring_manager):
    from django.contrib.auth.models import Permission

    staff = make_user("staffer", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_candidate", "change_candidate"]))
    candidate = make_candidate(position=make_position(hiring_manager=hiring_manager), name=ZYX)
    client = signed_in(staff)

    assert "erase_personal_data" not in client.get("/admin/interviews/candidate/").content.decode()
    refused = client.post("/admin/interviews/candidate/",
                          {"action": "erase_personal_data", "_selected_action": [candidate.pk], "post": "yes"})
    assert refused.status_code == 200  # no action is offered to them: the list again
    assert client.get(f"/admin/interviews/candidate/{candidate.pk}/erase/").status_code == 403
    assert client.post(f"/admin/interviews/candidate/{candidate.pk}/erase/", {"post": "yes"}).status_code == 403
    assert "Erase personal data" not in client.get(f"/admin/interviews/candidate/{candidate.pk}/change/").content.decode()
    assert Candidate.objects.get(pk=candidate.pk).name == ZYX


def test_erasure_leaves_no_trace_of_the_candidate_and_keeps_the_scores(hiring_manager, recruiter, interviewer, admin_user, as_user):
    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    candidate = make_candidate(position=position, name=NAME, email=EMAIL)
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
    response = client.post("/admin/interviews/candidate/",
                           {"action": "erase_personal_data", "_selected_action": [candidate.pk], "post": "yes"})
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
    candidate = make_candidate(position=position, name=NAME, email=EMAIL)
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
    candidate = make_candidate(position=make_position(hiring_manager=hiring_manager, recruiter=recruiter), name=NAME)
    response = as_user(recruiter).post("/admin/interviews/candidate/", {"action": "erase_personal_data", "_selected_action": [candidate.pk]})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    candidate.refresh_from_db()
    assert candidate.name == NAME


def test_the_service_is_idempotent(hiring_manager, admin_user):
    candidate = make_candidate(position=make_position(hiring_manager=hiring_manager), name=NAME)
    candidate_erase(candidate=candidate, by=admin_user)
    candidate_erase(candidate=candidate, by=admin_user)
    candidate.refresh_from_db()
    assert candidate.name == f"Erased candidate {candidate.pk}"
