"""Dark mode: pages follow the system's colour scheme through Bootstrap's colour modes
(static/js/theme.js sets <html data-bs-theme>), our own colours are Bootstrap's variables,
and the server-drawn charts take their text and line colours from the page."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.demo_data import demo, sign_in  # noqa: F401 (the fixture)

CSS_DIR = Path(settings.BASE_DIR) / "static" / "css"


def luminance(css_colour):
    """Relative luminance (0 black … 1 white) of a computed colour such as "rgb(33, 37, 41)"."""
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css_colour)[:3])
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def colours(page):
    return page.evaluate("""() => ({
        theme: document.documentElement.getAttribute('data-bs-theme'),
        body: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(document.body).color,
        labels: [...document.querySelectorAll('svg.chart .chart-label, svg.chart .chart-value, svg.chart .chart-tick')]
            .map(t => getComputedStyle(t).fill),
        grid: [...document.querySelectorAll('svg.chart .chart-grid')].map(l => getComputedStyle(l).stroke),
    })""")


def open_compare(browser, live_server, demo, scheme):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, color_scheme=scheme)
    sign_in(context, live_server, demo.users["rita"])
    page = context.new_page()
    page.goto(f"{live_server.url}/positions/{demo.position.pk}/compare/")
    return page


@pytest.mark.browser
def test_a_dark_system_setting_gives_a_dark_page_with_light_chart_text(browser, live_server, demo):
    page = open_compare(browser, live_server, demo, "dark")
    seen = colours(page)
    assert seen["theme"] == "dark"
    assert luminance(seen["body"]) < 0.05, seen["body"]
    assert luminance(seen["text"]) > 0.6, seen["text"]
    assert len(seen["labels"]) > 20 and len(seen["grid"]) == 5
    assert all(luminance(fill) > 0.3 for fill in seen["labels"]), seen["labels"]
    assert all(luminance(stroke) < 0.2 for stroke in seen["grid"]), seen["grid"]  # faint lines on dark
    page.screenshot(path=str(Path(settings.BASE_DIR) / "test-artifacts" / "screenshots" / "dark-compare.png"), full_page=True)


@pytest.mark.browser
def test_a_light_system_setting_gives_a_light_page_with_dark_chart_text(browser, live_server, demo):
    seen = colours(open_compare(browser, live_server, demo, "light"))
    assert seen["theme"] == "light"
    assert luminance(seen["body"]) > 0.9
    assert all(luminance(fill) < 0.2 for fill in seen["labels"]), seen["labels"]


@pytest.mark.browser
def test_an_open_page_follows_when_the_system_setting_changes(browser, live_server, demo):
    page = open_compare(browser, live_server, demo, "light")
    page.emulate_media(color_scheme="dark")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    assert luminance(colours(page)["body"]) < 0.05
    page.emulate_media(color_scheme="light")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
    assert luminance(colours(page)["body"]) > 0.9


@pytest.mark.django_db
def test_the_theme_script_is_a_static_file_in_the_head_before_the_stylesheets(client):
    body = client.get("/login/").content.decode()
    head = body[:body.index("</head>")]
    assert '<script src="/static/js/theme.js"></script>' in head
    assert head.index("theme.js") < head.index("bootstrap.min.css")
    assert "<script>" not in body  # no inline script: the content security policy forbids it


def test_every_colour_in_our_stylesheets_is_a_bootstrap_variable():
    literal = re.compile(
        r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(\s*\d"
        r"|(?<![-\w])(?:white|black|red|green|blue|gray|grey|yellow|orange)(?![-\w])"
    )
    found = []
    for path in sorted(CSS_DIR.glob("*.css")):
        # Comments blanked out, their line breaks kept, so line numbers stay right.
        code = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), path.read_text(), flags=re.S)
        for n, line in enumerate(code.splitlines(), 1):
            if literal.search(line):
                found.append(f"{path.name}:{n}: {line.strip()}")
    assert len(list(CSS_DIR.glob("*.css"))) >= 2
    assert found == []
