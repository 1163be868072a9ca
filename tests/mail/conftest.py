"""The mail tests' own message templates (tests/mail/templates)."""

import pytest


@pytest.fixture(autouse=True)
def test_templates(settings):
    """templates/mail/test_note*: a message made for these tests (tests/mail/templates)."""
    from pathlib import Path

    engines = [dict(engine) for engine in settings.TEMPLATES]
    engines[0]["DIRS"] = [*engines[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = engines
