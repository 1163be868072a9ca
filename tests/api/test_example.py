"""docs/api.md's end-to-end example, run as a person would: docs/examples/ats_sync.py in its
own process, over real HTTP against a live server, with a token made by the command."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from accounts.roles import Role
from interviews.models import Candidate, Interview
from tests.conftest import make_user
from tests.factories import make_plan, make_position, make_scorecard

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ats_sync.py"
CSV = """external_id,name,email,source,starts_at,interviewers
gh-501,Ada Lovelace,ada@example.com,Greenhouse,2030-01-07T10:00:00+01:00,ivan iris
gh-502,Grace Hopper,grace@example.com,Referral,,
"""


def run(live_server, token, *args):
    result = subprocess.run([sys.executable, str(SCRIPT), *args, "--base", live_server.url], capture_output=True,
                            text=True, timeout=60, env={**os.environ, "PANELIST_TOKEN": token})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_example_pushes_a_csv_schedules_and_reads_back_scorecards(live_server, bank, empty_queue, tmp_path):
    hm, recruiter = make_user("hana", Role.HIRING_MANAGER), make_user("rita", Role.RECRUITER)
    ivan, iris = make_user("ivan", Role.INTERVIEWER), make_user("iris", Role.INTERVIEWER)
    position = make_position(hiring_manager=hm, recruiter=recruiter)
    plan = make_plan(position=position, name="Onsite")
    out = StringIO()
    call_command("create_api_token", "rita", "--scope", "read-write", "--days", "7", stdout=out)
    token = out.getvalue().strip()
    (tmp_path / "candidates.csv").write_text(CSV, encoding="utf-8")
    push = ["push", str(tmp_path / "candidates.csv"), "--position", str(position.pk), "--plan", str(plan.pk)]

    first = run(live_server, token, *push)
    assert "created gh-501" in first and "created gh-502" in first and "scheduled interview" in first
    again = run(live_server, token, *push)  # safe to run twice
    assert "updated gh-501" in again and "already has an interview" in again
    ada = Candidate.objects.get(position=position, external_id="gh-501")
    interview = Interview.objects.get(candidate=ada)
    assert set(interview.interviewers.values_list("username", flat=True)) == {"ivan", "iris"}
    assert Candidate.objects.filter(position=position).count() == 2

    make_scorecard(interview=interview, interviewer=ivan, scores=[4, 3, 3], recommendation="strong_yes",
                   summary="Clear on trade-offs.")
    make_scorecard(interview=interview, interviewer=iris, scores=[3, 3, 2], submit=False)  # a draft: not read
    lines = [json.loads(line) for line in run(live_server, token, "scorecards", "--position", str(position.pk))
             .splitlines()]
    assert lines == [{
        "external_id": "gh-501", "candidate": "Ada Lovelace", "interviewer": "ivan", "recommendation": "strong_yes",
        "summary": "Clear on trade-offs.", "submitted_at": lines[0]["submitted_at"],
        "scores": {q.title: s for q, s in zip(interview.questions.order_by("order"), [4, 3, 3], strict=True)},
    }]


def test_the_example_says_what_panelist_refused(live_server, bank, empty_queue, tmp_path):
    make_user("rita", Role.RECRUITER)
    out = StringIO()
    call_command("create_api_token", "rita", "--scope", "read", stdout=out)
    (tmp_path / "c.csv").write_text(CSV, encoding="utf-8")
    result = subprocess.run([sys.executable, str(SCRIPT), "push", str(tmp_path / "c.csv"), "--position", "1",
                             "--base", live_server.url], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PANELIST_TOKEN": out.getvalue().strip()})
    assert result.returncode == 1 and "403 This token may only read" in result.stderr
