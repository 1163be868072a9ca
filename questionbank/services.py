"""Workflows of the question bank: creating questions and publishing revisions."""

from contextlib import contextmanager

from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from .models import (
    SCORE_LEVELS, Kind, Question, QuestionRevision, RubricCriterion, ScoreAnchor, Status, phase_problems,
    rubric_problems,
)

PHASES_ONLY_FOR_DESIGN = "Only a system design question is scored per phase."
# A title at least this similar (pg_trgm) to another question's gets a warning naming it.
SIMILAR_TITLE_THRESHOLD = 0.5



class QuestionNotPublishable(ValidationError):
    """Publishing was asked for content the publish rule (``rubric_problems``) refuses.
    ``problems`` lists what is missing; the message says it in one sentence. A
    ValidationError, so forms and views that show validation messages show this one too."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(f"This question cannot be published yet: {'; '.join(self.problems)}.", code="unpublishable")


CONTENT_FIELDS = (
    "title", "prompt", "why_we_ask", "model_answer", "key_points", "follow_ups", "minutes",
    "reference_solution", "coding_tests",
)


def _anchor_texts(anchors):
    """Anchors given as {level: text} (keys int or str) or as a list, as a list of texts."""
    anchors = anchors or []
    if isinstance(anchors, dict):
        anchors = [anchors.get(level) or anchors.get(str(level)) or "" for level in SCORE_LEVELS]
    return [(a or "").strip() for a in anchors]


def normalise_phases(phases):
    """A design round's phases in their comparable form: [{name, minutes, focus, criteria
    (texts), anchors (four texts)}], in order; [] for a question without phases."""
    return [
        {
            "name": (phase.get("name") or "").strip(),
            "minutes": int(phase.get("minutes") or 0),
            "focus": (phase.get("focus") or "").strip(),
            "criteria": [c.strip() for c in phase.get("criteria") or [] if c and c.strip()],
            "anchors": _anchor_texts(phase.get("anchors")),
        }
        for phase in phases or []
    ]


def normalise_content(content):
    """The comparable form of a revision's content: the revision fields, the criteria as a
    list of texts, the anchors as a list of four texts (levels 1-4) and a design round's
    phases (``normalise_phases``)."""
    anchors = content.get("anchors") or []
    if isinstance(anchors, dict):
        anchors = [anchors.get(level) or anchors.get(str(level)) or "" for level in SCORE_LEVELS]
    return {
        "title": (content.get("title") or "").strip(),
        "prompt": (content.get("prompt") or "").strip(),
        "why_we_ask": (content.get("why_we_ask") or "").strip(),
        "model_answer": (content.get("model_answer") or "").strip(),
        "key_points": [k.strip() for k in content.get("key_points") or [] if k and k.strip()],
        "follow_ups": [
            {"question": f.get("question", "").strip(), "good_answer": f.get("good_answer", "").strip()}
            for f in content.get("follow_ups") or []
            if f.get("question", "").strip()
        ],
        "minutes": int(content.get("minutes") or 10),
        "reference_solution": (content.get("reference_solution") or "").strip(),
        "coding_tests": content.get("coding_tests") or {},
        "criteria": [c.strip() for c in content.get("criteria") or [] if c and c.strip()],
        "anchors": [(a or "").strip() for a in anchors],
        # None (no "phases" given): as the current revision has them (revision_publish).
        "phases": normalise_phases(content["phases"]) if content.get("phases") is not None else None,
    }


def same_content(revision, content):
    """Whether normalised ``content`` says what ``revision`` says (content without phases
    keeps the revision's: see revision_publish)."""
    was = normalise_content(revision.text_fields())
    return was == (content if content["phases"] is not None else {**content, "phases": was["phases"]})


@transaction.atomic
def revision_publish(*, question, content, by=None, note=""):
    """Make ``content`` the question's current revision.

    Returns the new revision, or None when the content equals the current revision's (an
    unchanged save never makes a revision). Earlier revisions are left untouched. A published
    question keeps to the publish rule, for its own rubric and each phase's: content without
    a full rubric raises QuestionNotPublishable (make the question a draft first).

    ``content`` without a "phases" key keeps the current revision's phases (the question
    editor and the API edit the rest of a design round; the bank files and the JSON import
    give the phases); "phases": [] removes them, as does a change of kind away from design.
    Phases given for a question of another kind raise ValidationError."""
    caller_copy = question
    # Lock the question so two editors saving at once get consecutive revision numbers.
    question = Question.objects.select_for_update().get(pk=question.pk)
    current = question.current_revision
    content = normalise_content(content)
    given = content["phases"] is not None
    if given and content["phases"] and question.kind != Kind.DESIGN:
        raise ValidationError(PHASES_ONLY_FOR_DESIGN, code="phases")
    if current is not None:
        was = normalise_content(current.text_fields())
        if not given:  # kept, unless the question is no longer a design question
            content["phases"] = was["phases"] if question.kind == Kind.DESIGN else []
        if was == content:
            return None
    content["phases"] = content["phases"] or []
    if question.status == Status.PUBLISHED:
        _refuse_unpublishable(rubric_problems(criteria=content["criteria"], anchors=content["anchors"])
                              + phase_problems(content["phases"]))
    last = question.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = QuestionRevision.objects.create(
        question=question,
        number=last + 1,
        created_by=by,
        change_note=note[:200],
        phases=[{k: phase[k] for k in ("name", "minutes", "focus")} for phase in content["phases"]],
        **{field: content[field] for field in CONTENT_FIELDS},
    )
    # The question's own rubric (phase None), then each phase's; positions run on through the
    # revision (RubricCriterion).
    rubrics = [(None, content["criteria"], content["anchors"])] + [
        (n, phase["criteria"], phase["anchors"]) for n, phase in enumerate(content["phases"])]
    criteria = [(phase, text) for phase, texts, _ in rubrics for text in texts]
    RubricCriterion.objects.bulk_create(
        RubricCriterion(revision=revision, phase=phase, position=i, text=text)
        for i, (phase, text) in enumerate(criteria, 1)
    )
    ScoreAnchor.objects.bulk_create(
        ScoreAnchor(revision=revision, phase=phase, level=level, text=text)
        for phase, _, anchors in rubrics
        for level, text in zip(SCORE_LEVELS, anchors)
        if text  # documents imported without anchors get them from the author later
    )
    question.current_revision = revision
    question.title = revision.title
    question.save(update_fields=["current_revision", "title", "updated_at"])
    question.refresh_search_vector()
    # Keep the caller's instance in step with the database.
    caller_copy.current_revision, caller_copy.title = revision, revision.title
    return revision


@transaction.atomic
def question_create(*, slug, area, kind, level, roles, content, status=Status.DRAFT, by=None, note="Created"):
    """Create a question with its first revision. Raises QuestionNotPublishable (and creates
    nothing) when asked to publish content that the publish rule refuses."""
    question = Question.objects.create(
        slug=slug, area=area, kind=kind, level=level, roles=list(roles), status=Status.DRAFT
    )
    revision_publish(question=question, content=content, by=by, note=note)
    if status != Status.DRAFT:
        question_set_status(question=question, status=status)
    return question


@transaction.atomic
def question_update(*, question, area, kind, level, roles, content, by=None, note=""):
    """Save an edit of a question: its identity (area, kind, level, roles) in place, its words
    and rubric as a new revision when they changed (``revision_publish``). Returns
    ``(revision or None, identity_changed)``. A published question keeps to the publish rule
    (QuestionNotPublishable, nothing saved)."""
    identity = {"area": area, "kind": kind, "level": level, "roles": list(roles)}
    identity_changed = any(getattr(question, k) != v for k, v in identity.items())
    if identity_changed:
        for k, v in identity.items():
            setattr(question, k, v)
        question.save(update_fields=[*identity, "updated_at"])
    revision = revision_publish(question=question, content=content, by=by, note=note)
    return revision, identity_changed


def question_set_status(*, question, status):
    """Draft, publish or retire a question. Publishing follows the publish rule
    (``Question.publish_problems``): QuestionNotPublishable names what is missing."""
    if status == Status.PUBLISHED:
        _refuse_unpublishable(question.publish_problems())
    question.status = status
    question.save(update_fields=["status", "updated_at"])
    return question


def _refuse_unpublishable(problems):
    if problems:
        raise QuestionNotPublishable(problems)


@contextmanager
def trigram_threshold(threshold):
    """Reads inside run with pg_trgm's ``%`` operator at ``threshold`` (its default is 0.3), so
    that ``title % x`` finds through the title's GIN index (``qb_question_title_trgm``) the
    questions at that similarity or above. The setting is local to a savepoint that is rolled
    back at the end: releasing it would keep a SET LOCAL until the caller's transaction ends
    (a request's, a test's), rolling back undoes it. So only reads belong inside. Raw SQL for
    ``set_config``, which the ORM does not speak; it is what lets the index serve the check:
    1.1-1.8 s down to 20-35 ms per title on the bench's 100k questions (similar_titles)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(threshold)])
        yield
        transaction.set_rollback(True)


def similar_titles(title, *, exclude_pk=None, threshold=SIMILAR_TITLE_THRESHOLD, limit=5):
    """Questions whose title is close to ``title`` (pg_trgm similarity), most similar first,
    then oldest first. On the bench's 100k questions (5 December, a loaded machine): 20-35 ms
    for a title with no close question, 90-140 ms for one with 300-400, where comparing every
    title took 1.1-1.8 s (docs/performance.md)."""
    if not title or not title.strip():
        return []
    with trigram_threshold(threshold):
        return list(similar_titles_query(title, threshold=threshold, exclude_pk=exclude_pk)[:limit])


def similar_titles_query(title, *, threshold, exclude_pk=None):
    """The questions of ``similar_titles``, for a ``trigram_threshold`` block. ``%``
    (``trigram_similar``) lets the title's GIN index find the candidates, which
    ``similarity() >= x`` alone cannot: it is computed for every question. ``%`` is that same
    comparison with the setting; the explicit one keeps the answer right outside the block
    (with the default 0.3, for a threshold above it) and cost nothing measurable."""
    qs = (
        Question.objects.filter(title__trigram_similar=title)
        .annotate(similarity=TrigramSimilarity("title", title))
        .filter(similarity__gte=threshold)
        .order_by("-similarity", "pk")
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs
