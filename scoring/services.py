"""Workflows of scorecards (opening, saving a question's score, amending) and of decisions.
Submitting is the scorecard's own method, ``Scorecard.submit``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import audit, zone_of
from interviews.calendar import absolute_url
from interviews.models import Candidate, Interview, InterviewQuestion, InterviewStatus, Stage
from notifications.models import Kind
from notifications.services import notify
from notifications.webhooks import channel_post
from questionbank.models import QuestionRevision, RubricCriterion

from .events import decision_recorded_publish, scorecard_amended_publish
from .models import (  # noqa: F401 (the exceptions are also imported from here)
    Amendment, AutosaveReceipt, Decision, DecisionChoice, InterviewCancelled, QuestionScore, ScoreError, Scorecard,
    ScorecardIncomplete, ScorecardStatus, Submitted,
)
from .rules import override_needed, rule_verdict
from .selectors import debrief

MAX_NOTES = 20_000
MAX_SECONDS = 24 * 3600
# Questions an interviewer may add to one scorecard during the interview (InterviewQuestion.added_by):
# an interview has a handful at most; without a cap a script could add them without end.
MAX_AD_HOC_QUESTIONS = 30


class StaleVersion(Exception):
    """The write was based on an older version of the question's score."""

    def __init__(self, current):
        self.current = current
        super().__init__("stale version")


def _refuse_cancelled(interview):
    if interview.is_cancelled:
        raise InterviewCancelled()


def scorecard_open(*, interview, interviewer):
    """The interviewer's scorecard for the interview, created with an empty score row per
    question on first use; records when the interviewer started. Raises InterviewCancelled
    for a cancelled interview (no scorecard is created for it)."""
    _refuse_cancelled(interview)
    card, _ = Scorecard.objects.get_or_create(interview=interview, interviewer=interviewer)
    # The card's questions without a score row yet, in one query (NOT IN the card's rows'
    # questions, never null); usually none. Unordered: the questions' default order joins the
    # interview for its start time. (~0.4 ms less query building than the ordered NOT EXISTS
    # it replaced, on the bench data.)
    missing = list(
        interview.questions.filter(Q(added_by__isnull=True) | Q(added_by=interviewer))
        .exclude(pk__in=card.scores.values("question_id"))
        .order_by().values_list("pk", flat=True)
    )
    if missing:
        QuestionScore.objects.bulk_create(
            [QuestionScore(scorecard=card, question_id=pk) for pk in missing], ignore_conflicts=True
        )
    if card.started_at is None and card.status == ScorecardStatus.DRAFT:
        card.started_at = timezone.now()
        card.save(update_fields=["started_at", "updated_at"])
    return card


def clean_state(raw, *, criteria_ids, key_point_count):
    """Validate one question's state as sent by the live page. Returns a dict of field values
    or raises ScoreError naming the problem. Criteria must belong to the question's revision."""
    if not isinstance(raw, dict):
        raise ScoreError("state must be an object")
    score = raw.get("score")
    if score in ("", None):
        score = None
    elif isinstance(score, bool) or not isinstance(score, (int, str)) or str(score) not in {"1", "2", "3", "4"}:
        raise ScoreError("score must be 1, 2, 3 or 4 (or empty)")
    else:
        score = int(score)
    skipped = raw.get("skipped", False)
    if not isinstance(skipped, bool):
        raise ScoreError("skipped must be true or false")
    reason = raw.get("skip_reason") or ""
    if not isinstance(reason, str) or len(reason) > 300:
        raise ScoreError("skip_reason must be text of at most 300 characters")
    reason = reason.strip()
    try:
        QuestionScore(score=score, skipped=skipped, skip_reason=reason).clean()
    except ValidationError as exc:
        # The model's sentence as a clause of "Not saved: …."
        message = exc.messages[0].rstrip(".")
        raise ScoreError(message[:1].lower() + message[1:]) from None
    notes = raw.get("notes") or ""
    if not isinstance(notes, str) or len(notes) > MAX_NOTES:
        raise ScoreError(f"notes must be text of at most {MAX_NOTES} characters")
    if "\x00" in notes or "\x00" in reason:
        raise ScoreError("text must not contain NUL characters")
    if not _encodable(notes) or not _encodable(reason):
        raise ScoreError("text must not contain a broken character (a lone surrogate): delete it and type it again")
    seconds = raw.get("seconds", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= MAX_SECONDS:
        raise ScoreError("seconds must be a whole number from 0 to 86400")
    criteria = raw.get("criteria") or []
    if not isinstance(criteria, list) or any(isinstance(c, bool) or not isinstance(c, int) for c in criteria):
        raise ScoreError("criteria must be a list of criterion ids")
    if not set(criteria) <= set(criteria_ids or []):
        raise ScoreError("a criterion does not belong to this question's rubric")
    points = raw.get("key_points") or []
    if not isinstance(points, list) or any(isinstance(p, bool) or not isinstance(p, int) for p in points):
        raise ScoreError("key_points must be a list of numbers")
    if any(not 0 <= p < (key_point_count or 0) for p in points):
        raise ScoreError("a key point does not belong to this question")
    return {
        "score": score, "skipped": skipped, "skip_reason": reason if skipped else "",
        "criteria_met": sorted(set(criteria)), "key_points_hit": sorted(set(points)), "notes": notes,
        "seconds_spent": seconds,
    }


def _encodable(text):
    """Whether ``text`` has a UTF-8 form. A JSON "\\ud800" escape decodes to a lone surrogate,
    which has none, so PostgreSQL could not be sent it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


STATE_FIELDS = ("score", "skipped", "skip_reason", "criteria_met", "key_points_hit", "notes", "seconds_spent")


def state_of(row):
    """A score row (model or values dict) as the live page's JSON state."""
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    return {
        "score": get("score"), "skipped": get("skipped"), "skip_reason": get("skip_reason"),
        "criteria": list(get("criteria_met") or []), "key_points": list(get("key_points_hit") or []),
        "notes": get("notes"), "seconds": get("seconds_spent"), "version": get("version"),
    }


# One statement, so it is atomic without an explicit transaction: the update applies only if
# the row is still at the version the client saw, and the idempotency receipt is written in
# the same statement, so a retried request can never apply twice. (The ORM cannot write an
# UPDATE and an INSERT as one statement; the table names come from the models.)
_APPLY_SQL = f"""
WITH upd AS (
    UPDATE {QuestionScore._meta.db_table}
       SET score = %(score)s, skipped = %(skipped)s, skip_reason = %(skip_reason)s,
           criteria_met = %(criteria_met)s, key_points_hit = %(key_points_hit)s, notes = %(notes)s,
           seconds_spent = %(seconds_spent)s, version = version + 1, updated_at = now()
     WHERE id = %(id)s AND version = %(base)s
 RETURNING id, version
)
INSERT INTO {AutosaveReceipt._meta.db_table} (scorecard_id, key, question_score_id, version, created_at)
SELECT %(scorecard_id)s, %(key)s, upd.id, upd.version, now() FROM upd
ON CONFLICT (scorecard_id, key) DO NOTHING
RETURNING version
"""


User = get_user_model()
_LOOKUP_SQL = f"""
SELECT qs.id AS pk, qs.scorecard_id, qs.version, sc.status AS card_status, iv.status AS interview_status,
       EXISTS (SELECT 1 FROM {Permission._meta.db_table} p JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id
                WHERE ct.app_label = 'scoring' AND p.codename = 'add_scorecard'
                  AND (p.id IN (SELECT up.permission_id FROM {User.user_permissions.through._meta.db_table} up
                                 WHERE up.user_id = %(user)s)
                       OR p.id IN (SELECT gp.permission_id FROM {User.groups.through._meta.db_table} ug
                                     JOIN {Group.permissions.through._meta.db_table} gp ON gp.group_id = ug.group_id
                                    WHERE ug.user_id = %(user)s))) AS may_score,
       ARRAY(SELECT rc.id FROM {RubricCriterion._meta.db_table} rc
              WHERE rc.revision_id = iq.revision_id AND rc.phase IS NOT DISTINCT FROM iq.phase) AS criteria_ids,
       CASE WHEN iq.phase IS NULL THEN COALESCE(jsonb_array_length(rev.key_points), 0) ELSE 0 END AS key_point_count,
       (SELECT r.version FROM {AutosaveReceipt._meta.db_table} r WHERE r.scorecard_id = qs.scorecard_id AND r.key = %(key)s
         LIMIT 1) AS replay_version,
       {", ".join(f"qs.{field}" for field in STATE_FIELDS)}
  FROM {QuestionScore._meta.db_table} qs
  JOIN {Scorecard._meta.db_table} sc ON sc.id = qs.scorecard_id
  JOIN {Interview._meta.db_table} iv ON iv.id = sc.interview_id
  JOIN {InterviewQuestion._meta.db_table} iq ON iq.id = qs.question_id
  LEFT JOIN {QuestionRevision._meta.db_table} rev ON rev.id = iq.revision_id
 WHERE sc.interview_id = %(interview)s AND sc.interviewer_id = %(user)s AND qs.question_id = %(question)s
"""


def autosave_lookup(*, interview_id, user_id, question_id, key):
    """The score row an autosave may change, as a dict, or None when the question is not on
    this user's scorecard for this interview (one per interviewer, so at most one row). One
    query (docs/autosave.md, query 4): the row with its state and version, its scorecard's and
    interview's status, whether the user still holds the permission to score (``may_score``:
    their own or their groups' ``scoring.add_scorecard``, what ModelBackend would load in two
    more queries), the ids of its rubric criteria (its phase's, for a phase of a design round),
    how many key points it has (none for a phase: they belong to the round as a whole), and
    the version any receipt of this idempotency key recorded (a replay).

    Raw SQL because the budget needs it: the same lookup through the ORM (ArraySubquery,
    Subquery, Exists) plus ``@permission_required`` made autosave 6.9 ms p50 against the bare
    upsert's 2.3 ms (3.0x; budget 1.5x) in `make bench`; building the query cost ~2 ms of
    Python and the permissions two queries. Table names come from the models."""
    if not all(0 < value < 2**63 for value in (interview_id, question_id)):
        return None  # no such row (and out of PostgreSQL's bigint range)
    with connection.cursor() as cursor:
        cursor.execute(_LOOKUP_SQL, {"interview": interview_id, "user": user_id, "question": question_id, "key": key})
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c.name for c in cursor.description], row))


def autosave_apply(*, row, key, base, state):
    """Apply a validated state to a score row fetched by ``autosave_lookup``. Returns the new
    version, or raises StaleVersion with the current state."""
    with connection.cursor() as cursor:
        cursor.execute(_APPLY_SQL, {**state, "id": row["pk"], "base": base, "scorecard_id": row["scorecard_id"], "key": key})
        result = cursor.fetchone()
    if result:
        return result[0]
    # Not applied: either a concurrent retry of this same request won the race (then its
    # receipt exists and this is a replay), or someone else's change came first.
    replay = AutosaveReceipt.objects.filter(scorecard_id=row["scorecard_id"], key=key).values_list("version", flat=True).first()
    if replay is not None:
        return replay
    current = QuestionScore.objects.get(pk=row["pk"])
    if current.scorecard.status == ScorecardStatus.SUBMITTED:
        raise Submitted()
    raise StaleVersion(state_of(current))


def score_write(*, score_row, base, state):
    """Save one question's state through the ORM (the form posts of the page without
    JavaScript). Same rules as autosave: refused when stale or submitted."""
    with transaction.atomic():
        # Lock the row: two tabs posting at once must not both pass the version check. (Its
        # interview is read, not locked: other panelists save to it at the same time.)
        locked = (QuestionScore.objects.select_for_update(of=("self", "scorecard"))
                  .select_related("scorecard__interview").get(pk=score_row.pk))
        _refuse_cancelled(locked.scorecard.interview)
        if locked.scorecard.status == ScorecardStatus.SUBMITTED:
            raise Submitted()
        if locked.version != base:
            raise StaleVersion(state_of(locked))
        for field, value in state.items():
            setattr(locked, field, value)
        locked.version += 1
        locked.save(update_fields=[*STATE_FIELDS, "version", "updated_at"])
    return locked


def missing_items(scores):
    """What stops submission: required questions neither scored nor skipped with a reason."""
    return [
        s.question for s in scores
        if s.question.required and not s.is_answered
    ]


@transaction.atomic
def scorecard_amend(*, scorecard, by, reason, changes):
    """Change a submitted scorecard. ``changes`` maps "recommendation", "summary" or
    "score:<question id>" / "notes:<question id>" to new values; every change keeps the old
    value, who, when and why."""
    if not reason or not reason.strip():
        raise ScoreError("an amendment needs a reason")
    card = Scorecard.objects.select_for_update(of=("self",)).select_related("interview").get(pk=scorecard.pk)
    _refuse_cancelled(card.interview)
    if card.status != ScorecardStatus.SUBMITTED:
        raise ScoreError("only a submitted scorecard is amended; a draft is simply edited")
    made = []
    for field, new in changes.items():
        if field in ("recommendation", "summary"):
            old = getattr(card, field)
            if old == new:
                continue
            setattr(card, field, new)
            card.save(update_fields=[field, "updated_at"])
        else:
            kind, _, qid = field.partition(":")
            row = card.scores.select_for_update().get(question_id=int(qid))
            attr = {"score": "score", "notes": "notes"}[kind]
            old = getattr(row, attr)
            if old == new:
                continue
            if attr == "score":
                row.skipped, row.skip_reason = (False, "") if new is not None else (row.skipped, row.skip_reason)
            setattr(row, attr, new)
            row.version += 1
            row.save(update_fields=[attr, "skipped", "skip_reason", "version", "updated_at"])
        made.append(Amendment.objects.create(scorecard=card, by=by, reason=reason.strip(), field=field,
                                             old_value=old, new_value=new))
        # Text fields may hold personal data: the audit log records that they changed, while
        # the values live only on the Amendment (which erasure can scrub).
        shown = {"old": old, "new": new} if not isinstance(new, str) or field == "recommendation" else {}
        audit(actor=by, action="scorecard.amend", target=f"scorecard {card.pk}", field=field, **shown)
    if made:
        scorecard_amended_publish(scorecard=card, amendments=made, by=by)
    return made


@transaction.atomic
def adhoc_add(*, scorecard, revision=None, free_text="", competency="Ad hoc"):
    """Add a question during the interview, for this interviewer's scorecard only. Raises
    ScoreError once the scorecard has MAX_AD_HOC_QUESTIONS of them."""
    # Lock the scorecard, so two adds sent at once cannot both pass the cap.
    Scorecard.objects.select_for_update().filter(pk=scorecard.pk).values_list("pk").first()
    if scorecard.ad_hoc_questions.count() >= MAX_AD_HOC_QUESTIONS:
        raise ScoreError(f"a scorecard takes at most {MAX_AD_HOC_QUESTIONS} added questions")
    interview = scorecard.interview
    last = interview.questions.aggregate(m=Max("order"))["m"] or 0
    question = InterviewQuestion.objects.create(
        interview=interview, order=last + 1, section="Added during the interview", revision=revision,
        free_text=free_text, minutes=revision.minutes if revision else 5, competency=competency or "Ad hoc",
        required=False, added_by_id=scorecard.interviewer_id,
    )
    QuestionScore.objects.create(scorecard=scorecard, question=question)
    return question


# What a decision does to the candidate's stage (docs/scoring.md, "Decisions and the candidate's stage").
DECISION_STAGES = {DecisionChoice.HIRE: Stage.OFFER, DecisionChoice.NO_HIRE: Stage.REJECTED}


def candidate_rule_verdict(*, candidate, user):
    """The position's rule's verdict on the candidate (scoring.rules.RuleVerdict), from the
    debrief's figures as ``user`` (who runs the position) sees them; None without a rule, at no
    query."""
    if not candidate.position.has_decision_rule:
        return None
    return rule_verdict(position=candidate.position, candidate_summary=debrief(candidate, user))


@transaction.atomic
def decision_record(*, candidate, decision, rationale, by, override_reason=""):
    """Record a hiring decision (a new row: decisions are append-only) and move the candidate's
    stage by the rule: hire -> offer, no hire -> rejected, hold -> unchanged; a candidate
    already hired stays hired. Both are saved, or neither.

    With a decision rule on the position, its verdict now is kept on the decision; a decision
    against it (hire when it says no hire, or the reverse) is refused without
    ``override_reason`` (a ValidationError on that field)."""
    # Lock the candidate: two decisions recorded at once move the stage one after the other,
    # so the stage is the one the latest decision gives.
    locked = Candidate.objects.select_for_update().only("pk", "stage").get(pk=candidate.pk)
    # The verdict as of now, not as the page showed it: a scorecard submitted since then counts.
    verdict = candidate_rule_verdict(candidate=candidate, user=by)
    override_reason = override_reason.strip() if verdict and verdict.against(decision) else ""
    made = Decision(candidate_id=candidate.pk, decision=decision, rationale=rationale, by=by,
                    override_reason=override_reason)
    if verdict:
        made.rule_verdict, made.rule_text, made.rule_reason = verdict.verdict, verdict.rule, verdict.reason
        made.rule_score = verdict.overall
    if made.is_override and not override_reason:  # scoring_decision_override_has_reason, in words
        raise ValidationError({"override_reason": override_needed(verdict)})
    made.save()
    old_stage, new_stage = locked.stage, DECISION_STAGES.get(decision)
    if new_stage is None or old_stage == Stage.HIRED:
        new_stage = old_stage
    if new_stage != old_stage:
        Candidate.objects.filter(pk=candidate.pk).update(stage=new_stage)
    candidate.stage = new_stage
    audit(actor=by, action="decision.record", target=f"candidate {candidate.pk}", decision=decision,
          stage_from=old_stage, stage_to=new_stage, rule_verdict=made.rule_verdict or None,
          override=made.is_override)
    _decision_tell_panel(made, candidate)
    decision_recorded_publish(decision=made, candidate=candidate)
    return made


def _decision_tell_panel(decision, candidate):
    """The decision, to everyone who interviewed the candidate (cancelled interviews aside),
    once per decision and person."""
    held = Interview.objects.filter(candidate_id=candidate.pk).exclude(status=InterviewStatus.CANCELLED)
    panel = get_user_model().objects.filter(interviews__in=held).distinct()
    label = decision.get_decision_display()
    url = reverse("scoring:debrief", args=[candidate.pk])
    channel_post(position=candidate.position, key=f"channel:decision:{decision.pk}",
                 text=f"Decision on {candidate.name} ({candidate.position.title}): {label}", link=absolute_url(url))
    for person in panel:
        notify(recipient=person, kind=Kind.DECISION, key=f"decision:{decision.pk}:to-{person.pk}",
               text=f"Decision on {candidate.name}: {label}", url=url,
               email={"time_zone": zone_of(person), "template": "decision", "context": {
                   "candidate": candidate, "decision": decision, "label": label, "url": absolute_url(url)}})
