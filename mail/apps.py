from django.apps import AppConfig


class MailConfig(AppConfig):
    """Panelist's mail: every message recorded in the outbox before it is sent, sent by a job
    (retried with back-off), each at most once per idempotency key (docs/operations.md, Mail)."""

    name = "mail"
    verbose_name = "Mail"
