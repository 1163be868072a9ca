from django.urls import path

from . import views

app_name = "mail"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/", views.message_detail, name="message"),
    path("<int:pk>/html/", views.message_html, name="message_html"),
    path("<int:pk>/attachment/", views.message_attachment, name="message_attachment"),
]
