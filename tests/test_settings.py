"""Settings from the environment: malformed values stop start-up naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[1]


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("ON", True), ("0", False), ("false", False), ("", False)]:
        monkeypatch.setenv("X_FLAG", raw)
        assert env_bool("X_FLAG") is expected


def test_env_bool_names_the_variable_on_nonsense(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG")


def test_env_int_names_the_variable(monkeypatch):
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "a year")
    with pytest.raises(ImproperlyConfigured, match="SECURE_HSTS_SECONDS='a year' is not a whole number"):
        env_int("SECURE_HSTS_SECONDS", 0)


def test_env_list_splits_and_refuses_empty_items(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example")
    assert env_list("ALLOWED_HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example,,b")
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS='a.example,,b' has an empty item"):
        env_list("ALLOWED_HOSTS")


def run_check(**env):
    full_env = {**os.environ, **env}
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120)


def test_start_up_stops_on_a_malformed_debug_value():
    result = run_check(DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


def test_start_up_refuses_a_non_postgres_database_url():
    result = run_check(DATABASE_URL="sqlite:///tmp/x.db")
    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env={**env, "PANELIST_PRODUCTION": "1"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_start_up_refuses_an_idle_timeout_below_a_minute():
    result = run_check(SESSION_IDLE_SECONDS="30")
    assert result.returncode != 0
    assert "SESSION_IDLE_SECONDS=30 is below the 60-second minimum" in result.stderr


def test_start_up_names_a_malformed_connection_age():
    result = run_check(DB_CONN_MAX_AGE="forever")
    assert result.returncode != 0
    assert "DB_CONN_MAX_AGE='forever' is not a whole number" in result.stderr
