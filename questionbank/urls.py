from django.urls import path

from .views import authoring, browse, transfer

app_name = "questionbank"

urlpatterns = [
    path("", browse.question_list, name="list"),
    path("new/", authoring.question_create_view, name="create"),
    path("criteria/", browse.plan_criteria, name="plan_criteria"),
    path("export/", transfer.export_view, name="export"),
    path("import/", transfer.import_view, name="import"),
    path("import/confirm/", transfer.import_confirm_view, name="import_confirm"),
    path("<slug:slug>/", browse.question_detail, name="detail"),
    path("<slug:slug>/edit/", authoring.question_edit_view, name="edit"),
    path("<slug:slug>/status/", authoring.question_status_view, name="status"),
    path("<slug:slug>/revisions/<int:number>/", browse.revision_detail, name="revision"),
]
