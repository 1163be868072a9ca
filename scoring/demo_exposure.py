"""Demo data for the exposure page: a year of screens for a second position, one interview
every five days, so every bank question of its plan has a history month by month; and one
of them, the plan's first, leaks in the spring: from then on its scores sit about a point
higher while the others stay where they were, so the wear signal flags it.

Called by ``seed_demo_scores`` (one line at its end), after its own interviews. Seeded and
idempotent: it does nothing once its position exists."""

import random
from datetime import timedelta

from interviews.models import Candidate, Position, PositionStatus, Stage
from interviews.services import interview_schedule, plan_clone

from .calibration import calibration_refresh
from .demo_calibration import TENDENCY
from .models import QuestionScore, Scorecard, ScorecardStatus

TITLE = "ML Engineer, Ads"
INTERVIEWS = 72  # one every five days: a year
EVERY_DAYS = 5
LEAK_AT = 40  # the interview from which the first question's answers are better (32 after it)
EXPOSURE_CAP = 12  # uses per 90 days: the plan asks each question every five days, so 18
FIRST = ["Amara", "Bruno", "Chen", "Dalia", "Emeka", "Farah", "Gustav", "Hana", "Idris", "Jonas", "Keiko", "Lucas"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Haddad", "Novak", "Sato", "Costa", "Brennan", "Yilmaz", "Andersen"]


def seed_demo_exposure(*, template, hiring_manager, recruiter, panel, now):
    """The position, its plan (a copy of ``template``), 72 past interviews by pairs of
    ``panel`` with submitted scorecards, and the calibration figures computed again so the
    flag shows at once. Returns the number of interviews made."""
    if Position.objects.filter(title=TITLE).exists():
        return 0
    rng = random.Random(17)
    position = Position.objects.create(title=TITLE, team="Ads", hiring_manager=hiring_manager, recruiter=recruiter,
                                       status=PositionStatus.OPEN, exposure_cap=EXPOSURE_CAP)
    plan = plan_clone(plan=template, by=hiring_manager, position=position, name="Ads technical screen")
    for n in range(INTERVIEWS):
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}"
        candidate = Candidate.objects.create(
            position=position, name=name, email=f"ads.{n}@example.com", source="Careers page",
            stage=Stage.REJECTED if n % 4 else Stage.HIRED,
        )
        starts_at = now - timedelta(days=EVERY_DAYS * (INTERVIEWS - n), hours=5)
        interview = interview_schedule(candidate=candidate, plan=plan, starts_at=starts_at,
                                       duration_minutes=plan.slot_minutes, interviewers=rng.sample(panel, 2),
                                       by=recruiter)
        ability = rng.gauss(2.4, 0.5)
        questions = list(interview.questions.order_by("order"))
        for person in interview.interviewers.all():
            card = Scorecard.objects.create(interview=interview, interviewer=person, started_at=starts_at)
            scores = []
            for k, question in enumerate(questions):
                leak = 1.0 if k == 0 and n >= LEAK_AT else 0.0
                # Each interviewer keeps the tendency the calibration demo gives them (Omar lenient).
                score = max(1, min(4, round(ability + leak + TENDENCY.get(person.username, 0.0) + rng.gauss(0, 0.5))))
                scores.append(score)
                QuestionScore.objects.create(scorecard=card, question=question, score=score, version=1,
                                             seconds_spent=question.minutes * 60)
            mean = sum(scores) / len(scores)
            card.status = ScorecardStatus.SUBMITTED
            card.recommendation = "yes" if mean >= 2.6 else "no"
            card.summary = "Scored against the anchors; see the notes per question."
            card.submitted_at = interview.ends_at + timedelta(hours=4)
            card.save()
    calibration_refresh(force=True)
    return INTERVIEWS
