"""The webhook pages, for admins (superusers): subscriptions, their secrets, each one's
delivery log with a Redeliver button (docs/webhooks.md)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from .forms import SubscriptionForm
from .models import Delivery, DeliveryStatus, Subscription
from .services import delivery_redeliver, subscription_rotate_secret, subscription_save

SHOWN_SECRET = "webhooks_secret_to_show"  # the session key of a secret to show once
LOG_PAGE = 50


def _admin_only(request):
    if not request.user.is_superuser:
        raise PermissionDenied("Webhooks are for admins.")


def _show_secret_once(request, subscription, secret):
    request.session[SHOWN_SECRET] = {"pk": subscription.pk, "secret": secret}


@require_GET
def subscription_list(request):
    _admin_only(request)
    return render(request, "webhooks/list.html", {"subscriptions": list(Subscription.objects.all())})


def subscription_create(request):
    _admin_only(request)
    form = SubscriptionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            subscription = subscription_save(subscription=form.instance, by=request.user)
            _show_secret_once(request, subscription, subscription.secret)
            messages.success(request, f"Created the subscription “{subscription.name}”. Copy its secret now.")
            return redirect("webhooks:detail", pk=subscription.pk)
        return render(request, "webhooks/form.html", {"form": form}, status=400)
    return render(request, "webhooks/form.html", {"form": form})


def subscription_edit(request, pk):
    _admin_only(request)
    subscription = get_object_or_404(Subscription, pk=pk)
    name = subscription.name
    form = SubscriptionForm(request.POST if request.method == "POST" else None, instance=subscription)
    if request.method == "POST":
        if form.is_valid():
            subscription_save(subscription=form.instance, by=request.user)
            messages.success(request, f"Saved the subscription “{subscription.name}”.")
            return redirect("webhooks:detail", pk=subscription.pk)
        return render(request, "webhooks/form.html", {"form": form, "subscription": subscription, "name": name},
                      status=400)
    return render(request, "webhooks/form.html", {"form": form, "subscription": subscription, "name": name})


@require_GET
def subscription_detail(request, pk):
    """The subscription and its delivery log, newest first, 50 a page. Queries: the session,
    the user, the subscription with its creator, the log's count and its page (with each delivery's event)."""
    _admin_only(request)
    subscription = get_object_or_404(Subscription.objects.select_related("created_by"), pk=pk)
    shown = request.session.get(SHOWN_SECRET)
    secret = None
    if shown and shown.get("pk") == subscription.pk:
        secret = shown["secret"]
        del request.session[SHOWN_SECRET]
    deliveries = (Delivery.objects.filter(subscription=subscription).select_related("event")
                  .defer("event__payload", "response_excerpt"))
    page = Paginator(deliveries, LOG_PAGE).get_page(request.GET.get("page"))
    return render(request, "webhooks/detail.html", {
        "subscription": subscription, "secret": secret, "page": page, "pending": DeliveryStatus.PENDING,
    })


@require_POST
def subscription_rotate(request, pk):
    _admin_only(request)
    subscription = get_object_or_404(Subscription, pk=pk)
    secret = subscription_rotate_secret(subscription=subscription, by=request.user)
    _show_secret_once(request, subscription, secret)
    messages.success(request, "A new secret is set; the previous one also signs for 24 hours. Copy it now.")
    return redirect("webhooks:detail", pk=subscription.pk)


@require_POST
def delivery_redeliver_view(request, pk, delivery_pk):
    _admin_only(request)
    delivery = get_object_or_404(Delivery.objects.select_related("event"), pk=delivery_pk, subscription_id=pk)
    if delivery_redeliver(delivery=delivery, by=request.user):
        messages.success(request, f"{delivery.event.type} ({delivery.event.webhook_id}) will be sent again now.")
    else:
        messages.info(request, f"{delivery.event.type} ({delivery.event.webhook_id}) is still being tried; "
                               "its next attempt is in the log.")
    return redirect("webhooks:detail", pk=pk)
