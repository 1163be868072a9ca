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


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
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


@admin.register(SampleAnswer)
class SampleAnswerAdmin(admin.ModelAdmin):
    """Sample answers for practice scoring (/practice/). Its own page rather than an inline on
    the question, so the question's change form stays what it was. Changes here are not
    audited: the app's page for them (a question's Sample answers) is."""

    list_display = ["question", "order", "reference_score", "agreed_by", "bank_position", "updated_at"]
    list_select_related = ["question"]
    list_filter = ["reference_score"]
    search_fields = ["question__slug", "question__title", "answer"]
    raw_id_fields = ["question"]  # a select2 search box has no accessible name (axe)
    readonly_fields = ["bank_position", "created_at", "updated_at"]
