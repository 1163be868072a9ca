"""Export and two-step import (preview, then confirm) of the question bank."""

import secrets

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..exporting import EXPORTERS
from ..forms import ImportForm, ImportItemForm
from ..importing import ImportRefused, apply_import, build_preview
from ..importpreview import (
    PAGE_SIZE, item_fields, page_of, preview_free_slugs, preview_merge, preview_problems, preview_reparse,
    preview_split, preview_update, split_choices,
)
from ..services import normalise_content

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
        upload = form.cleaned_data.get("file")
        name = upload.name if upload else "pasted text"
        try:
            name, source = form.source()
            preview = build_preview(
                name=name, text=source.text, source_kind=source.kind, reader_dropped=source.dropped,
                defaults={k: form.cleaned_data[k] for k in ("area", "kind", "level", "roles")},
            )
        except django_forms.ValidationError as exc:
            error = f"Could not read {name}: {exc.messages[0]}"
        except ImportRefused as exc:
            error = f"Could not read {name}: {exc}"
        else:
            # A draft kept in the session (database-backed, so any app process serves the next
            # step), under a token the form carries: see questionbank/importpreview.py.
            preview |= {"token": secrets.token_urlsafe(12), "name": name, "version": 0}
            request.session[SESSION_KEY] = preview
            return _render_preview(request, preview)
    return render(request, "questionbank/import.html", {"form": form, "error": error}, status=400)


def _item_forms(items, data=None):
    return [ImportItemForm(data=data, initial=item_fields(item), prefix=f"q{item['index']}") for item in items]


def _render_preview(request, preview, *, forms=None, problems=None, status=200):
    page, pages = 1, 1
    if preview.get("editable"):
        page, pages, items = page_of(preview)
        forms = forms or _item_forms(items)
        rows = [(item, form, split_choices(item)) for item, form in zip(items, forms)]
    else:
        rows = [(item, None, []) for item in preview["items"]]
    return render(request, "questionbank/import_preview.html", {
        "preview": preview, "rows": rows, "problems": problems or {}, "page": page, "pages": pages,
        "first_number": (page - 1) * PAGE_SIZE, "last_number": (page - 1) * PAGE_SIZE + len(rows),
        "dropped_count": len(preview.get("dropped", [])) + len(preview.get("reader_dropped", [])),
    }, status=status)


def _number(text):
    """A small whole number from a form value, else None (not isdigit: int() refuses "²")."""
    return int(text) if text.isdecimal() and len(text) <= 6 else None


def _edit_preview(request, preview, verb, arg):
    """Do a preview button's action other than importing: change page, merge, split, read the
    text again; anything else only saves (which the caller has done)."""
    index = _number(arg)
    if verb == "page" and index is not None:
        preview["page"] = page_of(preview, index)[0]
    elif verb == "merge" and index is not None:
        if preview_merge(preview=preview, index=index):
            messages.info(request, f"Question {index + 1} was merged into question {index}.")
    elif verb == "split" and index is not None:
        at = _number(request.POST.get(f"q{index}-split_at", ""))
        if at is not None and preview_split(preview=preview, index=index, at=at):
            messages.info(request, f"Question {index + 1} was split in two.")
        else:
            messages.warning(request, "Choose a line of the model answer to split the question at.")
    elif verb == "reparse":
        source = request.POST.get("source", "").replace("\r\n", "\n")
        try:
            preview_reparse(preview=preview, source=source)
        except ImportRefused as exc:
            messages.error(request, f"Could not read the edited text: {exc}. The preview is as it was.")
            preview["source_draft"] = source  # kept, so the text being fixed is not lost
        else:
            preview.pop("source_draft", None)
            messages.info(request, "The text was read again; questions that read the same kept your edits.")


@require_POST
@permission_required("questionbank.import_questions", raise_exception=True)
def import_confirm_view(request):
    """Every button of the preview posts here: the typed fields are saved into the draft first,
    then the button's action is done (confirm, update, merge, split, re-read the text)."""
    preview = request.session.get(SESSION_KEY)
    if not preview or preview.get("token") != request.POST.get("token"):
        messages.error(request, "That import preview has expired or was replaced. Upload the file again.")
        return redirect("questionbank:import")
    # A document's preview page posts its form (with "version"); a post of ticked indexes only
    # ("include", as JSON and CSV previews send) imports those questions as read.
    if preview.get("editable") and "version" in request.POST:
        if str(preview.get("version", 0)) != request.POST.get("version", "0"):
            messages.warning(request, "The preview changed in another tab or window, so this form was not applied: "
                                      "here is the preview as it is now.")
            return _render_preview(request, preview, status=409)
        _page, _pages, items = page_of(preview)
        forms = _item_forms(items, data=request.POST)
        preview_update(preview=preview, values={item["index"]: form.typed() for item, form in zip(items, forms)})
        request.session[SESSION_KEY] = preview  # what was typed is kept, whatever happens next
        verb, _, arg = request.POST.get("action", "update").partition(":")
        if verb != "confirm":  # only the import button writes to the bank
            _edit_preview(request, preview, verb, arg)
            return _render_preview(request, preview)
        problems = preview_problems(preview=preview)
        if problems:
            numbers = ", ".join(str(n + 1) for n in sorted(problems))
            messages.error(request, f"Some ticked questions need a fix before they can be imported (question {numbers}): "
                                    "see the message beside each.")
            first = min(problems) // PAGE_SIZE + 1
            on_page = first == page_of(preview)[0]
            preview["page"] = first
            return _render_preview(request, preview, forms=forms if on_page else None, problems=problems, status=400)
        for item in preview["items"]:
            item["content"] = normalise_content(item["content"])
        preview_free_slugs(preview=preview)
        include = {item["index"] for item in preview["items"] if item["include"]}
    else:
        include = set()
        for value in request.POST.getlist("include"):
            if value.isdecimal() and len(value) <= 9:  # not isdigit: int() refuses "²" (and thousands of digits)
                include.add(int(value))
    if not include:
        messages.warning(request, "No questions were ticked, so nothing was imported.")
        return _render_preview(request, preview, status=400)
    counts = apply_import(preview, include=include, by=request.user)
    del request.session[SESSION_KEY]
    messages.success(
        request,
        f"Imported from {preview['name']}: {counts['created']} created, {counts['updated']} updated"
        + (f", {counts['unchanged']} unchanged" if counts["unchanged"] else "") + ".",
    )
    return redirect("questionbank:list")
