"""A hiring manager fixes a position's decision rule before any score; once the scorecards are
in, the debrief shows the rule's verdict before the decision form; deciding against it asks for
an override reason (keeping what was typed), and the report of overrides lists it. In Chromium."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.browser


def test_a_rule_fixed_in_advance_its_verdict_and_an_override(open_session, people):
    hm, ivan, iris = people["hm"], people["ivan"], people["iris"]
    position = make_position(hiring_manager=hm, recruiter=people["rita"], title="Ranking ML Engineer")
    candidate = make_candidate(position=position, name="Grace Park")
    interview = make_interview(candidate=candidate, plan=make_plan(position=position), interviewers=[ivan, iris])

    session = open_session("decision-rules")
    errors = []
    session.page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page = session.page
    session.login("hannah")
    session.goto(f"/positions/{position.pk}/")
    page.get_by_role("link", name="Fix the rule").click()
    page.get_by_label("Minimum weighted score").fill("2.75")
    page.get_by_label("No interviewer says strong no").check()
    page.get_by_role("button", name="Fix the rule").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Hire when the weighted score is at least 2.75 and no interviewer says strong no.")
    expect(page.locator("#position-rule")).to_have_text(
        "Hire when the weighted score is at least 2.75 and no interviewer says strong no.")
    session.shot("rule-fixed")

    # The panel scores her below the rule's minimum.
    make_scorecard(interview=interview, interviewer=ivan, scores=[2, 3, 2], recommendation="no")
    make_scorecard(interview=interview, interviewer=iris, scores=[2, 2, 3], recommendation="yes")

    # The rule is locked now.
    session.goto(f"/positions/{position.pk}/rule/")
    expect(page.get_by_role("status")).to_contain_text("The rule is locked")
    expect(page.get_by_label("Minimum weighted score")).to_be_disabled()

    session.goto(f"/candidates/{candidate.pk}/debrief/")
    verdict = page.locator("#rule-verdict")
    expect(verdict).to_contain_text("No hire")
    expect(verdict).to_contain_text("The weighted score 2.33 is below 2.75.")
    # The mechanical recommendation comes before the form.
    assert page.evaluate("""() => document.querySelector('#rule-verdict').compareDocumentPosition(
        document.querySelector('form[action$="/decision/"]')) & Node.DOCUMENT_POSITION_FOLLOWING""")
    session.shot("verdict")

    page.get_by_label("Hire", exact=True).check()
    page.get_by_label("Rationale").fill("Her system design was the strongest this quarter.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#id_override_reason_error")).to_contain_text(
        "The decision rule says no hire (the weighted score 2.33 is below 2.75). To decide otherwise, write the "
        "override reason.")
    expect(page.get_by_label("Rationale")).to_have_value("Her system design was the strongest this quarter.")
    expect(page.get_by_label("Hire", exact=True)).to_be_checked()
    session.shot("reason-asked")
    page.get_by_label("Override reason").fill("The coding round used a question she had seen; the rest was strong.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".alert-success")).to_contain_text("Decision recorded: Hire.")
    expect(page.get_by_text("against the rule", exact=True)).to_be_visible()
    expect(page.get_by_text("Override reason: The coding round used a question she had seen")).to_be_visible()

    session.goto(f"/positions/{position.pk}/")
    page.get_by_role("link", name="Decisions against the rule").click()
    expect(page.get_by_role("heading", name="Decisions against the rule")).to_be_visible()
    row = page.get_by_role("row", name="Grace Park")
    expect(row).to_contain_text("No hire")
    expect(row).to_contain_text("The coding round used a question she had seen")
    expect(row).to_contain_text("Hannah")
    expect(page.locator("#override-summary")).to_have_text(
        "1 of 1 decision made under the rule (1 candidate) went against its verdict.")
    session.shot("report")
    assert [error for error in errors if "Content Security Policy" in error] == []
