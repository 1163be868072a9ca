"""The API (/api/v1/…, docs/api.md) and each person's API tokens page (/account/tokens/).

The API's views answer to a token, not a session: they are exempt from the sign-in
redirect (LoginRequiredMiddleware) and refuse a request without a token with 401 themselves.
The schema and the docs page are for people signed in (docs) or holding a token (schema)."""

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path

from . import docs, pages, views


def api(view_class):
    """A resource's view: DRF authenticates the token itself (its views are already exempt
    from the sign-in redirect; said here too, so it does not hang on DRF's choice)."""
    return login_not_required(view_class.as_view())


v1 = [
    path("schema/", login_not_required(docs.Schema.as_view()), name="schema"),
    # DRF marks its views as needing no sign-in (it authenticates itself): the docs page is
    # for people signed in, sent to the sign-in page otherwise, as every page.
    path("docs/", login_required(docs.Docs.as_view(url_name="api:v1:schema")), name="docs"),
    path("positions/", api(views.PositionList), name="position-list"),
    path("positions/<int:pk>/", api(views.PositionDetail), name="position-detail"),
    path("positions/<int:position_pk>/candidates/<str:external_id>/", api(views.CandidateUpsert),
         name="candidate-upsert"),
    path("candidates/", api(views.CandidateList), name="candidate-list"),
    path("candidates/<int:pk>/", api(views.CandidateDetail), name="candidate-detail"),
    path("plans/", api(views.PlanList), name="plan-list"),
    path("plans/<int:pk>/", api(views.PlanDetail), name="plan-detail"),
    path("questions/", api(views.QuestionList), name="question-list"),
    path("questions/<slug:slug>/", api(views.QuestionDetail), name="question-detail"),
    path("interviews/", api(views.InterviewList), name="interview-list"),
    path("interviews/<int:pk>/", api(views.InterviewDetail), name="interview-detail"),
    path("interviews/<int:pk>/reschedule/", api(views.InterviewReschedule), name="interview-reschedule"),
    path("interviews/<int:pk>/cancel/", api(views.InterviewCancel), name="interview-cancel"),
    path("scorecards/", api(views.ScorecardList), name="scorecard-list"),
    path("scorecards/<int:pk>/", api(views.ScorecardDetail), name="scorecard-detail"),
    path("decisions/", api(views.DecisionList), name="decision-list"),
    path("calibration/", api(views.Calibration), name="calibration"),
]

app_name = "api"
urlpatterns = [
    path("api/v1/", include((v1, "v1"))),
    path("account/tokens/", pages.token_list, name="tokens"),
    path("account/tokens/new/", pages.token_create_view, name="token_create"),
    path("account/tokens/<int:pk>/revoke/", pages.token_revoke_view, name="token_revoke"),
]
