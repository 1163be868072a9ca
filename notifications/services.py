"""Telling people things (docs/architecture.md, Notifications)."""

from django.db import transaction
from django.utils import timezone

from mail.services import message_queue

from .models import Delivery, Notification, Preference


def delivery_for(user, kind):
    """How ``user`` chose to hear of ``kind`` (in the app and by e-mail unless they chose)."""
    return Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first() or Delivery.EMAIL


@transaction.atomic
def notify(*, recipient, kind, key, text, url, email=None):
    """Tell ``recipient`` of one event, as they chose for its ``kind``: a notification for the
    bell (``text``, linking to the path ``url``) and, unless they chose "in the app only",
    the e-mail ``email`` (message_queue's arguments but key and recipient). Once per ``key``,
    in the caller's transaction. Returns the delivery used."""
    delivery = delivery_for(recipient, kind)
    if delivery == Delivery.OFF:
        return delivery
    Notification.objects.get_or_create(key=key, defaults={
        "recipient": recipient, "kind": kind, "text": text[:300], "url": url[:300]})
    if delivery == Delivery.EMAIL and email is not None:
        message_queue(key=key, recipient=recipient, **{"reason": kind, **email})
    return delivery


def notifications_mark_read(*, user, pks=None):
    """Mark ``user``'s notifications read (those of ``pks``, or all). Returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=pks)
    return unread.update(read_at=timezone.now())
