"""The URLconf of the load test only (bench/loadtest_settings.py names it; the app never uses it):
every URL of the project, plus the bare one-upsert view that autosave's throughput is measured
against, at a path shaped like autosave's (``/bench/interviews/<id>/autosave/``) and sent the same
JSON body, so the two differ only in what the view does."""

from django.urls import path

from bench.urls import baseline_upsert
from config import urls as project_urls


def bare_autosave(request, interview_id):
    """bench/urls.py's ``baseline_upsert``: one upsert on the user's row, no app logic."""
    return baseline_upsert(request)


urlpatterns = [
    path("bench/interviews/<int:interview_id>/autosave/", bare_autosave),
    *project_urls.urlpatterns,
]

handler404 = project_urls.handler404
handler500 = project_urls.handler500
handler403 = project_urls.handler403
