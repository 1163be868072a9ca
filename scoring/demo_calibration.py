"""A year of demo interviewing history for the calibration pages (seed_demo_scores calls it).

The Ranking position's dozen interviews give each interviewer too few shared interviews for
an interval, and every interview sits in the last month, so the period filters would have
nothing to separate. This adds a closed position, "ML Engineer, Search", whose 30 candidates
were interviewed over the past year by rotating pairs of the four demo interviewers, with a
known tendency each: Omar scores about 0.8 of a point above what the candidate earned, Iris
0.3 below, Ivan and Nadia close to it. Calibration then shows Omar flagged, his interval clear
of zero, Iris's too, and the others read "about the same"; "last 90 days" shows fewer, wider.

The interviews are held ones, written as history: their questions are pinned as scheduling
pins them (``interview_questions_for``) and decisions move the stage by ``DECISION_STAGES``,
but no invitation or decision notice goes out for what happened months ago (the demo's bells
and outbox stay about the present). Deterministic (seeded) and idempotent (nothing is added once the position
has candidates)."""

import random
from datetime import timedelta
from itertools import combinations

from django.utils import timezone

from interviews.models import Candidate, Interview, InterviewQuestion, Position, PositionStatus, Stage
from interviews.services import interview_questions_for, plan_clone

from .models import Decision, QuestionScore, Scorecard, ScorecardStatus
from .services import DECISION_STAGES

TITLE = "ML Engineer, Search"
CANDIDATES = 30
EVERY_DAYS = 12  # one candidate every twelve days, the newest twelve days ago
TENDENCY = {"omar": 0.8, "iris": -0.3, "ivan": 0.0, "nadia": 0.1}
FIRST = ["Amara", "Bruno", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Idris", "Jonas", "Keiko", "Lars",
         "Mina", "Nikolai", "Olga", "Pedro", "Qing", "Rosa", "Sami", "Tove", "Umar", "Vera", "Wen", "Xavi", "Yusuf",
         "Zofia", "Anouk", "Bilal", "Carmen", "Dmitri"]
LAST = ["Okafor", "Silva", "Wei", "Cohen", "Larsen", "Haddad", "Petrovic", "Sato", "Bakr", "Weber", "Tanaka",
        "Nilsson", "Rahimi", "Volkov", "Ivanova", "Costa", "Liu", "Moreno", "Aalto", "Berg", "Farouk", "Novak",
        "Zhang", "Puig", "Demir", "Kowalska", "de Vries", "Malik", "Ruiz", "Orlov"]
SUMMARY = {
    "strong_no": "Could not carry the fundamentals; would not move forward.",
    "no": "Some sound answers, but gaps in evaluation and trade-offs.",
    "yes": "Solid and clear; a few gaps we could coach.",
    "strong_yes": "Precise and practical throughout. Hire.",
}


def seed_demo_calibration(*, hiring_manager, recruiter, interviewers, template):
    """Add the Search position's year of scored interviews (see the module's docstring);
    returns the number of candidates added (0 when the history is already there)."""
    position, _ = Position.objects.get_or_create(
        title=TITLE, defaults={"team": "Search", "hiring_manager": hiring_manager, "recruiter": recruiter,
                               "status": PositionStatus.CLOSED})
    if position.candidates.exists():
        return 0
    rng = random.Random(17)
    plan = plan_clone(plan=template, by=hiring_manager, position=position, name="Search technical screen")
    pairs = list(combinations(sorted(interviewers, key=lambda u: u.username), 2))
    now = timezone.now()
    for n in range(CANDIDATES):
        candidate = Candidate.objects.create(
            position=position, name=f"{FIRST[n]} {LAST[n]}", email=f"search.{n + 1}@example.com",
            source="Careers page", stage=Stage.INTERVIEWING)
        ability = rng.uniform(1.5, 3.7)
        interview = Interview.objects.create(
            candidate=candidate, plan=plan, plan_name=plan.name, duration_minutes=plan.slot_minutes,
            starts_at=now - timedelta(days=EVERY_DAYS * (CANDIDATES - n), hours=rng.randint(1, 6)),
            created_by=recruiter)
        panel = pairs[n % len(pairs)]
        interview.interviewers.set(panel)
        items = plan.items.select_related("section", "revision").order_by("section__order", "order", "pk")
        parts = [part for item in items for part in interview_questions_for(item)]
        for order, part in enumerate(parts, 1):
            part.interview, part.order = interview, order
        InterviewQuestion.objects.bulk_create(parts)
        for person in panel:
            _submitted_scorecard(interview, person, ability + TENDENCY.get(person.username, 0.0), rng)
        decision = "hire" if ability > 3.0 else "no_hire" if ability < 2.4 else "hold"
        made = Decision.objects.create(candidate=candidate, decision=decision, by=hiring_manager,
                                       rationale="Decided at the debrief from the panel's scorecards.")
        Decision.objects.filter(pk=made.pk).update(at=interview.ends_at + timedelta(days=2))
        Candidate.objects.filter(pk=candidate.pk).update(stage=DECISION_STAGES.get(decision, Stage.INTERVIEWING))
    return CANDIDATES


def _submitted_scorecard(interview, person, level, rng):
    card = Scorecard.objects.create(interview=interview, interviewer=person, started_at=interview.starts_at)
    scores = []
    for question in interview.questions.all():
        score = max(1, min(4, round(level + rng.gauss(0, 0.6))))
        scores.append(score)
        QuestionScore.objects.create(scorecard=card, question=question, score=score, version=1,
                                     seconds_spent=question.minutes * 60)
    mean = sum(scores) / len(scores)
    recommendation = "strong_yes" if mean >= 3.4 else "yes" if mean >= 2.6 else "no" if mean >= 1.8 else "strong_no"
    card.status, card.recommendation, card.summary = ScorecardStatus.SUBMITTED, recommendation, SUMMARY[recommendation]
    card.submitted_at = interview.ends_at + timedelta(hours=rng.uniform(1, 20))
    card.save()
