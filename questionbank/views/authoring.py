"""Authoring: hiring managers create, edit, publish and retire questions."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ..forms import QuestionForm, criterion_formset
from ..models import Question, Status
from ..services import QuestionNotPublishable, question_create, question_set_status, question_update, similar_titles


def _content(form, formset):
    data = form.cleaned_data
    return {
        **{k: data[k] for k in ("title", "prompt", "why_we_ask", "model_answer", "key_points", "follow_ups",
                                "minutes", "reference_solution", "coding_tests")},
        "criteria": formset.texts(),
        "anchors": form.anchors(),
    }


def _similar_warning(form, exclude_pk=None):
    """Titles close to the new one; the author must confirm once before saving."""
    if not form.title_changed():
        return []
    similar = similar_titles(form.cleaned_data["title"], exclude_pk=exclude_pk)
    if similar and not form.cleaned_data.get("confirm_similar"):
        return similar
    return []


def _render_form(request, form, formset, question=None, similar=()):
    if similar:
        # A second submit of the same form confirms the author has looked.
        form.data = form.data.copy()
        form.data["confirm_similar"] = "on"
    return render(
        request,
        "questionbank/question_form.html",
        {"form": form, "formset": formset, "question": question, "similar": similar},
        status=200 if not form.errors and not formset.non_form_errors() and not similar else 400,
    )


@permission_required("questionbank.add_question", raise_exception=True)
def question_create_view(request):
    if request.method == "POST":
        form, formset = QuestionForm(request.POST), criterion_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            similar = _similar_warning(form)
            if not similar:
                data = form.cleaned_data
                question = question_create(
                    slug=data["slug"], area=data["area"], kind=data["kind"], level=data["level"],
                    roles=data["roles"], content=_content(form, formset), by=request.user,
                    note=data["change_note"] or "Created",
                )
                messages.success(request, f"Saved “{question.title}” as a draft. Publish it when it is ready.")
                return redirect(question)
            return _render_form(request, form, formset, similar=similar)
        return _render_form(request, form, formset)
    return _render_form(request, QuestionForm(), criterion_formset())


@permission_required("questionbank.change_question", raise_exception=True)
def question_edit_view(request, slug):
    question = get_object_or_404(Question.objects.select_related("current_revision"), slug=slug)
    if request.method == "POST":
        form, formset = QuestionForm(request.POST, instance=question), criterion_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            similar = _similar_warning(form, exclude_pk=question.pk)
            if not similar:
                data = form.cleaned_data
                try:
                    revision, changed_identity = question_update(
                        question=question, area=data["area"], kind=data["kind"], level=data["level"],
                        roles=data["roles"], content=_content(form, formset), by=request.user,
                        note=data["change_note"],
                    )
                except QuestionNotPublishable as exc:
                    form.add_error(None, exc.messages[0] + " Make it a draft first, or complete the rubric.")
                    return _render_form(request, form, formset, question)
                if revision:
                    messages.success(request, f"Saved revision {revision.number}. Earlier revisions are unchanged.")
                elif changed_identity:
                    messages.success(request, "Saved the question's details (the text is unchanged).")
                else:
                    messages.info(request, "Nothing changed, so no new revision was made.")
                return redirect(question)
            return _render_form(request, form, formset, question, similar)
        return _render_form(request, form, formset, question)
    # The rubric once for the anchors, the criteria and a design round's phases.
    prefetch_related_objects([question.current_revision], "criteria", "anchors")
    form = QuestionForm(initial=QuestionForm.initial_from(question), instance=question)
    return _render_form(request, form, criterion_formset(revision=question.current_revision), question)


@require_POST
@permission_required("questionbank.publish_question", raise_exception=True)
def question_status_view(request, slug):
    question = get_object_or_404(Question.objects.select_related("current_revision"), slug=slug)
    target = request.POST.get("status")
    if target not in Status.values:
        messages.error(request, "Unknown status.")
        return redirect(question)
    try:
        question_set_status(question=question, status=target)
    except QuestionNotPublishable as exc:  # the publish rule (Question.publish_problems)
        messages.error(request, exc.messages[0])
        return redirect(question)
    messages.success(request, f"“{question.title}” is now {Status(target).label.lower()}.")
    return redirect(question)
