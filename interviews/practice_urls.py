"""/practice/: scoring sample answers to qualify for questions (interviews/views/practice.py;
the models and the rule are questionbank's, the audit trail needs a layer above accounts). The
qualification dashboard, /practice/qualifications/, is routed with the other interview pages."""

from django.urls import path

from .views import practice

app_name = "practice"

urlpatterns = [
    path("", practice.practice_list, name="list"),
    path("questions/<slug:slug>/", practice.practice_question, name="question"),
    path("questions/<slug:slug>/samples/", practice.sample_list, name="samples"),
    path("samples/<int:pk>/", practice.practice_sample, name="sample"),
    path("samples/<int:pk>/result/", practice.practice_result, name="result"),
    path("samples/<int:pk>/edit/", practice.sample_edit, name="sample_edit"),
]
