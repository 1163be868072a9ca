"""Recording and sending mail (docs/operations.md, Mail)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Message, MessageStatus


class MessageNotSent(Exception):
    """An attempt to send a message failed; the job that made it will try again."""


@transaction.atomic
def message_queue(*, key, reason, recipient, time_zone, template, context, attachment=None):
    """Record the message ``key`` for ``recipient`` (a user) and queue a job to send it, in the
    caller's transaction: if it rolls back, neither happens. Nothing happens when a message
    with that key was recorded before, or when the recipient has no e-mail address. Returns
    the message, or None.

    The subject, text and HTML come from templates/mail/<template>_subject.txt, .txt and .html,
    rendered with ``context`` (plus ``recipient``) in ``time_zone`` (a zoneinfo.ZoneInfo, the
    recipient's), so every time they show is the recipient's local time. ``attachment``:
    (file name, content type, text)."""
    from .tasks import message_send_job  # the task module imports this one

    if not recipient.email:
        return None
    context = {**context, "recipient": recipient, "time_zone": time_zone}
    with timezone.override(time_zone):
        subject = " ".join(render_to_string(f"mail/{template}_subject.txt", context).split())
        text = render_to_string(f"mail/{template}.txt", context)
        html = render_to_string(f"mail/{template}.html", context)
    name, content_type, content = attachment or ("", "", "")
    message, created = Message.objects.get_or_create(key=key, defaults={
        "reason": reason, "recipient": recipient, "to": recipient.email, "subject": subject[:200],
        "text": text, "html": html, "attachment_name": name, "attachment_type": content_type,
        "attachment": content,
    })
    if created:
        message_send_job.defer(message_id=message.pk)
    return message


def message_send(*, message_id, last_attempt=False):
    """Send the message by SMTP, or keep it in the outbox when no SMTP server is set
    (settings.MAIL_DELIVERY). Its row stays locked while it is sent, so two workers never send
    it at once, and it is marked sent in the same transaction. A message already sent or kept
    is not sent again. Raises MessageNotSent when the server refused it or could not be
    reached, after recording the error (the message is then failed if ``last_attempt``)."""
    try:
        with transaction.atomic():
            message = Message.objects.select_for_update().filter(pk=message_id).first()
            if message is None or message.status in (MessageStatus.SENT, MessageStatus.KEPT):
                return message
            message.attempts += 1
            message.last_error = ""
            if settings.MAIL_DELIVERY == "smtp":
                _deliver(message)
                message.status = MessageStatus.SENT
            else:
                message.status = MessageStatus.KEPT
            message.sent_at = timezone.now()
            message.save(update_fields=["status", "attempts", "last_error", "sent_at"])
            return message
    except (smtplib.SMTPException, OSError) as exc:  # refused, unreachable, timed out
        error = f"{type(exc).__name__}: {exc}"[:500]
        Message.objects.filter(pk=message_id).exclude(status=MessageStatus.SENT).update(
            attempts=F("attempts") + 1, last_error=error,
            **({"status": MessageStatus.FAILED} if last_attempt else {}),
        )
        raise MessageNotSent(error) from exc


def _deliver(message):
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.text, from_email=settings.DEFAULT_FROM_EMAIL, to=[message.to],
        headers={"Message-ID": message.message_id},
    )
    email.attach_alternative(message.html, "text/html")
    if message.attachment_name:
        email.attach(message.attachment_name, message.attachment, message.attachment_type)
    email.send()


def message_retry(*, message):
    """Send a failed message again (an admin's retry): queued, with a new job."""
    from .tasks import message_send_job

    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(status=MessageStatus.QUEUED)
        if updated:
            message_send_job.defer(message_id=message.pk)
    return bool(updated)
