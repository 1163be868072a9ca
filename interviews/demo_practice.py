"""Demo data for practice scoring and qualification (issue 17): samples for the demo plan's
questions, practice history for the demo interviewers (one qualified, one in progress, one not
started) and a shadowed interview. Called at the end of seed_demo_scores."""

import random
from datetime import timedelta
from itertools import zip_longest

from django.utils import timezone

from questionbank.models import PracticeScore, Question, SampleAnswer

from .models import InterviewShadow, InterviewStatus, ShadowKind
from .qualification import plan_questions

# Used only for a question the bank ships no sample answers for (the bank's content comes
# from questionbank/bank/*.yaml, written by the content team): a demo without them would show
# an empty practice page. Plain placeholders at each level, said to be the demo's own.
DEMO_AGREED_BY = "Panelist demo (placeholder until the bank ships samples)"
DEMO_SAMPLES = [
    (1, ("I have heard of {title} but I would mostly try things until the numbers look right. I would not check the data "
        "or explain why, and I am not sure how it would fail in production."),
     "Meets none of the criteria: no definition, no reasoning, no check. Anchor 1."),
    (2, ("{title}: I can give the definition, and I would apply it the usual way. I think the main risk is overfitting, "
        "though I could not say how I would notice it or what I would change."),
     "States the idea (criterion 1) but no worked reasoning or failure case. Anchor 2."),
    (3, ("For {title} I would state the definition, work a small example with numbers, and name the main failure case "
        "and how I would detect it on a validation set before going further."),
     "Definition, a worked example and a named failure case: criteria 1 to 3, anchor 3. No cost or follow-through."),
    (4, ("On {title}: definition, a worked example, the failure case and its detection, then what it costs at scale "
        "and the check I would run on held-out data before I trusted the result in production."),
     "Every criterion plus the cost at scale and a verification step: anchor 4."),
    (3, ("I would explain {title} from first principles, walk through one concrete case, and say where it breaks and what "
        "I would monitor, though I would leave the scaling question for a follow-up."),
     "Correct explanation, a concrete case and where it breaks: anchor 3, short of 4 without scale or verification."),
]


def _samples_for(question_ids):
    """{question id: [samples]}, creating the placeholders for a question with none."""
    found = {}
    for sample in SampleAnswer.objects.filter(question__in=question_ids).select_related("question").order_by("order", "pk"):
        found.setdefault(sample.question_id, []).append(sample)
    for question in Question.objects.filter(pk__in=[q for q in question_ids if q not in found]):
        found[question.pk] = [
            SampleAnswer.objects.create(question=question, order=n, reference_score=ref, agreed_by=DEMO_AGREED_BY,
                                        answer=answer.format(title=question.title.lower()), rationale=rationale)
            for n, (ref, answer, rationale) in enumerate(DEMO_SAMPLES, 1)
        ]
    return found


def seed_demo_practice(*, position, plan, people, now=None):
    """Give the demo its practice history; idempotent (nothing is added once anyone practised).
    ``people`` by username: ivan qualifies for ``plan`` by practice, iris is half way, nadia
    has not started, omar shadowed a held interview of the position, which counts there."""
    now = now or timezone.now()
    questions = plan_questions([plan])[plan.pk]
    by_question = _samples_for(questions)
    if PracticeScore.objects.filter(user__in=people.values()).exists():
        return
    rng = random.Random(17)
    # Round the plan's questions, so the first samples touch every question (a plan needs at
    # least one sample of each practised: interviews/qualification.py).
    pooled = [s for group in zip_longest(*(by_question.get(q, []) for q in questions)) for s in group if s]
    days = 21
    for n, sample in enumerate(pooled[:8]):
        # Ivan: all exact but the seventh, one off (7 of 8 exact: qualified); three weeks of practice.
        off = 1 if n == 6 else 0
        score = sample.reference_score - off if sample.reference_score > 1 else sample.reference_score + off
        attempt = PracticeScore.objects.create(user=people["ivan"], sample=sample, score=score)
        PracticeScore.objects.filter(pk=attempt.pk).update(at=now - timedelta(days=days - 2 * n, hours=rng.randint(0, 8)))
    for n, sample in enumerate(pooled[:3]):
        # Iris: three samples so far, one two off (her first score of it is the one that counts).
        score = sample.reference_score if n != 1 else (sample.reference_score + 2 if sample.reference_score <= 2 else 1)
        attempt = PracticeScore.objects.create(user=people["iris"], sample=sample, score=score)
        PracticeScore.objects.filter(pk=attempt.pk).update(at=now - timedelta(days=4 - n))
    position.shadowing_qualifies = True
    position.save(update_fields=["shadowing_qualifies"])
    held = (plan.interviews.exclude(status=InterviewStatus.CANCELLED).exclude(interviewers=people["omar"])
            .filter(starts_at__lt=now - timedelta(hours=2)).order_by("-starts_at").first())
    if held is not None:
        InterviewShadow.objects.get_or_create(interview=held, user=people["omar"], defaults={"kind": ShadowKind.SHADOW})
