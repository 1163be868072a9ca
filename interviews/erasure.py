"""Erasing a candidate's personal data on request, keeping anonymous scores for calibration."""

from django.core.cache import cache
from django.db import transaction

from scoring.models import Amendment, Decision, QuestionScore, Scorecard, audit

from .models import Candidate, Interview

ERASED = "[erased]"


@transaction.atomic
def candidate_erase(*, candidate, by):
    """Remove the candidate's name, email, CV and every free-text note written about them
    (candidate notes, interview notes and summaries, decision rationales, amendment texts).
    Scores, recommendations, decisions and dates stay, attached to an anonymous candidate,
    so calibration keeps its data. Irreversible."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.cv_file:
        candidate.cv_file.delete(save=False)
    candidate.name = f"Erased candidate {candidate.pk}"
    candidate.email = ""
    candidate.notes = ""
    candidate.cv_url = ""
    candidate.source = ""
    candidate.cv_file = ""
    candidate.save(update_fields=["name", "email", "notes", "cv_url", "source", "cv_file"])
    cards = Scorecard.objects.filter(interview__candidate=candidate)
    QuestionScore.objects.filter(scorecard__in=cards).update(notes="", skip_reason="")
    cards.update(summary=ERASED)
    Interview.objects.filter(candidate=candidate).exclude(cancel_reason="").update(cancel_reason=ERASED)
    Decision.objects.filter(candidate=candidate).update(rationale=ERASED)
    for amendment in Amendment.objects.filter(scorecard__in=cards):
        changes = {}
        if isinstance(amendment.old_value, str) and amendment.field != "recommendation":
            changes["old_value"] = ERASED
        if isinstance(amendment.new_value, str) and amendment.field != "recommendation":
            changes["new_value"] = ERASED
        changes["reason"] = ERASED
        Amendment.objects.filter(pk=amendment.pk).update(**changes)
    audit(actor=by, action="candidate.erase", target=f"candidate {candidate.pk}")
    # Cached pages (docs/performance.md, Caching) are keyed by their data's version, so none
    # holding the erased texts is served again; this process drops them at once as well, and
    # other processes' copies expire within the cache's 10 minutes without being read.
    transaction.on_commit(cache.clear)
    return candidate
