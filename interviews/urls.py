"""Positions, candidates, scheduling, and interview plans with the plan builder.

Scoring's pages of a position, candidate or interview (compare, debrief, live, scorecard)
share these prefixes but are routed in scoring/urls.py."""

from django.urls import include, path

from .views import calendar, candidates, load, loops, plans, pools, positions, qualifications, rules, scheduling

app_name = "interviews"

# /positions/<pk>/
position_urls = [
    path("", positions.position_detail, name="position_detail"),
    path("edit/", positions.position_edit, name="position_edit"),
    path("rule/", rules.position_rule, name="position_rule"),
]

# /candidates/<pk>/
candidate_urls = [
    path("", candidates.candidate_detail, name="candidate_detail"),
    path("edit/", candidates.candidate_edit, name="candidate_edit"),
    path("cv/", candidates.candidate_cv, name="candidate_cv"),
]

# /interviews/<pk>/
interview_urls = [
    path("", scheduling.interview_detail, name="interview_detail"),
    path("edit/", scheduling.interview_edit, name="interview_edit"),
    path("cancel/", scheduling.interview_cancel, name="interview_cancel"),
    path("invite.ics", calendar.interview_invite, name="interview_invite"),
]

# /plans/<pk>/items/<item_pk>/
plan_item_urls = [
    path("", plans.plan_item_update, name="plan_item_update"),
    path("move/", plans.plan_item_move, name="plan_item_move"),
    path("delete/", plans.plan_item_delete, name="plan_item_delete"),
    path("revision/", plans.plan_item_update_revision, name="plan_item_update_revision"),
]

# /plans/<pk>/
plan_urls = [
    path("", plans.plan_builder, name="plan_builder"),
    path("edit/", plans.plan_edit, name="plan_edit"),
    path("clone/", plans.plan_clone, name="plan_clone"),
    path("archive/", plans.plan_archive, name="plan_archive"),
    path("unarchive/", plans.plan_unarchive, name="plan_unarchive"),
    path("reorder/", plans.plan_reorder, name="plan_reorder"),
    path("sections/add/", plans.plan_section_add, name="plan_section_add"),
    path("items/add/", plans.plan_item_add, name="plan_item_add"),
    path("items/restore/", plans.plan_item_restore, name="plan_item_restore"),
    path("items/<int:item_pk>/", include(plan_item_urls)),
    path("pool/add/", pools.pool_add, name="pool_add"),
    path("pool/<int:member_pk>/remove/", pools.pool_remove, name="pool_remove"),
]

urlpatterns = [
    path("positions/", positions.position_list, name="position_list"),
    path("positions/new/", positions.position_create, name="position_create"),
    path("positions/<int:pk>/", include(position_urls)),
    path("candidates/", candidates.candidate_list, name="candidate_list"),
    path("candidates/new/", candidates.candidate_create, name="candidate_create"),
    path("candidates/<int:pk>/", include(candidate_urls)),
    path("interviews/", scheduling.interview_list, name="interview_list"),
    path("interviews/new/", scheduling.interview_schedule, name="interview_schedule"),
    path("interviews/load/", load.interview_load, name="interview_load"),
    path("interviews/<int:pk>/", include(interview_urls)),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/loops/", loops.plan_loops, name="plan_loops"),
    path("plans/loops/clone/", loops.plan_loop_clone, name="plan_loop_clone"),
    path("plans/<int:pk>/", include(plan_urls)),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("practice/qualifications/", qualifications.qualifications, name="qualifications"),  # issue 17
]
