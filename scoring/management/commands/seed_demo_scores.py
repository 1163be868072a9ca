"""Demo interviews and scorecards: a realistic position with nine candidates interviewed by
panels, so the comparison, debrief and calibration pages have something to show.

Deterministic (seeded), idempotent (skips candidates that already have interviews). Run after
seed_demo, load_starter_plans and seed_demo_interviews."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from interviews.models import Candidate, InterviewPlan, Position, Stage
from accounts.roles import Role, assign_role
from interviews.demo_load import seed_demo_load
from interviews.demo_practice import seed_demo_practice
from interviews.demo_pools import seed_demo_pools
from interviews.services import interview_schedule, plan_clone
from scoring.demo_calibration import seed_demo_calibration
from scoring.models import QuestionScore, Scorecard, ScorecardStatus
from scoring.demo_rules import seed_demo_rules
from scoring.demo_exposure import seed_demo_exposure
from scoring.services import decision_record

EXTRA_CANDIDATES = [
    ("Hiroshi Tanaka", "hiroshi.tanaka@example.com", "Referral"),
    ("Elena Petrova", "elena.petrova@example.com", "Conference"),
    ("Kwame Mensah", "kwame.mensah@example.com", "Careers page"),
    ("Laura Bianchi", "laura.bianchi@example.com", "Agency"),
    ("Arjun Mehta", "arjun.mehta@example.com", "LinkedIn"),
    ("Chloé Martin", "chloe.martin@example.com", "Referral"),
]
EXTRA_INTERVIEWERS = [("omar", "Omar", "Interviewer"), ("nadia", "Nadia", "Interviewer")]
NOTES = {
    1: ["Could not get past the definition; mixed up the terms.", "Guessed, then changed the answer twice."],
    2: ["Gave the textbook definition but no example.", "Right idea, one error in the formula."],
    3: ["Correct, with a concrete example from their last job and one trade-off.", "Solid answer; named the trade-off unprompted."],
    4: ["Excellent: covered the failure modes and how they would monitor it.", "Went beyond the question: limits, real use, numbers."],
}
SUMMARIES = {
    "strong_no": "Struggled with the fundamentals across the board; would not move forward.",
    "no": "Some good moments but gaps in evaluation and trade-offs; not at the level yet.",
    "yes": "Solid fundamentals and clear reasoning; a few gaps we could coach.",
    "strong_yes": "Consistently strong: precise, practical, and candid about limits. Hire.",
}


class Command(BaseCommand):
    help = "Create demo panel interviews with submitted scorecards (run the other demo commands first). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        rng = random.Random(2026)
        try:
            hannah, rita = User.objects.get(username="hannah"), User.objects.get(username="rita")
            position = Position.objects.get(title="Senior ML Engineer, Ranking")
            template = InterviewPlan.objects.get(name="ML engineer technical screen", position__isnull=True)
            design = InterviewPlan.objects.get(name="ML system design", position__isnull=True)
        except (User.DoesNotExist, Position.DoesNotExist, InterviewPlan.DoesNotExist):
            raise CommandError("Run seed_demo, load_starter_plans and seed_demo_interviews first.") from None
        panel = list(User.objects.filter(username__in=["ivan", "iris"]).order_by("username"))
        for username, first, last in EXTRA_INTERVIEWERS:
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
            if created:
                user.set_password("panelist-demo")
                user.save()
            assign_role(user, Role.INTERVIEWER)
            panel.append(user)
        for name, email, source in EXTRA_CANDIDATES:
            Candidate.objects.get_or_create(position=position, email=email,
                                            defaults={"name": name, "source": source, "stage": Stage.INTERVIEWING})
        screen = InterviewPlan.objects.filter(position=position, name="Ranking technical screen").first() or plan_clone(
            plan=template, by=hannah, position=position, name="Ranking technical screen")
        onsite = InterviewPlan.objects.filter(position=position, name="Ranking system design").first() or plan_clone(
            plan=design, by=hannah, position=position, name="Ranking system design")
        # Interviewer leniency, so calibration has something to find: Omar is generous.
        leniency = {"ivan": 0.0, "iris": -0.2, "omar": 0.7, "nadia": 0.1}
        now = timezone.now()
        made = 0
        candidates = list(position.candidates.exclude(email="daniel.kim@example.com").order_by("pk"))
        for n, candidate in enumerate(candidates):
            if candidate.interviews.exists():
                continue
            ability = rng.uniform(1.6, 3.6)
            days_ago = 2 + n * 3
            rounds = [screen] + ([onsite] if n % 3 == 0 else [])  # some candidates also had a design round
            for r, plan in enumerate(rounds):
                interviewers = rng.sample(panel, 2)
                interview = interview_schedule(
                    candidate=candidate, plan=plan, starts_at=now - timedelta(days=days_ago - r, hours=2),
                    duration_minutes=plan.slot_minutes, interviewers=interviewers, by=rita,
                )
                for k, person in enumerate(interviewers):
                    # The newest interview's second panelist has not submitted yet (a "missing" scorecard).
                    submitted = not (n == len(candidates) - 1 and k == 1)
                    self._scorecard(interview, person, ability + leniency.get(person.username, 0), rng, submitted, now, days_ago)
            if n < 3:
                decision = "hire" if ability > 3 else "no_hire" if ability < 2.3 else "hold"
                # Through the service, so the stage follows the decision as it does in the app.
                decision_record(candidate=candidate, decision=decision, by=hannah,
                                rationale="Decided at the debrief from the panel's scorecards.")
            made += 1
        # Today's interview for the interviewer demo: the live page is ready to run.
        first = position.candidates.filter(email="daniel.kim@example.com").first()
        if first and not first.interviews.exists():
            interview_schedule(candidate=first, plan=screen, starts_at=now + timedelta(minutes=30),
                               duration_minutes=screen.slot_minutes, interviewers=panel[:2], by=rita)
        seed_demo_calibration(hiring_manager=hannah, recruiter=rita, interviewers=panel, template=template)
        seed_demo_practice(position=position, plan=screen, people={u.username: u for u in panel})  # issue 17
        seed_demo_pools(manager=hannah, recruiter=rita, panel=panel,
                        score=lambda interview, person, level: self._scorecard(interview, person, level, rng, True, now, 0))
        seed_demo_load(position=position, by=rita)
        seed_demo_rules(hiring_manager=hannah, recruiter=rita, panel=panel, template=template)  # scoring/demo_rules.py
        seed_demo_exposure(template=template, hiring_manager=hannah, recruiter=rita, panel=panel, now=now)
        self.stdout.write(f"Demo interviews with scorecards: {made} candidates scored.")

    def _scorecard(self, interview, person, level, rng, submitted, now, days_ago):
        card = Scorecard.objects.create(interview=interview, interviewer=person, started_at=interview.starts_at)
        scores = []
        for question in interview.questions.all():
            score = max(1, min(4, round(level + rng.gauss(0, 0.7))))
            scores.append(score)
            criteria = (list(question.revision.criteria.filter(phase=question.phase).values_list("pk", flat=True))
                        if question.revision_id else [])
            QuestionScore.objects.create(
                scorecard=card, question=question, score=score, notes=rng.choice(NOTES[score]),
                criteria_met=criteria[: max(0, score - 1)],
                # A design round's overall part may have 0 minutes: never a negative time.
                seconds_spent=max(0, question.minutes * 60 + rng.randint(-60, 90)),
                version=1,
            )
        if submitted:
            mean = sum(scores) / len(scores)
            recommendation = "strong_yes" if mean >= 3.4 else "yes" if mean >= 2.6 else "no" if mean >= 1.8 else "strong_no"
            card.status = ScorecardStatus.SUBMITTED
            card.recommendation = recommendation
            card.summary = SUMMARIES[recommendation]
            card.submitted_at = interview.ends_at + timedelta(hours=rng.uniform(1, 30))
            card.save()
        return card
