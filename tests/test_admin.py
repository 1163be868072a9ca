"""The Django admin: every page of every registered model opens for an admin; admins manage
people there (add a user, give a role, deactivate, require two-factor), and each role change
is audited with the admin who made it; the append-only records cannot be changed or deleted."""

from html.parser import HTMLParser

import pytest
from axes.models import AccessFailureLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from api.services import token_create
from accounts.models import AuditEvent
from accounts.roles import GROUP_NAMES, Role
from accounts.tasks import sessions_clear_expired
from interviews.models import PoolMember
from mail.models import Message
from notifications.models import WebhookDelivery
from questionbank.models import Question, QuestionRevision, SampleAnswer
from questionbank.services import question_create
from scoring.models import Amendment, Decision
from scoring.services import scorecard_amend
from tests.conftest import PASSWORD, revision_content
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard
from webhooks.models import Delivery, Event, Subscription

pytestmark = pytest.mark.django_db

# The pages each ModelAdmin refuses by design (403); every other page must answer 200.
# A newly registered model with a refused page must be listed here.
REFUSED = {
    # Written by the app's own audited services, never by hand; kept whatever happens.
    "accounts.auditevent": {"add", "delete"},
    "scoring.scorecard": {"add", "delete"},
    "scoring.decision": {"add", "delete"},
    "scoring.amendment": {"add", "delete"},
    # A new revision is made by editing the question in the app.
    "questionbank.questionrevision": {"add"},
    # A pool's questions are added in the plan builder, which checks their level and area.
    "interviews.poolmember": {"add"},
    # Questions are retired, never deleted: interviews and plans pin their revisions.
    "questionbank.question": {"delete"},
    # django-axes writes these itself.
    "axes.accessattempt": {"add"},
    "axes.accesslog": {"add"},
    "axes.accessfailurelog": {"add"},
    # The queue's own rows: changed only through Procrastinate (a failed job has a Retry action).
    "jobs.job": {"add", "delete"},
    # Recorded by the app (mail.services.message_queue), read-only; a failed one has a retry action.
    "mail.message": {"add"},
    # Made by the app when it tells someone something; read-only.
    "notifications.notification": {"add"},
    "notifications.webhookdelivery": {"add"},
    # Made by their owner (tokens page or command); revoked, never deleted.
    "api.apitoken": {"add", "delete"},
    # Published by the app; read-only (Redeliver is on the subscription's page).
    "webhooks.event": {"add"},
    "webhooks.delivery": {"add"},
}


@pytest.fixture
def every_kind_of_record(hiring_manager, interviewer, interviewer2, recruiter):
    """At least one row of every model the admin shows."""
    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    candidate = make_candidate(position=position)
    plan = make_plan(position=position)
    interview = make_interview(candidate=candidate, plan=plan, interviewers=[interviewer, interviewer2], by=recruiter)
    # A pool question, put in after the interview was scheduled (the admin checks no rules).
    item = plan.items.first()
    PoolMember.objects.create(item=item, revision=QuestionRevision.objects.exclude(question=item.revision.question)
                              .first(), order=1)
    card = make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 2, None])
    scorecard_amend(scorecard=card, by=interviewer, reason="Meant strong yes", changes={"recommendation": "strong_yes"})
    Decision.objects.create(candidate=candidate, decision="hire", rationale="A strong panel", by=hiring_manager)
    TOTPDevice.objects.create(user=interviewer2, name="Authenticator app", confirmed=True)
    # django-axes' rows, and audit events, through the real sign-in page: a success, then a
    # failure (a success clears the attempts before it).
    browser = Client()
    browser.post("/login/", {"username": recruiter.username, "password": PASSWORD})
    Client().post("/login/", {"username": recruiter.username, "password": "not-the-password"})
    # Its failure log is off in our settings (AXES_ENABLE_ACCESS_FAILURE_LOG), but registered.
    AccessFailureLog.objects.create(username=recruiter.username, ip_address="127.0.0.1", path_info="/login/")
    sessions_clear_expired.defer(timestamp=0)  # a job waiting in the queue
    # A message of the outbox: the interview above invited its panel only if they have an
    # address, so one is recorded here.
    Message.objects.create(key="admin:1", reason="invitation", to="someone@example.com", subject="Interview",
                           text="Hello", html="<p>Hello</p>", status="failed", last_error="SMTPServerDisconnected")
    # Scheduling above notified the panel; a chat post that failed.
    WebhookDelivery.objects.create(key="admin:hook", url="https://hooks.slack.com/services/T0/B0/x",
                                   body={"text": "Interview scheduled"}, status="failed", last_error="HTTPError: 404")
    token_create(user=recruiter, name="ATS sync", scope="read", days=30)
    # A sample answer for practice scoring (issue 17).
    SampleAnswer.objects.create(question=Question.objects.get(slug="bias-variance"), order=1, reference_score=2,
                                answer="An answer.", rationale="Why it scores 2.", agreed_by="Admin test")
    # A signed-webhook subscription, an event and its failed delivery.
    subscription = Subscription.objects.create(name="ATS", url="https://ats.example.com/hook", events=["decision.recorded"])
    event = Event.objects.create(type="decision.recorded", payload={"decision": {"id": 1}})
    Delivery.objects.create(subscription=subscription, event=event, status="failed", attempts=3, last_status_code=500,
                            last_error="HTTP 500", give_up_at=event.timestamp)


def admin_url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def test_it_opens_every_admin_page_of_every_registered_model(client, admin_user, every_kind_of_record):
    labels = {model._meta.label_lower for model in admin.site._registry}
    assert {"auth.user", "auth.group", "otp_totp.totpdevice", "axes.accessattempt", "scoring.decision",
            "scoring.amendment", "accounts.auditevent", "interviews.candidate", "questionbank.question"} <= labels
    assert set(REFUSED) <= labels
    client.force_login(admin_user)
    wrong = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"no {label} to open: build one in every_kind_of_record"
        refused = REFUSED.get(label, set())
        pages = [("changelist", admin_url(model, "changelist")), ("add", admin_url(model, "add")),
                 ("change", admin_url(model, "change", obj.pk)), ("delete", admin_url(model, "delete", obj.pk))]
        for page, url in pages:
            expected = 403 if page in refused else 200
            status = client.get(url).status_code
            if status != expected:
                wrong.append(f"{url}: {status}, expected {expected}")
    assert wrong == []


# --- People ----------------------------------------------------------------------------------

class _FormReader(HTMLParser):
    """The values a browser would submit from one <form>: inputs, checked boxes, selected
    options, text areas."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select = self._textarea = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or attrs.get("disabled") is not None:
            return
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(attrs["name"], attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self._add(attrs["name"], attrs.get("value", ""))
        elif tag == "select":
            self._select = attrs.get("name")
            self.data.setdefault(self._select, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self._add(self._textarea, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data.removeprefix("\n")


def admin_form(client, url, form_id):
    """GET an admin page and return what its form would post unchanged."""
    response = client.get(url)
    assert response.status_code == 200, url
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    assert "csrfmiddlewaretoken" in reader.data, f"no form #{form_id} on {url}"
    return reader.data


def save_user_page(client, user, **changes):
    """Post the user's admin change page as the browser would, with ``changes`` made."""
    url = admin_url(get_user_model(), "change", user.pk)
    data = admin_form(client, url, "user_form")
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)  # an unticked box
        else:
            data[name] = value
    response = client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return response


def test_it_lets_an_admin_add_a_user_and_give_them_a_role(client, admin_user):
    client.force_login(admin_user)
    add_url = admin_url(get_user_model(), "add")
    data = admin_form(client, add_url, "user_form")
    data.update(username="newcomer", password1="a-fresh-password-42", password2="a-fresh-password-42",
                usable_password="true")
    response = client.post(add_url, {**data, "_save": "Save"})
    newcomer = get_user_model().objects.get(username="newcomer")
    assert response.status_code == 302 and response["Location"] == admin_url(get_user_model(), "change", newcomer.pk)

    interviewers = Group.objects.get(name=GROUP_NAMES[Role.INTERVIEWER])
    save_user_page(client, newcomer, first_name="Nia", groups=[str(interviewers.pk)])
    newcomer.refresh_from_db()
    assert newcomer.first_name == "Nia"
    assert list(newcomer.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.INTERVIEWER]]
    assert newcomer.check_password("a-fresh-password-42")


def test_it_records_the_admin_as_the_actor_of_a_role_change(client, admin_user, interviewer):
    client.force_login(admin_user)
    recruiters = Group.objects.get(name=GROUP_NAMES[Role.RECRUITER])
    interviewers = Group.objects.get(name=GROUP_NAMES[Role.INTERVIEWER])
    before = AuditEvent.objects.latest("pk").pk
    save_user_page(client, interviewer, groups=[str(recruiters.pk)])
    events = AuditEvent.objects.filter(action__startswith="roles.", pk__gt=before).order_by("pk")
    assert [(e.action, e.actor, e.target, e.detail) for e in events] == [
        ("roles.remove", admin_user, f"user {interviewer.pk}", {"groups": [interviewers.pk]}),
        ("roles.add", admin_user, f"user {interviewer.pk}", {"groups": [recruiters.pk]}),
    ]


def test_it_records_no_actor_for_a_role_change_made_outside_a_request(client, admin_user, interviewer):
    # The admin's request has ended: a later change (a shell, a command) is nobody's.
    client.force_login(admin_user)
    save_user_page(client, interviewer, groups=[])
    interviewer.groups.add(Group.objects.get(name=GROUP_NAMES[Role.HIRING_MANAGER]))
    latest = AuditEvent.objects.filter(action="roles.add").latest("pk")
    assert latest.actor is None and latest.target == f"user {interviewer.pk}"


def test_it_lets_an_admin_deactivate_a_user_which_ends_their_session(client, admin_user, interviewer):
    theirs = Client()
    theirs.force_login(interviewer)
    assert theirs.get("/").status_code == 200
    client.force_login(admin_user)
    save_user_page(client, interviewer, is_active=None)
    interviewer.refresh_from_db()
    assert not interviewer.is_active
    response = theirs.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    # Nor can they sign in again.
    assert theirs.post("/login/", {"username": interviewer.username, "password": PASSWORD}).status_code == 200
    assert theirs.get("/").status_code == 302


def test_it_lets_an_admin_require_two_factor_through_the_user_page(client, admin_user, interviewer):
    client.force_login(admin_user)  # a staff sign-in makes sure the group exists
    required = Group.objects.get(name=two_factor.REQUIRED_GROUP)
    interviewers = Group.objects.get(name=GROUP_NAMES[Role.INTERVIEWER])
    save_user_page(client, interviewer, groups=[str(interviewers.pk), str(required.pk)])
    theirs = Client()
    response = theirs.post("/login/", {"username": interviewer.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/account/two-factor/"
    assert "Your account needs two-factor sign-in" in response.content.decode()
    added = AuditEvent.objects.get(action="roles.add", target=f"user {interviewer.pk}", actor=admin_user)
    assert added.detail == {"groups": [required.pk]}


def test_it_lets_an_admin_edit_a_two_factor_device(client, admin_user, interviewer):
    device = TOTPDevice.objects.create(user=interviewer, name="Authenticator app", confirmed=True)
    client.force_login(admin_user)
    url = admin_url(TOTPDevice, "change", device.pk)
    data = admin_form(client, url, "totpdevice_form")
    data["name"] = "Old phone"
    data.pop("confirmed", None)
    assert client.post(url, {**data, "_save": "Save"}).status_code == 302
    device.refresh_from_db()
    assert (device.name, device.confirmed) == ("Old phone", False)


# --- Append-only records ---------------------------------------------------------------------

def test_it_retires_questions_and_never_deletes_them(client, admin_user):
    question = question_create(slug="kept", area="data", kind="concept", level="mid", roles=["ds"],
                               content=revision_content(), status="published")
    client.force_login(admin_user)
    assert client.post(admin_url(Question, "delete", question.pk), {"post": "yes"}).status_code == 403
    changelist = client.get(admin_url(Question, "changelist"))
    assert changelist.status_code == 200 and "delete_selected" not in changelist.content.decode()
    client.post(admin_url(Question, "changelist"), {"action": "delete_selected", "_selected_action": [question.pk],
                                                    "post": "yes"})
    assert Question.objects.filter(pk=question.pk).exists()
    # What the admin offers instead: the status.
    form = {"slug": "kept", "area": "data", "kind": "concept", "level": "mid", "roles": "ds", "status": "retired"}
    assert client.post(admin_url(Question, "change", question.pk), form).status_code == 302
    assert Question.objects.get(pk=question.pk).status == "retired"


@pytest.mark.parametrize("model", [Decision, Amendment], ids=["decision", "amendment"])
def test_it_keeps_decisions_and_amendments_out_of_reach_of_change_and_delete(client, admin_user, every_kind_of_record,
                                                                             model):
    obj = model.objects.first()
    client.force_login(admin_user)
    assert client.get(admin_url(model, "delete", obj.pk)).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    changelist = client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    # The bulk action, posted anyway, deletes nothing.
    client.post(admin_url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk],
                                                 "post": "yes"})
    assert model.objects.filter(pk=obj.pk).exists()
    # The change page is a read-only view: a post changes nothing.
    change = client.get(admin_url(model, "change", obj.pk))
    assert change.status_code == 200 and "_save" not in change.content.decode()
    assert client.post(admin_url(model, "change", obj.pk), {"reason": "rewritten", "rationale": "rewritten"}).status_code == 403
    obj.refresh_from_db()
    assert "rewritten" not in (getattr(obj, "reason", ""), getattr(obj, "rationale", ""))


# What the admin calls each registered model (a new model is added here once its name reads well).
ADMIN_NAMES = {
    "auth.group": "groups", "auth.user": "users",
    "axes.accessattempt": "access attempts", "axes.accesslog": "access logs", "axes.accessfailurelog": "access failures",
    "otp_totp.totpdevice": "TOTP devices",
    "questionbank.question": "questions", "questionbank.questionrevision": "question revisions",
    "questionbank.plancriterion": "plan criteria", "questionbank.sampleanswer": "sample answers",
    "accounts.auditevent": "audit events", "scoring.scorecard": "scorecards", "scoring.decision": "decisions",
    "scoring.amendment": "amendments",
    "interviews.position": "positions", "interviews.candidate": "candidates", "interviews.interviewplan": "interview plans",
    "interviews.poolmember": "pool questions",
    "interviews.interview": "interviews", "jobs.job": "jobs", "mail.message": "messages",
    "notifications.notification": "notifications", "notifications.webhookdelivery": "webhook deliveries",
    "api.apitoken": "API tokens",
    "webhooks.subscription": "subscriptions", "webhooks.event": "events", "webhooks.delivery": "deliveries",
}


def test_it_names_every_admin_section_in_plain_english(client, admin_user, every_kind_of_record):
    names = {model._meta.label_lower: str(model._meta.verbose_name_plural) for model in admin.site._registry}
    assert names == ADMIN_NAMES
    client.force_login(admin_user)
    index = client.get("/admin/").content.decode()
    assert "Plan criteria" in index
    # Apps are named for what they hold, not by their labels ("Axes", "Otp_Totp").
    assert "Sign-in throttling" in index and "Two-factor devices" in index
    assert "Otp_Totp" not in index and ">Axes<" not in index
    revision = client.get(admin_url(QuestionRevision, "change", QuestionRevision.objects.first().pk)).content.decode()
    assert "Rubric criteria" in revision and "riterions" not in revision


def test_it_lets_an_admin_revoke_a_leaked_token(client, admin_user, recruiter):
    token, _ = token_create(user=recruiter, name="Leaked", scope="read-write")
    client.force_login(admin_user)
    response = client.post(reverse("admin:api_apitoken_changelist"),
                           {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert "Revoked 1 token" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api.token_revoke", actor=admin_user).count() == 1

