"""Positions, candidates, scheduling."""

from django.urls import path

from .views import candidates, positions, scheduling

urlpatterns = [
    path("positions/", positions.position_list, name="position_list"),
    path("positions/new/", positions.position_create, name="position_create"),
    path("positions/<int:pk>/", positions.position_detail, name="position_detail"),
    path("positions/<int:pk>/edit/", positions.position_edit, name="position_edit"),
    path("candidates/", candidates.candidate_list, name="candidate_list"),
    path("candidates/new/", candidates.candidate_create, name="candidate_create"),
    path("candidates/<int:pk>/", candidates.candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/edit/", candidates.candidate_edit, name="candidate_edit"),
    path("candidates/<int:pk>/cv/", candidates.candidate_cv, name="candidate_cv"),
    path("interviews/", scheduling.interview_list, name="interview_list"),
    path("interviews/new/", scheduling.interview_schedule, name="interview_schedule"),
    path("interviews/<int:pk>/", scheduling.interview_detail, name="interview_detail"),
    path("interviews/<int:pk>/edit/", scheduling.interview_edit, name="interview_edit"),
    path("interviews/<int:pk>/cancel/", scheduling.interview_cancel, name="interview_cancel"),
]
