"""A recruiter makes an API token from their settings, reads it once, uses it over HTTP, and
opens the API's docs page, which runs under the content security policy, in Chromium."""

import pytest
from playwright.sync_api import expect

from api.models import ApiToken
from tests.factories import make_position

pytestmark = pytest.mark.browser


def test_a_recruiter_makes_a_token_uses_it_and_reads_the_docs(open_session, people, live_server):
    position = make_position(hiring_manager=people["hm"], recruiter=people["rita"], title="Search ranking")
    session = open_session("api-rita")
    errors = []
    session.page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    session.login("rita")
    page = session.page
    session.goto("/account/settings/")
    page.get_by_role("link", name="Manage API tokens").click()
    page.get_by_label("Name").fill("Greenhouse sync")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_role("heading", name="Your new token")).to_be_visible()
    secret = page.get_by_label("Copy it now").input_value()
    assert secret.startswith("pnl_") and ApiToken.objects.get().scope == "read-write"
    session.shot("token-made")

    response = page.request.get(f"{live_server.url}/api/v1/positions/", headers={"Authorization": f"Bearer {secret}"})
    assert response.status == 200 and [p["title"] for p in response.json()["results"]] == [position.title]
    session.goto("/account/tokens/")
    expect(page.get_by_label("Copy it now")).to_have_count(0)  # shown once

    session.goto("/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Panelist API")
    expect(page.locator(".opblock").first).to_be_visible()  # the operations, from the schema
    assert page.locator(".opblock").count() >= 19
    session.shot("docs")

    session.goto("/account/tokens/")
    page.get_by_role("button", name="Revoke Greenhouse sync").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text("revoked")
    assert page.request.get(f"{live_server.url}/api/v1/positions/",
                            headers={"Authorization": f"Bearer {secret}"}).status == 401
    assert [error for error in errors if "Content Security Policy" in error] == []
