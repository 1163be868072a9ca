"""Sign-in, two-factor and password pages. Mounted at the site root without a namespace, so
their names ("login", "two_factor_verify", "password_change"...) are the ones Django's auth
views and every template already use."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import sso_views, views
from .forms import SignInForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm), name="login"),
    path("logout/", sso_views.SignOutView.as_view(), name="logout"),  # offers the provider's sign-out too
    path("login/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/", views.two_factor_status, name="two_factor_status"),
    path("account/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/confirm/", views.two_factor_confirm, name="two_factor_confirm"),
    path("account/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("account/settings/", views.account_settings, name="account_settings"),
    path("account/settings/new-calendar-link/", views.account_new_calendar_link, name="account_new_calendar_link"),
    path("password/", views.ThrottledPasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
