"""The live interview page, its autosave endpoint and its form posts (for no JavaScript)."""

import json
import re
import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from interviews.models import Interview, InterviewStatus
from interviews.plan_forms import default_competency
from questionbank.models import Question, RubricCriterion, ScoreAnchor
from questionbank.reference import reference_block
from questionbank.selectors import quick_search

from ..models import SCORE_LABELS
from ..services import (
    MAX_AD_HOC_QUESTIONS, ScoreError, StaleVersion, Submitted, adhoc_add, autosave_apply, autosave_lookup, clean_state,
    score_write, scorecard_open, state_of,
)

# Used with fullmatch: "$" would also match before a trailing newline, letting a 65th character through.
KEY_RE = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_BODY = 64 * 1024
# How much of a title the question rail shows.
RAIL_TITLE_CHARS = 60


def interview_for_panelist(request, pk):
    """The interview if the user is on its panel, else 404 (other people's interviews do not
    exist for them). Shared by the scorecard views."""
    return get_object_or_404(
        Interview.objects.for_interviewer(request.user).select_related("candidate__position"), pk=pk
    )


def refuse_cancelled(request, interview, *, typed=""):
    """A cancelled interview is not scored: back to the interview, saying so, and saying back
    what was typed so that it is not lost."""
    text = "This interview was cancelled, so it is not scored: nothing was saved."
    if typed.strip():
        text += f" What you typed: “{typed.strip()[:500]}”."
    messages.error(request, text)
    return redirect(interview)


def _question_views(card, overlay=None):
    """What the template needs per question of the scorecard, with ``overlay`` (question id ->
    state) shown instead of the saved values where a form post was refused, so nothing typed
    is lost. Three queries whatever the number of questions: the score rows with their
    questions and revisions, then the revisions' rubric criteria, then their anchors. The model
    answer is not shown; a coding or SQL question's reference solution and tests are, collapsed
    (live_reference.html), so the interviewer need not open the bank mid-interview.

    Each question is one flat dict of plain values (no model instance, no nested state): the
    template looks each name up in one step, where a model's attribute costs a failed
    ``obj[name]`` first (an exception) and a name missing from a dict costs several. Criteria
    and anchors are read as value tuples, not prefetched instances (~0.7 ms less than the
    prefetch). With 10 questions, 70 key points, 30 criteria and 40 levels (the bench
    interview) this and the template's unescaped numbers take the page from 8.2-9.7x the bare
    read to 6.9-7.7x in paired runs (docs/performance.md)."""
    # Sorted here rather than by order_by(): ordering on the joined question, and the anchors'
    # default order (by revision, which orders by the revision's question and number, two more
    # joins), cost ~0.6 ms of query building and planning on the bench interview.
    rows = sorted(card.scores.select_related("question__revision").order_by(),
                  key=lambda row: (row.question.order, row.question_id))
    revision_ids = [row.question.revision_id for row in rows if row.question.revision_id]
    # Criteria and anchors by (revision, phase): a design round's phase reads its own, the
    # round as a whole (phase None) and every other question the question's own.
    criteria, anchors = {}, {}
    for revision_id, _position, phase, pk, text in sorted(
        RubricCriterion.objects.filter(revision_id__in=revision_ids).order_by()
        .values_list("revision_id", "position", "phase", "pk", "text")
    ):
        criteria.setdefault((revision_id, phase), []).append((pk, text))
    for revision_id, phase, level, text in (ScoreAnchor.objects.filter(revision_id__in=revision_ids).order_by()
                                            .values_list("revision_id", "phase", "level", "text")):
        anchors.setdefault((revision_id, phase), {})[level] = text
    overlay = overlay or {}
    views = []
    for n, row in enumerate(rows, 1):
        question, revision = row.question, row.question.revision
        state = overlay.get(row.question_id) or state_of(row)
        met, hit, score = state["criteria"], state["key_points"], state["score"]
        rubric = (question.revision_id, question.phase)
        level_texts = anchors.get(rubric, {})
        title = question.title
        phase = revision.phases[question.phase] if question.phase is not None else None
        views.append({
            "n": n, "pk": question.pk, "title": title, "rail_title": _rail_title(title, question.phase_name),
            "section": question.section,
            "competency": question.competency, "minutes": question.minutes, "required": question.required,
            "ad_hoc": question.ad_hoc, "answered": row.is_answered,
            "prompt": revision.prompt if revision else question.free_text,
            "why_we_ask": revision.why_we_ask if revision else "",
            "follow_ups": revision.follow_ups if revision else [],
            # What a coding or SQL question needs during the interview; the model answer stays
            # off this page (the candidate may see the screen; the rubric is what is scored).
            "reference": reference_block(revision.reference_solution, revision.coding_tests) if revision else None,
            # Each box a dict (one loop variable costs less than unpacking a tuple per box) with
            # its element id, for its label, written out here once rather than assembled twice
            # per box in the template (~0.7 ms over the bench interview's 140 boxes and 40 levels).
            # A phase of a design round: its name and what the interviewer steers to. Its key
            # points stay with the round as a whole (the phase scores its own criteria).
            "phase": phase["name"] if phase else "", "focus": phase["focus"] if phase else "",
            "key_points": [{"value": i, "id": f"kp-{n}-{i}", "text": text, "checked": i in hit}
                           for i, text in enumerate(revision.key_points or [])] if revision and not phase else [],
            "criteria": [{"value": pk, "id": f"cr-{n}-{pk}", "text": text, "checked": pk in met}
                         for pk, text in criteria.get(rubric, [])],
            "anchors": [{"level": level, "id": f"score-{n}-{level}", "text": level_texts.get(level, ""), "label": label,
                         "checked": score == level} for level, label in SCORE_LABELS.items()],
            "score": score, "skipped": state["skipped"], "skip_reason": state["skip_reason"], "notes": state["notes"],
            "seconds": state["seconds"], "version": state["version"],
        })
    return views


def _rail_title(title, phase=""):
    """The title as ``truncatechars:60`` writes it, without its cost (~20 us a title) for the
    usual short title: one already in NFC form of at most 60 characters comes back unchanged.
    A part of a design round (``phase``: "Data", "Overall") keeps its phase at the end of a
    long title: the question's words are cut instead."""
    if len(title) <= RAIL_TITLE_CHARS and unicodedata.is_normalized("NFC", title):
        return title
    if phase:
        suffix = f" · {phase}"
        return Truncator(title[:-len(suffix)]).chars(RAIL_TITLE_CHARS - len(suffix)) + suffix
    return Truncator(title).chars(RAIL_TITLE_CHARS)


def _render_live(request, interview, card, *, current=1, overlay=None, status=200):
    views = _question_views(card, overlay)
    current = min(max(current, 1), max(len(views), 1))
    add_text = request.GET.get("add", "").strip()[:100]
    add_results = []
    if add_text:
        add_results, _mode = quick_search(add_text, limit=8)
    planned = sum(v["minutes"] for v in views)
    return render(request, "scoring/live.html", {
        "interview": interview, "card": card, "questions": views, "current": current, "total": len(views),
        # Reversed once here, not once per question in the template.
        "save_url": reverse("scoring:live_save", args=[interview.pk]),
        "scorecard_url": reverse("scoring:scorecard", args=[interview.pk]),
        "planned_minutes": planned, "add_text": add_text, "add_results": add_results,
        "answered_count": sum(1 for v in views if v["answered"]),
    }, status=status)


@permission_required("scoring.add_scorecard", raise_exception=True)
def live(request, pk):
    interview = interview_for_panelist(request, pk)
    if interview.is_cancelled:
        messages.error(request, "This interview was cancelled, so there is nothing to score.")
        return redirect(interview)
    card = scorecard_open(interview=interview, interviewer=request.user)
    if card.is_submitted:
        messages.info(request, "You have submitted this scorecard; it is read-only now.")
        return redirect("scoring:scorecard", pk=interview.pk)
    try:
        current = int(request.GET.get("q", 1))
    except ValueError:
        current = 1
    return _render_live(request, interview, card, current=current)


def _form_state(post):
    """One question's state from a plain form post. Ticking "Skipped" drops the score: without
    JavaScript a chosen radio button cannot be un-chosen, so skipping a question scored by
    mistake must not need it (the script clears the score the same way)."""
    def ints(name):
        # _int_or_none: "²" passes isdigit() but not int(), nor do thousands of digits.
        return [n for n in map(_int_or_none, post.getlist(name)) if n is not None]

    try:
        seconds = int(post.get("seconds") or 0)
    except ValueError:
        seconds = 0
    skipped = post.get("skipped") == "on"
    return {
        "score": None if skipped else post.get("score") or None, "skipped": skipped,
        "skip_reason": post.get("skip_reason", ""), "criteria": ints("criteria"), "key_points": ints("key_points"),
        "notes": post.get("notes", ""), "seconds": seconds,
    }


@require_POST
@permission_required("scoring.add_scorecard", raise_exception=True)
def live_save(request, pk):
    """Save one question from a plain form post (the page without JavaScript)."""
    interview = interview_for_panelist(request, pk)
    if interview.is_cancelled:
        return refuse_cancelled(request, interview, typed=request.POST.get("notes", ""))
    card = scorecard_open(interview=interview, interviewer=request.user)
    # _int_or_none: a question or position that is not a whole number is no question (404) or the first.
    row = get_object_or_404(card.scores.select_related("question__revision"),
                            question_id=_int_or_none(request.POST.get("question")) or 0)
    position = _int_or_none(request.POST.get("position")) or 1
    raw = _form_state(request.POST)
    rev, phase = row.question.revision, row.question.phase
    try:
        state = clean_state(
            raw, criteria_ids=list(rev.criteria.filter(phase=phase).values_list("pk", flat=True)) if rev else [],
            key_point_count=len(rev.key_points) if rev and phase is None else 0,
        )
        base = int(request.POST.get("version", ""))
        score_write(score_row=row, base=base, state=state)
    except (ScoreError, ValueError) as exc:
        messages.error(request, f"Not saved: {exc}.")
        return _render_live(request, interview, card, current=position,
                            overlay={row.question_id: {**raw, "score": _int_or_none(raw["score"]), "version": row.version}},
                            status=400)
    except StaleVersion:
        messages.warning(
            request,
            "Not saved: this question was changed in another tab or device after you opened it. "
            "The newer version is shown below; your notes were: “" + (raw["notes"][:500] or "(empty)") + "”.",
        )
        return _render_live(request, interview, card, current=position, status=409)
    except Submitted:
        messages.error(request, "This scorecard is submitted and read-only; use an amendment to change it.")
        return redirect("scoring:scorecard", pk=interview.pk)
    go = request.POST.get("go")
    target = position + 1 if go == "next" else position - 1 if go == "previous" else position
    messages.success(request, f"Saved at {timezone.localtime():%H:%M:%S}.")
    return redirect(f"{reverse('scoring:live', args=[interview.pk])}?q={max(target, 1)}")


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _error(status, code, message, **extra):
    return JsonResponse({"ok": False, "error": code, "message": message, **extra}, status=status)


@require_POST
def autosave(request, pk):
    """Save one question's state from the live page's script.

    Four queries: session, user, one lookup (row, ownership, the role's permission, rubric,
    receipt) and one statement that applies the change and writes the idempotency receipt.
    A user without the Interviewers role's ``scoring.add_scorecard`` gets a JSON 403; the
    lookup reads that permission itself instead of ``@permission_required``, whose two
    queries the autosave budget cannot afford (services.autosave_lookup).
    See docs/autosave.md for the protocol."""
    # Only a JSON body is read. A form post (multipart) over DATA_UPLOAD_MAX_MEMORY_SIZE has
    # already been parsed from the stream by RefuseUnstorableCharactersMiddleware, which cannot
    # keep a body that large, so request.body would raise (a 500); refuse it before touching it.
    if request.content_type != "application/json":
        return _error(415, "not_json", "Send the change as JSON (Content-Type: application/json).")
    # The length first: request.body itself raises (a bare 400 page) over DATA_UPLOAD_MAX_MEMORY_SIZE.
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY or len(request.body) > MAX_BODY:
        return _error(413, "too_large", "The change is too large to save.")
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "bad_json", "The request is not valid JSON.")
    except RecursionError:  # nesting deeper than the parser's recursion limit, well within MAX_BODY
        return _error(400, "bad_json", "The request nests too deeply to be a change of one question.")
    if not isinstance(payload, dict):
        return _error(400, "bad_request", "The request must be a JSON object.")
    key, question, base = payload.get("key"), payload.get("question"), payload.get("version")
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        return _error(400, "bad_key", "The idempotency key must be 8-64 letters, digits, - or _.")
    if isinstance(question, bool) or not isinstance(question, int) or isinstance(base, bool) or not isinstance(base, int):
        return _error(400, "bad_request", "question and version must be whole numbers.")
    row = autosave_lookup(interview_id=pk, user_id=request.user.pk, question_id=question, key=key)
    if row is None or not (row["may_score"] or request.user.is_superuser):
        if not request.user.has_perm("scoring.add_scorecard"):
            raise PermissionDenied  # config.views.forbidden answers JSON, as for the other views
        return _error(404, "not_found", "There is no such question on your scorecard for this interview.")
    if row["replay_version"] is not None:
        return JsonResponse({"ok": True, "version": row["replay_version"], "replayed": True})
    if row["interview_status"] == InterviewStatus.CANCELLED:
        return _error(409, "cancelled", "This interview was cancelled, so it is not scored; nothing more can be saved here.")
    if row["card_status"] == "submitted":
        return _error(409, "submitted", "This scorecard is submitted and read-only; nothing more can be saved here.")
    try:
        state = clean_state(payload.get("state"), criteria_ids=row["criteria_ids"], key_point_count=row["key_point_count"])
    except ScoreError as exc:
        return _error(400, "invalid", f"Not saved: {exc}.")
    if base != row["version"]:
        return _error(409, "conflict", "This question was changed in another tab or device. The newer version is shown; "
                      "your change was not saved.", current=state_of(row))
    try:
        version = autosave_apply(row=row, key=key, base=base, state=state)
    except StaleVersion as exc:
        return _error(409, "conflict", "This question was changed in another tab or device. The newer version is shown; "
                      "your change was not saved.", current=exc.current)
    except Submitted:
        return _error(409, "submitted", "This scorecard is submitted and read-only; nothing more can be saved here.")
    return JsonResponse({"ok": True, "version": version})


@require_POST
@permission_required("scoring.add_scorecard", raise_exception=True)
def adhoc(request, pk):
    """Add a question during the interview: from the bank (slug) or as free text."""
    interview = interview_for_panelist(request, pk)
    if interview.is_cancelled:
        return refuse_cancelled(request, interview, typed=request.POST.get("free_text", ""))
    card = scorecard_open(interview=interview, interviewer=request.user)
    if card.is_submitted:
        messages.error(request, "This scorecard is submitted; questions can no longer be added.")
        return redirect("scoring:scorecard", pk=interview.pk)
    slug, text = request.POST.get("slug", "").strip(), request.POST.get("free_text", "").strip()
    competency = request.POST.get("competency", "").strip()[:80] or "Ad hoc"
    if slug:
        question = Question.objects.published().select_related("current_revision").filter(slug=slug).first()
        if question is None:
            messages.error(request, "That question is not in the published bank.")
            return redirect("scoring:live", pk=interview.pk)
        revision = question.current_revision
        # The name plans give a question of its kind (interviews/plan_forms.py), so the debrief
        # and the comparison group it with the plan's competencies.
        competency = request.POST.get("competency", "").strip()[:80] or default_competency(question)
    elif text:
        if len(text) > 2000:
            messages.error(request, "Keep an ad-hoc question under 2000 characters.")
            return redirect("scoring:live", pk=interview.pk)
        revision = None
    else:
        messages.error(request, "Pick a question from the bank or type the question you asked.")
        return redirect("scoring:live", pk=interview.pk)
    try:
        added = adhoc_add(scorecard=card, revision=revision, free_text="" if revision else text, competency=competency)
    except ScoreError:
        messages.error(request, f"Not added: a scorecard takes at most {MAX_AD_HOC_QUESTIONS} added questions, and "
                                "yours has that many. Note the question in the notes of a question you have added.")
        return redirect("scoring:live", pk=interview.pk)
    position = card.scores.filter(question__order__lte=added.order).count()
    messages.success(request, f"Added “{added.title}” to your scorecard.")
    return redirect(f"{reverse('scoring:live', args=[interview.pk])}?q={position}")
