"""The comparison of a position's candidates."""

from django.urls import path

from .views import compare

urlpatterns = [
    path("positions/<int:pk>/compare/", compare.compare_view, name="compare"),
]
