from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("help/scoring/", views.help_scoring, name="help_scoring"),
    path("", include("accounts.urls")),
    path("sso/", include("accounts.sso_urls")),
    path("questions/", include("questionbank.urls")),
    path("practice/", include("interviews.practice_urls")),  # issue 17: practice scoring
    path("", include("interviews.urls")),
    path("", include("scoring.urls")),
    path("outbox/", include("mail.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("api.urls")),  # /api/v1/… and /account/tokens/
    path("webhooks/", include("webhooks.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
handler403 = "config.views.forbidden"
