from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed webhooks for an applicant tracking system: subscriptions, the events Panelist
    publishes and their deliveries, sent by retried jobs (docs/webhooks.md)."""

    name = "webhooks"
    verbose_name = "Webhooks"
