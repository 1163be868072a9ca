"""Question pools in a browser: a hiring manager pools a question with two others from the
builder's search results; a recruiter schedules two candidates on the plan, one after the
other; their interview pages show different questions, each with why it was chosen."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import Interview, PoolMember
from questionbank.models import Question
from tests.factories import make_candidate, make_plan, make_position

pytestmark = pytest.mark.browser


def test_a_hiring_manager_builds_a_pool_and_two_candidates_get_different_questions(open_session, people):
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"], title="Applied scientist")
    plan = make_plan(position=position, name="Pooled screen", sections=[("Fundamentals", ("bias-variance",))])
    first = plan.items.get().revision.question
    mates = list(Question.objects.published().filter(level=first.level, area=first.area).exclude(pk=first.pk)
                 .order_by("slug")[:2])

    hm = open_session("pools-hiring-manager")
    hm.login("hannah")
    hm.goto(f"/plans/{plan.pk}/")
    for mate in mates:
        hm.page.get_by_label("Search the question bank").fill(mate.title)
        hm.page.get_by_role("button", name="Search").click()
        result = hm.page.locator(".plan-search-results li").filter(has=hm.page.locator(f'input[value="{mate.pk}"]'))
        result.locator(".plan-pool-form").get_by_role("button", name=f"Add “{mate.title}” to the pool").click()
        expect(hm.page.locator(".alert-success")).to_contain_text(f"Added “{mate.title}” to the pool")
    pool = hm.page.locator(".plan-pool")
    expect(pool).to_contain_text("Pool of 3")
    for mate in mates:
        expect(pool).to_contain_text(mate.title)
    expect(hm.page.locator("#plan-summary")).to_contain_text("Pools")
    hm.shot("pool-built")
    assert PoolMember.objects.filter(item__plan=plan).count() == 2

    rec = open_session("pools-recruiter")
    rec.login("rita")
    titles = []
    for days, name in ((2, "Grace Hopper"), (3, "Alan Turing")):  # a day apart: the panel is free
        candidate = make_candidate(position=position, name=name)
        rec.goto(f"/interviews/new/?candidate={candidate.pk}")
        rec.page.get_by_label("Plan").select_option(str(plan.pk))
        start = timezone.localtime(timezone.now() + timezone.timedelta(days=days))
        rec.page.get_by_label("Starts at").fill(start.strftime("%Y-%m-%dT%H:%M"))
        rec.page.locator("input[name=interviewers][data-name=Ivan]").check()
        rec.page.locator("input[name=interviewers][data-name=Iris]").check()
        rec.page.get_by_role("button", name="Schedule").click()
        # A pooled question ships sample answers and no one has practised: the form warns first.
        expect(rec.page.locator(".schedule-warnings")).to_contain_text("is not yet qualified for the questions of")
        rec.page.get_by_role("button", name="Schedule anyway").click()
        expect(rec.page.locator("h1")).to_contain_text(name)
        note = rec.page.locator(".interview-pool-note")
        expect(note).to_contain_text("Chosen from a pool of 3")
        titles.append(rec.page.locator("#questions-title ~ div tbody td").nth(1).inner_text())
        rec.shot(f"interview-{len(titles)}")
    assert Interview.objects.filter(plan=plan).count() == 2
    assert titles[0].splitlines()[0] != titles[1].splitlines()[0]
