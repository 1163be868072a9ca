"""Calibration's stored sums (scoring/calibration_sums.py): the figures are the same however
the interviews are sliced, a change rebuilds only the slice it touched, and two processes
rebuilding at once do not trip over each other."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from interviews.roles import Role
from scoring import calibration_sums
from scoring.models import CalibrationQuestionSums, CalibrationSlice, QuestionScore, Scorecard
from scoring.services import scorecard_amend
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.django_db


def history():
    """Twelve interviews: a steady panel of two (enough for ICC), rotating and three-person
    panels, a skipped score, a draft, and hire, no-hire and hold decisions."""
    hm = make_user("hm", Role.HIRING_MANAGER)
    ann, bo, cy = (make_user(name, Role.INTERVIEWER) for name in ("ann", "bo", "cy"))
    position = make_position(hiring_manager=hm)
    plan = make_plan(position=position)
    panels = [(ann, bo)] * 6 + [(bo, cy), (ann, cy), (ann, bo, cy), (ann, bo, cy), (cy,), (ann, bo)]
    interviews = []
    for n, panel in enumerate(panels):
        candidate = make_candidate(position=position, name=f"Candidate {n}", email=f"c{n}@example.com")
        interview = make_interview(candidate=candidate, plan=plan, interviewers=panel,
                                   starts_at=timezone.now() - timedelta(days=20 - n))
        for k, person in enumerate(panel):
            scores = [(n + k) % 4 + 1, (n * 3 + k * 2) % 4 + 1, None if n == 4 and k == 0 else (n + 2 * k) % 4 + 1]
            if n == 11 and k == 1:
                Scorecard.objects.create(interview=interview, interviewer=person)  # a draft: left out
            else:
                make_scorecard(interview=interview, interviewer=person, scores=scores, recommendation=("no", "yes", "strong_yes")[(n + k) % 3])
        if n % 4 != 3:
            candidate.decisions.create(decision=("hire", "no_hire", "hold")[n % 3], rationale="Because", by=hm)
        interviews.append(interview)
    return {"hm": hm, "interviews": interviews, "panel": (ann, bo, cy)}


def rebuilt_slices(change):
    """The slices rebuilt by the first view after ``change()``."""
    calibration_sums.score_figures()
    before = dict(CalibrationSlice.objects.values_list("number", "computed_at"))
    change()
    calibration_sums.score_figures()
    after = dict(CalibrationSlice.objects.values_list("number", "computed_at"))
    return {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}


def row_writes():
    """{(table, id): the transaction that last wrote the row} over the stored sums."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'question', id, xmin::text FROM scoring_calibrationquestionsums UNION ALL "
            "SELECT 'interviewer', id, xmin::text FROM scoring_calibrationinterviewersums UNION ALL "
            "SELECT 'panel', id, xmin::text FROM scoring_calibrationpanelsums"
        )
        return {(table, pk): xmin for table, pk, xmin in cursor.fetchall()}


def test_it_gives_the_same_figures_however_the_interviews_are_sliced(monkeypatch):
    interviews = history()["interviews"]
    whole = calibration_sums.score_figures()
    assert CalibrationSlice.objects.count() == 1
    by_interviewer, by_question = whole
    assert any(f["icc"] is not None for f in by_question.values())  # every figure is exercised
    assert any(f["point_biserial"] is not None for f in by_question.values())
    for size in (1, 5):
        monkeypatch.setattr(calibration_sums, "SLICE_INTERVIEWS", size)
        sliced = calibration_sums.score_figures()  # another size outdates every stored slice
        assert CalibrationSlice.objects.count() == len({iv.pk // size for iv in interviews})
        for mine, theirs in zip(whole, sliced):
            assert mine.keys() == theirs.keys()
            for key, figures in mine.items():
                assert theirs[key] == pytest.approx(figures), (size, key)


def test_a_change_rebuilds_only_the_slice_it_touched(monkeypatch):
    monkeypatch.setattr(calibration_sums, "SLICE_INTERVIEWS", 1)  # a slice per interview
    cast = history()
    first, fifth, last = cast["interviews"][0], cast["interviews"][4], cast["interviews"][11]
    ann, bo, _ = cast["panel"]

    def decide():
        first.candidate.decisions.create(decision="no_hire", rationale="Changed my mind", by=cast["hm"])

    def amend():
        card = Scorecard.objects.get(interview=fifth, interviewer=ann)
        question = fifth.questions.order_by("order").first()
        scorecard_amend(scorecard=card, by=cast["hm"], reason="Typo", changes={f"score:{question.pk}": 4})  # was 1

    def submit():
        draft = Scorecard.objects.get(interview=last, interviewer=bo)
        for question in last.questions.all():
            QuestionScore.objects.create(scorecard=draft, question=question, score=2)
        Scorecard.objects.filter(pk=draft.pk).update(status="submitted", recommendation="no", summary="Late",
                                                     submitted_at=timezone.now())

    assert rebuilt_slices(lambda: None) == set()
    assert rebuilt_slices(decide) == {first.pk}
    assert rebuilt_slices(amend) == {fifth.pk}
    assert rebuilt_slices(submit) == {last.pk}


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_writes_only_the_rows_that_changed(bank):
    """A new decision changes the hire sums of its interview's questions and nothing else: the
    rebuild leaves every other row as it was (a rewritten row is a dead one for VACUUM)."""
    cast = history()
    calibration_sums.score_figures()
    before = row_writes()
    first = cast["interviews"][0]
    first.candidate.decisions.create(decision="no_hire", rationale="Changed my mind", by=cast["hm"])
    calibration_sums.score_figures()
    after = row_writes()
    assert after.keys() == before.keys()
    rewritten = {key for key in after if after[key] != before[key]}
    assert {table for table, _ in rewritten} == {"question"}
    assert len(rewritten) == first.questions.count() == 3


def test_a_deleted_candidate_leaves_no_sums(monkeypatch):
    monkeypatch.setattr(calibration_sums, "SLICE_INTERVIEWS", 1)
    cast = history()
    cy, solo = cast["panel"][2], cast["interviews"][10]
    by_interviewer, _ = calibration_sums.score_figures()
    assert by_interviewer[cy.pk]["n"] == 15  # 5 interviews x 3 questions
    solo.candidate.delete()
    by_interviewer, _ = calibration_sums.score_figures()
    assert by_interviewer[cy.pk]["n"] == 12
    assert not CalibrationSlice.objects.filter(number=solo.pk).exists()
    assert not CalibrationQuestionSums.objects.filter(slice_id=solo.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_processes_rebuilding_at_once_write_each_slice_once(bank, monkeypatch):
    """Two connections rebuild the same slices at the same moment: both succeed, and each
    slice's rows are stored once."""
    monkeypatch.setattr(calibration_sums, "SLICE_INTERVIEWS", 1)
    interviews = history()["interviews"]
    slices = sorted(iv.pk for iv in interviews)
    start, errors = threading.Barrier(2), []

    def rebuild():
        try:
            start.wait(timeout=10)
            calibration_sums.refresh(slices)
        except Exception as error:  # reported below, with the test's assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=rebuild) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(CalibrationSlice.objects.values_list("number", flat=True)) == slices
    # three pinned questions, each summed once per slice
    assert CalibrationQuestionSums.objects.count() == 3 * len(slices)
    by_interviewer, by_question = calibration_sums.score_figures()
    assert sum(f["n"] for f in by_question.values()) == sum(f["n"] for f in by_interviewer.values()) == 71  # 24 submitted scorecards x 3 questions, one skipped


def test_the_command_builds_what_is_missing_and_leaves_the_rest(monkeypatch):
    monkeypatch.setattr(calibration_sums, "SLICE_INTERVIEWS", 1)
    interviews = history()["interviews"]
    out = StringIO()
    call_command("build_calibration_sums", stdout=out)
    assert out.getvalue().strip() == "Calibration sums: 12 slice(s) rebuilt, 0 already up to date."
    assert calibration_sums.stale_slices() == []
    candidate = interviews[3].candidate
    candidate.decisions.create(decision="hire", rationale="Because", by=candidate.position.hiring_manager)
    out = StringIO()
    call_command("build_calibration_sums", stdout=out)
    assert out.getvalue().strip() == "Calibration sums: 1 slice(s) rebuilt, 11 already up to date."
