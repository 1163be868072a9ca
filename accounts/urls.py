"""Sign-in, two-factor and password pages. Mounted at the site root without a namespace, so
their names ("login", "two_factor_verify", "password_change"...) are the ones Django's auth
views and every template already use."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import people_views, sso_views, views
from .password_reset import PasswordResetRequestView, PasswordResetSentView, PasswordResetSetView
from .forms import SignInForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm), name="login"),
    path("logout/", sso_views.SignOutView.as_view(), name="logout"),  # offers the provider's sign-out too
    path("login/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/", views.two_factor_status, name="two_factor_status"),
    path("account/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/confirm/", views.two_factor_confirm, name="two_factor_confirm"),
    path("account/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("account/two-factor/recovery-codes/", views.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("account/settings/", views.account_settings, name="account_settings"),
    path("account/settings/new-calendar-link/", views.account_new_calendar_link, name="account_new_calendar_link"),
    path("password/", views.ThrottledPasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Self-service password reset (accounts/password_reset.py).
    path("password/reset/", PasswordResetRequestView.as_view(), name="password_reset"),
    path("password/reset/sent/", PasswordResetSentView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", PasswordResetSetView.as_view(), name="password_reset_confirm"),
    # The People pages (accounts/people_views.py) and the invitation link.
    path("people/", people_views.people_list, name="people_list"),
    path("people/invite/", people_views.people_invite_view, name="people_invite"),
    path("people/two-factor/", people_views.people_two_factor, name="people_two_factor"),
    path("people/interview-limits/", people_views.people_interview_limits, name="people_interview_limits"),
    path("people/<int:pk>/", people_views.person_detail, name="person_detail"),
    path("people/<int:pk>/roles/", people_views.person_roles, name="person_roles"),
    path("people/<int:pk>/weekly-limit/", people_views.person_weekly_limit, name="person_weekly_limit"),
    path("people/<int:pk>/deactivate/", people_views.person_deactivate_view, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", people_views.person_reactivate_view, name="person_reactivate"),
    path("people/<int:pk>/two-factor/required/", people_views.person_two_factor_required,
         name="person_two_factor_required"),
    path("people/<int:pk>/two-factor/reset/", people_views.person_two_factor_reset, name="person_two_factor_reset"),
    path("people/<int:pk>/invite-again/", people_views.person_invite_again, name="person_invite_again"),
    path("welcome/<str:token>/", people_views.invitation_accept_view, name="invitation_accept"),
]
