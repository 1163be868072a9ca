"""Accessibility: axe-core (from npm, node_modules/axe-core; never served by the app) run by
Playwright on every page each role can reach, in the light and the dark colour mode. No
violation of impact "serious" or "critical" may remain.

The pages come from the URL resolver: every named route gets its arguments from the demo data
(tests/browser/demo_data.py) and is opened as each role; what answers 200 with HTML is a page
that role can reach, and is checked. A new route is therefore checked without being listed
here. POST-only routes answer 405 and are left out; pages reached only by posting a form (the
import preview, the two-factor set-up and code pages) are driven to below. The 403 and 404
pages are checked too, and the Django admin's list, add and change page of every registered
model (less three faults of Django's own markup, named at the end of this file).

Each page is checked in full in the light mode, then the system setting is switched to dark
(theme.js follows it without a reload) and the rules that depend on colours are run again.
"""

import base64
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser.demo_data import demo, sign_in  # noqa: F401 (the fixture)
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
# The rules whose outcome depends on the colours: all that can change in the dark mode.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
ROLES = {"hiring manager": "hannah", "interviewer": "ivan", "recruiter": "rita", "admin": "admin"}
# Pages each role must reach in the demo (more are checked: whatever answers 200). A page
# missing here means the sign-in or the demo data broke, not that the page is accessible.
EVERYONE = {"home", "help_scoring", "password_change", "password_change_done", "two_factor_status", "account_settings",
            "questionbank:list", "questionbank:detail", "questionbank:revision", "questionbank:plan_criteria"}
EXPECTED = {
    "hiring manager": EVERYONE | {
        "questionbank:create", "questionbank:edit", "questionbank:import", "questionbank:export",
        "interviews:position_list", "interviews:position_detail", "interviews:candidate_list",
        "interviews:candidate_detail", "interviews:plan_list", "interviews:plan_builder", "interviews:plan_create",
        "interviews:interview_detail", "scoring:debrief", "scoring:compare", "scoring:calibration",
        "interviews:position_rule", "scoring:overrides",
        "scoring:calibration_interviewer", "interviews:interview_load",
        "scoring:exposure",
    },
    "interviewer": EVERYONE | {"interviews:interview_detail", "scoring:live", "scoring:scorecard", "scoring:debrief",
                               "scoring:my_calibration"},
    "recruiter": EVERYONE | {
        "interviews:position_list", "interviews:position_detail", "interviews:candidate_list",
        "interviews:candidate_create", "interviews:candidate_detail", "interviews:interview_schedule",
        "interviews:interview_detail", "scoring:debrief", "scoring:compare", "scoring:overrides",
        "interviews:interview_load",
        "scoring:exposure",
    },
    "admin": EVERYONE | {
        "people_list", "people_invite", "people_two_factor", "people_interview_limits", "person_detail",
        "questionbank:create", "questionbank:edit", "interviews:position_list", "interviews:plan_builder",
        "interviews:interview_schedule", "interviews:interview_detail", "scoring:compare", "scoring:calibration",
        "scoring:exposure",
    },
}


def named_routes(patterns=None, prefix="", namespace=None):
    """(name, route) of every named URL pattern outside the Django admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from named_routes(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), prefix + str(pattern.pattern)


def page_paths(demo):
    """The path of every named route, its arguments taken from the demo: the position with the
    scored candidates, a candidate Ivan scored, his interview (the live page: the interview he
    has not held yet), a plan of the position and its first item, a bank question."""
    item = demo.plan.items.order_by("pk").first()
    objects = {
        "positions": demo.position.pk, "candidates": demo.candidate.pk, "plans": demo.plan.pk,
        "interviews": demo.interview.pk, "people": demo.position.hiring_manager_id,
        "calibration": demo.scorecard.interviewer_id,  # /calibration/interviewers/<pk>/: Ivan
    }
    paths = {}
    for name, route in named_routes():
        if route.startswith("api/v1/"):  # JSON, and Swagger UI's own page (tests/browser/test_api_tokens.py opens it)
            continue
        values = {
            "pk": objects.get(route.split("/", 1)[0]),
            "item_pk": item.pk,
            "slug": demo.question.slug,
            "number": 1,
            "token": "no-such-calendar",  # the feed is a calendar file, not a page
            "uidb64": "MQ",  # a password reset link that does not work: its page says so
            "delivery_pk": 1,  # redeliver is POST-only (tests/browser/test_webhooks.py checks the log)
            "member_pk": 1,  # taking a question out of a pool is POST-only (tests/browser/test_pools.py)
        }
        if "/live/" in route or route.endswith("/autosave/"):
            values["pk"] = demo.upcoming.pk
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
        paths[name] = "/" + path
    return paths


def axe_violations(page, rules=None):
    """axe's violations of impact serious or critical on the page, as readable lines."""
    page.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    found = page.evaluate(
        """async (options) => (await axe.run(document, options)).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.split('\\n').slice(1, 2).join('') : ''))
        }))""",
        options,
    )
    return [f"{v['id']} ({v['impact']}): {v['help']}: " + " | ".join(v["nodes"]) for v in found if v["impact"] in BLOCKING]


def check_page(page, where):
    """Violations in the light mode (every rule), then in the dark mode (colour rules), the
    dark mode reached by switching the system setting on the open page."""
    problems = [f"{where} [light] {line}" for line in axe_violations(page)]
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("document.documentElement.getAttribute('data-bs-theme') !== 'light'")
    problems += [f"{where} [dark] {line}" for line in axe_violations(page, COLOUR_RULES)]
    page.emulate_media(color_scheme="light")
    return problems


def new_page(browser, live_server, user=None, viewport=None):
    # bypass_csp: axe is injected as an inline script, which the app's policy rightly forbids.
    # Reduced motion turns Bootstrap's colour transitions off, so contrast is measured at rest.
    context = browser.new_context(
        viewport=viewport or {"width": 1366, "height": 900}, bypass_csp=True, reduced_motion="reduce",
        color_scheme="light",
    )
    if user is not None:
        sign_in(context, live_server, user)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def visit(page, url):
    """Open ``url``; it must answer with a page."""
    response = page.goto(url)
    assert response is not None and "text/html" in (response.headers.get("content-type") or ""), url
    return response.status


def reachable(user, paths):
    """Which of ``paths`` answer ``user`` with a page (200, HTML), and a path answering 403
    (with the 403 page), asked through Django's test client: POST-only routes answer 405
    with no body, which the browser would show as its own error page."""
    client = Client()
    client.force_login(user)
    pages, forbidden = {}, None
    for name, path in sorted(paths.items()):
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[name] = path
        elif response.status_code == 403 and forbidden is None:
            forbidden = path
    return pages, forbidden


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_role_can_reach_has_no_serious_accessibility_violation(browser, live_server, demo, role):
    user = demo.users[ROLES[role]]
    pages, forbidden = reachable(user, page_paths(demo))
    assert EXPECTED[role] <= set(pages), f"{role} cannot reach {sorted(EXPECTED[role] - set(pages))}"
    pages["the 404 page"] = "/no-such-page/"
    if forbidden:
        pages["the 403 page"] = forbidden
    if role == "admin":
        pages["the admin index"] = "/admin/"
        pages["an admin change page"] = f"/admin/questionbank/question/{demo.question.pk}/change/"
    page = new_page(browser, live_server, user)
    problems = []
    for name, path in pages.items():
        visit(page, live_server.url + path)
        problems += check_page(page, f"{role} {path} ({name})")
    assert not problems, f"{len(problems)} serious or critical violations:\n" + "\n".join(problems)


def test_the_sign_in_and_error_pages_have_no_serious_accessibility_violation(browser, live_server, demo):
    page = new_page(browser, live_server)
    problems = []
    for label, path, expected in (("sign-in", "/login/", 200), ("404", "/no-such-page/", 404)):
        assert visit(page, live_server.url + path) == expected, label
        problems += check_page(page, f"anonymous {path} ({label})")
    page.goto(live_server.url + "/login/")
    page.get_by_role("button", name="Sign in").click()  # empty: the form's messages
    expect(page.get_by_text("Enter your username.")).to_be_visible()
    problems += check_page(page, "anonymous /login/ (refused empty sign-in)")
    assert not problems, "\n".join(problems)


def test_the_pages_reached_by_posting_a_form_have_no_serious_accessibility_violation(browser, live_server, demo):
    problems = []
    # The hiring manager previews an import.
    page = new_page(browser, live_server, demo.users["hannah"])
    page.goto(live_server.url + "/questions/import/")
    page.get_by_label("…or paste the text").fill(
        "1. What does a learning curve tell you?\nIt shows whether more data would help.\n\n"
        "2. When does accuracy mislead?\nWhen the classes are imbalanced."
    )
    page.get_by_role("button", name="Preview import").click()
    page.wait_for_load_state()
    assert "/questions/import/" in page.url and page.locator("h1").count() == 1
    problems += check_page(page, "hiring manager (import preview)")
    # The question form refused: its error messages and the near-duplicate warning.
    page.goto(live_server.url + "/questions/new/")
    page.get_by_label("Title").fill("Bias-variance decomposition of the prediction error")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    problems += check_page(page, "hiring manager /questions/new/ (refused)")
    # Setting up two-factor sign-in: the QR code and the code form.
    page.goto(live_server.url + "/account/two-factor/")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    page.wait_for_load_state()
    assert "/account/two-factor/confirm/" in page.url
    problems += check_page(page, "hiring manager /account/two-factor/confirm/")
    # Confirming it: the recovery codes, shown once.
    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    page.get_by_label("6-digit code").fill(f"{totp(base64.b32decode(secret + '=' * (-len(secret) % 8))):06d}")
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    problems += check_page(page, "hiring manager (recovery codes)")
    # The People pages' refusals: an invitation without a name, a link that does not work.
    page = new_page(browser, live_server, demo.users["admin"])
    page.goto(live_server.url + "/people/invite/")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state()
    problems += check_page(page, "admin /people/invite/ (refused)")
    page.goto(live_server.url + "/welcome/not-a-token/")
    problems += check_page(page, "admin /welcome/ (a link that does not work)")
    # Someone with a confirmed device signs in: the page asking for the code.
    tina = make_user("tina", Role.INTERVIEWER, first_name="Tina")
    TOTPDevice.objects.create(user=tina, name="Phone", confirmed=True)
    page = new_page(browser, live_server)
    page.goto(live_server.url + "/login/")
    page.get_by_label("Username").fill("tina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/login/verify/"))
    problems += check_page(page, "tina /login/verify/")
    page.get_by_text("Use a recovery code").click()
    page.get_by_role("button", name="Sign in with a recovery code").click()
    page.wait_for_load_state()
    problems += check_page(page, "tina /login/verify/ (a recovery code missing)")
    assert not problems, "\n".join(problems)


def test_every_admin_page_has_no_serious_accessibility_violation(browser, live_server, demo, empty_queue):
    """The admin's list, add and change page of every registered model, with the demo's records
    and a failed job with its errors (the admin index and one change page are in the admin
    role's walk above)."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import reverse

    from tests.jobs.test_admin import make_failed_job

    make_failed_job()

    superuser = demo.users["admin"]
    request = RequestFactory().get("/admin/")
    request.user = superuser
    pages = {}
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages[f"{model._meta.verbose_name_plural} list"] = reverse(f"{name}_changelist")
        if model_admin.has_add_permission(request):
            pages[f"new {model._meta.verbose_name}"] = reverse(f"{name}_add")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages[f"{model._meta.verbose_name} {first.pk}"] = reverse(f"{name}_change", args=[first.pk])
    assert len(pages) > 30  # 16 models: lists, add and change pages
    page = new_page(browser, live_server, superuser)
    problems = []
    for label, path in sorted(pages.items()):
        visit(page, live_server.url + path)
        problems += [p for p in check_page(page, f"admin {path} ({label})") if not _djangos_own(p)]
    assert not problems, f"{len(problems)} serious or critical violations:\n" + "\n".join(problems)


# Markup of Django's admin itself, which this project does not render and would have to fork to
# change, so it is named here and any other violation still fails: the date and time inputs of
# its split date-time widget (ids ending _0 and _1) have no <label> of their own; its search box
# is labelled by an image's alt text only; its filter widget's script puts aria-label on <span>s.
def _djangos_own(problem):
    if "label (critical): Form elements must have labels:" in problem:
        targets = problem.split("must have labels:", 1)[1].split(" | ")
        return all(re.match(r"\s*#id_\w+_[01]\b", target) for target in targets)
    return ("label-title-only (serious)" in problem and "#searchbar" in problem) or (
        "aria-prohibited-attr (serious)" in problem and ".help-tooltip.search-label-icon" in problem)
