"""The single sign-on settings are read and checked at start-up (config/sso.py): a malformed
one stops the process with a message naming it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.roles import Role
from config.sso import ENDPOINT_VARIABLES, ROLE_VALUES, check_sso_settings, parse_role_map

ROOT = Path(__file__).resolve().parents[2]
NO_ENDPOINTS = {name: "" for name in ENDPOINT_VARIABLES}
GOOD = {"issuer": "https://login.example.com/realms/acme", "client_id": "panelist", "client_secret": "s3cret",
        "allowed_domains": ["example.com", "example.co.uk"], "groups_claim": "groups", "sign_algorithm": "RS256",
        "endpoints": NO_ENDPOINTS, "local_passwords": True, "break_glass_users": []}
OFF = {**GOOD, "issuer": "", "client_id": "", "client_secret": "", "allowed_domains": []}


def test_the_role_names_are_the_roles():
    assert set(ROLE_VALUES) == {role.value for role in Role}


def test_a_role_map_is_read_group_by_group():
    assert parse_role_map("ml-hiring=hiring_manager, ml-panel=interviewer,/acme/talent=recruiter,"
                          "panel-leads=interviewer") == {
        "ml-hiring": "hiring_manager", "ml-panel": "interviewer", "/acme/talent": "recruiter",
        "panel-leads": "interviewer"}
    assert parse_role_map("") == {}
    assert parse_role_map("a=b=interviewer") == {"a=b": "interviewer"}  # the last = splits


@pytest.mark.parametrize(("raw", "words"), [
    ("ml-hiring", "is not group=role"),
    ("=recruiter", "is not group=role"),
    ("ml-hiring=boss", "'boss' (for group 'ml-hiring') is not a role"),
    ("ml-hiring=recruiter,,x=interviewer", "empty item"),
    ("x=recruiter,x=interviewer", "names group 'x' twice"),
])
def test_a_malformed_role_map_is_refused_with_what_is_wrong(raw, words):
    with pytest.raises(ImproperlyConfigured, match=re.escape(words)):
        parse_role_map(raw)


def test_complete_settings_pass_and_no_settings_mean_off():
    check_sso_settings(**GOOD)
    check_sso_settings(**OFF)
    check_sso_settings(**{**GOOD, "issuer": "http://127.0.0.1:8080/o"})  # loopback, for tests
    every = {name: f"https://login.example.com/{name}" for name in ENDPOINT_VARIABLES}
    check_sso_settings(**{**GOOD, "endpoints": every})
    check_sso_settings(**{**GOOD, "local_passwords": False, "break_glass_users": ["admin"]})


@pytest.mark.parametrize(("change", "words"), [
    ({"issuer": "http://login.example.com"}, "must be an https:// address"),
    ({"issuer": "https://login.example.com/?tenant=1"}, "must not have a query"),
    ({"issuer": "login.example.com"}, "PANELIST_OIDC_ISSUER"),
    ({"client_secret": ""}, "PANELIST_OIDC_CLIENT_ID and PANELIST_OIDC_CLIENT_SECRET"),
    ({"allowed_domains": []}, "PANELIST_OIDC_ALLOWED_DOMAINS must list"),
    ({"allowed_domains": ["@example.com"]}, "'@example.com' is not a domain"),
    ({"groups_claim": "my groups"}, "PANELIST_OIDC_GROUPS_CLAIM"),
    ({"sign_algorithm": "none"}, "PANELIST_OIDC_SIGN_ALGORITHM='none'"),
    ({"sign_algorithm": "HS256"}, "PANELIST_OIDC_SIGN_ALGORITHM"),
    ({"endpoints": {**NO_ENDPOINTS, "token_endpoint": "https://x.example.com/token"}}, "all four endpoints or none"),
    ({"local_passwords": False}, "needs PANELIST_BREAK_GLASS_USERS"),
])
def test_a_malformed_setting_is_refused_with_its_name(change, words):
    with pytest.raises(ImproperlyConfigured, match=re.escape(words)):
        check_sso_settings(**{**GOOD, **change})


@pytest.mark.parametrize(("change", "words"), [
    ({"client_id": "panelist"}, "PANELIST_OIDC_CLIENT_ID set without PANELIST_OIDC_ISSUER"),
    ({"local_passwords": False, "break_glass_users": ["admin"]}, "PANELIST_LOCAL_PASSWORDS=off needs single sign-on"),
])
def test_settings_that_need_an_issuer_are_refused_without_one(change, words):
    with pytest.raises(ImproperlyConfigured, match=re.escape(words)):
        check_sso_settings(**{**OFF, **change})


def run_check(**env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PANELIST_OIDC", "PANELIST_LOCAL"))}
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env={**environ, **env},
                          capture_output=True, text=True, timeout=120)


def test_the_app_refuses_to_start_with_an_issuer_but_no_client():
    result = run_check(PANELIST_OIDC_ISSUER="https://login.example.com")
    assert result.returncode != 0
    assert "PANELIST_OIDC_CLIENT_ID and PANELIST_OIDC_CLIENT_SECRET are both needed" in result.stderr


def test_the_app_refuses_to_start_with_a_role_that_does_not_exist():
    result = run_check(PANELIST_OIDC_ROLE_MAP="ml-hiring=hiring-manager")
    assert result.returncode != 0 and "'hiring-manager' (for group 'ml-hiring') is not a role" in result.stderr
