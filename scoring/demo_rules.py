"""Demo data of decision rules fixed in advance: a position whose rule was fixed weeks before
its first interview, seven candidates scored under it, decisions that follow the verdict, a
hold, a verdict still waiting for a scorecard, and two overrides with their reasons. Called at
the end of seed_demo_scores; idempotent (skipped once the position exists)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from interviews.decision_rules import position_decision_rule_set
from interviews.models import Candidate, Position, Stage
from interviews.services import interview_schedule, plan_clone

from .models import Decision, QuestionScore, Scorecard, ScorecardStatus
from .services import candidate_rule_verdict, decision_record

TITLE = "Applied Scientist, Search Relevance"
# (name, each panelist's scores cycled over the questions, each one's recommendation, what the
# hiring manager does: "follow" the verdict, "override" it with the reason, "hold", or nothing
# because a scorecard is still missing).
CANDIDATES = [
    ("Priya Raman", ([3, 4, 3], [4, 3, 4]), ("yes", "strong_yes"), "follow", ""),
    ("Tomás Silva", ([2, 2, 3], [2, 1, 2]), ("no", "no"), "follow", ""),
    ("Mei Chen", ([3, 3, 4], [3, 4, 3]), ("strong_yes", "strong_no"), "override",
     ("The strong no rests on the coding question alone, and the coding environment failed for the first fifteen "
      "minutes of it; Nadia agreed at the debrief that the rest of her scorecard is a yes.")),
    ("Jonas Berg", ([3, 3, 3], [3, 3, 4]), ("yes", "yes"), "override",
     ("Both reference calls described the same pattern of leaving experiments unfinished, which the panel did not "
      "probe; we would rather reinterview for the next opening than hire against it.")),
    ("Amara Okafor", ([3, 2, 3], [2, 3, 2]), ("yes", "no"), "hold", ""),
    ("Sofia Rossi", ([3, 3, 4], [3, 4, 3]), ("yes", "yes"), "follow", ""),
    ("Felix Wagner", ([3, 3, 3], None), ("yes", ""), None, ""),
]
SUMMARIES = {"strong_yes": "Precise and practical throughout; hire.", "yes": "Solid, with a few gaps we could coach.",
             "no": "Gaps in evaluation and trade-offs; not at the level yet.",
             "strong_no": "Could not get the coding question working; would not move forward."}


def seed_demo_rules(*, hiring_manager, recruiter, panel, template):
    """The demo position of decision rules (see the module's docstring); None when it exists."""
    if Position.objects.filter(title=TITLE).exists():
        return None
    now = timezone.now()
    position = Position.objects.create(title=TITLE, team="Search", level="senior", hiring_manager=hiring_manager,
                                       recruiter=recruiter)
    position_decision_rule_set(position=position, by=hiring_manager, min_score=Decimal("2.75"), no_strong_no=True)
    # Fixed six weeks ago, before the first interview: as the lock would have it.
    Position.objects.filter(pk=position.pk).update(decision_rule_set_at=now - timedelta(days=45))
    plan = plan_clone(plan=template, by=hiring_manager, position=position, name="Search relevance screen")
    for n, (name, scores, recommendations, action, reason) in enumerate(CANDIDATES):
        candidate = Candidate.objects.create(position=position, name=name, stage=Stage.INTERVIEWING, source="Referral",
                                             email=f"{name.lower().replace(' ', '.').replace('á', 'a')}@example.com")
        panelists = [panel[n % len(panel)], panel[(n + 1) % len(panel)]]
        interview = interview_schedule(candidate=candidate, plan=plan, starts_at=now - timedelta(days=38 - 5 * n),
                                       duration_minutes=plan.slot_minutes, interviewers=panelists, by=recruiter)
        for person, cycle, recommendation in zip(panelists, scores, recommendations):
            _scorecard(interview, person, cycle, recommendation)
        if action is None:
            continue
        verdict = candidate_rule_verdict(candidate=candidate, user=hiring_manager)
        if action == "hold":
            decision = "hold"
        elif (action == "follow") == (verdict.verdict == "hire"):
            decision = "hire"
        else:
            decision = "no_hire"
        made = decision_record(candidate=candidate, decision=decision, by=hiring_manager, override_reason=reason,
                               rationale="Decided at the debrief, after reading the rule's verdict and the scorecards.")
        Decision.objects.filter(pk=made.pk).update(at=interview.ends_at + timedelta(days=1))
    return position


def _scorecard(interview, person, cycle, recommendation):
    """A scorecard of ``person`` scoring the questions by ``cycle`` (repeated); submitted the
    evening of the interview unless ``cycle`` is None (still missing: a draft)."""
    card = Scorecard.objects.create(interview=interview, interviewer=person, started_at=interview.starts_at)
    questions = list(interview.questions.order_by("order"))
    for k, question in enumerate(questions):
        score = cycle[k % len(cycle)] if cycle else None
        QuestionScore.objects.create(scorecard=card, question=question, score=score, version=1,
                                     seconds_spent=question.minutes * 60 if cycle else 0)
    if cycle:
        Scorecard.objects.filter(pk=card.pk).update(
            status=ScorecardStatus.SUBMITTED, recommendation=recommendation, summary=SUMMARIES[recommendation],
            submitted_at=interview.ends_at + timedelta(hours=4))
    return card
