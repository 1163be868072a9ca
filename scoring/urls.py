from django.urls import path

from .views import debrief, live, scorecard

from .urls_calibration import urlpatterns as calibration_patterns
from .urls_compare import urlpatterns as compare_patterns

app_name = "scoring"

urlpatterns = compare_patterns + calibration_patterns + [
    path("interviews/<int:pk>/live/", live.live, name="live"),
    path("interviews/<int:pk>/live/save/", live.live_save, name="live_save"),
    path("interviews/<int:pk>/live/adhoc/", live.adhoc, name="adhoc"),
    path("interviews/<int:pk>/autosave/", live.autosave, name="autosave"),
    path("interviews/<int:pk>/scorecard/", scorecard.scorecard, name="scorecard"),
    path("interviews/<int:pk>/scorecard/submit/", scorecard.submit, name="submit"),
    path("interviews/<int:pk>/scorecard/amend/", scorecard.amend, name="amend"),
    path("candidates/<int:pk>/debrief/", debrief.debrief_view, name="debrief"),
    path("candidates/<int:pk>/decision/", debrief.decision_view, name="decision"),
]
