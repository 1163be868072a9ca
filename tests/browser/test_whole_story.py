"""The whole story, as separate people in separate browser contexts: a hiring manager builds a
plan from the bank; a recruiter adds a candidate and schedules two interviewers; each
interviewer scores live (one only by keyboard) and submits; the recruiter compares
candidates and exports CSV; the hiring manager reads the debrief and records a decision.
A screenshot of every page passed is kept in test-artifacts/screenshots/ (story-*.png)."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import Candidate, Interview, InterviewPlan
from scoring.models import Decision, Scorecard
from tests.factories import make_position

pytestmark = pytest.mark.browser


def saved(page):
    expect(page.locator("#save-state")).to_have_text(re.compile(r"^Saved \d\d:\d\d:\d\d$"), timeout=20_000)


def test_the_whole_story(open_session, people):
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"], title="Senior ML Engineer")

    # 1. The hiring manager builds a plan from the bank.
    hm = open_session("story-1-hiring-manager")
    hm.login("hannah")
    hm.page.get_by_role("link", name="Plans", exact=True).click()
    hm.shot("plans")
    hm.goto("/plans/new/")
    hm.page.get_by_label("Name").fill("Senior MLE screen")
    hm.page.get_by_label("Position").select_option(str(position.pk))
    hm.page.get_by_label("Slot length (minutes)").fill("45")
    hm.page.get_by_role("button", name="Create plan").click()
    for query in ("bias-variance", "precision", "leakage"):
        hm.page.get_by_label("Search the question bank").fill(query)
        hm.page.get_by_role("button", name="Search").click()
        hm.page.locator(".plan-search-results .plan-add-form button").first.click()
        hm.page.wait_for_load_state()
    plan = InterviewPlan.objects.get(name="Senior MLE screen")
    assert plan.items.count() == 3
    hm.shot("plan-builder")

    # 2. The recruiter adds a candidate and schedules a panel of two.
    rec = open_session("story-2-recruiter")
    rec.login("rita")
    rec.goto("/candidates/new/")
    rec.page.get_by_label("Name").fill("Grace Hopper")
    rec.page.get_by_label("Email").fill("grace@example.com")
    rec.page.get_by_label("Position").select_option(str(position.pk))
    rec.shot("candidate-form")
    rec.page.get_by_role("button", name="Add candidate").click()
    candidate = Candidate.objects.get(email="grace@example.com")
    rec.goto(f"/interviews/new/?candidate={candidate.pk}")
    rec.page.get_by_label("Plan").select_option(str(plan.pk))
    start = timezone.localtime(timezone.now() - timedelta(minutes=5))
    rec.page.get_by_label("Starts at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    rec.page.locator("input[name=interviewers][data-name=Ivan]").check()
    rec.page.locator("input[name=interviewers][data-name=Iris]").check()
    rec.shot("schedule")
    rec.page.get_by_role("button", name="Schedule").click()
    # The leakage question ships sample answers nobody here has practised: a warning first.
    expect(rec.page.locator(".schedule-warnings")).to_contain_text("is not yet qualified for the questions of")
    rec.page.get_by_role("button", name="Schedule anyway").click()
    expect(rec.page.locator("h1")).to_contain_text("Grace Hopper")
    interview = Interview.objects.get(candidate=candidate)
    assert set(interview.interviewers.values_list("username", flat=True)) == {"ivan", "iris"}
    assert interview.questions.count() == 3

    # 3a. Ivan scores with the mouse and submits.
    ivan = open_session("story-3-ivan")
    ivan.login("ivan")
    ivan.shot("dashboard")
    ivan.goto(f"/interviews/{interview.pk}/live/")
    for n, score in enumerate([3, 4, 2], 1):
        section = ivan.page.locator(f"#question-{n}")
        section.locator(f"label[for='score-{n}-{score}']").click()
        section.locator("textarea").fill(f"Ivan's note on question {n}")
        saved(ivan.page)
        if n < 3:
            section.get_by_role("button", name="Next →").click()
    ivan.shot("live")
    ivan.page.get_by_role("link", name="Review and submit").first.click()
    ivan.page.get_by_label("Yes", exact=True).check()
    ivan.page.get_by_label("Summary").fill("Strong on evaluation, weaker on leakage.")
    ivan.page.get_by_role("button", name="Submit scorecard").click()
    expect(ivan.page.get_by_text("Scorecard submitted")).to_be_visible()
    ivan.shot("scorecard")

    # 3b. Iris scores only with the keyboard and submits.
    iris = open_session("story-4-iris")
    iris.login("iris")
    iris.goto(f"/interviews/{interview.pk}/live/")
    keys = iris.page.keyboard
    for score in ("2", "3", "1"):
        keys.press(score)
        keys.press("/")
        keys.type(f"Scored {score} by keyboard")
        keys.press("Escape")
        keys.press("n")
    saved(iris.page)
    iris.shot("live-keyboard")
    keys.press("Tab")
    iris.goto(f"/interviews/{interview.pk}/scorecard/")
    iris.page.get_by_label("No", exact=True).focus()
    keys.press("Space")
    iris.page.get_by_label("Summary").focus()
    keys.type("Needed prompting on the basics.")
    iris.page.get_by_role("button", name="Submit scorecard").focus()
    keys.press("Enter")
    expect(iris.page.get_by_text("Scorecard submitted")).to_be_visible()
    assert Scorecard.objects.filter(interview=interview, status="submitted").count() == 2

    # 4. The recruiter compares candidates and exports CSV.
    rec.goto(f"/positions/{position.pk}/compare/")
    expect(rec.page.get_by_role("link", name="Grace Hopper")).to_be_visible()
    rec.shot("compare")
    with rec.page.expect_download() as download_info:
        rec.page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(open(download_info.value.path(), encoding="utf-8-sig").read())))
    assert rows[0][0] == "Candidate" and rows[1][0] == "Grace Hopper"

    # 5. The hiring manager reads the debrief and records a decision.
    hm.goto(f"/candidates/{candidate.pk}/debrief/")
    expect(hm.page.get_by_text("Strong on evaluation, weaker on leakage.")).to_be_visible()
    expect(hm.page.get_by_text("Split panel")).to_be_visible()
    hm.page.get_by_label("Hold").check()
    hm.page.get_by_label("Rationale").fill("Split panel: a second technical round on data leakage.")
    hm.page.get_by_role("button", name="Record decision").click()
    expect(hm.page.get_by_text("Decision recorded: Hold")).to_be_visible()
    hm.shot("debrief")
    assert Decision.objects.get(candidate=candidate).decision == "hold"
