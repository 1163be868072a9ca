"""Mail settings are checked at start-up: a malformed one stops the process, naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.mail import check_mail_settings

ROOT = Path(__file__).resolve().parents[1]
GOOD = {"host": "smtp.example.com", "port": 587, "use_tls": True, "use_ssl": False, "user": "u", "password": "p",
        "from_email": "Panelist <panelist@example.com>", "production": True}


def test_a_complete_smtp_setting_passes_and_development_needs_none():
    check_mail_settings(**GOOD)
    check_mail_settings(**{**GOOD, "host": "", "user": "", "password": "", "production": False})


@pytest.mark.parametrize(("change", "words"), [
    ({"host": "smtp.example.com:587"}, "EMAIL_HOST"),
    ({"port": 0}, "EMAIL_PORT"),
    ({"use_ssl": True}, "not both"),
    ({"password": ""}, "go together"),
    ({"from_email": "panelist at example"}, "DEFAULT_FROM_EMAIL"),
    ({"host": ""}, "must be set in production"),
])
def test_a_malformed_setting_is_refused_with_its_name(change, words):
    with pytest.raises(ImproperlyConfigured, match=words):
        check_mail_settings(**{**GOOD, **change})


def test_the_app_refuses_to_start_with_tls_and_ssl_both_on():
    env = {**os.environ, "EMAIL_HOST": "smtp.example.com", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0 and "EMAIL_USE_TLS and EMAIL_USE_SSL are both on" in result.stderr
