"""The plan builder in a browser: editing a question's minutes in place (a refused value is
marked and nothing is saved), reordering by keyboard and by dragging, each saved at once
and still there after a reload; taking a question's newest revision, and undoing a removal."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from interviews.models import PlanItem
from questionbank.models import Question
from questionbank.services import revision_publish
from tests.conftest import revision_content
from tests.factories import make_plan, make_position

pytestmark = pytest.mark.browser


def saved_order(plan):
    return list(PlanItem.objects.filter(plan=plan).order_by("order").values_list("revision__question__slug", flat=True))


def shown_order(page):
    return [row.get_attribute("data-title") for row in page.locator(".plan-item").all()]


def test_a_hiring_manager_edits_minutes_in_place_and_reorders_by_keyboard_and_by_drag(open_session, people):
    position = make_position(hiring_manager=people["hm"], title="Applied scientist")
    plan = make_plan(position=position, sections=[("Fundamentals", ("bias-variance", "precision", "code-bigrams"))])
    titles = {item.revision.question.slug: item.revision.title for item in plan.items.select_related("revision__question")}
    hm = open_session("plan-builder")
    hm.login("hannah")
    hm.goto(f"/plans/{plan.pk}/")
    page = hm.page
    first = page.locator(".plan-item").first
    minutes = first.get_by_label("Minutes")

    # A refused value: marked, explained, and nothing saved.
    before = PlanItem.objects.get(plan=plan, revision__question__slug="bias-variance").minutes
    minutes.fill("0")
    minutes.press("Tab")
    expect(first.locator('[data-error-for="minutes"]')).to_have_text("Minutes must be between 1 and 120.")
    expect(minutes).to_have_attribute("aria-invalid", "true")
    expect(first.locator(".plan-item-status")).to_have_text("Not saved")
    hm.shot("refused-minutes")
    assert PlanItem.objects.get(plan=plan, revision__question__slug="bias-variance").minutes == before

    # A good value: saved at once, the mark gone, the totals updated.
    minutes.fill("17")
    minutes.press("Tab")
    expect(first.locator(".plan-item-status")).to_have_text("Saved")
    expect(minutes).not_to_have_attribute("aria-invalid", "true")
    assert PlanItem.objects.get(plan=plan, revision__question__slug="bias-variance").minutes == 17
    total = sum(PlanItem.objects.filter(plan=plan).values_list("minutes", flat=True))
    expect(page.locator("#plan-summary")).to_contain_text(f"{total} of 45 min")

    # Alt+ArrowDown on the focused first question moves it below the second.
    first.focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator(".plan-item").first).to_have_attribute("data-title", titles["precision"])
    assert saved_order(plan) == ["precision", "bias-variance", "code-bigrams"]

    # Dragging the last question's handle onto the first puts it first.
    last_handle = page.locator(".plan-item").last.locator(".drag-handle")
    last_handle.drag_to(page.locator(".plan-item").first, target_position={"x": 40, "y": 5})
    expect(page.locator(".plan-item").first).to_have_attribute("data-title", titles["code-bigrams"])
    expect(page.locator("#plan-announcer")).to_have_text(re.compile("Saved the new order"))
    assert saved_order(plan) == ["code-bigrams", "precision", "bias-variance"]

    page.reload()
    assert shown_order(page) == [titles["code-bigrams"], titles["precision"], titles["bias-variance"]]
    expect(page.locator(".plan-item").nth(2).get_by_label("Minutes")).to_have_value("17")
    hm.shot("reordered")


def test_a_hiring_manager_updates_an_item_to_the_newest_revision_and_undoes_a_removal(open_session, people):
    position = make_position(hiring_manager=people["hm"], title="Applied scientist")
    plan = make_plan(position=position, sections=[("Fundamentals", ("bias-variance", "precision", "code-bigrams"))])
    PlanItem.objects.filter(plan=plan, revision__question__slug="bias-variance").update(minutes=13, weight=Decimal("2"))
    PlanItem.objects.filter(plan=plan, revision__question__slug="precision").update(minutes=11, competency="Metrics")
    question = Question.objects.get(slug="bias-variance")
    revision_publish(question=question, content=revision_content(title="Bias and variance, revised"))
    question.refresh_from_db()
    last_title = PlanItem.objects.get(plan=plan, revision__question__slug="code-bigrams").revision.title
    hm = open_session("plan-builder-housekeeping")
    hm.login("hannah")
    hm.goto(f"/plans/{plan.pk}/")
    page = hm.page

    # The outdated item offers the update; taking it keeps minutes and weight.
    first = page.locator(".plan-item").first
    expect(first).to_contain_text("Newer revision in the bank")
    first.get_by_role("button", name=re.compile("to the newest revision")).click()
    expect(page.locator(".alert-success")).to_contain_text(f"now uses revision {question.current_revision.number}")
    first = page.locator(".plan-item").first
    expect(first).to_have_attribute("data-title", "Bias and variance, revised")
    expect(first).not_to_contain_text("Newer revision in the bank")
    expect(first.get_by_label("Minutes")).to_have_value("13")
    hm.shot("updated-revision")
    updated = PlanItem.objects.get(plan=plan, revision__question__slug="bias-variance")
    assert (updated.revision_id, updated.minutes, updated.weight) == (question.current_revision_id, 13, Decimal("2"))

    # Removing the second question offers Undo, which puts it back in its place with its settings.
    second_title = page.locator(".plan-item").nth(1).get_attribute("data-title")
    page.locator(".plan-item").nth(1).get_by_role("button", name=re.compile("^Remove")).click()
    undo = page.locator(".plan-undo")
    expect(undo).to_contain_text(f"Removed “{second_title}”")
    assert saved_order(plan) == ["bias-variance", "code-bigrams"]
    hm.shot("removed-with-undo")
    undo.get_by_role("button", name="Undo").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Put “{second_title}” back")
    assert shown_order(page) == ["Bias and variance, revised", second_title, last_title]
    expect(page.locator(".plan-item").nth(1).get_by_label("Minutes")).to_have_value("11")
    expect(page.locator(".plan-item").nth(1).get_by_label("Competency")).to_have_value("Metrics")
    assert saved_order(plan) == ["bias-variance", "precision", "code-bigrams"]
    hm.shot("undone")
