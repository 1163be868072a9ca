"""The exposure page's reads: how often each bank question has been asked, month by month, and
whether its scores have worn (drifted upward since it was widely used: ``scoring.wear``).

Only questions asked in interviews are listed (the bench's bank has 100,000 questions, of
which a few thousand are ever used): one aggregate over the pinned questions, grouped by bank
question, filtered, sorted and paginated by PostgreSQL, then two small reads for the 25 rows
of the page (their titles, their months). The wear verdicts come from the calibration
snapshot (``calibration.calibration_figures``, computed in the background), since sorting and
filtering by them needs every question's verdict, not one page's.

Uses count distinct interviews that have started and were not cancelled, as the calibration
page counts them, company-wide: the exposure cap is on company-wide uses (the pools read it
so), so a position filter narrows the list to the questions that position asked and shows
its cap, not a count of its own.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, Max, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from interviews.models import InterviewQuestion, InterviewStatus
from questionbank.models import Area, Question

from .calibration import RECENT_DAYS
from .charts import exposure_strip
from .links import link_maker
from .template_items import TemplateItems
from .wear import ALPHA, MIN_RISE, MIN_SIDE

MONTHS = 12
PAGE_SIZE = 25
AREA_LABELS = dict(Area.choices)


class Sort:
    USES = "uses"
    WEAR = "wear"
    CHOICES = ((USES, "Most used in 90 days"), (WEAR, "Worn first"))


@dataclass
class ExposureRow(TemplateItems):
    question_id: int
    slug: str
    title: str
    url: str
    area: str
    used_recent: int
    used_all: int
    last_used: date
    months: list  # [(first day of the month, uses)], oldest first
    strip: object  # charts.ExposureStrip
    wear: dict | None  # the stored verdict (scoring.wear.Wear.as_dict()), None when not tested
    cap: int | None = None

    @property
    def flagged(self):
        return bool(self.wear and self.wear["flagged"])

    @property
    def over_cap(self):
        return self.cap is not None and self.used_recent > self.cap

    @property
    def at_cap(self):
        return self.cap is not None and self.used_recent == self.cap

    @property
    def months_text(self):
        return ", ".join(f"{month:%b} {n}" for month, n in self.months)

    @property
    def wear_sentence(self):
        return wear_sentence(self.wear)


def _day(text):
    day = date.fromisoformat(text)
    return f"{day.day} {day:%B %Y}"


def wear_sentence(figures):
    """The verdict in one plain sentence, with its figures."""
    if not figures or not figures["tested"]:
        # Without figures the question was not looked at (fewer scored interviews than the two
        # sides need): its count is not known here, and "0" beside its uses read as wrong.
        counted = f"{figures['n']}; " if figures else ""
        return (f"Not enough scored interviews to test for wear yet ({counted}it needs {MIN_SIDE} before and "
                f"{MIN_SIDE} after a change).")
    if figures["p_value"] is None:
        return f"No rise of {MIN_RISE} points or more in its scores over {figures['n']} scored interviews."
    text = (f"Scores rose from {figures['mean_before']:.1f} to {figures['mean_after']:.1f} after "
            f"{_day(figures['shift_day'])} ({figures['n_before']} and {figures['n_after']} interviews; "
            f"{_p(figures['p_value'])})")
    if figures["flagged"]:
        return text + ": it may have leaked."
    return text + f": within chance (a flag needs p below {ALPHA})."


def _p(p):
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def used_pins(*, now):
    """Pinned bank questions of interviews that have started and were not cancelled."""
    return (InterviewQuestion.objects.filter(revision__isnull=False, interview__starts_at__lte=now)
            .exclude(interview__status=InterviewStatus.CANCELLED))


def exposure_rows(*, now, position=None, area="", flagged_only=False, sort=Sort.USES, question="",
                  wear_by_question=None):
    """The listing, one row per bank question (``question_id``, ``used_recent``, ``used_all``,
    ``last_used``), as a queryset to paginate: filtered by area, by the questions a position
    asked, to the flagged ones, and to one question (its slug: the link from its page); sorted by uses in RECENT_DAYS or worn first (flagged,
    by p-value, then the rest by uses)."""
    wear_by_question = wear_by_question or {}
    pins = used_pins(now=now)
    if area:
        pins = pins.filter(revision__question__area=area)
    if question:
        pins = pins.filter(revision__question__slug=question)
    if position is not None:
        asked = used_pins(now=now).filter(interview__candidate__position=position).values("revision__question")
        pins = pins.filter(revision__question__in=asked)
    flagged = sorted((pk for pk, w in wear_by_question.items() if w["flagged"]),
                     key=lambda pk: (wear_by_question[pk]["p_value"], pk))
    if flagged_only:
        pins = pins.filter(revision__question__in=flagged)
    since = now - timedelta(days=RECENT_DAYS)
    rows = (pins.order_by().values("revision__question")  # GROUP BY the bank question
            .annotate(used_recent=Count("interview", distinct=True, filter=Q(interview__starts_at__gte=since)),
                      used_all=Count("interview", distinct=True), last_used=Max("interview__starts_at")))
    order = ["-used_recent", "-used_all", "revision__question"]
    if sort == Sort.WEAR and flagged:
        rank = Case(*[When(revision__question=pk, then=Value(n)) for n, pk in enumerate(flagged)],
                    default=Value(len(flagged)))
        order.insert(0, rank)
    return rows.order_by(*order)


def page_rows(entries, *, now, cap=None, wear_by_question=None):
    """The page's rows from one page of ``exposure_rows``: two queries (the questions' titles,
    their uses per month over the last MONTHS months)."""
    wear_by_question = wear_by_question or {}
    ids = [entry["revision__question"] for entry in entries]
    if not ids:
        return []
    questions = {q["pk"]: q for q in Question.objects.filter(pk__in=ids).values("pk", "slug", "title", "area")}
    months = month_starts(timezone.localdate(now))
    counts = {}
    per_month = (used_pins(now=now).filter(revision__question__in=ids, interview__starts_at__date__gte=months[0])
                 .annotate(month=TruncMonth("interview__starts_at")).order_by()
                 .values("revision__question", "month").annotate(n=Count("interview", distinct=True)))
    for row in per_month:
        counts[(row["revision__question"], timezone.localdate(row["month"]).replace(day=1))] = row["n"]
    detail_url = link_maker("questionbank:detail")
    rows = []
    for entry in entries:
        pk = entry["revision__question"]
        question = questions[pk]
        series = [(month, counts.get((pk, month), 0)) for month in months]
        title = question["title"] or question["slug"]
        rows.append(ExposureRow(
            question_id=pk, slug=question["slug"], title=title, url=detail_url(question["slug"]),
            area=AREA_LABELS.get(question["area"], ""), used_recent=entry["used_recent"], used_all=entry["used_all"],
            last_used=timezone.localdate(entry["last_used"]), months=series,
            strip=exposure_strip(series, title=title), wear=wear_by_question.get(pk), cap=cap,
        ))
    return rows


def month_starts(today, months=MONTHS):
    """The first day of each of the last ``months`` months, oldest first, this month last."""
    first = today.replace(day=1)
    starts = [first]
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        starts.append(first)
    return starts[::-1]


def wear_by_question(figures):
    """{question id: stored verdict} from the calibration snapshot's figures (a snapshot
    stored before the wear signal has none)."""
    return {row["question_id"]: row for row in figures.get("wear", [])}
