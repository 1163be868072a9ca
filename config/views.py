"""Project-wide pages: home, health check, help, error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from config.helpdoc import scoring_help
from questionbank.models import Question, Status
from scoring.dashboards import home_dashboards


def home(request):
    """The question bank cards, and each role's dashboard (scoring.dashboards)."""
    counts = {"published": Question.objects.filter(status=Status.PUBLISHED).count()}
    return render(request, "home.html", {"counts": counts, **home_dashboards(request.user)})


def help_scoring(request):
    """How every score is computed: docs/scoring.md, rendered (config/helpdoc.py)."""
    return render(request, "help/scoring.html", {"doc": scoring_help()})


@login_not_required
@never_cache
def healthz(request):
    """200 when the database answers a query, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def forbidden(request, exception=None):
    # A script's JSON request (the live page's autosave) gets JSON it can show as a refusal;
    # to that script an HTML 403 means a refused CSRF token, which it treats as a lost session.
    if request.content_type == "application/json":
        return JsonResponse({"ok": False, "error": "forbidden", "message": FORBIDDEN_MESSAGE}, status=403)
    return render(request, "errors/403.html", status=403)


FORBIDDEN_MESSAGE = ("Your role does not allow this (an administrator may have changed it since the page was "
                     "opened), so nothing was saved.")


@login_not_required
def server_error(request):
    return render(request, "errors/500.html", status=500)
