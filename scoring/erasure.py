"""Erasing a candidate's personal data on request, keeping anonymous scores for calibration.

``candidate_erasure_preview`` counts what ``candidate_erase`` changes, from the same
querysets, so the admin's confirmation page says exactly what the erasure will do."""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.text import slugify

from accounts.models import AuditEvent, audit
from interviews.models import Candidate, Interview, InterviewQuestion
from mail.models import Message
from notifications.models import Notification, WebhookDelivery

from .events import candidate_erased_publish
from .models import Amendment, Decision, QuestionScore, Scorecard

ERASED = "[erased]"
# Shorter names are not looked for inside log texts: "Al" would match every "Alert".
MIN_SEARCHED_LENGTH = 4


def _erased_name(candidate):
    return f"Erased candidate {candidate.pk}"


def _identifiers(candidate):
    """What names the candidate inside log texts: the name, its slug (URLs and the
    comparison's column keys carry it) and the email. Nothing once erased: the placeholder
    name would match other erased candidates ("Erased candidate 1" in "... 12")."""
    if candidate.name == _erased_name(candidate):
        return []
    found = {candidate.name.strip(), slugify(candidate.name), candidate.email.strip()}
    return sorted(value for value in found if len(value) >= MIN_SEARCHED_LENGTH)


def _any(conditions):
    """The OR of ``conditions`` (at least one)."""
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def _mentions(value, identifiers):
    folded = value.casefold()
    return any(identifier.casefold() in folded for identifier in identifiers)


def _scrubbed(value, identifiers):
    """A JSON value with every string (key or value) that names the candidate replaced."""
    if isinstance(value, str):
        return ERASED if _mentions(value, identifiers) else value
    if isinstance(value, list):
        return [_scrubbed(item, identifiers) for item in value]
    if isinstance(value, dict):
        return {_scrubbed(key, identifiers): _scrubbed(item, identifiers) for key, item in value.items()}
    return value


class _Rows:
    """The rows of one candidate that hold personal data, as querysets (read lazily)."""

    def __init__(self, candidate):
        self.candidate = candidate
        self.identifiers = _identifiers(candidate)
        self.interviews = Interview.objects.filter(candidate=candidate)
        self.cards = Scorecard.objects.filter(interview__candidate=candidate)
        self.scores = QuestionScore.objects.filter(scorecard__in=self.cards)
        self.questions = InterviewQuestion.objects.filter(interview__candidate=candidate)
        self.ad_hoc = self.questions.filter(added_by__isnull=False)
        self.decisions = Decision.objects.filter(candidate=candidate)
        self.amendments = Amendment.objects.filter(scorecard__in=self.cards)
        # The comparison's column key of each ad-hoc competency ("Yolanda-specific" gives
        # "c-yolanda-specific"): exports of the position record it when sorted by it.
        self.position_target = f"position {candidate.position_id}"
        self.column_keys = sorted(
            f"c-{key}" for key in {slugify(name) for name in self.ad_hoc.values_list("competency", flat=True)}
            if len(key) >= MIN_SEARCHED_LENGTH and key != slugify(ERASED)
        )

    def told_about(self):
        """The keys of what was sent about the candidate (notifications, mail, chat posts): they
        name an interview as ":interview-<pk>:" and a decision as "decision:<pk>:"."""
        about = Q(pk__in=[])
        for pk in self.interviews.values_list("pk", flat=True):
            about |= Q(key__contains=f":interview-{pk}:")
        for pk in self.decisions.values_list("pk", flat=True):
            about |= Q(key__contains=f"decision:{pk}:")
        return about

    def identifiers_in(self, event):
        """What names the candidate in this audit event."""
        return self.identifiers + (self.column_keys if event.target == self.position_target else [])

    def admin_log(self):
        """Entries about the candidate or anything of theirs the admin shows (their
        ``object_repr`` is the candidate's name for most), and any entry naming them: the
        object of a deleted interview can no longer be traced by id."""

        def about(model, queryset):
            ids = queryset.annotate(text_id=Cast("pk", TextField())).values("text_id")
            return Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)

        match = (Q(content_type=ContentType.objects.get_for_model(Candidate), object_id=str(self.candidate.pk))
                 | about(Interview, self.interviews) | about(Scorecard, self.cards) | about(Decision, self.decisions)
                 | about(Amendment, self.amendments) | about(InterviewQuestion, self.questions)
                 | about(QuestionScore, self.scores))
        for identifier in self.identifiers:
            match |= Q(object_repr__icontains=identifier) | Q(change_message__icontains=identifier)
        return LogEntry.objects.filter(match)

    def audit_events(self):
        """Audit events whose target or detail names the candidate (the comparison export
        records its sort, which can be a column named after an ad-hoc competency). Events
        about the candidate otherwise carry ids only. This reads the whole log: an erasure is
        rare, the log is not indexed for text."""
        if not self.identifiers and not self.column_keys:
            return AuditEvent.objects.none()
        match = Q(pk__in=[])
        for identifier in self.identifiers:
            match |= Q(target__icontains=identifier) | Q(detail_text__icontains=identifier)
        for key in self.column_keys:
            match |= Q(target=self.position_target, detail_text__icontains=key)
        return AuditEvent.objects.annotate(detail_text=Cast("detail", TextField())).filter(match)


def candidate_erasure_preview(*, candidate):
    """What erasing ``candidate`` removes and what it keeps, as (label, count or yes/no)
    pairs, for the confirmation page."""
    rows = _Rows(candidate)
    cards = rows.cards.values_list("summary", "recommendation")

    def yes_no(value):
        return "yes" if value else "no"

    return {
        "erase": [
            ("Email address", yes_no(candidate.email)),
            ("Source", yes_no(candidate.source)),
            ("Candidate notes", yes_no(candidate.notes)),
            ("CV file", yes_no(candidate.cv_file)),
            ("CV link", yes_no(candidate.cv_url)),
            ("Question notes", rows.scores.exclude(notes="").count()),
            ("Skip reasons", rows.scores.filter(skipped=True).exclude(skip_reason=ERASED).count()),
            ("Scorecard summaries", sum(1 for summary, _ in cards if summary and summary != ERASED)),
            ("Ad-hoc questions (text and competency)", rows.ad_hoc.exclude(competency=ERASED).count()),
            ("Cancel reasons", rows.interviews.exclude(cancel_reason="").exclude(cancel_reason=ERASED).count()),
            ("Decision rationales", rows.decisions.exclude(rationale=ERASED).count()),
            ("Amendments (reasons and text values)", rows.amendments.exclude(reason=ERASED).count()),
            ("Admin-log entries", rows.admin_log().exclude(object_repr=ERASED).count()),
            ("Audit events naming them", rows.audit_events().count()),
        ],
        "keep": [
            ("Interviews (dates and status)", rows.interviews.count()),
            ("Scores", rows.scores.filter(score__isnull=False).count()),
            ("Recommendations", sum(1 for _, recommendation in cards if recommendation)),
            ("Decisions", rows.decisions.count()),
        ],
    }


@transaction.atomic
def candidate_erase(*, candidate, by):
    """Remove the candidate's name, email, source, CV (link and file), ATS id and every free text
    written about them: candidate notes; question notes and skip reasons; scorecard
    summaries; the text and competency of ad-hoc questions; interview cancel reasons;
    decision rationales and override reasons; amendment reasons and text values; admin-log entries and audit
    events naming them. Scores, recommendations, decisions and dates stay, attached to an
    anonymous candidate, so calibration keeps its data. Irreversible.

    One transaction: a failure changes nothing. The CV file goes only once it has committed,
    so a rolled-back erasure never leaves a row pointing to a deleted file."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    external_id = candidate.external_id  # the ATS's id, told in candidate.erased
    rows = _Rows(candidate)  # before the name changes: the logs are searched for it
    cv_file = candidate.cv_file.name
    candidate.name = _erased_name(candidate)
    candidate.email = ""
    candidate.notes = ""
    candidate.cv_url = ""
    candidate.source = ""
    candidate.cv_file = ""
    candidate.external_id = ""  # the ATS's id points at the person there: told once (candidate.erased), then gone
    candidate.save(update_fields=["name", "email", "notes", "cv_url", "source", "cv_file", "external_id"])

    # A skipped question must keep a reason (scoring_skip_has_reason_and_no_score).
    rows.scores.filter(skipped=True).update(notes="", skip_reason=ERASED)
    rows.scores.filter(skipped=False).update(notes="", skip_reason="")
    rows.cards.exclude(summary="").update(summary=ERASED)
    # A question needs a revision or a text (iv_question_has_revision_or_text).
    rows.questions.exclude(free_text="").update(free_text=ERASED)
    rows.ad_hoc.update(competency=ERASED)
    rows.interviews.exclude(cancel_reason="").update(cancel_reason=ERASED)
    rows.decisions.update(rationale=ERASED)
    # An override keeps a reason (scoring_decision_override_has_reason), as a skip does.
    rows.decisions.exclude(override_reason="").update(override_reason=ERASED)
    for amendment in rows.amendments:
        changes = {"reason": ERASED}
        # Scores (numbers) and recommendations (choices) are not personal; texts are.
        if amendment.field != "recommendation":
            if isinstance(amendment.old_value, str):
                changes["old_value"] = ERASED
            if isinstance(amendment.new_value, str):
                changes["new_value"] = ERASED
        Amendment.objects.filter(pk=amendment.pk).update(**changes)
    rows.admin_log().update(object_repr=ERASED, change_message="")
    # The audit log is append-only for everyone else (AuditEvent.save refuses); erasure is
    # the one rewrite allowed, of the texts that name the candidate, never of who or when.
    for event in rows.audit_events():
        identifiers = rows.identifiers_in(event)
        AuditEvent.objects.filter(pk=event.pk).update(
            target=ERASED if _mentions(event.target, identifiers) else event.target,
            detail=_scrubbed(event.detail, identifiers),
        )

    # What Panelist told people about the candidate names them (the bell's notifications, the
    # outbox's messages and their calendar files, the chat posts): deleted, found by their keys,
    # which name the candidate's interviews and decisions.
    about = rows.told_about()
    named = [Q(key__in=[])] + [Q(text__icontains=i) for i in rows.identifiers]  # also about deleted interviews
    Notification.objects.filter(about | _any(named)).delete()
    Message.objects.filter(about | _any([Q(subject__icontains=i) | Q(text__icontains=i) for i in rows.identifiers]
                                        + [Q(key__in=[])])).delete()
    WebhookDelivery.objects.annotate(body_text=Cast("body", TextField())).filter(
        about | _any([Q(body_text__icontains=i) for i in rows.identifiers] + [Q(key__in=[])])).delete()

    audit(actor=by, action="candidate.erase", target=f"candidate {candidate.pk}")
    candidate_erased_publish(candidate_id=candidate.pk, external_id=external_id, position_id=candidate.position_id)
    # No page caches its data (docs/performance.md); this process's cache is cleared anyway,
    # once the erasure commits, so that nothing cached later can keep the erased texts.
    if cv_file:
        storage = candidate.cv_file.storage

        def delete_cv_file():
            storage.delete(cv_file)

        # robust: a file that cannot be deleted is logged, and the cache is still cleared.
        transaction.on_commit(delete_cv_file, robust=True)
    transaction.on_commit(cache.clear)
    return candidate
