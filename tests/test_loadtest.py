"""`make loadtest`'s arithmetic (bench/loadtest_report.py) and its bare one-upsert view
(bench/loadtest_urls.py); the load test itself runs against gunicorn, outside the suite."""

import json
import subprocess
import sys

import pytest
from django.db import connection

from bench import loadtest_report as report


def test_it_takes_percentiles_by_nearest_rank():
    values = list(range(1, 101))  # 1..100
    assert report.percentile(values, 50) == 50
    assert report.percentile(values, 95) == 95
    assert report.percentile([7.0], 95) == 7.0
    assert report.percentile([], 50) is None


def test_it_counts_errors_in_throughput_but_not_in_latency():
    samples = [("autosave", 10.0, True)] * 18 + [("autosave", 900.0, True), ("autosave", 5000.0, False),
                                                  ("debrief", 40.0, True)]
    result = report.summarize(samples, seconds=10)
    assert result["autosave"] == {"requests": 20, "errors": 1, "requests_per_second": 2.0, "p50_ms": 10.0,
                                  "p95_ms": 900.0}  # the failed 5000 ms request is not a latency
    assert result["debrief"]["requests_per_second"] == 0.1
    assert list(result) == ["autosave", "debrief"]


def test_it_passes_autosave_at_half_the_bare_views_throughput_and_misses_below():
    ratio, passed, sentence = report.saturation_verdict(150, 300)
    assert (ratio, passed) == (0.5, True) and "PASS" in sentence
    ratio, passed, sentence = report.saturation_verdict(149, 300)
    assert passed is False and "MISSED" in sentence and "50%" in sentence
    assert report.saturation_verdict(100, 0)[1] is False


def test_it_reads_the_capacity_off_the_last_step_that_held():
    steps = [(40, 30.0, 0), (160, 90.0, 0), (80, 45.0, 0), (480, 310.0, 0), (320, 180.0, 0)]
    held = report.capacity(steps)
    assert held == {"interviews": 160, "interviewers": 320, "first_miss_interviewers": 480, "bounded": True,
                    "p95_limit_ms": 250.0}
    assert "160 concurrent live interviews" in report.capacity_sentence(held)


def test_it_stops_at_the_first_step_that_misses_even_if_a_bigger_one_held():
    # Errors count as a miss; a lucky bigger step after a miss does not raise the figure.
    held = report.capacity([(40, 30.0, 0), (80, 45.0, 3), (160, 90.0, 0)])
    assert (held["interviews"], held["first_miss_interviewers"]) == (20, 80)


def test_it_says_when_every_step_held_or_none_did():
    assert report.capacity([(40, 30.0, 0), (80, 60.0, 0)])["bounded"] is False
    assert "at least" in report.capacity_sentence(report.capacity([(40, 30.0, 0)]))
    none = report.capacity([(40, 260.0, 0)])
    assert none["interviews"] is None and "fewer" in report.capacity_sentence(none)


def test_it_prints_one_row_per_phase():
    lines = []
    phase = {"name": "50 clients, app", "clients": 50,
             "requests": report.summarize([("autosave", 12.0, True), ("search", 80.0, True)], seconds=1)}
    report.print_table([phase], out=lines.append)
    assert len(lines) == 3 and "autosave" in lines[2] and "80.0" in lines[2]


@pytest.mark.urls("bench.loadtest_urls")
def test_the_bare_view_upserts_one_row_per_user(client, interviewer):
    with connection.cursor() as cursor:  # made by bench/loadtest.py; rolled back with the test
        cursor.execute("CREATE TABLE bench_counter (user_id integer PRIMARY KEY, n bigint NOT NULL, "
                       "updated_at timestamptz NOT NULL)")
    client.force_login(interviewer)
    body = json.dumps({"key": "k", "question": 1, "version": 0, "state": {}})
    for n in (1, 2):
        response = client.post("/bench/interviews/1/autosave/", body, content_type="application/json")
        assert response.json() == {"ok": True, "n": n}
    with connection.cursor() as cursor:
        cursor.execute("SELECT user_id, n FROM bench_counter")
        assert cursor.fetchall() == [(interviewer.pk, 2)]
    assert client.get("/bench/interviews/1/autosave/").status_code == 405


def test_its_production_settings_load(monkeypatch):
    """The load test serves the production settings: they must pass their own start-up checks
    (the mail check stopped `make loadtest` once)."""
    from bench.loadtest import ROOT, production_env

    monkeypatch.setenv("SECRET_KEY", "x" * 50)  # as the load test's set-up does
    env = production_env("postgres://nobody@127.0.0.1:9/none", 9)
    done = subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                           "print(settings.MAIL_DELIVERY, settings.DEBUG)"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["smtp", "False"]
