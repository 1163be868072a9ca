"""Interview plans and the plan builder."""

from django.urls import path

from .views import plans

urlpatterns = [
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_builder, name="plan_builder"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/clone/", plans.plan_clone, name="plan_clone"),
    path("plans/<int:pk>/archive/", plans.plan_archive, name="plan_archive"),
    path("plans/<int:pk>/unarchive/", plans.plan_unarchive, name="plan_unarchive"),
    path("plans/<int:pk>/items/restore/", plans.plan_item_restore, name="plan_item_restore"),
    path("plans/<int:pk>/reorder/", plans.plan_reorder, name="plan_reorder"),
    path("plans/<int:pk>/sections/add/", plans.plan_section_add, name="plan_section_add"),
    path("plans/<int:pk>/items/add/", plans.plan_item_add, name="plan_item_add"),
    path("plans/<int:pk>/items/<int:item_pk>/", plans.plan_item_update, name="plan_item_update"),
    # The builder appends move/, delete/ and revision/ to an item's URL (views/plans.py: _builder_context).
    path("plans/<int:pk>/items/<int:item_pk>/move/", plans.plan_item_move, name="plan_item_move"),
    path("plans/<int:pk>/items/<int:item_pk>/delete/", plans.plan_item_delete, name="plan_item_delete"),
    path("plans/<int:pk>/items/<int:item_pk>/revision/", plans.plan_item_update_revision,
         name="plan_item_update_revision"),
]
