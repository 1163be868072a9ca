"""Authoring: hiring managers create, edit, publish and retire questions."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ..forms import QuestionForm, criterion_formset, phase_forms, phases_of
from ..models import Kind, Question, Status
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


def _render_form(request, form, formset, question=None, similar=(), phases=()):
    if similar:
        # A second submit of the same form confirms the author has looked.
        form.data = form.data.copy()
        form.data["confirm_similar"] = "on"
    phase_errors = any(p.errors for p in phases)
    invalid = form.errors or formset.non_form_errors() or phase_errors
    return render(
        request,
        "questionbank/question_form.html",
        {"form": form, "formset": formset, "question": question, "similar": similar, "phase_forms": phases,
         "phase_errors": phase_errors},
        status=200 if not invalid and not similar else 400,
    )


def _phases(form, phases):
    """The design round's phases the editor posted (``phase_forms``, all valid), or None to
    keep the current revision's (no phases shown, or the kind changed away from design:
    revision_publish then drops them). A minutes total that does not add up is the form's
    error; returns False then."""
    if not phases or form.cleaned_data["kind"] != Kind.DESIGN:
        return None
    try:
        return phases_of(phases, form.cleaned_data["minutes"])
    except ValidationError as error:
        form.add_error("minutes", error)
        return False


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
        phases = phase_forms(question.current_revision, request.POST)
        valid = all([form.is_valid(), formset.is_valid(), *(p.is_valid() for p in phases)])
        given = _phases(form, phases) if valid else False
        if valid and given is not False:
            similar = _similar_warning(form, exclude_pk=question.pk)
            if not similar:
                data = form.cleaned_data
                content = _content(form, formset) | ({"phases": given} if given is not None else {})
                try:
                    revision, changed_identity = question_update(
                        question=question, area=data["area"], kind=data["kind"], level=data["level"],
                        roles=data["roles"], content=content, by=request.user,
                        note=data["change_note"],
                    )
                except QuestionNotPublishable as exc:
                    form.add_error(None, exc.messages[0] + " Make it a draft first, or complete the rubric.")
                    return _render_form(request, form, formset, question, phases=phases)
                if revision:
                    messages.success(request, f"Saved revision {revision.number}. Earlier revisions are unchanged.")
                elif changed_identity:
                    messages.success(request, "Saved the question's details (the text is unchanged).")
                else:
                    messages.info(request, "Nothing changed, so no new revision was made.")
                return redirect(question)
            return _render_form(request, form, formset, question, similar, phases=phases)
        return _render_form(request, form, formset, question, phases=phases)
    # The rubric once for the anchors, the criteria and a design round's phases.
    prefetch_related_objects([question.current_revision], "criteria", "anchors")
    form = QuestionForm(initial=QuestionForm.initial_from(question), instance=question)
    return _render_form(request, form, criterion_formset(revision=question.current_revision), question,
                        phases=phase_forms(question.current_revision))


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
