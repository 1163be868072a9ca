"""The URLconf of the benchmark only (bench/bench.py sets ROOT_URLCONF to it; the app never
uses it): every URL of the project, plus the baselines each page is measured against.

- ``baseline_read``: a bare view doing one primary-key read. With the middleware's session
  and user lookups that is three queries: the least any signed-in page can cost.
- ``baseline_upsert``: a bare view doing one ``INSERT ... ON CONFLICT ... DO UPDATE`` on a
  one-row-per-user table (``bench_counter``, created by the bench): the least any signed-in
  write can cost.
- ``ilike_search``: what the Django admin's search would do on the bank: for each word, an OR
  of case-insensitive ``icontains`` over the searched fields (title, prompt, model answer, key
  points, through the same join to the current revision), then the count and the first page
  of 20, as the admin's change list does. It renders no template, so it is cheaper than a real
  page would be: the comparison with full-text search is conservative.
"""

from django.db import connection
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

from config import urls as project_urls
from questionbank.models import Question


def baseline_read(request, pk):
    return HttpResponse(Question.objects.values_list("title", flat=True).get(pk=pk))


@require_POST
def baseline_upsert(request):
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO bench_counter (user_id, n, updated_at) VALUES (%s, 1, now())
               ON CONFLICT (user_id) DO UPDATE SET n = bench_counter.n + 1, updated_at = now()
               RETURNING n""",
            [request.user.pk],
        )
        n = cursor.fetchone()[0]
    return JsonResponse({"ok": True, "n": n})


def ilike_search(request):
    qs = Question.objects.visible_to(request.user)
    for word in request.GET.get("q", "").split():
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(current_revision__prompt__icontains=word)
            | Q(current_revision__model_answer__icontains=word)
            | Q(current_revision__key_points__icontains=word)
        )
    total = qs.count()
    rows = list(qs.order_by("area", "title", "-pk").values_list("slug", "title")[:20])
    return JsonResponse({"count": total, "rows": rows})


urlpatterns = [
    path("bench/baseline/read/<int:pk>/", baseline_read),
    path("bench/baseline/upsert/", baseline_upsert),
    path("bench/ilike/", ilike_search),
    *project_urls.urlpatterns,
]

handler404 = project_urls.handler404
handler500 = project_urls.handler500
handler403 = project_urls.handler403
