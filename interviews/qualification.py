"""Who is qualified to ask a plan's questions: practice on sample answers (the rule in
questionbank/practice.py) and, where a position says so, shadowing its interviews.

A person is qualified for a plan when either
- their practice scores (the first of each sample) over the samples of the plan's questions,
  pooled, meet the rule (at least MIN_SAMPLES samples in all), with at least one sample of
  every question that has samples scored (else five good scores on one question qualified
  for a plan of five; found in review), or
- they are qualified for every question of the plan on its own: by that question's samples,
  or by having shadowed or reverse-shadowed an interview of the position that asked it (when
  the position's ``shadowing_qualifies`` is on; the interview ended and was not cancelled).

A plan item counts its question (``PlanItem.revision``) and, for a pool, every other question of
the pool (``PoolMember``): any of them may be the one a candidate gets. Everything here reads in a fixed
number of queries, whatever the number of people and plans, so the dashboard and the
scheduling check can ask for many at once.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import audit
from questionbank.models import PracticeScore, SampleAnswer
from questionbank.practice import MIN_SAMPLES, Standing, counted_scores, standing

from .models import InterviewShadow, InterviewStatus, PlanItem, PoolMember, ShadowKind, interview_ends_sql


@dataclass(frozen=True)
class PlanStanding:
    """A person's standing for a plan: their pooled practice over its questions' samples, and
    how many of its ``questions`` they are qualified for on their own (practice or shadowing)."""

    practice: Standing
    questions: int
    by_question: int  # questions qualified on their own (practice or shadowing)
    samples: int = 0  # the sample answers the plan's questions have, to practise on
    unpractised: int = 0  # questions with samples of which the person has scored none

    @property
    def qualified(self):
        return ((self.practice.qualified and not self.unpractised)
                or (self.questions > 0 and self.by_question == self.questions))

    @property
    def state(self):
        if self.qualified:
            return "qualified"
        return "in_progress" if self.practice.scored or self.by_question else "not_started"

    @property
    def label(self):
        if self.qualified:
            return "Qualified"
        if self.by_question and not self.practice.scored:
            return f"{self.by_question} of {self.questions} questions"
        if self.practice.qualified and self.unpractised:
            return f"{self.unpractised} question{'s' if self.unpractised != 1 else ''} not practised yet"
        return self.practice.label


def plan_questions(plans):
    """{plan id: [question ids]} of each plan's items and their pools' other questions, in two
    queries."""
    found = {plan.pk: [] for plan in plans}
    items = (PlanItem.objects.filter(plan__in=plans).order_by("plan_id", "section__order", "order", "pk")
             .values_list("plan_id", "revision__question_id"))
    pools = PoolMember.objects.filter(item__plan__in=plans).order_by("item_id", "order", "pk").values_list(
        "item__plan_id", "revision__question_id")
    for plan_id, question_id in [*items, *pools]:
        if question_id not in found[plan_id]:
            found[plan_id].append(question_id)
    return found


def shadowed_questions(*, users, positions, now=None):
    """{(user id, position id): {question ids}} that shadowing qualifies: the pinned questions
    of interviews of ``positions`` whose ``shadowing_qualifies`` is on, that the user shadowed
    or reverse-shadowed, that have ended and were not cancelled. One query."""
    now = now or timezone.now()
    rows = (InterviewShadow.objects.filter(user__in=users, interview__candidate__position__in=positions,
                                           interview__candidate__position__shadowing_qualifies=True)
            .exclude(interview__status=InterviewStatus.CANCELLED)
            .annotate(ends=interview_ends_sql("interview__")).filter(ends__lte=now)
            .filter(interview__questions__revision__isnull=False, interview__questions__added_by__isnull=True)
            .values_list("user_id", F("interview__candidate__position_id"), F("interview__questions__revision__question_id"))
            .distinct())
    found = {}
    for user_id, position_id, question_id in rows:
        found.setdefault((user_id, position_id), set()).add(question_id)
    return found


def plan_standings(*, users, plans, now=None):
    """{(user id, plan id): PlanStanding} for every user and plan, in five queries: the plans'
    questions (two), their samples, the users' latest practice scores, and shadowing."""
    users, plans = list(users), list(plans)
    questions_of = plan_questions(plans)
    all_questions = {q for qs in questions_of.values() for q in qs}
    samples_of = {}
    for sample_id, question_id in SampleAnswer.objects.filter(question__in=all_questions).values_list("pk", "question_id"):
        samples_of.setdefault(question_id, []).append(sample_id)
    scores = counted_scores(users=users, questions=all_questions) if all_questions and users else {}
    positions = {plan.position_id for plan in plans if plan.position_id}
    shadowed = shadowed_questions(users=users, positions=positions, now=now) if positions and users else {}
    result = {}
    for user in users:
        for plan in plans:
            questions = questions_of[plan.pk]
            by_shadow = shadowed.get((user.pk, plan.position_id), set())
            pooled, on_own, unpractised = [], 0, 0
            for question_id in questions:
                pairs = [scores[(user.pk, s)] for s in samples_of.get(question_id, []) if (user.pk, s) in scores]
                pooled.extend(pairs)
                unpractised += bool(samples_of.get(question_id)) and not pairs
                if question_id in by_shadow or standing(pairs).qualified:
                    on_own += 1
            result[(user.pk, plan.pk)] = PlanStanding(
                practice=standing(pooled), questions=len(questions), by_question=on_own,
                samples=sum(len(samples_of.get(q, [])) for q in questions), unpractised=unpractised)
    return result


def qualification_warnings(*, plan, interviewers, reverse_shadows=()):
    """The scheduling warnings about a panel's qualification for ``plan``: one per panelist not
    qualified, naming how far they are. A reverse shadow leads while learning, so they are not
    warned about; instead, the warning is that no qualified panelist is there with them.

    Nothing is said when no one could qualify yet: a plan whose questions have fewer than
    MIN_SAMPLES sample answers, in a position that does not count shadowing. A warning nobody
    can act on would teach recruiters to click past the ones they can."""
    if plan is None or not interviewers:
        return []
    standings = plan_standings(users=interviewers, plans=[plan])
    shadowing = plan.position_id is not None and plan.position.shadowing_qualifies
    if standings[(interviewers[0].pk, plan.pk)].samples < MIN_SAMPLES and not shadowing:
        return []
    reverse = {u.pk for u in reverse_shadows}
    warnings = []
    qualified_present = any(standings[(u.pk, plan.pk)].qualified for u in interviewers if u.pk not in reverse)
    for person in interviewers:
        name = person.get_full_name() or person.username
        if person.pk in reverse:
            if not qualified_present:
                warnings.append(f"{name} reverse-shadows, but no other panelist is qualified for “{plan.name}”.")
            continue
        mine = standings[(person.pk, plan.pk)]
        if not mine.qualified:
            warnings.append(f"{name} is not yet qualified for the questions of “{plan.name}” ({mine.label.lower()}; "
                            f"qualified means at least {MIN_SAMPLES} practice samples scored, nearly all exactly).")
    return warnings


@transaction.atomic
def interview_shadows_set(*, interview, shadows, reverse_shadows, by):
    """Make the interview's shadows exactly these: ``shadows`` observe, ``reverse_shadows``
    (panelists) lead with a qualified colleague present. Audited when it changes."""
    wanted = {u.pk: ShadowKind.SHADOW for u in shadows} | {u.pk: ShadowKind.REVERSE for u in reverse_shadows}
    current = dict(InterviewShadow.objects.filter(interview=interview).values_list("user_id", "kind"))
    if wanted == current:
        return False
    InterviewShadow.objects.filter(interview=interview).exclude(user_id__in=list(wanted)).delete()
    for user_id, kind in wanted.items():
        if current.get(user_id) != kind:
            InterviewShadow.objects.update_or_create(interview=interview, user_id=user_id, defaults={"kind": kind})
    audit(actor=by, action="interview.shadows", target=interview, interview=interview.pk,
          shadows=sorted(u for u, k in wanted.items() if k == ShadowKind.SHADOW),
          reverse=sorted(u for u, k in wanted.items() if k == ShadowKind.REVERSE))
    return True


@transaction.atomic
def practice_score_record(*, user, sample, score):
    """Record an attempt at a sample answer (a new row: earlier attempts stay, the latest
    counts; questionbank/practice.py) and audit it. Returns the attempt."""
    attempt = PracticeScore(user=user, sample=sample, score=score)
    attempt.full_clean()
    attempt.save()
    audit(actor=user, action="practice.score", target=sample, sample=sample.pk, score=score,
          reference=sample.reference_score)
    return attempt
