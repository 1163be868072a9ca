"""The comparison of a position's candidates: one row per candidate, the same cells for the
page and the CSV export. docs/scoring.md states every formula with a worked example.

The page costs a fixed number of queries, whatever the number of candidates:

1. the candidates, with their interview counts and latest decision as subqueries;
2. the weighted sums of question scores grouped by (candidate, competency);
3. the recommendation counts grouped by (candidate, recommendation);
(for those who see every scorecard, 2, 3 and the interview counts of 1 are one statement:
ALL_SUMS_SQL, so the page costs one query less);
and with ``normalise``:
4. the weighted sums grouped by (candidate, competency, interviewer);
5. each of those interviewers' mean and standard deviation over all their submitted scores.

Only submitted scorecards the viewer may see count (``Scorecard.objects.visible_to(user)``),
so the independent-scoring rule holds here as on every other page, and never those of a
cancelled interview (as on the debrief); for those who see them
all (``Position.is_run_by``) the queries skip that filter, whose ORs made PostgreSQL read
every scorecard and interview of every position (~40 ms of SQL on the bench data).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Avg, Count, Exists, F, IntegerField, OuterRef, StdDev, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.http import QueryDict
from django.utils.text import slugify

from config.database import custom_plans
from interviews.models import Candidate, Interview, InterviewQuestion, InterviewStatus, Stage

from . import stats
from .links import link_maker
from .models import RECOMMENDATION_POINTS, Decision, DecisionChoice, QuestionScore, Recommendation, Scorecard, ScorecardStatus
from .template_items import TemplateItems

EMPTY = "—"  # what an empty cell shows, on the page and in the CSV alike
STAGE_ORDER = {value: n for n, value in enumerate(Stage.values)}
STAGE_LABELS = dict(Stage.choices)
DECISION_LABELS = dict(DecisionChoice.choices)
RECOMMENDATIONS = Recommendation.values  # in the columns' order
DEFAULT_SORT = ("overall", "desc")


# --- Options from the query string -----------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """What the viewer asked for; anything malformed is ignored rather than refused, so a
    hand-edited or stale link still shows the page."""

    stage: str = ""
    complete: bool | None = None
    sort: str = DEFAULT_SORT[0]
    direction: str = DEFAULT_SORT[1]
    normalise: bool = False

    @classmethod
    def from_query(cls, params):
        stage = params.get("stage", "")
        complete = {"1": True, "0": False}.get(params.get("complete", ""))
        sort = params.get("sort", "") or DEFAULT_SORT[0]
        direction = params.get("dir", "")
        return cls(
            stage=stage if stage in Stage.values else "",
            complete=complete,
            sort=sort[:80],
            direction=direction if direction in ("asc", "desc") else "",
            normalise=params.get("normalise") == "1",
        )

    def query(self, **changes):
        """The query string of these options with ``changes`` applied (empty values dropped)."""
        values = {
            "stage": self.stage,
            "complete": {True: "1", False: "0"}.get(self.complete, ""),
            "normalise": "1" if self.normalise else "",
            "sort": self.sort,
            "dir": self.direction,
        }
        values.update(changes)
        query = QueryDict(mutable=True)
        for key, value in values.items():
            if value:
                query[key] = value
        return query.urlencode()


# --- The table ------------------------------------------------------------------------------


@dataclass
class Column(TemplateItems):
    key: str
    label: str
    numeric: bool = True
    group: str = ""  # "Recommendations" / "Interviews": a header spanning the group on the page
    competency: str = ""
    default_direction: str = "desc"
    href: str = ""  # the sort link, filled in once the current sort is known
    aria_sort: str = ""

    @property
    def csv_label(self):
        return f"{self.group}: {self.label}" if self.group else self.label


@dataclass
class Entry(TemplateItems):
    """A candidate as the table needs them: the query's values, not a model instance (~1 ms
    less for 200 candidates, whose other fields the page never reads)."""

    pk: int
    name: str
    stage: str
    latest_decision: str | None
    planned: int = 0
    done: int = 0


@dataclass
class Row(TemplateItems):
    """One candidate. ``texts`` and ``values`` hold one entry per column, in the columns'
    order: the text the page and the CSV show, and what the column sorts on (None last)."""

    candidate: object
    texts: list
    values: list
    competency_scores: dict  # every competency scored, compared or not: {name: float}
    overall: float | None
    normalised: float | None = None
    complete: bool = False
    debrief_url: str = ""
    # What the page's row reads, each one attribute (a template's ``row.texts.0`` tries an
    # item, an attribute and dir() before the index: ~3 ms over 200 rows). The numeric cells
    # come in three runs, whose cells share their class so the template writes it once per run:
    # the compared competencies, overall (and normalised), the recommendation and interview counts.
    name: str = ""
    stage: str = ""
    stage_label: str = ""
    scores: list = field(default_factory=list)
    overall_text: str = ""
    normalised_text: str = ""
    counts: list = field(default_factory=list)
    decision: str = ""


@dataclass
class Table(TemplateItems):
    options: Options
    columns: list
    rows: list
    competencies: list  # the compared competencies (shared by every scored candidate), sorted
    not_compared: list = field(default_factory=list)  # [(candidate, [competency, ...])]
    unscored: list = field(default_factory=list)  # candidates without a submitted score
    sort: str = DEFAULT_SORT[0]
    direction: str = DEFAULT_SORT[1]

    @property
    def header(self):
        return [c.csv_label for c in self.columns]

    @property
    def sort_label(self):
        return next(c.label for c in self.columns if c.key == self.sort)

    def cells(self):
        """The body as text, row by row: exactly what the page and the CSV show."""
        return [list(row.texts) for row in self.rows]

    @property
    def compared_note(self):
        """Said plainly when candidates were interviewed with different plans: what the table
        compares, and what each candidate was also scored on."""
        if not self.not_compared:
            return ""
        n = len(self.competencies)
        who = "all scored candidates" if self.unscored else "all candidates"
        if n:
            text = (f"Compared on the {n} competenc{'y' if n == 1 else 'ies'} {who} were scored on "
                    f"({human_list(self.competencies)}); ")
        else:
            text = f"No competency was scored for {who}, so no competency or overall score is compared; "
        text += "; ".join(
            f"{candidate.name} also has {human_list([f'‘{c}’' for c in extra])}" for candidate, extra in self.not_compared
        )
        return text + "."

    @property
    def header_top(self):
        """The page's upper header row: [(column, None)] for a column standing alone (spans
        both rows), [(None, (group, span))] for a group of adjacent columns."""
        top = []
        for column in self.columns:
            if not column.group:
                top.append((column, None))
            elif top and top[-1][1] and top[-1][1][0] == column.group:
                top[-1] = (None, (column.group, top[-1][1][1] + 1))
            else:
                top.append((None, (column.group, 1)))
        return top

    @property
    def header_bottom(self):
        return [c for c in self.columns if c.group]


def human_list(items):
    """["a", "b", "c"] -> "a, b and c"."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def fmt_score(value):
    return EMPTY if value is None else f"{value:.2f}"


def fmt_z(value):
    if value is None:
        return EMPTY
    text = f"{value:+.2f}"
    return "0.00" if text in ("+0.00", "-0.00") else text


def weighted(weighted_sum, weight_sum):
    """sum(w*s) / sum(w) rounded to 2 places, half to even, from the two sums in hundredths
    of a weight (exact integers, as competency_sums' queries return them): the same float as
    scoring.scores.competency_scores' Decimal arithmetic (float(round(s / w, 2))), so the
    comparison and the debrief never differ by a rounding. Integer division instead of
    Decimals: ~2 ms less over the 2,000 averages of 200 candidates."""
    if not weight_sum:
        return None
    quotient, remainder = divmod(weighted_sum * 100, weight_sum)
    if 2 * remainder > weight_sum or (2 * remainder == weight_sum and quotient % 2):
        quotient += 1
    return quotient / 100


# --- Queries --------------------------------------------------------------------------------


def _candidates(position, user, options, interviews=None):
    """Query 1: the candidates (as ``Entry``) with interviews planned (not cancelled) and done (every
    interviewer on the panel has submitted a scorecard), and the latest decision.
    ``interviews``: {candidate_id: (planned, done)} when the position's statement has counted
    them already (for those who run it: ALL_SUMS_SQL); otherwise they are counted here.

    Counts are subqueries rather than joins: a join through interviews would multiply rows.
    Whether a scorecard was submitted is workflow state, not scorecard content, so "done"
    counts every panel member's scorecard whatever the viewer may read (as the debrief's
    list of missing scorecards does)."""
    latest = Decision.objects.filter(candidate_id=OuterRef("pk")).order_by("-at", "-pk")
    rows = Candidate.objects.filter(position=position)
    if not position.is_run_by(user):
        rows = rows.visible_to(user)
    rows = rows.annotate(latest_decision=Subquery(latest.values("decision")[:1]))
    if options.stage:
        rows = rows.filter(stage=options.stage)
    fields = ("pk", "name", "stage", "latest_decision")
    if interviews is not None:
        candidates = [Entry(*values, *interviews.get(values[0], (0, 0)))
                      for values in rows.order_by("name", "pk").values_list(*fields)]
        if options.complete is None:
            return candidates
        return [c for c in candidates if (c.planned > 0 and c.done == c.planned) is options.complete]

    live = Interview.objects.filter(candidate_id=OuterRef("pk")).exclude(status=InterviewStatus.CANCELLED)
    panel = Interview.interviewers.through.objects.filter(interview_id=OuterRef("pk"))
    submitted = Scorecard.objects.filter(
        interview_id=OuterRef("interview_id"), interviewer_id=OuterRef("user_id"), status=ScorecardStatus.SUBMITTED
    )
    done = live.filter(Exists(panel)).exclude(Exists(panel.exclude(Exists(submitted))))

    def count(queryset):
        return Coalesce(
            Subquery(queryset.order_by().values("candidate_id").annotate(n=Count("pk")).values("n"),
                     output_field=IntegerField()),
            Value(0),
        )

    rows = rows.annotate(planned=count(live), done=count(done))
    if options.complete is True:
        rows = rows.filter(planned__gt=0, done=F("planned"))
    elif options.complete is False:
        rows = rows.exclude(planned__gt=0, done=F("planned"))
    return [Entry(*values) for values in rows.order_by("name", "pk").values_list(*fields, "planned", "done")]


def _visible_cards(position, user):
    cards = Scorecard.objects if position.is_run_by(user) else Scorecard.objects.visible_to(user)
    return (cards.submitted().filter(interview__candidate__position=position)
            .exclude(interview__status=InterviewStatus.CANCELLED))


def _scored(position, user):
    return QuestionScore.objects.filter(scorecard__in=_visible_cards(position, user), score__isnull=False)


# Sum(weight * score) in whole hundredths: weights have two decimal places, so 100 * weight is
# an exact integer, and PostgreSQL sums 20,000 integers in a third less time than numerics
# (~6 ms on the bench data). The page averages them as they are (``weighted``); competency_sums
# turns them back into the same exact Decimals.
HUNDREDTHS = Cast(F("question__weight") * 100, IntegerField())

# Query 2 (and 4) for those who see everything, in SQL: the position's submitted scores and its
# interviews' questions (a score's question is one of its interview's, as the services pin or
# add them), then hash-joined. Through the ORM's joins PostgreSQL looked up each of the 20,000
# scores' questions by primary key: ~90,000 buffer reads instead of ~16,000, ~25 ms more.
#
# Query 2 reads the scores in one bitmap scan of the scorecards' index (~400 buffers: the
# scores of a scorecard sit together) rather than one index scan per scorecard (~6,700), and
# takes the candidate from the question's interview, so no scorecard is joined back. The join
# compares ``id + 0`` on both sides, which hides the columns' statistics from the planner: with
# them it expected 1 row out of the join (qs.question_id has 100,000 distinct values) and sorted
# the 20,000 rows to group them; without, it expects ~250 and groups by hashing, and it cannot
# probe the scores' question index once per question either (~190 ms when it chose that).
# Together ~15-16 ms instead of ~21 ms on the bench data (EXPLAIN ANALYZE, 5 December).
#
# The same statement counts, from the same interviews and scorecards, each candidate's
# recommendations (query 3) and interviews planned and done (query 1's subqueries, which
# probed the panels and scorecards of every interview one by one, ~5 ms): by hash joins, ~19 ms
# for all instead of ~16 + ~3 + ~5.5 ms in three statements, and ~2 ms less of building the
# ORM's queries. Its rows, by kind: ('score', candidate, competency, weighted sum, weight sum,
# questions), ('recommendation', candidate, recommendation, -, -, scorecards), ('planned' and
# 'done', candidate, -, -, -, interviews).
ALL_SUMS_SQL = """
    WITH interview AS MATERIALIZED (
        SELECT id, candidate_id FROM {interview}
         WHERE candidate_id = ANY(ARRAY(SELECT id FROM {candidate} WHERE position_id = %(position)s))
           AND status <> %(cancelled)s
    ), card AS MATERIALIZED (
        SELECT card.id, card.interview_id, card.interviewer_id, interview.candidate_id, card.recommendation
          FROM interview JOIN {card} card ON card.interview_id = interview.id
         WHERE card.status = %(submitted)s
    ), panel AS MATERIALIZED (
        -- A panel member has at most one scorecard (scoring_one_scorecard_per_interviewer).
        SELECT member.interview_id, count(*) AS members, count(card.id) AS submitted
          FROM interview JOIN {panel} member ON member.interview_id = interview.id
          LEFT JOIN card ON card.interview_id = member.interview_id AND card.interviewer_id = member.user_id
         GROUP BY member.interview_id
    ), interviews AS MATERIALIZED (
        SELECT interview.candidate_id, count(*) AS planned,
               count(*) FILTER (WHERE panel.members = panel.submitted) AS done
          FROM interview LEFT JOIN panel ON panel.interview_id = interview.id
         GROUP BY interview.candidate_id
    ), question AS MATERIALIZED (
        SELECT q.id, interview.candidate_id, q.competency, (q.weight * 100)::integer AS hundredths
          FROM interview JOIN {iq} q ON q.interview_id = interview.id
    )
    SELECT 'score', question.candidate_id, question.competency,
           sum(question.hundredths * qs.score), sum(question.hundredths), count(*)
      FROM {score} qs JOIN question ON question.id + 0 = qs.question_id + 0
     WHERE qs.scorecard_id = ANY(ARRAY(SELECT id FROM card))
       AND qs.score IS NOT NULL
     GROUP BY question.candidate_id, question.competency
    UNION ALL
    SELECT 'recommendation', candidate_id, recommendation, NULL, NULL, count(*)
      FROM card GROUP BY candidate_id, recommendation
    UNION ALL
    SELECT 'planned', candidate_id, NULL, NULL, NULL, planned FROM interviews
    UNION ALL
    SELECT 'done', candidate_id, NULL, NULL, NULL, done FROM interviews
"""

# Query 4 needs each score's interviewer, so it joins the scorecards: materialised, each read
# through its foreign-key index, then hash-joined (not probed row by row).
ALL_SUMS_BY_INTERVIEWER_SQL = """
    WITH interview AS MATERIALIZED (
        SELECT id, candidate_id FROM {interview}
         WHERE candidate_id = ANY(ARRAY(SELECT id FROM {candidate} WHERE position_id = %(position)s))
           AND status <> %(cancelled)s
    ), scored AS MATERIALIZED (
        SELECT interview.candidate_id, card.interviewer_id, qs.question_id, qs.score
          FROM interview
          JOIN {card} card ON card.interview_id = interview.id AND card.status = %(submitted)s
          JOIN {score} qs ON qs.scorecard_id = card.id AND qs.score IS NOT NULL
    ), question AS MATERIALIZED (
        SELECT q.id, q.competency, (q.weight * 100)::integer AS hundredths
          FROM interview JOIN {iq} q ON q.interview_id = interview.id
    )
    SELECT scored.candidate_id, question.competency, scored.interviewer_id,
           sum(question.hundredths * scored.score), sum(question.hundredths), count(*)
      FROM scored JOIN question ON question.id = scored.question_id
     GROUP BY scored.candidate_id, question.competency, scored.interviewer_id
"""


def _run_sql(sql, position):
    tables = {name: connection.ops.quote_name(model._meta.db_table) for name, model in (
        ("interview", Interview), ("candidate", Candidate), ("card", Scorecard), ("score", QuestionScore),
        ("iq", InterviewQuestion), ("panel", Interview.interviewers.through))}
    with custom_plans(), connection.cursor() as cursor:  # planned for this position's size
        cursor.execute(sql.format(**tables), {"position": position.pk, "submitted": ScorecardStatus.SUBMITTED,
                                              "cancelled": InterviewStatus.CANCELLED})
        return cursor.fetchall()


def _position_figures(position):
    """Queries 1's counts, 2 and 3 for those who see everything, in one statement:
    {candidate_id: {competency: (weighted sum, weight sum, questions)}} (sums in hundredths),
    {candidate_id: {recommendation: count}} and {candidate_id: (planned, done)}."""
    sums, recommendations, interviews = defaultdict(dict), defaultdict(dict), defaultdict(lambda: [0, 0])
    for kind, candidate_id, key, weighted_sum, weight_sum, n in _run_sql(ALL_SUMS_SQL, position):
        if kind == "score":
            sums[candidate_id][key] = (weighted_sum, weight_sum, n)
        elif kind == "recommendation":
            recommendations[candidate_id][key] = n
        else:
            interviews[candidate_id][kind == "done"] = n
    return sums, recommendations, {c: tuple(counts) for c, counts in interviews.items()}


def _all_sums(position, by_interviewer):
    """Query 2 (or 4) for those who see everything, as ``_visible_sums`` gives it."""
    if not by_interviewer:
        return [{"candidate_id": candidate_id, "competency": competency, "weighted_sum": s, "weight_sum": w, "n": n}
                for candidate_id, mine in _position_figures(position)[0].items()
                for competency, (s, w, n) in mine.items()]
    keys = ["candidate_id", "competency", "interviewer_id", "weighted_sum", "weight_sum", "n"]
    return [dict(zip(keys, row)) for row in _run_sql(ALL_SUMS_BY_INTERVIEWER_SQL, position)]


def _visible_sums(scores, by_interviewer):
    keys = {"candidate_id": F("scorecard__interview__candidate_id"), "competency": F("question__competency")}
    if by_interviewer:
        keys["interviewer_id"] = F("scorecard__interviewer_id")
    return list(
        scores.order_by().values(**keys)
        .annotate(weighted_sum=Sum(HUNDREDTHS * F("score")), weight_sum=Sum(HUNDREDTHS), n=Count("pk"))
    )


def _hundredth_sums(position, user, by_interviewer):
    if position.is_run_by(user):
        return _all_sums(position, by_interviewer)
    return _visible_sums(_scored(position, user), by_interviewer)


def competency_sums(position, user, *, by_interviewer=False):
    """Query 2 (and 4): Sum(weight * score), Sum(weight) and Count of scored questions,
    grouped by (candidate, competency) — or (candidate, competency, interviewer). The sums
    are exact Decimals (the page itself keeps them in hundredths: see ``weighted``)."""
    groups = _hundredth_sums(position, user, by_interviewer)
    for g in groups:
        g["weighted_sum"] = Decimal(g["weighted_sum"]).scaleb(-2)
        g["weight_sum"] = Decimal(g["weight_sum"]).scaleb(-2)
    return groups


def _recommendation_counts(position, user):
    """Query 3: {candidate_id: {recommendation: count}}."""
    counts = defaultdict(dict)
    rows = (
        _visible_cards(position, user).order_by().values("recommendation", candidate_id=F("interview__candidate_id"))
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["candidate_id"]][row["recommendation"]] = row["n"]
    return counts


def interviewer_baselines(interviewer_ids):
    """Query 5: {interviewer_id: (n, mean, sd)} over all of each interviewer's submitted,
    scored questions (every position: their own history is the yardstick). The standard
    deviation is the sample one (n - 1), as in scoring.stats.sd; None with fewer than 2."""
    rows = (
        QuestionScore.objects.filter(scorecard__interviewer_id__in=interviewer_ids,
                                     scorecard__status=ScorecardStatus.SUBMITTED, score__isnull=False)
        .order_by().values("scorecard__interviewer_id")
        .annotate(n=Count("pk"), mean=Avg("score"), sd=StdDev("score", sample=True))
    )
    return {r["scorecard__interviewer_id"]: (r["n"], float(r["mean"]), None if r["sd"] is None else float(r["sd"]))
            for r in rows}


def normalised_scores(groups, baselines, competencies):
    """{candidate_id: z} where z is the weight-average, over the candidate's scored questions
    in ``competencies``, of z_i = (s_i - mean_r) / sd_r for the question's interviewer r.

    Per group of one interviewer's questions the weighted mean of z_i equals
    (sum(w*s)/sum(w) - mean_r) / sd_r (z is linear in s), so grouped sums are enough.
    Interviewers whose sd is undefined or 0 are left out; a candidate with nothing left
    gets None."""
    totals = defaultdict(lambda: [0.0, 0.0])
    for g in groups:
        if g["competency"] not in competencies:
            continue
        _, mean, sd = baselines.get(g["interviewer_id"], (0, None, None))
        weight = float(g["weight_sum"])
        z = stats.zscore(float(g["weighted_sum"]) / weight, mean, sd)
        if z is None:
            continue
        totals[g["candidate_id"]][0] += weight * z
        totals[g["candidate_id"]][1] += weight
    return {c: round(s / w, 2) for c, (s, w) in totals.items() if w}


# --- Building the table ---------------------------------------------------------------------


def _columns(competencies, options):
    """The columns, in the order ``_row`` fills them."""
    columns = [Column("name", "Candidate", numeric=False, default_direction="asc"),
               Column("stage", "Stage", numeric=False, default_direction="asc")]
    taken = {"name", "stage", "overall", "normalised", "done", "planned", "decision", *RECOMMENDATION_POINTS}
    for name in competencies:
        key = base = f"c-{slugify(name) or 'competency'}"
        n = 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        taken.add(key)
        columns.append(Column(key, name, competency=name))
    columns.append(Column("overall", "Overall"))
    if options.normalise:
        columns.append(Column("normalised", "Normalised (z)"))
    for value, label in Recommendation.choices:
        columns.append(Column(value, label, group="Recommendations"))
    columns += [Column("done", "Done", group="Interviews"), Column("planned", "Planned", group="Interviews"),
                Column("decision", "Decision", numeric=False, default_direction="asc")]
    return columns


def _row(candidate, mine, competencies, normalised, recommendations):
    """The row of ``candidate``, its cells in the order of ``_columns``: name, stage, compared
    competencies, overall, normalised (when ``normalised`` is not None), recommendations,
    interviews done and planned, decision. ``mine``: {competency: (weighted sum, weight sum,
    questions)}, the sums in hundredths (``weighted``)."""
    scores = {c: weighted(s, w) for c, (s, w, _) in sorted(mine.items())}
    compared = [mine[c] for c in competencies if c in mine]
    overall = weighted(sum(s for s, _, _ in compared), sum(w for _, w, _ in compared)) if compared else None
    compared_scores = [scores.get(c) for c in competencies]
    score_texts = [*map(fmt_score, compared_scores)]
    overall_text = fmt_score(overall)
    stage_label = STAGE_LABELS.get(candidate.stage, candidate.stage)
    values = [candidate.name.casefold(), STAGE_ORDER.get(candidate.stage), *compared_scores, overall]
    texts = [candidate.name, stage_label, *score_texts, overall_text]
    z, z_text = None, ""
    if normalised is not None:
        z = normalised.get(candidate.pk)
        z_text = fmt_z(z)
        values.append(z)
        texts.append(z_text)
    counts = [recommendations.get(value, 0) for value in RECOMMENDATIONS] + [candidate.done, candidate.planned]
    count_texts = [*map(str, counts)]
    decision = DECISION_LABELS.get(candidate.latest_decision)
    values += [*counts, decision]
    texts += [*count_texts, decision or EMPTY]
    return Row(candidate=candidate, texts=texts, values=values, competency_scores=scores, overall=overall,
               normalised=z, complete=candidate.planned > 0 and candidate.done == candidate.planned,
               name=candidate.name, stage=candidate.stage, stage_label=stage_label, scores=score_texts,
               overall_text=overall_text, normalised_text=z_text, counts=count_texts, decision=decision or EMPTY)


def sort_rows(rows, index, direction):
    """Sort by the value at ``index``; empty values (None) last in either direction; ties
    keep the name order."""
    present = [r for r in rows if r.values[index] is not None]
    missing = [r for r in rows if r.values[index] is None]
    present.sort(key=lambda r: r.values[index], reverse=direction == "desc")
    return present + missing


def compare(*, position, user, options=Options()):
    """The comparison table of ``position`` as ``user`` may see it."""
    if position.is_run_by(user):
        every, recommendations, interviews = _position_figures(position)
        candidates = _candidates(position, user, options, interviews)
    else:
        candidates = _candidates(position, user, options)
        every, recommendations = defaultdict(dict), _recommendation_counts(position, user)
        for g in _hundredth_sums(position, user, False):
            every[g["candidate_id"]][g["competency"]] = (g["weighted_sum"], g["weight_sum"], g["n"])
    shown = {c.pk for c in candidates}
    # candidate_id -> competency -> (weighted_sum, weight_sum, n), in hundredths
    sums = {candidate_id: mine for candidate_id, mine in every.items() if candidate_id in shown}

    scored = [c for c in candidates if sums.get(c.pk)]
    shared = set.intersection(*(set(sums[c.pk]) for c in scored)) if scored else set()
    competencies = sorted(shared)
    not_compared = [(c, sorted(set(sums[c.pk]) - shared)) for c in scored if set(sums[c.pk]) - shared]

    normalised = None
    if options.normalise:
        groups = [g for g in competency_sums(position, user, by_interviewer=True) if g["candidate_id"] in shown]
        baselines = interviewer_baselines(sorted({g["interviewer_id"] for g in groups}))
        normalised = normalised_scores(groups, baselines, shared)

    columns = _columns(competencies, options)
    debrief_url = link_maker("scoring:debrief")  # one reverse() for the 200 rows
    rows = []
    for candidate in candidates:
        row = _row(candidate, sums.get(candidate.pk, {}), competencies, normalised,
                   recommendations.get(candidate.pk, {}))
        row.debrief_url = debrief_url(candidate.pk)
        rows.append(row)

    keys = [c.key for c in columns]
    sort = options.sort if options.sort in keys else DEFAULT_SORT[0]
    column = columns[keys.index(sort)]
    direction = options.direction or column.default_direction
    rows = sort_rows(rows, keys.index(sort), direction)
    for c in columns:
        flipped = "asc" if direction == "desc" else "desc"
        next_direction = flipped if c.key == sort else c.default_direction
        c.href = "?" + options.query(sort=c.key, dir=next_direction)
        c.aria_sort = ({"asc": "ascending", "desc": "descending"}[direction]) if c.key == sort else ""
    return Table(
        options=options, columns=columns, rows=rows, competencies=competencies, not_compared=not_compared,
        unscored=[c for c in candidates if not sums.get(c.pk)], sort=sort, direction=direction,
    )

