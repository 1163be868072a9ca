from django.contrib import admin

from .models import PlanCriterion, Question, QuestionRevision, RubricCriterion, SampleAnswer, ScoreAnchor


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


class ScoreAnchorInline(RubricCriterionInline):
    model = ScoreAnchor


class SampleAnswerInline(admin.StackedInline):
    """A question's sample answers for practice scoring (the practice pages, /practice/).
    Changes here are not audited: the app's own page (Sample answers, on the question) is."""

    model = SampleAnswer
    extra = 0
    fields = ["order", "reference_score", "answer", "rationale", "agreed_by", "bank_position"]
    readonly_fields = ["bank_position"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    inlines = [SampleAnswerInline]
    list_display = ["title", "slug", "area", "kind", "level", "status", "updated_at"]
    list_filter = ["status", "area", "kind", "level"]
    search_fields = ["title", "slug"]
    readonly_fields = ["current_revision", "title", "created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        # Retire, never delete: interviews and plans pin the question's revisions (and the
        # database refuses anyway: current_revision is PROTECT).
        return False


@admin.register(QuestionRevision)
class QuestionRevisionAdmin(admin.ModelAdmin):
    """Read-only: revisions are immutable (edit the question in the app to make a new one)."""

    list_display = ["title", "question", "number", "created_at", "created_by"]
    list_select_related = ["question", "created_by"]
    search_fields = ["title", "question__slug"]
    inlines = [RubricCriterionInline, ScoreAnchorInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(PlanCriterion)
class PlanCriterionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "position"]
