"""The calibration page: who may see it, each formula on known data through the real page,
minimum-sample hiding, and a query count that does not grow with the data."""

from datetime import timedelta
from itertools import count

import pytest
from django.test import Client
from django.utils import timezone

from interviews.models import InterviewQuestion
from accounts.roles import Role
from scoring import calibration, stats
from scoring.models import Decision, QuestionScore
from scoring.services import scorecard_amend
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_scorecard

pytestmark = pytest.mark.django_db

URL = "/calibration/"
FOUR = ("bias-variance", "precision", "code-bigrams", "regularization")
_names = count(1)


def interview(position, plan, panel, *, starts_at=None, minutes=45):
    """A new candidate with one interview of `plan` by `panel`."""
    n = next(_names)
    candidate = make_candidate(position=position, name=f"Candidate Zed{n}", email=f"c{n}@example.com")
    return make_interview(candidate=candidate, plan=plan, interviewers=panel,
                          starts_at=starts_at or timezone.now() - timedelta(days=2), minutes=minutes)


def decide(interview, decision, by):
    Decision.objects.create(candidate=interview.candidate, decision=decision, rationale="Because", by=by)


def report():
    """The page's figures, computed again now as the worker would (the page then shows them)."""
    return calibration.calibration_report(calibration.calibration_refresh().figures)


def interviewer_row(data, user):
    return next(r for r in data["interviewers"] if r.user_id == user.pk)


def question_row(data, slug):
    return next(r for r in data["questions"] if r.slug == slug)


# --- Access ------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["hiring_manager", "admin_user"])
def test_it_shows_the_page_to_hiring_managers_and_admins(request, as_user, role):
    response = as_user(request.getfixturevalue(role)).get(URL)
    assert response.status_code == 200
    assert "What needs attention" in response.content.decode()


@pytest.mark.parametrize("role", ["interviewer", "recruiter", "outsider"])
def test_it_refuses_interviewers_recruiters_and_people_without_a_role(request, as_user, role):
    assert as_user(request.getfixturevalue(role)).get(URL).status_code == 403


def test_it_sends_anonymous_visitors_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/calibration/")


def test_it_has_a_url_name(hm_client):
    from django.urls import reverse

    assert reverse("scoring:calibration") == URL


# --- Interviewers -------------------------------------------------------------------------

def test_it_measures_leniency_against_the_co_panelists_mean(hm_client, position, interviewer, interviewer2):
    third = make_user("int3", Role.INTERVIEWER, first_name="Ivan", last_name="Petrov")
    plan = make_plan(position=position)
    for _ in range(2):  # 2 interviews x 3 questions = 6 shared questions each
        iv = interview(position, plan, [interviewer, interviewer2, third])
        make_scorecard(interview=iv, interviewer=interviewer, scores=[3, 3, 3])
        make_scorecard(interview=iv, interviewer=interviewer2, scores=[2, 2, 2])
        make_scorecard(interview=iv, interviewer=third, scores=[4, 4, 4])
    data = report()
    # int1: 3 - (2 + 4) / 2 = 0; int2: 2 - (3 + 4) / 2 = -1.5; Ivan: 4 - (3 + 2) / 2 = +1.5
    assert interviewer_row(data, interviewer).leniency.value == pytest.approx(0)
    assert interviewer_row(data, interviewer2).leniency.value == pytest.approx(-1.5)
    ivan = interviewer_row(data, third)
    assert ivan.leniency.value == pytest.approx(1.5) and ivan.leniency.n == 6
    assert "Scores higher than co-panelists" in ivan.flags
    body = hm_client.get(URL).content.decode()
    assert "Ivan Petrov scores 1.5 higher than co-panelists" in body
    assert "int2 scores 1.5 lower than co-panelists" in body
    assert "+1.50" in body and "−1.50" in body
    # Flagged interviewers come first.
    assert [r.user_id for r in data["interviewers"]][-1] == interviewer.pk


def test_it_leaves_out_questions_nobody_else_scored_from_leniency(position, interviewer, interviewer2):
    plan = make_plan(position=position)
    iv = interview(position, plan, [interviewer, interviewer2])
    make_scorecard(interview=iv, interviewer=interviewer, scores=[4, 4, 4])
    make_scorecard(interview=iv, interviewer=interviewer2, scores=[2, None, 2])  # skipped the second question
    solo = interview(position, plan, [interviewer])
    make_scorecard(interview=solo, interviewer=interviewer, scores=[1, 1, 1])
    row = interviewer_row(report(), interviewer)
    assert row.leniency.n == 2 and row.leniency.value == pytest.approx(2.0)
    assert not row.leniency.shown and row.leniency.text == "—" and row.leniency.note == "n=2, needs 5"


def test_it_counts_recommendations_and_agreement_with_the_latest_decision(hiring_manager, position, interviewer):
    plan = make_plan(position=position)
    cases = [  # (recommendation, decisions in order) -> agrees?
        ("yes", ["hire"]),  # agrees
        ("strong_no", ["hire"]),  # disagrees
        ("no", ["no_hire"]),  # agrees
        ("strong_yes", ["no_hire"]),  # disagrees
        ("yes", ["hire", "no_hire"]),  # latest is no hire: disagrees
        ("yes", ["hold"]),  # hold: left out
        ("no", []),  # undecided: left out
    ]
    for recommendation, decisions in cases:
        iv = interview(position, plan, [interviewer])
        make_scorecard(interview=iv, interviewer=interviewer, scores=[3, 3, 3], recommendation=recommendation)
        for decision in decisions:
            decide(iv, decision, hiring_manager)
    row = interviewer_row(report(), interviewer)
    assert row.scorecards == 7
    assert [(value, n) for value, _, n in row.recommendations] == [("strong_no", 1), ("no", 2), ("yes", 3), ("strong_yes", 1)]
    assert row.agreement.n == 5 and row.agreement.value == pytest.approx(2 / 5)
    assert row.agreement.text == "40%" and "Often disagrees with final decisions" in row.flags


def test_it_takes_the_median_hours_from_the_interviews_end(hm_client, position, interviewer):
    plan = make_plan(position=position)
    start = timezone.now() - timedelta(days=10)
    for hours in (1, 2, 3, 60, 80):
        iv = interview(position, plan, [interviewer], starts_at=start, minutes=60)
        make_scorecard(interview=iv, interviewer=interviewer, scores=[3, 3, 3], submitted_at=start + timedelta(minutes=60) + timedelta(hours=hours))
    row = interviewer_row(report(), interviewer)
    assert row.median_hours.value == pytest.approx(3.0) and row.median_hours.n == 5
    assert row.median_hours.text == "3.0 h"
    assert "Slow to submit" not in row.flags


def test_it_counts_only_submitted_scorecards(position, interviewer, interviewer2):
    plan = make_plan(position=position)
    iv = interview(position, plan, [interviewer, interviewer2])
    make_scorecard(interview=iv, interviewer=interviewer, scores=[3, 3, 3])
    make_scorecard(interview=iv, interviewer=interviewer2, scores=[1, 1, 1], submit=False)
    data = report()
    assert [r.user_id for r in data["interviewers"]] == [interviewer.pk]
    row = interviewer_row(data, interviewer)
    assert row.mean.n == 3 and row.leniency.n == 0
    assert question_row(data, "bias-variance").mean.n == 1


# --- Questions ----------------------------------------------------------------------------

def test_it_counts_uses_in_the_last_90_days_and_all_time(monkeypatch, hm_client, position, interviewer):
    plan = make_plan(position=position, sections=[("Fundamentals", ("precision",))], competencies=["Evaluation"])
    now = timezone.now()
    for days in (2, 30, 100, 400):
        interview(position, plan, [interviewer], starts_at=now - timedelta(days=days))
    interview(position, plan, [interviewer], starts_at=now - timedelta(days=3)).cancel(reason="No-show")
    interview(position, plan, [interviewer], starts_at=now + timedelta(days=3))  # not happened yet
    row = question_row(report(), "precision")
    assert (row.used_recent, row.used_all) == (2, 4)
    assert "Overexposed" not in row.flags

    monkeypatch.setattr(calibration, "OVEREXPOSED_INTERVIEWS", 1)
    row = question_row(report(), "precision")
    assert "Overexposed" in row.flags
    body = hm_client.get(URL).content.decode()
    assert "1 question overexposed: used in more than 1 interviews in 90 days" in body
    assert 'href="/questions/precision/"' in body


def test_it_flags_questions_that_are_too_easy_or_too_hard(hm_client, position, interviewer, interviewer2):
    plan = make_plan(position=position)  # bias-variance, precision, code-bigrams
    for _ in range(3):
        iv = interview(position, plan, [interviewer, interviewer2])
        make_scorecard(interview=iv, interviewer=interviewer, scores=[4, 1, 3])
        make_scorecard(interview=iv, interviewer=interviewer2, scores=[4, 1, 2])
    data = report()
    easy, hard, middle = (question_row(data, s) for s in ("bias-variance", "precision", "code-bigrams"))
    assert easy.mean.value == 4 and "Too easy" in easy.flags
    assert hard.mean.value == 1 and "Too hard" in hard.flags
    assert middle.mean.value == 2.5 and middle.flags == []
    assert middle.spread.value == pytest.approx(stats.sd([3, 2, 3, 2, 3, 2]))
    assert [q.slug for q in data["questions"]][-1] == "code-bigrams"  # flagged first
    body = hm_client.get(URL).content.decode()
    assert "1 question may be too easy (mean score above 3.5)" in body
    assert "1 question may be too hard (mean score below 1.5)" in body


def test_it_hides_figures_below_the_minimum_sample(hm_client, position, interviewer, interviewer2):
    plan = make_plan(position=position)
    iv = interview(position, plan, [interviewer, interviewer2])
    make_scorecard(interview=iv, interviewer=interviewer, scores=[4, 4, 4])
    make_scorecard(interview=iv, interviewer=interviewer2, scores=[4, 4, 4])
    data = report()
    row = question_row(data, "bias-variance")
    assert row.mean.n == 2 and row.mean.value == 4 and not row.mean.shown
    assert row.flags == []  # a flag needs a figure that is shown
    assert data["attention"] == []
    body = hm_client.get(URL).content.decode()
    assert f"n=2, needs {stats.MIN_SAMPLE['mean']}" in body
    assert f"—<div class=\"calib-n\">n=3, needs {stats.MIN_SAMPLE['mean']}</div>" in body  # each interviewer's 3 scores
    assert "Too easy" not in body and "Nothing stands out" in body


def test_it_gives_discrimination_the_sign_of_the_rest_of_the_interview(hiring_manager, position, interviewer):
    plan = make_plan(position=position, sections=[("Fundamentals", FOUR)], competencies=["A", "B", "C", "D"])
    abilities = [1, 2, 3, 4, 1, 2, 3, 4, 2, 3]
    for ability in abilities:
        iv = interview(position, plan, [interviewer])
        # The first three questions follow the candidate's ability; the last one runs against it.
        make_scorecard(interview=iv, interviewer=interviewer, scores=[ability, ability, ability, 5 - ability])
        decide(iv, "hire" if ability >= 3 else "no_hire", hiring_manager)
    data = report()
    good, bad = question_row(data, "bias-variance"), question_row(data, "regularization")
    assert good.discrimination.n == 10 and good.discrimination.value > 0.9
    assert bad.discrimination.value == pytest.approx(-1.0)
    assert good.point_biserial.value > 0.8 and bad.point_biserial.value < -0.8
    assert "Weak discrimination" in bad.flags and "Weak discrimination" not in good.flags
    # The same figure the stats module gives on the rest-of-scorecard pairs.
    rest = [(a + a + 5 - a) / 3 for a in abilities]
    assert good.discrimination.value == pytest.approx(stats.pearson(abilities, rest))


def test_it_measures_inter_rater_agreement_per_interview(hm_client, position, interviewer, interviewer2):
    plan = make_plan(position=position)
    pairs = [(4, 1), (1, 4), (3, 2), (2, 3), (4, 2)]  # the panel disagrees on the first question
    for first, second in pairs:
        iv = interview(position, plan, [interviewer, interviewer2])
        make_scorecard(interview=iv, interviewer=interviewer, scores=[first, first, 3])
        make_scorecard(interview=iv, interviewer=interviewer2, scores=[second, first, 3])
    data = report()
    split, agreed = question_row(data, "bias-variance"), question_row(data, "precision")
    assert split.alpha.n == 5
    assert split.alpha.value == pytest.approx(stats.krippendorff_alpha_interval([list(p) for p in pairs]))
    assert split.alpha.value < 0.4 and "Raters disagree" in split.flags
    assert agreed.alpha.value == pytest.approx(1.0) and "Raters disagree" not in agreed.flags
    # The same two interviewers scored all five: a complete table, so ICC(2,1) is shown.
    assert split.icc.n == 5 and split.icc_raters == 2
    assert split.icc.value == pytest.approx(stats.icc_2_1([list(p) for p in pairs]))
    # Everyone gave 3: no variation to agree about, so alpha is undefined, not 1.
    constant = question_row(data, "code-bigrams")
    assert constant.alpha.value is None and constant.alpha.note == "n=5, undefined (no spread)"
    assert "scored inconsistently by the panel" in hm_client.get(URL).content.decode()


def test_it_shows_alpha_but_not_icc_when_panels_rotate(hm_client, position, interviewer, interviewer2):
    third = make_user("int3", Role.INTERVIEWER)
    plan = make_plan(position=position)
    panels = [(interviewer, interviewer2), (interviewer2, third), (interviewer, third)] * 2
    for n, (a, b) in enumerate(panels):
        iv = interview(position, plan, [a, b])
        make_scorecard(interview=iv, interviewer=a, scores=[n % 4 + 1, 3, 3])
        make_scorecard(interview=iv, interviewer=b, scores=[n % 4 + 1, 2, 3])
    row = question_row(report(), "bias-variance")
    assert row.alpha.n == 6 and row.alpha.value == pytest.approx(1.0)
    # No one panel scored it in 5 interviews: ICC(2,1) has no complete table to rest on.
    assert row.icc.n == 2 and not row.icc.shown and row.icc.note == "n=2, needs 5"
    assert "ICC(2,1) needs a complete table" in hm_client.get(URL).content.decode()


def test_it_leaves_out_ad_hoc_free_text_questions(position, interviewer):
    plan = make_plan(position=position, sections=[("Fundamentals", ("precision",))], competencies=["Evaluation"])
    iv = interview(position, plan, [interviewer])
    card = make_scorecard(interview=iv, interviewer=interviewer, scores=[2])
    extra = InterviewQuestion.objects.create(interview=iv, order=9, free_text="Tell me about a hard bug", competency="Debugging",
                                             added_by=interviewer)
    QuestionScore.objects.create(scorecard=card, question=extra, score=4)
    data = report()
    assert [q.slug for q in data["questions"]] == ["precision"]
    assert interviewer_row(data, interviewer).mean.n == 2  # still the interviewer's score


def test_it_never_names_a_candidate(hm_client, position, interviewer):
    plan = make_plan(position=position)
    for _ in range(5):
        make_scorecard(interview=interview(position, plan, [interviewer]), interviewer=interviewer, scores=[3, 2, 4])
    body = hm_client.get(URL).content.decode()
    assert "Candidate Zed" not in body and "Ada Lovelace" not in body


def test_it_says_so_when_there_is_no_data_yet(hm_client):
    body = hm_client.get(URL).content.decode()
    assert "No submitted scorecards yet." in body and "no scorecard has been submitted yet" in body


# --- The figures follow the data: nothing is stored or cached -----------------------------

def test_a_new_submission_shows_once_the_figures_are_computed_again(hm_client, position, interviewer, interviewer2):
    plan = make_plan(position=position)
    iv = interview(position, plan, [interviewer, interviewer2])
    make_scorecard(interview=iv, interviewer=interviewer, scores=[3, 3, 3])
    make_scorecard(interview=iv, interviewer=interviewer2, scores=[1, 1, 1], submit=False)
    body = hm_client.get(URL).content.decode()  # no figures yet: computed for this view
    assert "from 1 submitted scorecard (3 question scores)" in body and "Figures as of" in body

    panelist = Client()
    panelist.force_login(interviewer2)
    submitted = panelist.post(f"/interviews/{iv.pk}/scorecard/submit/", {"recommendation": "no", "summary": "Struggled."})
    assert submitted.status_code == 302
    # The page shows the stored figures, and says when they were computed, until the worker's
    # next run (every minute) computes them again.
    assert "from 1 submitted scorecard (3 question scores)" in hm_client.get(URL).content.decode()
    calibration.calibration_refresh()  # what the worker runs
    body = hm_client.get(URL).content.decode()
    assert "from 2 submitted scorecards (6 question scores)" in body
    data = report()
    assert question_row(data, "bias-variance").mean.n == 2
    assert interviewer_row(data, interviewer).leniency.n == 3  # now scored beside a co-panelist
    assert interviewer_row(data, interviewer).leniency.value == pytest.approx(2.0)


def test_the_figures_are_computed_again_only_when_what_they_read_changed(django_assert_num_queries, position,
                                                                         interviewer):
    plan = make_plan(position=position)
    make_scorecard(interview=interview(position, plan, [interviewer]), interviewer=interviewer, scores=[4, 3, 2])
    first = calibration.calibration_refresh()
    with django_assert_num_queries(8):  # the fingerprint (one aggregate per table read: 7) and the stored snapshot
        assert calibration.calibration_refresh().computed_at == first.computed_at
    assert calibration.calibration_refresh(force=True).computed_at > first.computed_at


def _changes(position, plan, interviewer, hiring_manager):
    """Each change the figures depend on, made as the app makes it."""
    from interviews.services import interview_reschedule
    from questionbank.models import Question
    from scoring.services import decision_record

    def submit():
        make_scorecard(interview=interview(position, plan, [interviewer]), interviewer=interviewer, scores=[2, 2, 2])

    def amend():
        card = interviewer.scorecards.filter(status="submitted").first()
        score = card.scores.order_by("pk").first()
        scorecard_amend(scorecard=card, by=interviewer, reason="Misclicked", changes={f"score:{score.question_id}": 1})

    def decide_():
        candidate = interviewer.scorecards.first().interview.candidate
        decision_record(candidate=candidate, decision="hire", rationale="Strong panel", by=hiring_manager)

    def reschedule():
        iv = interviewer.scorecards.first().interview
        interview_reschedule(interview=iv, starts_at=iv.starts_at - timedelta(days=1), duration_minutes=iv.duration_minutes,
                             interviewers=list(iv.interviewers.all()))

    def cancel():
        interview(position, plan, [interviewer]).cancel(reason="Candidate withdrew")

    def schedule():
        interview(position, plan, [interviewer], starts_at=timezone.now() + timedelta(days=3))

    def retitle():
        question = Question.objects.get(slug="precision")
        question.title = "Precision, recall and the threshold"
        question.save()

    def rename():
        interviewer.first_name = "Renamed"
        interviewer.save()

    return [submit, amend, decide_, reschedule, cancel, schedule, retitle, rename]


def test_every_change_the_figures_depend_on_changes_their_fingerprint(position, interviewer, hiring_manager):
    from scoring import calibration_queries

    plan = make_plan(position=position)
    make_scorecard(interview=interview(position, plan, [interviewer]), interviewer=interviewer, scores=[4, 3, 2])
    for change in _changes(position, plan, interviewer, hiring_manager):
        before = calibration_queries.generation()
        change()
        assert calibration_queries.generation() != before, change.__name__
    assert calibration_queries.generation() == calibration_queries.generation()


def test_the_worker_computes_the_figures_every_minute(position, interviewer):
    from procrastinate.contrib.django import app

    from scoring.tasks import calibration_refresh_job

    schedule = [t for t in app.periodic_registry.periodic_tasks.values() if t.task is calibration_refresh_job]
    assert [(t.cron, t.task.queueing_lock) for t in schedule] == [("* * * * *", "scoring.calibration_refresh_job")]
    plan = make_plan(position=position)
    make_scorecard(interview=interview(position, plan, [interviewer]), interviewer=interviewer, scores=[4, 3, 2])
    calibration_refresh_job(timestamp=0)
    assert question_row(calibration.calibration_report(calibration.calibration_snapshot().figures), "precision").mean.n == 1


def test_the_command_computes_the_figures(capsys, position, interviewer):
    from django.core.management import call_command

    plan = make_plan(position=position)
    make_scorecard(interview=interview(position, plan, [interviewer]), interviewer=interviewer, scores=[4, 3, 2])
    call_command("calibration_refresh")
    assert "Calibration figures as of" in capsys.readouterr().out
    assert question_row(calibration.calibration_report(calibration.calibration_snapshot().figures), "precision").mean.n == 1


def test_an_amended_score_shows_on_the_next_view(hiring_manager, position, interviewer):
    plan = make_plan(position=position)
    card = make_scorecard(interview=interview(position, plan, [interviewer]), interviewer=interviewer, scores=[4, 4, 4])
    assert question_row(report(), "bias-variance").mean.value == 4
    first = card.interview.questions.order_by("order").first()
    scorecard_amend(scorecard=card, by=hiring_manager, reason="Typo", changes={f"score:{first.pk}": 2})
    assert question_row(report(), "bias-variance").mean.value == 2


def test_a_new_decision_shows_on_the_next_view(hiring_manager, position, interviewer):
    plan = make_plan(position=position)
    iv = interview(position, plan, [interviewer])
    make_scorecard(interview=iv, interviewer=interviewer, scores=[3, 3, 3])
    assert question_row(report(), "bias-variance").point_biserial.n == 0
    decide(iv, "hire", hiring_manager)
    assert question_row(report(), "bias-variance").point_biserial.n == 1


# --- Performance --------------------------------------------------------------------------

def test_a_deleted_candidate_leaves_the_figures_on_the_next_view(hiring_manager, position, interviewer):
    plan = make_plan(position=position)
    kept, gone = (interview(position, plan, [interviewer]) for _ in range(2))
    make_scorecard(interview=kept, interviewer=interviewer, scores=[3, 3, 3])
    make_scorecard(interview=gone, interviewer=interviewer, scores=[1, 1, 1])
    assert interviewer_row(report(), interviewer).mean.n == 6
    gone.candidate.delete()
    row = interviewer_row(report(), interviewer)
    assert (row.mean.n, row.mean.value) == (3, 3)


# --- Performance --------------------------------------------------------------------------

@pytest.mark.parametrize("candidates", [2, 50])
def test_the_query_count_does_not_grow_with_the_data(django_assert_num_queries, hm_client, hiring_manager, position,
                                                     candidates):
    panel = [make_user(f"p{n}", Role.INTERVIEWER) for n in range(2)]
    plan = make_plan(position=position)
    for n in range(candidates):
        iv = interview(position, plan, panel)
        for person in panel:
            make_scorecard(interview=iv, interviewer=person, scores=[n % 4 + 1, 2, 3], recommendation="yes" if n % 2 else "no")
        decide(iv, "hire" if n % 3 else "no_hire", hiring_manager)
    hm_client.get("/")  # the first request after sign-in stamps the session (a write)
    calibration.calibration_refresh()  # the worker's run
    # Session, user; roles and permissions (1, accounts.roles.load_access), the bell's unread count (1);
    # the stored figures (1); the filters' choices: positions and interviewers (2). Every view
    # costs the same, whatever the data.
    for _ in range(2):
        with django_assert_num_queries(7):
            assert hm_client.get(URL).status_code == 200


def test_a_figure_says_what_it_rests_on():
    assert calibration.Figure(0.4567, 12, "correlation", "signed").text == "+0.46"
    assert calibration.Figure(-0.001, 12, "correlation", "signed").text == "+0.00"
    assert calibration.Figure(-0.25, 12, "leniency", "signed").text == "−0.25"
    assert calibration.Figure(0.625, 8, "agreement", "percent").text == "62%"
    hidden = calibration.Figure(0.9, 9, "correlation")
    assert (hidden.text, hidden.note) == ("—", "n=9, needs 10")
