"""Self-service password reset by mail: Django's PasswordResetView family, with the mail
recorded by mail.services.message_queue (plain text and HTML, in the person's time zone) and
requests throttled per typed address and per client address (docs/security.md, People).

The page never tells whether an address has an account: it answers every well-formed request
the same way, and the accounts are looked up, and their mail written, by a background job
(accounts.tasks.password_reset_mail_job), so that even the time of the answer does not say.
Links are Django's tokens: they expire after PASSWORD_RESET_TIMEOUT and die once the password
changes (they hash the password and the last sign-in).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from config.network import client_ip
from mail.services import message_queue

from .models import AuditEvent, audit, zone_of
from .oidc import local_password_allowed

REQUESTED = "auth.password_reset_requested"
WINDOW = timedelta(hours=1)


def _address_digest(email):
    """The typed address as the audit log keeps it: a keyed digest, never the text (people type
    all sorts of things; and the log must not say which addresses were tried)."""
    return salted_hmac("accounts.password_reset", email.strip().lower()).hexdigest()[:32]


def password_reset_refusal(*, email, ip, now=None):
    """Why this request is refused (too many in the last hour, for this typed address or from
    this client address), in words; None when it may go ahead. Counts requests, not mails, so
    it says the same of an address with or without an account."""
    since = (now or timezone.now()) - WINDOW
    recent = AuditEvent.objects.filter(action=REQUESTED, at__gte=since)
    if recent.filter(detail__address=_address_digest(email)).count() >= settings.PASSWORD_RESET_MAX_PER_ADDRESS:
        return ("Several reset links were asked for this address in the last hour. Use the newest mail you got, "
                "or try again in an hour.")
    if ip and recent.filter(detail__ip=ip).count() >= settings.PASSWORD_RESET_MAX_PER_IP:
        return "Too many password resets were asked from your network in the last hour. Try again in an hour."
    return None


def password_reset_request(*, email, ip):
    """Record the request and queue the job that mails a link to the account(s) with ``email``."""
    from .tasks import password_reset_mail_job  # the tasks module imports this one

    now = timezone.now()
    audit(actor=None, action=REQUESTED, target="password reset", address=_address_digest(email), ip=ip or "")
    password_reset_mail_job.defer(email=email, requested_at=now.isoformat())


def password_reset_mail(*, email, requested_at):
    """Queue a reset mail for every active account with ``email`` and a usable password (what
    Django's PasswordResetForm.get_users finds; invited people without a password yet use their
    invitation) that may sign in with a password (not when single sign-on has replaced them).
    Returns the messages."""
    sent = []
    for user in PasswordResetForm().get_users(email):
        if not local_password_allowed(user.get_username()):
            continue
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        url = settings.PANELIST_BASE_URL + reverse(
            "password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})
        message = message_queue(
            key=f"password_reset:{user.pk}:{requested_at.isoformat()}", reason="password_reset", recipient=user,
            time_zone=zone_of(user), template="password_reset",
            context={"url": url, "requested_at": requested_at,
                     "expires_at": requested_at + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)},
        )
        sent.append(message)
    return sent


class ResetRequestForm(PasswordResetForm):
    """Django's form, with its messages in our words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Your e-mail address"
        email.help_text = "The address your Panelist account uses. We mail a link to choose a new password."
        email.error_messages.update({"required": "Enter your e-mail address.",
                                     "invalid": "Enter a whole e-mail address, such as ada@example.com."})


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Ask for a reset link. Refused with 429 beyond the hourly limits; otherwise always the
    same answer, whether or not the address has an account."""

    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def get_context_data(self, **kwargs):
        # With local passwords off, the page says so (break-glass admins can still reset theirs).
        return {**super().get_context_data(**kwargs), "passwords_off": not settings.PANELIST_LOCAL_PASSWORDS,
                "provider": settings.PANELIST_OIDC_PROVIDER_NAME}

    def form_valid(self, form):
        email, ip = form.cleaned_data["email"], client_ip(self.request)
        refusal = password_reset_refusal(email=email, ip=ip)
        if refusal:
            audit(actor=None, action="auth.password_reset_throttled", target="password reset",
                  address=_address_digest(email), ip=ip or "")
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        password_reset_request(email=email, ip=ip)
        return redirect(self.success_url)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "timeout_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}


class ResetSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Choose a new password."
        self.fields["new_password2"].error_messages["required"] = "Type the new password again."


class PasswordResetSetView(auth_views.PasswordResetConfirmView):
    """Django's page behind the link (it checks the token, then hides it from the address bar);
    audited. Changing the password ends the person's other sessions (Django's session hash)."""

    form_class = ResetSetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("login")

    def get_user(self, uidb64):
        # Someone whose password single sign-on has replaced has no link that works (none is
        # mailed to them; one from before the switch dies here).
        user = super().get_user(uidb64)
        return user if user is not None and local_password_allowed(user.get_username()) else None

    def form_valid(self, form):
        response = super().form_valid(form)
        audit(actor=self.user, action="auth.password_reset", target=f"user {self.user.pk}", ip=client_ip(self.request))
        messages.success(self.request, "Your password is changed. Sign in with it now.")
        return response

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
