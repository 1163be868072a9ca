"""The notifications page: what the bell counts, and how each kind reaches the person."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .forms import PreferencesForm
from .models import Notification, Preference
from .services import notifications_mark_read


def _preferences(user):
    return dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))


def notification_list(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page, "form": PreferencesForm(current=_preferences(request.user)),
    })


@require_POST
def notification_open(request, pk):
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications_mark_read(user=request.user, pks=[notification.pk])
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()})
    return redirect(notification.url if notification.url and safe else "notifications:list")


@require_POST
def notification_read_all(request):
    count = notifications_mark_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read." if count
                     else "Nothing was unread.")
    return redirect("notifications:list")


@require_POST
def notification_preferences(request):
    form = PreferencesForm(request.POST, current=_preferences(request.user))
    if not form.is_valid():
        page = Paginator(Notification.objects.filter(recipient=request.user), 30).get_page(1)
        messages.error(request, "Choose one of the options for each kind; nothing has been saved yet.")
        return render(request, "notifications/list.html", {"page": page, "form": form}, status=400)
    with transaction.atomic():
        for kind, delivery in form.cleaned_data.items():
            Preference.objects.update_or_create(user=request.user, kind=kind, defaults={"delivery": delivery})
    messages.success(request, "Saved how you hear of each kind of notification.")
    return redirect("notifications:list")
