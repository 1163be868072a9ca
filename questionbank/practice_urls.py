"""/practice/: scoring sample answers to qualify for questions (questionbank/views/practice.py).
The qualification dashboard, which reads positions and plans, is interviews' (/practice/qualifications/)."""

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
