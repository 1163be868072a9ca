from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """What Panelist tells people: in the app (the bell, /notifications/) and by e-mail (the
    mail app), each kind as the person chose (docs/architecture.md, Notifications)."""

    name = "notifications"
    verbose_name = "Notifications"
