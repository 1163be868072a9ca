from .models import Notification


def bell(request):
    """The bell's unread count, on every page of a signed-in person (one query, on the index
    notification_unread)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count()}
