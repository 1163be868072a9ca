"""Export and two-step import (preview, then confirm) of the question bank."""

import secrets

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..forms import ImportForm
from ..exporting import EXPORTERS
from ..importing import ImportRefused, apply_import, build_preview

SESSION_KEY = "question_import_preview"


@permission_required("questionbank.export_questions", raise_exception=True)
def export_view(request):
    fmt = request.GET.get("format", "")
    if fmt not in EXPORTERS:
        return render(request, "questionbank/export.html", {"formats": EXPORTERS}, status=400 if fmt else 200)
    build, content_type, extension = EXPORTERS[fmt]
    response = HttpResponse(build(), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="panelist-questions-{timezone.now():%Y%m%d}.{extension}"'
    return response


@permission_required("questionbank.import_questions", raise_exception=True)
def import_view(request):
    if request.method != "POST":
        return render(request, "questionbank/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    error = None
    if form.is_valid():
        try:
            name, text = form.source()
            preview = build_preview(
                name=name, text=text,
                defaults={k: form.cleaned_data[k] for k in ("area", "kind", "level", "roles")},
            )
        except django_forms.ValidationError as exc:
            error = exc.messages[0]
        except ImportRefused as exc:
            error = f"Could not read {name}: {exc}"
        else:
            token = secrets.token_urlsafe(12)
            preview |= {"token": token, "name": name}
            # Kept in the session (database-backed), so any app process can confirm it.
            request.session[SESSION_KEY] = preview
            return render(request, "questionbank/import_preview.html", {"preview": preview})
    return render(request, "questionbank/import.html", {"form": form, "error": error}, status=400)


@require_POST
@permission_required("questionbank.import_questions", raise_exception=True)
def import_confirm_view(request):
    preview = request.session.get(SESSION_KEY)
    if not preview or preview.get("token") != request.POST.get("token"):
        messages.error(request, "That import preview has expired or was replaced. Upload the file again.")
        return redirect("questionbank:import")
    include = set()
    for value in request.POST.getlist("include"):
        if value.isdecimal() and len(value) <= 9:  # not isdigit: int() refuses "²" (and thousands of digits)
            include.add(int(value))
    if not include:
        messages.warning(request, "No questions were ticked, so nothing was imported.")
        return render(request, "questionbank/import_preview.html", {"preview": preview}, status=400)
    counts = apply_import(preview, include=include, by=request.user)
    del request.session[SESSION_KEY]
    messages.success(
        request,
        f"Imported from {preview['name']}: {counts['created']} created, {counts['updated']} updated"
        + (f", {counts['unchanged']} unchanged" if counts["unchanged"] else "") + ".",
    )
    return redirect("questionbank:list")
