from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import two_factor, views
from config.sessions import ThrottledPasswordChangeView
from config.forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("help/scoring/", views.help_scoring, name="help_scoring"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/", two_factor.two_factor_status, name="two_factor_status"),
    path("account/two-factor/setup/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/confirm/", two_factor.two_factor_confirm, name="two_factor_confirm"),
    path("account/two-factor/disable/", two_factor.two_factor_disable, name="two_factor_disable"),
    path("password/", ThrottledPasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("questions/", include("questionbank.urls")),
    path("", include("interviews.urls")),
    path("", include("scoring.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
handler403 = "config.views.forbidden"
