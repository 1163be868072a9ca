"""Single sign-on routes (accounts/sso_views.py), mounted at /sso/. They answer 404 while
single sign-on is off (no PANELIST_OIDC_ISSUER)."""

from django.urls import path

from . import sso_views

urlpatterns = [
    path("start/", sso_views.sso_start, name="sso_start"),
    path("callback/", sso_views.sso_callback, name="sso_callback"),
    path("failed/", sso_views.sso_failed, name="sso_failed"),
    path("signed-out/", sso_views.sso_signed_out, name="sso_signed_out"),
]
