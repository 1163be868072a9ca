"""The outbox: every message Panelist recorded, for admins (superusers) to read: in
development (no SMTP server set) it is where the mail goes."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from .models import Message, MessageStatus


def _admin_only(request):
    if not request.user.is_superuser:
        raise PermissionDenied("The outbox is for admins.")


@require_GET
def outbox(request):
    _admin_only(request)
    status = request.GET.get("status", "")
    messages = Message.objects.defer("text", "html", "attachment")
    if status in MessageStatus.values:
        messages = messages.filter(status=status)
    page = Paginator(messages, 50).get_page(request.GET.get("page"))
    return render(request, "mail/outbox.html", {
        "page": page, "status": status, "statuses": MessageStatus.choices,
        "querystring": f"status={status}" if status else "", "smtp": settings.MAIL_DELIVERY == "smtp",
    })


@require_GET
def message_detail(request, pk):
    _admin_only(request)
    message = get_object_or_404(Message.objects.select_related("recipient"), pk=pk)
    return render(request, "mail/message.html", {"message": message})


@require_GET
@xframe_options_sameorigin
def message_html(request, pk):
    """The HTML part as the recipient's mail client shows it, in a sandboxed frame: no script,
    no form, no navigation of the page around it."""
    _admin_only(request)
    message = get_object_or_404(Message, pk=pk)
    response = HttpResponse(message.html, content_type="text/html; charset=utf-8")
    # Set here, so django-csp leaves it: the message's own inline styles, nothing else.
    response["Content-Security-Policy"] = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                           "frame-ancestors 'self'")
    return response


@require_GET
def message_attachment(request, pk):
    _admin_only(request)
    message = get_object_or_404(Message.objects.exclude(attachment_name=""), pk=pk)
    response = HttpResponse(message.attachment, content_type=message.attachment_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{message.attachment_name}"'
    return response
