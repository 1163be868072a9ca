"""Scoring's pages. Most hang off another app's object, so they share its prefix:
/interviews/<pk>/live/ and /scorecard/ (an interviewer's), /candidates/<pk>/debrief/ and
/decision/, /positions/<pk>/compare/ and /overrides/; only /calibration/ (and its pages: the
drill-down, My calibration, exposure) is scoring's own."""

from django.urls import include, path

from .views import calibration, compare, debrief, exposure, live, overrides, scorecard

app_name = "scoring"

# /interviews/<pk>/
interview_urls = [
    path("live/", live.live, name="live"),
    path("live/save/", live.live_save, name="live_save"),
    path("live/adhoc/", live.adhoc, name="adhoc"),
    path("autosave/", live.autosave, name="autosave"),
    path("scorecard/", scorecard.scorecard, name="scorecard"),
    path("scorecard/submit/", scorecard.submit, name="submit"),
    path("scorecard/amend/", scorecard.amend, name="amend"),
]

# /candidates/<pk>/
candidate_urls = [
    path("debrief/", debrief.debrief_view, name="debrief"),
    path("decision/", debrief.decision_view, name="decision"),
    path("remind/", debrief.remind_view, name="remind"),
]

urlpatterns = [
    path("interviews/<int:pk>/", include(interview_urls)),
    path("candidates/<int:pk>/", include(candidate_urls)),
    path("positions/<int:pk>/compare/", compare.compare_view, name="compare"),
    path("positions/<int:pk>/overrides/", overrides.overrides_view, name="overrides"),
    path("calibration/", calibration.calibration_view, name="calibration"),
    path("calibration/me/", calibration.my_calibration, name="my_calibration"),
    path("calibration/interviewers/<int:pk>/", calibration.interviewer_view, name="calibration_interviewer"),
    path("calibration/exposure/", exposure.exposure_view, name="exposure"),
]
