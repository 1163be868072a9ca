"""An admin erases a candidate through the admin's confirm-then-erase flow, in Chromium."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from interviews.models import Candidate
from accounts.roles import Role
from tests.conftest import PASSWORD, make_user
from tests.factories import make_candidate, make_position
from tests.scoring.test_erasure import ZYX, ZYX_EMAIL

pytestmark = pytest.mark.browser


def test_an_admin_erases_a_candidate_in_the_browser_after_confirming(open_session, bank):
    get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)
    candidate = make_candidate(position=make_position(hiring_manager=make_user("hm", Role.HIRING_MANAGER)), name=ZYX, email=ZYX_EMAIL)
    session = open_session("erasure-admin")
    errors = []
    session.page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    session.login("boss")
    session.goto("/admin/interviews/candidate/")
    page = session.page
    page.get_by_role("row", name=ZYX).get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("erase_personal_data")
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_role("heading", name=ZYX)).to_be_visible()
    expect(page.get_by_role("row", name="Email address yes")).to_be_visible()
    session.shot("confirmation")
    assert Candidate.objects.get(pk=candidate.pk).name == ZYX
    page.get_by_role("button", name="Yes, erase the personal data of 1 candidate").click()

    expect(page.locator(".messagelist")).to_contain_text(f"they now read: Erased candidate {candidate.pk}")
    session.shot("erased")
    assert Candidate.objects.get(pk=candidate.pk).name == f"Erased candidate {candidate.pk}"
    assert [error for error in errors if "Content Security Policy" in error] == []
