"""Workflows of the question bank: creating questions and publishing revisions."""

from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import SCORE_LEVELS, Question, QuestionRevision, RubricCriterion, ScoreAnchor, Status, rubric_problems

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


def normalise_content(content):
    """The comparable form of a revision's content: the revision fields, the criteria as a
    list of texts and the anchors as a list of four texts (levels 1-4)."""
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
    }


@transaction.atomic
def revision_publish(*, question, content, by=None, note=""):
    """Make ``content`` the question's current revision.

    Returns the new revision, or None when the content equals the current revision's (an
    unchanged save never makes a revision). Earlier revisions are left untouched. A published
    question keeps to the publish rule: content without a full rubric raises
    QuestionNotPublishable (make the question a draft first)."""
    content = normalise_content(content)
    caller_copy = question
    # Lock the question so two editors saving at once get consecutive revision numbers.
    question = Question.objects.select_for_update().get(pk=question.pk)
    current = question.current_revision
    if current is not None and normalise_content(current.text_fields()) == content:
        return None
    if question.status == Status.PUBLISHED:
        _refuse_unpublishable(rubric_problems(criteria=content["criteria"], anchors=content["anchors"]))
    last = question.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = QuestionRevision.objects.create(
        question=question,
        number=last + 1,
        created_by=by,
        change_note=note[:200],
        **{field: content[field] for field in CONTENT_FIELDS},
    )
    RubricCriterion.objects.bulk_create(
        RubricCriterion(revision=revision, position=i, text=text)
        for i, text in enumerate(content["criteria"], 1)
    )
    ScoreAnchor.objects.bulk_create(
        ScoreAnchor(revision=revision, level=level, text=text)
        for level, text in zip(SCORE_LEVELS, content["anchors"])
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


def similar_titles(title, *, exclude_pk=None, threshold=SIMILAR_TITLE_THRESHOLD, limit=5):
    """Questions whose title is close to ``title`` (pg_trgm similarity), most similar first."""
    if not title or not title.strip():
        return []
    qs = (
        Question.objects.annotate(similarity=TrigramSimilarity("title", title))
        .filter(similarity__gte=threshold)
        .order_by("-similarity")
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs[:limit])
