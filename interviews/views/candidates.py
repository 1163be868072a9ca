"""Candidates: the list, a candidate with their interview history, creating and editing
one, and their CV (served only to people who may see the candidate)."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from .. import selectors
from ..forms import CandidateForm
from ..models import Candidate, Position, Stage

PAGE_SIZE = 25
CV_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain; charset=utf-8",
}


@permission_required("interviews.view_candidate", raise_exception=True)
def candidate_list(request):
    text = request.GET.get("q", "").strip()[:200]
    stage = request.GET.get("stage", "")
    stage = stage if stage in Stage.values else ""
    positions = list(Position.objects.visible_to(request.user).order_by("title").values("pk", "title"))
    position = request.GET.get("position", "")
    # isdecimal: only digits int() reads ("²" is a digit it refuses); an id has at most 19 of
    # them, and int() refuses a string of thousands.
    is_id = position.isdecimal() and len(position) <= 19
    position = int(position) if is_id and any(p["pk"] == int(position) for p in positions) else None
    rows = selectors.candidate_list(request.user, text=text, position=position, stage=stage)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "interviews/candidate_list.html",
        {
            "page": page,
            "q": text,
            "stage": stage,
            "position": position,
            "positions": positions,
            "stages": Stage.choices,
            "filtered": bool(text or stage or position),
            "querystring": query.urlencode(),
        },
    )


@permission_required("interviews.view_candidate", raise_exception=True)
def candidate_detail(request, pk):
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user).select_related("position"), pk=pk)
    return render(
        request,
        "interviews/candidate_detail.html",
        {"candidate": candidate, "interviews": selectors.candidate_interviews(candidate)},
    )


def _render_form(request, form, candidate=None, stored_cv=False):
    return render(
        request,
        "interviews/candidate_form.html",
        {
            "form": form,
            "candidate": candidate,
            # The name as stored: a rejected edit has already changed form.instance.
            "candidate_name": Candidate.objects.filter(pk=candidate.pk).values_list("name", flat=True).first()
            if candidate else "",
            "stored_cv": stored_cv,
            "clear_checked": "cv_file-clear" in request.POST,
        },
        status=400 if form.errors else 200,
    )


@permission_required("interviews.add_candidate", raise_exception=True)
def candidate_create(request):
    if request.method == "POST":
        form = CandidateForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            candidate = form.save()
            messages.success(request, f"Added {candidate.name} to {candidate.position.title}.")
            return redirect(candidate)
        return _render_form(request, form)
    form = CandidateForm(user=request.user)
    position = request.GET.get("position", "")
    if position.isdecimal() and len(position) <= 19 and form.fields["position"].queryset.filter(pk=position).exists():
        form.initial["position"] = int(position)
    return _render_form(request, form)


@permission_required("interviews.change_candidate", raise_exception=True)
def candidate_edit(request, pk):
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user).select_related("position"), pk=pk)
    if request.method == "POST":
        old_file = candidate.cv_file.name
        form = CandidateForm(request.POST, request.FILES, instance=candidate, user=request.user)
        if form.is_valid():
            candidate = form.save()
            if old_file and old_file != candidate.cv_file.name:
                # Replaced or cleared: the old CV must not linger on disk.
                candidate.cv_file.storage.delete(old_file)
            messages.success(request, f"Saved {candidate.name}.")
            if not Candidate.objects.visible_to(request.user).filter(pk=candidate.pk).exists():
                messages.info(request, "They moved to a position you do not recruit for, so they no longer show in your list.")
                return redirect("interviews:candidate_list")
            return redirect(candidate)
        return _render_form(request, form, candidate, stored_cv=bool(old_file))
    return _render_form(
        request, CandidateForm(instance=candidate, user=request.user), candidate, stored_cv=bool(candidate.cv_file)
    )


def candidate_cv(request, pk):
    """The uploaded CV, to people who may see the candidate: the position's hiring manager
    and recruiter, interviewers on one of the candidate's panels, admins. Never a public
    /media/ URL."""
    user = request.user
    if not (user.has_perm("interviews.view_candidate") or user.has_perm("interviews.view_interview")):
        raise PermissionDenied
    candidate = get_object_or_404(Candidate.objects.visible_to(user), pk=pk)
    if not candidate.cv_file:
        raise Http404("No CV file")
    ext = os.path.splitext(candidate.cv_file.name)[1].lower()
    try:
        handle = candidate.cv_file.open("rb")
    except FileNotFoundError:
        raise Http404("The CV file is missing") from None
    response = FileResponse(
        handle,
        # PDFs and text open in the browser; Word files download.
        as_attachment=ext not in (".pdf", ".txt"),
        filename=f"{slugify(candidate.name) or 'candidate'}-cv{ext}",
        content_type=CV_CONTENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if ext != ".pdf":
        # Whatever the file holds, it runs nothing (Chromium's PDF viewer refuses sandboxed pages).
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
