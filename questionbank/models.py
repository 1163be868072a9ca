"""The question bank: questions with a stable identity and immutable revisions."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from django.urls import reverse

SEARCH_CONFIG = "english"
SCORE_LEVELS = (1, 2, 3, 4)
# What each level is called on the pages that show anchors.
ANCHOR_LABELS = {1: "Poor", 2: "Weak", 3: "Good", 4: "Excellent"}
# The publish rule: a question is published only when its current revision has at least this
# many rubric criteria and an anchor for every score level (rubric_problems).
MIN_PUBLISH_CRITERIA = 2
# The minutes a question takes (first, last), inclusive: its database constraint, the authoring
# form and the importer use this pair; plans take the same range for their items.
QUESTION_MINUTES = (1, 120)


def rubric_problems(*, criteria, anchors):
    """What stops words with these rubric criteria and anchors (texts) from being published;
    empty when nothing does. The one publish rule: the publish button, the services that
    create questions or change their status, the import preview and the admin all ask it."""
    problems = []
    if sum(1 for text in criteria if text and text.strip()) < MIN_PUBLISH_CRITERIA:
        problems.append(f"it needs at least {MIN_PUBLISH_CRITERIA} rubric criteria")
    if sum(1 for text in anchors if text and text.strip()) < len(SCORE_LEVELS):
        problems.append("it needs an anchor for every level 1-4")
    return problems


def phase_problems(phases):
    """The publish rule for each phase of a design round: ``phases`` as the services take them
    ([{name, criteria: [texts], anchors: [texts]}]); each problem names its phase."""
    return [f"the {phase.get('name') or f'phase {n}'} phase: {problem}"
            for n, phase in enumerate(phases, 1)
            for problem in rubric_problems(criteria=phase.get("criteria") or [], anchors=phase.get("anchors") or [])]


class Area(models.TextChoices):
    FUNDAMENTALS = "fundamentals", "Fundamentals"
    DATA = "data", "Data and features"
    ALGORITHMS = "algorithms", "Algorithms"
    EVALUATION = "evaluation", "Evaluation"
    DEEP_LEARNING = "deep-learning", "Deep learning"
    DOMAINS = "domains", "Domains"
    PRODUCTION = "production", "Production and MLOps"
    CODING_DESIGN = "coding-design", "General coding"
    EXPERIENCE = "experience", "Behavioural"
    LLM = "llm", "LLMs and generative AI"
    SYSTEM_DESIGN = "system-design", "ML system design"
    ML_CODING = "ml-coding", "ML coding"
    SQL = "sql", "SQL and data analysis"
    EXPERIMENTATION = "experimentation", "Experimentation and statistics"
    RESPONSIBLE_AI = "responsible-ai", "Responsible AI"
    RESEARCH = "research", "Research skills"


class Kind(models.TextChoices):
    CONCEPT = "concept", "Concept"
    APPLIED = "applied", "Applied"
    CODING = "coding", "Coding"
    DESIGN = "design", "System design"
    EXPERIENCE = "experience", "Experience"
    SQL = "sql", "SQL"


class Level(models.TextChoices):
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid"
    SENIOR = "senior", "Senior"


class RoleTrack(models.TextChoices):
    ML_ENGINEER = "mle", "ML engineer"
    DATA_SCIENTIST = "ds", "Data scientist"
    MLOPS = "mlops", "MLOps"
    NLP = "nlp", "NLP"
    COMPUTER_VISION = "cv", "Computer vision"
    REINFORCEMENT_LEARNING = "rl", "Reinforcement learning"
    RESEARCH = "research", "Research"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class VisibleToQuerySet(models.QuerySet):
    """Rows with a question status (questions, and the facet counts of questions)."""

    def visible_to(self, user):
        """Hiring managers (who may author) see drafts; everyone else sees published and
        retired questions (retired ones stay readable because past interviews used them)."""
        if user.has_perm("questionbank.change_question"):
            return self
        return self.exclude(status=Status.DRAFT)


class QuestionQuerySet(VisibleToQuerySet):

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def for_role(self, role):
        return self.filter(roles__contains=[role])


class Question(models.Model):
    """A question's stable identity. Its words live in immutable revisions; ``current_revision``
    points at the one shown and used for new plans."""

    slug = models.SlugField(max_length=80, unique=True)
    area = models.CharField(max_length=20, choices=Area.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    level = models.CharField(max_length=8, choices=Level.choices)
    roles = ArrayField(models.CharField(max_length=10, choices=RoleTrack.choices), default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_revision = models.ForeignKey(
        "QuestionRevision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the current revision so list pages, trigram search and the duplicate check
    # read one table.
    title = models.CharField(max_length=200, blank=True)
    # title (A), prompt and key points (B), model answer (C) of the current revision.
    search_vector = SearchVectorField(null=True, editable=False)
    # What a search ranks on: the search vector's title, prompt and key points (weights A and
    # B), so a question whose title or prompt names the words ranks above one that mentions them
    # only in its model answer (rank 0: those follow, by title). The whole vector finds the
    # matches (its index); ranking on this tenth of it instead of all of it took a search
    # matching 13,420 of the bench's 100k questions from ~37 to ~23 ms of SQL (reading each
    # match's 1.5 kB vector was most of it; docs/performance.md).
    rank_vector = models.GeneratedField(
        expression=Func(F("search_vector"), Value("{a,b}"), function="ts_filter", output_field=SearchVectorField()),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The question's mean score and how many scores it is from, written by scoring's calibration
    # refresh (scoring/calibration.py): what a question pool balances difficulty by
    # (interviews/pools.py), here because interviews sits below scoring and cannot import it.
    difficulty = models.FloatField(null=True, blank=True, editable=False)
    difficulty_n = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["area", "title"]
        permissions = [
            ("publish_question", "Can publish and retire questions"),
            ("import_questions", "Can import questions"),
            ("export_questions", "Can export the question bank"),
        ]
        indexes = [
            # Full-text search on /questions/?q=
            GinIndex(fields=["search_vector"], name="qb_question_search_gin"),
            # Typo fallback and the near-duplicate title warning (pg_trgm % and <%).
            GinIndex(fields=["title"], name="qb_question_title_trgm", opclasses=["gin_trgm_ops"]),
            # The role filter (roles @> ARRAY[...]).
            GinIndex(fields=["roles"], name="qb_question_roles_gin"),
            # Facet filters on the list page.
            models.Index(fields=["status", "area"], name="qb_question_status_area"),
            # The list page without a search: the page of rows in (area, title) order, read in
            # index order instead of sorting every question.
            models.Index(fields=["area", "title"], name="qb_question_area_title"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(current_revision__isnull=False),
                name="qb_question_published_has_revision",
                violation_error_message="A question needs a revision before it can be published or retired.",
            ),
        ]

    def __str__(self):
        return self.title or self.slug

    def get_absolute_url(self):
        return reverse("questionbank:detail", args=[self.slug])

    def publish_problems(self):
        """What stops this question from being published (empty when it can be): the publish
        rule (``rubric_problems``) applied to its current revision."""
        if self.current_revision is None:
            return ["it has no revision yet"]
        return self.current_revision.publish_problems()

    def clean(self):
        # Forms that set the status directly (the admin's) get the publish rule in words.
        if self.status == Status.PUBLISHED:
            problems = self.publish_problems()
            if problems:
                raise ValidationError({"status": "This question cannot be published yet: " + "; ".join(problems) + "."})

    @property
    def role_labels(self):
        return [RoleTrack(r).label for r in self.roles if r in RoleTrack.values]

    def refresh_search_vector(self):
        """Recompute the denormalised title and search vector from the current revision."""
        rev = self.current_revision
        self.title = rev.title if rev else ""
        Question.objects.filter(pk=self.pk).update(
            title=self.title,
            search_vector=(
                SearchVector(Value(rev.title), weight="A", config=SEARCH_CONFIG)
                + SearchVector(Value(rev.prompt), weight="B", config=SEARCH_CONFIG)
                + SearchVector(Value("\n".join(rev.key_points)), weight="B", config=SEARCH_CONFIG)
                + SearchVector(Value(rev.model_answer), weight="C", config=SEARCH_CONFIG)
            )
            if rev
            else None,
        )


class FacetCount(models.Model):
    """How many questions have one combination of facet values: the list page's facet counts
    and total (selectors.facet_groups) without a GROUP BY over every question. Kept exact by
    PostgreSQL itself: statement-level triggers on the question table (migration 0008) apply
    every INSERT, UPDATE, DELETE, COPY and TRUNCATE, whoever issues it (services, the admin,
    bulk ``update()``, the importer, the bench's seed), in the writer's own transaction, so a
    rollback takes its change back. Never written from Python: no permissions, no admin."""

    area = models.CharField(max_length=20, choices=Area.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    level = models.CharField(max_length=8, choices=Level.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    roles = ArrayField(models.CharField(max_length=10, choices=RoleTrack.choices))
    # Questions with these values; a row that reaches 0 is deleted by the trigger. (No CHECK
    # n >= 0: PostgreSQL checks it on the row an INSERT ... ON CONFLICT proposes, and the
    # trigger proposes a negative change for a deletion.)
    n = models.IntegerField()

    objects = VisibleToQuerySet.as_manager()

    class Meta:
        default_permissions = ()  # read-only: no add, change or delete permission to grant
        constraints = [
            # The trigger's INSERT ... ON CONFLICT target.
            models.UniqueConstraint(
                fields=["area", "kind", "level", "status", "roles"], name="qb_facetcount_one_per_combination",
            ),
        ]

    def __str__(self):
        return f"{self.area}/{self.kind}/{self.level}/{self.status}/{','.join(self.roles)}: {self.n}"

    def save(self, *args, **kwargs):
        raise TypeError("Facet counts are kept by the database's triggers on the question table.")

    def delete(self, *args, **kwargs):
        raise TypeError("Facet counts are kept by the database's triggers on the question table.")


class QuestionRevision(models.Model):
    """One immutable version of a question's words and rubric. Interviews pin revisions, so
    once saved a revision is never updated; an edit makes a new one."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    prompt = models.TextField()
    why_we_ask = models.TextField(blank=True)
    model_answer = models.TextField(blank=True)
    key_points = models.JSONField(default=list, blank=True)
    # [{"question": ..., "good_answer": ...}]
    follow_ups = models.JSONField(default=list, blank=True)
    minutes = models.PositiveSmallIntegerField(default=10)
    reference_solution = models.TextField(blank=True)
    # {"function": name, "test_cases": [{"name", "args", "expected"}]} for coding questions.
    coding_tests = models.JSONField(default=dict, blank=True)
    # A design round scored per phase: [{"name", "minutes", "focus"}] in order, empty for every
    # other question. Each phase's criteria and anchors are RubricCriterion and ScoreAnchor rows
    # whose ``phase`` is its index here; those with no phase score the round as a whole.
    phases = models.JSONField(default=list, db_default=[], blank=True)
    change_note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"], name="qb_revision_unique_number",
                violation_error_message="This question already has a revision with that number.",
            ),
            models.CheckConstraint(
                condition=~Q(prompt=""), name="qb_revision_prompt_not_blank",
                violation_error_message="A question needs a prompt.",
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=QUESTION_MINUTES[0]) & Q(minutes__lte=QUESTION_MINUTES[1]),
                name="qb_revision_minutes_range",
                violation_error_message=f"A question takes {QUESTION_MINUTES[0]} to {QUESTION_MINUTES[1]} minutes.",
            ),
        ]

    def __str__(self):
        return f"{self.title} (rev. {self.number})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("allow_update", False):
            raise ValidationError("Question revisions are immutable; publish a new revision instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("questionbank:revision", args=[self.question.slug, self.number])

    @property
    def is_current(self):
        return self.question.current_revision_id == self.pk

    def publish_problems(self):
        """What stops a question with this revision as its current one from being published:
        the publish rule for the question's own rubric and for each phase's."""
        return rubric_problems(
            criteria=[c.text for c in self.own_criteria()], anchors=[a.text for a in self.own_anchors()]
        ) + phase_problems(self.phase_rubrics())

    # The rubric is read through criteria.all() and anchors.all() and split here, so a
    # prefetch of both serves the question's own rubric and every phase's without a query.
    def own_criteria(self):
        """The criteria that score the question as a whole (a design round's: its trade-offs
        and communication), in order."""
        return [c for c in self.criteria.all() if c.phase is None]

    def own_anchors(self):
        return [a for a in self.anchors.all() if a.phase is None]

    def phase_rubrics(self):
        """A design round's phases in order, each a dict: index, name, minutes, focus, its
        criteria (texts) and its anchors (four texts, levels 1-4, "" where missing)."""
        if not self.phases:
            return []
        criteria, anchors = {}, {}
        for c in self.criteria.all():
            if c.phase is not None:
                criteria.setdefault(c.phase, []).append(c.text)
        for a in self.anchors.all():
            if a.phase is not None:
                anchors.setdefault(a.phase, {})[a.level] = a.text
        rubrics = []
        for n, p in enumerate(self.phases):
            texts = [anchors.get(n, {}).get(level, "") for level in SCORE_LEVELS]
            rubrics.append({
                "index": n, "name": p.get("name", ""), "minutes": p.get("minutes"), "focus": p.get("focus", ""),
                "criteria": criteria.get(n, []), "anchors": texts,
                # For the pages: each level with its name ("3", "Good") and text.
                "levels": [{"level": level, "label": label, "text": text}
                           for (level, label), text in zip(ANCHOR_LABELS.items(), texts)],
            })
        return rubrics

    def phase_name(self, index):
        """The name of phase ``index`` (InterviewQuestion.phase), "" when there is none."""
        if index is None or not 0 <= index < len(self.phases or []):
            return ""
        return self.phases[index].get("name", "")

    def text_fields(self):
        """The fields compared when deciding whether an edit changed anything, and shown in
        the diff between revisions (rubric included)."""
        criteria = [c.text for c in self.own_criteria()]
        anchors = {a.level: a.text for a in self.own_anchors()}
        return {
            "title": self.title,
            "prompt": self.prompt,
            "why_we_ask": self.why_we_ask,
            "model_answer": self.model_answer,
            "key_points": list(self.key_points),
            "follow_ups": list(self.follow_ups),
            "minutes": self.minutes,
            "reference_solution": self.reference_solution,
            "coding_tests": dict(self.coding_tests),
            "criteria": criteria,
            "anchors": [anchors.get(level, "") for level in SCORE_LEVELS],
            "phases": [{k: p[k] for k in ("name", "minutes", "focus", "criteria", "anchors")}
                       for p in self.phase_rubrics()],
        }


def _phase_in_range(revision, phase):
    """The ValidationError message for a ``phase`` index that ``revision`` has no phase at."""
    if phase is not None and revision is not None and not 0 <= phase < len(revision.phases or []):
        return "This revision has no phase at that index."
    return None


class RubricCriterion(models.Model):
    """One thing a strong answer covers, observable in what the candidate says. A design
    round's phase criteria name their phase (the index into the revision's ``phases``); the
    positions run on through the revision: the question's own criteria first, then each
    phase's in phase order."""

    revision = models.ForeignKey(QuestionRevision, on_delete=models.CASCADE, related_name="criteria")
    phase = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=400)

    class Meta:
        ordering = ["revision", "position"]
        verbose_name_plural = "rubric criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "position"], name="qb_criterion_unique_position",
                violation_error_message="This revision already has a criterion at that position.",
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        problem = _phase_in_range(self.revision if self.revision_id else None, self.phase)
        if problem:
            raise ValidationError({"phase": problem})


class ScoreAnchor(models.Model):
    """What an answer at one level of the 1-4 scale sounds like for this question."""

    revision = models.ForeignKey(QuestionRevision, on_delete=models.CASCADE, related_name="anchors")
    # A design round's phase anchors name their phase (as RubricCriterion.phase); NULL: the
    # question's own.
    phase = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.PositiveSmallIntegerField(choices=[(n, str(n)) for n in SCORE_LEVELS])
    text = models.TextField()

    class Meta:
        ordering = ["revision", "phase", "level"]
        constraints = [
            # One anchor per level for the question and one per level for each phase (NULLS
            # NOT DISTINCT: the question's own anchors, phase NULL, are one set too).
            models.UniqueConstraint(
                fields=["revision", "phase", "level"], name="qb_anchor_one_per_phase_level", nulls_distinct=False,
                violation_error_message="This revision already has an anchor for that level (of that phase).",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=4), name="qb_anchor_level_1_to_4",
                violation_error_message="An anchor's level is 1, 2, 3 or 4.",
            ),
        ]

    def __str__(self):
        return f"{self.level}: {self.text[:60]}"

    @property
    def label(self):
        """The level's name: "Poor", "Weak", "Good" or "Excellent"."""
        return ANCHOR_LABELS.get(self.level, "")

    def clean(self):
        problem = _phase_in_range(self.revision if self.revision_id else None, self.phase)
        if problem:
            raise ValidationError({"phase": problem})


class PlanCriterion(models.Model):
    """A rubric criterion any question in a plan can use, drawn from the red flags
    interviewers watch for across answers (e.g. reasoning about splits and leakage)."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=120)
    description = models.TextField()
    red_flag = models.TextField(help_text="What the missing behaviour sounds like.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]
        verbose_name_plural = "plan criteria"

    def __str__(self):
        return self.title


class SampleAnswer(models.Model):
    """A written transcript of an answer to a question, with the score its authors agreed on
    against the question's anchors and why: what interviewers practise scoring on before they
    score candidates (frame-of-reference training; docs/scoring.md, *Practice and
    qualification*). Shown only on the practice pages, never on the live interview page."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="sample_answers")
    # Display order on the practice pages; not unique, as samples written in the app are
    # numbered after the bank's.
    order = models.PositiveSmallIntegerField(default=0)
    # The position in the bank file's ``sample_answers`` list (1-based) of a sample loaded from
    # the bank: the loader updates it in place by (question, bank_position). NULL for a sample
    # written in the app, which the loader never touches.
    bank_position = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    reference_score = models.PositiveSmallIntegerField(
        choices=[(n, f"{n} · {ANCHOR_LABELS[n]}") for n in SCORE_LEVELS],
        help_text="The score this answer earns against the question's anchors, as its authors agreed.",
    )
    answer = models.TextField(help_text="What the candidate said, in the first person, as plain text.")
    rationale = models.TextField(help_text="Why this score: the criteria met and missed, and the anchor it matches.")
    agreed_by = models.CharField(max_length=120, help_text="Who agreed on the reference score, e.g. “Panelist bank team”.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question", "order", "pk"]
        permissions = [("practise_sampleanswer", "Can practise scoring sample answers")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference_score__gte=1) & Q(reference_score__lte=4), name="qb_sample_reference_1_to_4",
                violation_error_message="A sample's reference score is 1, 2, 3 or 4.",
            ),
            models.CheckConstraint(
                condition=~Q(answer="") & ~Q(rationale=""), name="qb_sample_has_answer_and_rationale",
                violation_error_message="A sample needs the answer's text and the rationale for its score.",
            ),
            # The loader's key: one sample per position of the bank file's list.
            models.UniqueConstraint(
                fields=["question", "bank_position"], condition=Q(bank_position__isnull=False),
                name="qb_sample_one_per_bank_position",
                violation_error_message="This question already has a bank sample at that position.",
            ),
        ]

    def __str__(self):
        return f"{self.question} · sample {self.order}"

    def clean(self):
        if self.reference_score is not None and self.reference_score not in SCORE_LEVELS:
            raise ValidationError({"reference_score": "A sample's reference score is 1, 2, 3 or 4."})
        errors = {name: "This field cannot be blank." for name in ("answer", "rationale")
                  if not (getattr(self, name) or "").strip()}
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("practice:sample", args=[self.pk])

    @property
    def reference_label(self):
        """The reference level's name: "Poor", "Weak", "Good" or "Excellent"."""
        return ANCHOR_LABELS.get(self.reference_score, "")


class PracticeScore(models.Model):
    """One attempt of a person at scoring a sample answer. Attempts are kept; the latest of a
    person for a sample is the one qualification counts (questionbank/practice.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_scores")
    # CASCADE: a sample withdrawn from the bank was judged wrong, so scores against it should
    # no longer count.
    sample = models.ForeignKey(SampleAnswer, on_delete=models.CASCADE, related_name="practice_scores")
    score = models.PositiveSmallIntegerField(choices=[(n, str(n)) for n in SCORE_LEVELS])
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "sample", "-at", "-pk"]
        indexes = [
            # The attempts per (user, sample) in time order: DISTINCT ON (user, sample) reads the
            # first (questionbank.practice.counted_scores).
            models.Index(fields=["user", "sample", "-at"], name="qb_practice_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=4), name="qb_practice_score_1_to_4",
                violation_error_message="A practice score is 1, 2, 3 or 4.",
            ),
        ]

    def __str__(self):
        return f"{self.user} scored {self.sample} {self.score}"

    def clean(self):
        if self.score is not None and self.score not in SCORE_LEVELS:
            raise ValidationError({"score": "Choose a score from 1 to 4."})
