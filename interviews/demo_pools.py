"""Demo data for question pools: the Growth data-scientist position gets an exposure cap and a
screen whose experimentation question is a pool of three; eight candidates were interviewed
on it over the last eleven weeks and two more are coming up, so the interview pages show
different questions, each with why it was chosen (one candidate's second round avoids the
question they had; the cap steers later interviews away from a much-used one).

Called by seed_demo_scores (one line at its end), which passes ``score``: scoring sits above
interviews, so the scorecards of the interviews already held are its to write."""

from datetime import timedelta

from django.utils import timezone

from questionbank.models import Area, Kind, Level, Question

from .models import Candidate, InterviewPlan, Position, Stage
from .services import interview_schedule, plan_add_question, plan_create, pool_add

POSITION = "Data Scientist, Growth"
PLAN = "Growth experimentation screen"
CAP = 3  # uses per 90 days: the eight held interviews push two of the three questions to it
CANDIDATES = [  # invented people; every address is at example.com
    ("Ines Duarte", "ines.duarte@example.com"), ("Kofi Boateng", "kofi.boateng@example.com"),
    ("Yuki Sato", "yuki.sato@example.com"), ("Rahel Tesfaye", "rahel.tesfaye@example.com"),
    ("Mateo Rossi", "mateo.rossi@example.com"), ("Anja Novak", "anja.novak@example.com"),
    ("Farid Haddad", "farid.haddad@example.com"),
]
# Days before today of the interviews, oldest first (the last two are upcoming: negative).
DAYS_AGO = [78, 64, 51, 40, 29, 18, 9, 4, -2, -5]


def _pool_questions(level):
    """Three published experimentation questions of one level (concept questions first), for
    the pool; the level the position is hired at when the bank has three of it."""
    for wanted in (level, Level.MID, Level.JUNIOR, Level.SENIOR):
        questions = list(Question.objects.published().filter(area=Area.EXPERIMENTATION, level=wanted)
                         .exclude(kind=Kind.EXPERIENCE).select_related("current_revision").order_by("kind", "slug")[:3])
        if len(questions) == 3:
            return questions
    return []


def seed_demo_pools(*, manager, recruiter, panel, score):
    """Idempotent: nothing when the plan is there already. ``panel``: interviewers, two per
    interview in turn; ``score(interview, interviewer, ability)`` writes a submitted scorecard.
    Returns the plan, or None when the bank lacks the questions (then it says nothing)."""
    position = Position.objects.filter(title=POSITION).first()
    if position is None or InterviewPlan.objects.filter(position=position, name=PLAN).exists():
        return None
    pool = _pool_questions(position.level)
    warm_up = Question.objects.published().filter(area=Area.EXPERIENCE).select_related("current_revision").first()
    if not pool or warm_up is None:
        return None
    position.exposure_cap = CAP
    position.save(update_fields=["exposure_cap"])
    plan = plan_create(name=PLAN, by=manager, position=position, slot_minutes=45,
                       description="A pooled experimentation question: each candidate gets one of three.")
    sections = list(plan.sections.order_by("order"))
    plan_add_question(plan=plan, section=sections[0], revision=warm_up.current_revision, competency="Communication")
    item = plan_add_question(plan=plan, section=sections[1], revision=pool[0].current_revision,
                             competency="Experimentation")
    for question in pool[1:]:
        pool_add(item=item, question=question, by=manager)

    people = list(position.candidates.order_by("pk"))
    for name, email in CANDIDATES:
        candidate, _ = Candidate.objects.get_or_create(
            position=position, email=email, defaults={"name": name, "stage": Stage.INTERVIEWING, "source": "Referral"})
        people.append(candidate)
    # The first candidate comes back for a second round on the same screen: the pool gives
    # them a question they have not had.
    schedule = [*people[:len(DAYS_AGO) - 1], people[0]]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for n, (candidate, days) in enumerate(zip(schedule, DAYS_AGO, strict=True)):
        when = now - timedelta(days=days, hours=-(n % 3))
        interviewers = [panel[n % len(panel)], panel[(n + 1) % len(panel)]]
        interview = interview_schedule(candidate=candidate, plan=plan, starts_at=when, duration_minutes=45,
                                       interviewers=interviewers, by=recruiter)
        if days > 0:  # held: scored by the panel
            ability = 1.8 + (n * 0.37) % 1.8
            for person in interviewers:
                score(interview, person, ability)
    return plan
