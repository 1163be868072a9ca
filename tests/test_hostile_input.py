"""Hostile input never gives a 500, on any route.

Property-based (hypothesis): every route of the URLconf (walked like the authorization
matrix does) has an entry in EXERCISES saying who can use it and what a valid request looks
like. Each route first gets a few classic bad values in every field at once, then examples
of variants of its request (fields kept, replaced by values from tests/hostile.py, left out,
hostile extra keys, now and then an out-of-range id in the path), mostly as the role that can
use it and now and then as an anonymous visitor; the answer must never be a 5xx. The test
client re-raises a view's exception (raise_request_exception, its default), so a crash fails
with its traceback. Each request runs in a savepoint that is rolled back, so one example's
writes never feed the next.

A route added later without an entry fails ``test_every_route_is_exercised``. After the
property tests come the probe's 500s (security probe, finding 10) and the others these tests
found, one deterministic test each.
"""

import contextlib
import json
import math
import os
import re
import types
import uuid

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import include, path, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.models import ApiToken
from api.services import token_create
from interviews.models import PlanItem, PlanSection, PoolMember
from accounts.models import profile_of
from accounts.people import invitation_token
from accounts.roles import Role
from mail.models import Message
from notifications.models import Notification
from questionbank.models import Question, SampleAnswer
from scoring.models import QuestionScore
from scoring.services import scorecard_open
from tests import hostile
from tests.conftest import PASSWORD, make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard
from tests.test_authorization_matrix import route_names
from webhooks.models import Delivery, Event, Subscription

pytestmark = pytest.mark.django_db

# Six examples per test keep the file under a minute; HOSTILE_EXAMPLES=100 hunts longer.
EXAMPLES = settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", 6)), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


class World:
    """One position with its people, candidate, plan, interview and scorecards."""

    def __init__(self):
        self.users = {
            "hm": make_user("x-hm", Role.HIRING_MANAGER),
            "rec": make_user("x-rec", Role.RECRUITER),
            "int": make_user("x-int", Role.INTERVIEWER),  # a draft scorecard
            "done": make_user("x-done", Role.INTERVIEWER),  # a submitted scorecard
            "admin": make_user("x-admin", is_staff=True, is_superuser=True),
            "tfa": make_user("x-tfa", Role.INTERVIEWER),  # a device; this session has not given a code yet
            "tfa_on": make_user("x-tfa-on", Role.INTERVIEWER),  # a device, and a verified session
            "enrolling": make_user("x-enrol", Role.INTERVIEWER),  # a device not confirmed yet
        }
        self.devices = {
            "tfa": TOTPDevice.objects.create(user=self.users["tfa"], name="phone", confirmed=True),
            "tfa_on": TOTPDevice.objects.create(user=self.users["tfa_on"], name="phone", confirmed=True),
        }
        TOTPDevice.objects.create(user=self.users["enrolling"], name="phone", confirmed=False)
        self.position = make_position(hiring_manager=self.users["hm"], recruiter=self.users["rec"])
        self.candidate = make_candidate(position=self.position)
        self.candidate.cv_file.save("cv.pdf", ContentFile(b"%PDF-1.4\n% hostile test\n"), save=True)
        self.plan = make_plan(position=self.position)
        self.section = PlanSection.objects.filter(plan=self.plan).first()
        self.item = PlanItem.objects.filter(plan=self.plan).order_by("pk").first()
        self.interview = make_interview(candidate=self.candidate, plan=self.plan,
                                        interviewers=[self.users["int"], self.users["done"]])
        self.card = scorecard_open(interview=self.interview, interviewer=self.users["int"])
        make_scorecard(interview=self.interview, interviewer=self.users["done"], scores=[3, 2, 4])
        self.row = QuestionScore.objects.filter(scorecard=self.card).select_related("question__revision") \
            .order_by("question__order").first()
        self.question = self.row.question
        self.criterion = self.question.revision.criteria.first()
        self.message = Message.objects.create(
            key="hostile:1", reason="invitation", to="x-int@example.com", subject="Interview", text="Hello",
            html="<p>Hello</p>", attachment_name="interview.ics", attachment_type="text/calendar",
            attachment="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        self.subscription = Subscription.objects.create(name="ATS", url="https://93.184.215.14/hook",
                                                        events=["decision.recorded"])
        self.delivery = Delivery.objects.create(
            subscription=self.subscription, event=Event.objects.create(type="decision.recorded", payload={}),
            status="failed", give_up_at=timezone.now())
        # A pool on the plan's first item (bias-variance, a junior fundamentals question).
        self.pool_member = PoolMember.objects.create(
            item=self.item, revision=Question.objects.get(slug="overfitting").current_revision, order=1)
        self.sample = SampleAnswer.objects.create(question=Question.objects.get(slug="bias-variance"), order=1,
                                                  reference_score=3, answer="An answer.", rationale="Why.",
                                                  agreed_by="Hostile")


def _question_form(w, **extra):
    return {
        "title": "A hostile-input question", "slug": "hostile-input-question", "area": "fundamentals",
        "kind": "concept", "level": "mid", "roles": ["mle"], "minutes": "10", "prompt": "Why?",
        "why_we_ask": "", "model_answer": "", "key_points": "one\ntwo", "follow_ups": "And then? || more",
        "anchor_1": "a", "anchor_2": "b", "anchor_3": "c", "anchor_4": "d", "reference_solution": "",
        "coding_tests": '{"function": "f", "test_cases": []}', "change_note": "", "confirm_similar": "",
        "criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "0", "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000", "criteria-0-text": "Names the cost", "criteria-1-text": "Measures it",
        **extra,
    }


def _import_json():
    return json.dumps({"format": "panelist-questions", "version": 1, "questions": [{
        "slug": "imported-one", "area": "data", "kind": "concept", "level": "mid", "roles": ["ds"],
        "status": "draft", "current_revision": 1, "revisions": [{
            "number": 1, "title": "Imported", "prompt": "Why?", "key_points": ["a"], "follow_ups": [],
            "minutes": 5, "criteria": ["x"], "anchors": {"1": "a"}, "change_note": "", "created_at": None,
        }],
    }]})


class Exercise:
    """How to use a route: the role that can, its path arguments, and a valid request for
    each method it answers (``get``: query parameters; ``post``: form fields; ``json``: a
    JSON body; ``files``: uploads that go with the form, sent as multipart)."""

    def __init__(self, role, *, kwargs=None, get=None, post=None, json=None, files=None):
        self.role, self.kwargs, self.get, self.post, self.json, self.files = role, kwargs, get, post, json, files

    def methods(self):
        return [m for m, spec in (("GET", self.get), ("POST", self.post), ("JSON", self.json)) if spec is not None]


def NONE(world):
    """A valid request with no parameters at all (hostile extra ones are still added)."""
    return {}


def _other_published_question(world):
    return str(Question.objects.published().exclude(pk__in=world.plan.items.values("revision__question")).first().pk)


BANK = {"slug": "bias-variance"}

EXERCISES = {
    "home": Exercise("hm", get=NONE),
    "healthz": Exercise("anon", get=NONE),
    "help_scoring": Exercise("int", get=NONE),
    "login": Exercise("anon", get=lambda w: {"next": "/"},
                      post=lambda w: {"username": "x-hm", "password": PASSWORD, "next": "/"}),
    "logout": Exercise("hm", post=NONE),
    "password_change": Exercise("hm", get=NONE, post=lambda w: {
        "old_password": PASSWORD, "new_password1": "another-long-password-7", "new_password2": "another-long-password-7"}),
    "password_change_done": Exercise("hm", get=NONE),
    "account_settings": Exercise("int", get=NONE, post=lambda w: {"time_zone": "Europe/Paris"}),
    "account_new_calendar_link": Exercise("int", post=NONE),
    "two_factor_verify": Exercise("tfa", get=lambda w: {"next": "/"}, post=lambda w: {"code": "123456", "next": "/"}),
    "two_factor_status": Exercise("hm", get=NONE),
    "two_factor_setup": Exercise("hm", post=NONE),
    "two_factor_confirm": Exercise("enrolling", get=NONE, post=lambda w: {"code": "123456"}),
    "two_factor_disable": Exercise("tfa_on", post=lambda w: {"code": "123 456"}),
    # Single sign-on is off here (404); tests/sso/test_pages.py sends hostile answers with it on.
    "sso_start": Exercise("anon", get=lambda w: {"next": "/"}),
    "sso_callback": Exercise("anon", get=lambda w: {"code": "abc", "state": "xyz"}),
    "sso_failed": Exercise("anon", get=NONE),
    "sso_signed_out": Exercise("anon", get=NONE),
    "two_factor_recovery_codes": Exercise("tfa_on", post=lambda w: {"renew-code": "123 456"}),
    "password_reset": Exercise("anon", get=NONE, post=lambda w: {"email": "x-int@example.com"}),
    "password_reset_done": Exercise("anon", get=NONE),
    "password_reset_confirm": Exercise("anon", kwargs=lambda w: {"uidb64": "MQ", "token": "abc-def"}, get=NONE,
                                       post=lambda w: {"new_password1": "another-long-password-7",
                                                       "new_password2": "another-long-password-7"}),
    "invitation_accept": Exercise("anon", kwargs=lambda w: {"token": invitation_token(w.users["int"])}, get=NONE,
                                  post=lambda w: {"new_password1": "another-long-password-7",
                                                  "new_password2": "another-long-password-7"}),
    "people_list": Exercise("admin", get=lambda w: {"q": "x-", "page": "2"}),
    "people_invite": Exercise("admin", get=NONE, post=lambda w: {
        "name": "Grace Hopper", "email": "grace@example.com", "roles": ["interviewer", "admin"]}),
    "people_two_factor": Exercise("admin", get=NONE, post=lambda w: {"roles": ["interviewer", "recruiter"]}),
    "people_interview_limits": Exercise("admin", get=NONE, post=lambda w: {
        "interviewer": "6", "hiring_manager": "4", "recruiter": "3"}),
    "person_weekly_limit": Exercise("admin", kwargs=lambda w: {"pk": w.users["int"].pk}, post=lambda w: {"weekly_limit": "4"}),
    "interviews:interview_load": Exercise("rec", get=lambda w: {"week": "2026-12-07"}),
    "person_detail": Exercise("admin", kwargs=lambda w: {"pk": w.users["int"].pk}, get=NONE),
    "person_roles": Exercise("admin", kwargs=lambda w: {"pk": w.users["int"].pk},
                             post=lambda w: {"roles": ["interviewer", "recruiter"]}),
    "person_deactivate": Exercise("admin", kwargs=lambda w: {"pk": w.users["int"].pk}, post=NONE),
    "person_reactivate": Exercise("admin", kwargs=lambda w: {"pk": w.users["int"].pk}, post=NONE),
    "person_two_factor_required": Exercise("admin", kwargs=lambda w: {"pk": w.users["int"].pk},
                                           post=lambda w: {"required": "1"}),
    "person_two_factor_reset": Exercise("admin", kwargs=lambda w: {"pk": w.users["tfa"].pk}, post=NONE),
    "person_invite_again": Exercise("admin", kwargs=lambda w: {"pk": w.users["int"].pk}, post=NONE),
    "questionbank:list": Exercise("hm", get=lambda w: {
        "q": "bias", "area": "fundamentals", "kind": "concept", "level": "mid", "role": "mle", "status": "published",
        "page": "2"}),
    "questionbank:create": Exercise("hm", get=NONE, post=_question_form),
    "questionbank:plan_criteria": Exercise("hm", get=NONE),
    "questionbank:export": Exercise("hm", get=lambda w: {"format": "md"}),
    "questionbank:import": Exercise("hm", get=NONE, post=lambda w: {
        "text": _import_json(), "area": "data", "kind": "concept", "level": "mid", "roles": ["ds"]},
        files=lambda w: {"file": ("questions.json", _import_json().encode())}),
    "questionbank:import_confirm": Exercise("hm", post=lambda w: {"token": "abc", "include": ["0"]}),
    "questionbank:detail": Exercise("hm", kwargs=lambda w: BANK, get=NONE),
    "questionbank:edit": Exercise("hm", kwargs=lambda w: BANK, get=NONE, post=_question_form),
    "questionbank:status": Exercise("hm", kwargs=lambda w: BANK, post=lambda w: {"status": "retired"}),
    "questionbank:revision": Exercise("hm", kwargs=lambda w: {**BANK, "number": 1}, get=NONE),
    "interviews:position_list": Exercise("rec", get=lambda w: {"q": "ML", "status": "open", "level": "mid", "page": "1"}),
    "interviews:position_create": Exercise("rec", get=NONE, post=lambda w: {
        "title": "Data engineer", "team": "Ranking", "level": "mid", "hiring_manager": str(w.users["hm"].pk),
        "recruiter": str(w.users["rec"].pk), "status": "open"}),
    "interviews:position_detail": Exercise("rec", kwargs=lambda w: {"pk": w.position.pk}, get=NONE),
    "interviews:position_edit": Exercise("rec", kwargs=lambda w: {"pk": w.position.pk}, get=NONE, post=lambda w: {
        "title": "ML Engineer", "team": "Ranking", "level": "senior", "hiring_manager": str(w.users["hm"].pk),
        "recruiter": str(w.users["rec"].pk), "status": "on_hold"}),
    "interviews:candidate_list": Exercise("rec", get=lambda w: {
        "q": "Ada", "stage": "screen", "position": str(w.position.pk), "page": "1"}),
    "interviews:candidate_create": Exercise("rec", get=lambda w: {"position": str(w.position.pk)}, post=lambda w: {
        "name": "Grace Hopper", "email": "grace@example.com", "position": str(w.position.pk), "stage": "applied",
        "source": "referral", "notes": "", "cv_url": ""},
        files=lambda w: {"cv_file": ("cv.pdf", b"%PDF-1.4\n% a CV\n")}),
    "interviews:candidate_detail": Exercise("rec", kwargs=lambda w: {"pk": w.candidate.pk}, get=NONE),
    "interviews:candidate_edit": Exercise("rec", kwargs=lambda w: {"pk": w.candidate.pk}, get=NONE, post=lambda w: {
        "name": "Ada Lovelace", "email": "ada@example.com", "position": str(w.position.pk), "stage": "screen",
        "source": "", "notes": "n", "cv_url": "", "cv_file-clear": "on"},
        files=lambda w: {"cv_file": ("cv.txt", b"plain text CV\n")}),
    "interviews:candidate_cv": Exercise("rec", kwargs=lambda w: {"pk": w.candidate.pk}, get=NONE),
    "interviews:interview_schedule": Exercise("rec", get=lambda w: {"candidate": str(w.candidate.pk)}, post=lambda w: {
        "candidate": str(w.candidate.pk), "plan": str(w.plan.pk), "starts_at": "2030-01-07T10:00",
        "duration_minutes": "45", "interviewers": [str(w.users["int"].pk)], "shadows": [str(w.users["done"].pk)],
        "confirmed": "0123456789abcdef"}),
    "interviews:interview_list": Exercise("rec", get=lambda w: {
        "position": str(w.position.pk), "stage": "upcoming", "interviewer": str(w.users["int"].pk),
        "date_from": "2026-01-01", "date_to": "2031-12-31", "page": "1"}),
    "interviews:interview_detail": Exercise("rec", kwargs=lambda w: {"pk": w.interview.pk}, get=NONE),
    "interviews:interview_edit": Exercise("rec", kwargs=lambda w: {"pk": w.interview.pk}, get=NONE, post=lambda w: {
        "starts_at": "2030-01-08T11:30", "duration_minutes": "60",
        "interviewers": [str(w.users["int"].pk), str(w.users["done"].pk)]}),
    "interviews:interview_invite": Exercise("int", kwargs=lambda w: {"pk": w.interview.pk}, get=NONE),
    "notifications:list": Exercise("int", get=lambda w: {"page": "2"}),
    "notifications:open": Exercise("int", kwargs=lambda w: {"pk": Notification.objects.filter(
        recipient=w.users["int"]).first().pk}, post=NONE),
    "notifications:read_all": Exercise("int", post=NONE),
    "notifications:preferences": Exercise("int", post=lambda w: {
        "invitation": "in_app", "scorecard_reminder": "email", "scorecard_escalation": "off",
        "debrief_ready": "email", "decision": "email", "digest": "off"}),
    "mail:outbox": Exercise("admin", get=lambda w: {"status": "kept", "page": "2"}),
    "mail:message": Exercise("admin", kwargs=lambda w: {"pk": w.message.pk}, get=NONE),
    "mail:message_html": Exercise("admin", kwargs=lambda w: {"pk": w.message.pk}, get=NONE),
    "mail:message_attachment": Exercise("admin", kwargs=lambda w: {"pk": w.message.pk}, get=NONE),
    "webhooks:list": Exercise("admin", get=NONE),
    "webhooks:create": Exercise("admin", get=NONE, post=lambda w: {
        "name": "ATS", "url": "https://93.184.215.14/hook", "events": ["scorecard.submitted"], "active": "on"}),
    "webhooks:detail": Exercise("admin", kwargs=lambda w: {"pk": w.subscription.pk}, get=lambda w: {"page": "2"}),
    "webhooks:edit": Exercise("admin", kwargs=lambda w: {"pk": w.subscription.pk}, get=NONE, post=lambda w: {
        "name": "ATS", "url": "https://93.184.215.14/hook", "events": ["decision.recorded"], "active": ""}),
    "webhooks:rotate": Exercise("admin", kwargs=lambda w: {"pk": w.subscription.pk}, post=NONE),
    "webhooks:redeliver": Exercise("admin", kwargs=lambda w: {"pk": w.subscription.pk, "delivery_pk": w.delivery.pk},
                                   post=NONE),
    "interviews:calendar_feed": Exercise("anon", kwargs=lambda w: {"token": profile_of(w.users["int"]).calendar_token},
                                         get=NONE),
    "interviews:interview_cancel": Exercise("rec", kwargs=lambda w: {"pk": w.interview.pk},
                                            post=lambda w: {"reason": "Candidate withdrew"}),
    "interviews:plan_list": Exercise("hm", get=NONE),
    "interviews:plan_create": Exercise("hm", get=NONE, post=lambda w: {
        "name": "Onsite", "position": str(w.position.pk), "slot_minutes": "60", "description": ""}),
    "interviews:plan_builder": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk},
                                        get=lambda w: {"q": "precision", "partial": "1", "item": str(w.item.pk),
                                                       "removed": "abc:def"}),
    "interviews:plan_edit": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk}, get=NONE, post=lambda w: {
        "name": "Screen", "slot_minutes": "50", "description": "d"}),
    "interviews:plan_clone": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk},
                                      post=lambda w: {"position": str(w.position.pk), "name": "Copy"}),
    "interviews:plan_archive": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk}, post=NONE),
    "interviews:plan_loops": Exercise("hm", get=lambda w: {"track": "cv", "level": "senior"}),
    "interviews:plan_loop_clone": Exercise("hm", post=lambda w: {"track": "cv", "level": "senior",
                                                                  "position": str(w.position.pk)}),
    "interviews:plan_unarchive": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk}, post=NONE),
    "interviews:pool_add": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk}, post=lambda w: {
        "item": str(w.item.pk), "question": str(Question.objects.get(slug="ml-paradigms").pk), "q": "paradigms"}),
    "interviews:pool_remove": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk, "member_pk": w.pool_member.pk}, post=NONE),
    "interviews:plan_item_restore": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk}, post=lambda w: {"token": "abc:def"}),
    "interviews:plan_item_update_revision": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk, "item_pk": w.item.pk},
                                                     post=NONE),
    "interviews:plan_reorder": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk}, json=lambda w: {
        "order": [{"section": w.section.pk, "items": list(w.plan.items.order_by("-pk").values_list("pk", flat=True))}]}),
    "interviews:plan_section_add": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk}, post=lambda w: {"title": "Deep dive"}),
    "interviews:plan_item_add": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk}, post=lambda w: {
        "question": _other_published_question(w), "section": str(w.section.pk), "competency": "Evaluation", "minutes": "7", "q": "matrix"}),
    "interviews:plan_item_update": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk, "item_pk": w.item.pk},
                                            post=lambda w: {"minutes": "9", "competency": "Data", "weight": "1.5",
                                                            "required": "on"}),
    "interviews:plan_item_move": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk, "item_pk": w.item.pk},
                                          post=lambda w: {"direction": "down"}),
    "interviews:plan_item_delete": Exercise("hm", kwargs=lambda w: {"pk": w.plan.pk, "item_pk": w.item.pk}, post=NONE),
    "scoring:compare": Exercise("hm", kwargs=lambda w: {"pk": w.position.pk}, get=lambda w: {
        "stage": "screen", "complete": "1", "sort": "overall", "dir": "asc", "normalise": "1", "format": "csv"}),
    "scoring:calibration": Exercise("hm", get=lambda w: {
        "position": str(w.position.pk), "period": "90d", "interviewer": str(w.users["done"].pk)}),
    "scoring:calibration_interviewer": Exercise("hm", kwargs=lambda w: {"pk": w.users["done"].pk}, get=lambda w: {
        "position": str(w.position.pk), "date_from": "2026-01-01", "date_to": "2026-12-31", "page": "1"}),
    "scoring:my_calibration": Exercise("int", get=NONE),
    "scoring:exposure": Exercise("hm", get=lambda w: {"position": str(w.position.pk), "area": "evaluation",
                                                      "flagged": "on", "sort": "wear", "page": "1"}),
    "scoring:live": Exercise("int", kwargs=lambda w: {"pk": w.interview.pk}, get=lambda w: {"q": "2", "add": "precision"}),
    "scoring:live_save": Exercise("int", kwargs=lambda w: {"pk": w.interview.pk}, post=lambda w: {
        "question": str(w.question.pk), "version": "0", "position": "1", "score": "3", "skip_reason": "",
        "criteria": [str(w.criterion.pk)] if w.criterion else [], "key_points": ["0"], "notes": "n", "seconds": "30",
        "go": "next"}),
    "scoring:adhoc": Exercise("int", kwargs=lambda w: {"pk": w.interview.pk}, post=lambda w: {
        "slug": "", "free_text": "Tell me about a model you shipped", "competency": "Production"}),
    "scoring:autosave": Exercise("int", kwargs=lambda w: {"pk": w.interview.pk}, json=lambda w: {
        "key": uuid.uuid4().hex, "question": w.question.pk, "version": 0, "state": {
            "score": 3, "skipped": False, "skip_reason": "", "criteria": [w.criterion.pk] if w.criterion else [],
            "key_points": [0], "notes": "ok", "seconds": 12}}),
    "scoring:scorecard": Exercise("int", kwargs=lambda w: {"pk": w.interview.pk}, get=NONE),
    "scoring:submit": Exercise("int", kwargs=lambda w: {"pk": w.interview.pk},
                               post=lambda w: {"recommendation": "yes", "summary": "Clear thinking."}),
    "scoring:amend": Exercise("done", kwargs=lambda w: {"pk": w.interview.pk}, post=lambda w: {
        "field": f"score:{w.question.pk}", "score": "2", "recommendation": "", "text": "", "reason": "Misclicked"}),
    "scoring:debrief": Exercise("hm", kwargs=lambda w: {"pk": w.candidate.pk}, get=lambda w: {"format": "html"}),
    "scoring:decision": Exercise("hm", kwargs=lambda w: {"pk": w.candidate.pk},
                                 post=lambda w: {"decision": "hold", "rationale": "Wait for the onsite."}),
    "scoring:remind": Exercise("rec", kwargs=lambda w: {"pk": w.candidate.pk},
                               post=lambda w: {"interview": str(w.interview.pk), "panelist": str(w.users["int"].pk)}),
    # Decision rules: the rule's page (locked here, a scorecard is submitted) and the overrides report.
    "interviews:position_rule": Exercise("hm", kwargs=lambda w: {"pk": w.position.pk}, get=NONE, post=lambda w: {
        "rule_min_score": "2.75", "rule_no_strong_no": "on", "rule_min_yes": "2"}),
    "scoring:overrides": Exercise("rec", kwargs=lambda w: {"pk": w.position.pk}, get=lambda w: {"page": "1"}),
    # The API's pages for people; the API itself answers to tokens: tests/api/test_api_hostile.py.
    "api:tokens": Exercise("rec", get=NONE),
    "api:token_create": Exercise("rec", post=lambda w: {"name": "ATS sync", "scope": "read-write", "expires_in": "90"}),
    "api:token_revoke": Exercise("rec", kwargs=lambda w: {"pk": _token_of(w.users["rec"])}, post=NONE),
    # Practice scoring (issue 17).
    "practice:list": Exercise("int", get=lambda w: {"area": "fundamentals", "level": "mid", "page": "2"}),
    "practice:question": Exercise("int", kwargs=lambda w: BANK, get=NONE),
    "practice:sample": Exercise("int", kwargs=lambda w: {"pk": w.sample.pk}, get=NONE, post=lambda w: {"score": "3"}),
    "practice:result": Exercise("int", kwargs=lambda w: {"pk": w.sample.pk}, get=NONE),
    "practice:samples": Exercise("hm", kwargs=lambda w: BANK, get=NONE, post=lambda w: {
        "reference_score": "2", "answer": "I would check the residuals.", "rationale": "One check.",
        "agreed_by": "Team", "order": "3"}),
    "practice:sample_edit": Exercise("hm", kwargs=lambda w: {"pk": w.sample.pk}, get=NONE, post=lambda w: {
        "reference_score": "4", "answer": "A fuller answer.", "rationale": "All criteria.", "agreed_by": "Team",
        "order": "1"}),
    "interviews:qualifications": Exercise("rec", get=lambda w: {"position": str(w.position.pk)}),
}


def _token_of(user):
    """The id of one of ``user``'s API tokens (made the first time)."""
    return ApiToken.objects.filter(user=user).values_list("pk", flat=True).first() or token_create(
        user=user, name="hostile", scope="read")[0].pk


def unexercised_routes():
    return sorted(route_names() - set(EXERCISES))


def test_every_route_is_exercised():
    missing = unexercised_routes()
    stale = sorted(set(EXERCISES) - route_names())
    assert not missing, (
        f"Routes the hostile-input test does not know how to exercise: {missing}. Add an entry to EXERCISES in "
        "tests/test_hostile_input.py: the role that can use the route and a valid request for each method it answers."
    )
    assert not stale, f"EXERCISES has entries for routes that no longer exist: {stale}"


def test_a_route_added_later_is_reported_until_it_has_an_entry(settings):
    urls = types.ModuleType("urls_with_a_new_route")
    urls.urlpatterns = [path("", include("config.urls")), path("reports/new/", lambda request: None, name="report_new")]
    settings.ROOT_URLCONF = urls
    assert unexercised_routes() == ["report_new"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, in a transaction rolled back at its end (as Django's
    TestCase.setUpTestData does); each test's own transaction nests inside it. Uploaded CVs
    go to a temporary folder, not the project's media."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        yield World()
        transaction.set_rollback(True)


@contextlib.contextmanager
def rolled_back():
    """One example's requests in a savepoint undone afterwards (pytest-django's transaction
    holds for the whole test, hypothesis runs many examples inside it)."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def sign_in(client, world, role):
    client.cookies.clear()
    if role == "anon":
        return
    client.force_login(world.users[role])
    if role == "tfa_on":
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = world.devices["tfa_on"].persistent_id
        session.save()


HUGE_IDS = [0, 2**31, 2**63, 10**30]


def path_kwargs(exercise, world, draw):
    """The route's path arguments, now and then with one integer replaced by an id no row has
    or no database integer holds, or a slug far longer than any."""
    kwargs = dict(exercise.kwargs(world)) if exercise.kwargs else {}
    if kwargs and draw(st.integers(0, 3)) == 0:
        key = draw(st.sampled_from(sorted(kwargs)))
        kwargs[key] = draw(st.sampled_from(HUGE_IDS)) if isinstance(kwargs[key], int) else "a" * draw(
            st.sampled_from([81, 5000]))
    return kwargs


def send(client, url, method, data, files=None):
    """One hostile request; the status must not be a 5xx (a view's exception is raised by the
    test client, with its traceback)."""
    if method == "GET":
        response = client.get(f"{url}?{hostile.query_string(data)}" if data else url)
    elif method == "JSON":
        response = client.post(url, data=data, content_type="application/json")
    elif files:
        response = client.post(url, {**hostile.multipart_safe(data), **files})
    else:
        response = client.post(url, data=hostile.form_body(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, (method, url, response.status_code)
    return response


upload_contents = st.one_of(
    st.sampled_from([b"", b"\x00\x00", b"%PDF-1.4\n", b"PK\x03\x04", b"\xff\xfe\x00a", "é".encode("latin-1"),
                     b'{"format": "panelist-questions", "version": 1, "questions": [{"revisions": [{"number": 1e999}]}]}']),
    hostile.raw_json.map(lambda raw: raw.text.encode()),
    hostile.json_values.map(lambda v: hostile.to_json(v).encode("utf-8", "surrogatepass")),
)
upload_names = st.one_of(st.sampled_from(["cv.pdf", "questions.json", "x.csv", "a.md", "noext", ".pdf", "a" * 300 + ".txt",
                                          "../../etc/passwd.txt", "crlf\r\nX-Evil: 1.pdf", "nul\x00.pdf"]),
                         hostile.short_texts.map(lambda t: t.encode("utf-8", "replace").decode() + ".txt"))


def draw_request(data, exercise, world, method):
    """A variant of the route's valid request for ``method``."""
    if method == "JSON":
        if data.draw(st.integers(0, 4)) == 0:  # now and then a body that is not the right shape at all
            return data.draw(st.one_of(hostile.raw_json.map(hostile.json_body), hostile.raw_bodies))
        return hostile.json_body(data.draw(hostile.variants(exercise.json(world), hostile.json_anything)))
    template = (exercise.get if method == "GET" else exercise.post)(world)
    return data.draw(hostile.variants(template, hostile.form_values, extra_keys=hostile.short_texts))


# Sent as every field of a route's request at once, before the random examples: a form checks
# each field on its own, so one request tries the value on all of them.
# The boundary dates parse, and overflowed once a length or a day was added to them; where that
# arithmetic needs the other fields valid (a start plus the interview's length), only a request
# with one date field changed reaches it, so each is also sent alone into every date field.
CLASSIC_DATES = ["9999-12-31", "9999-12-31T23:59", "0001-01-01"]
CLASSIC_FORM_VALUES = ["²", "99999999999999999999", "1" * 5000, "[" * 3000 + "]" * 3000, "x" * 5000, *CLASSIC_DATES]
CLASSIC_JSON_VALUES = [hostile.Raw("[" * 3000 + "]" * 3000), "²", 2**70, math.nan, [], {"a\n": None}, "\ud800"]


DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?")


def send_classics(client, world, name, exercise):
    kwargs = exercise.kwargs(world) if exercise.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    for method in exercise.methods():
        template = {"GET": exercise.get, "POST": exercise.post, "JSON": exercise.json}[method](world)
        for value in CLASSIC_JSON_VALUES if method == "JSON" else CLASSIC_FORM_VALUES:
            data = {key: value for key in template} or {"q": value}
            with rolled_back():
                sign_in(client, world, exercise.role)
                send(client, url, method, hostile.json_body(data) if method == "JSON" else data)
        if method == "JSON":
            continue
        date_fields = [key for key, valid in template.items() if isinstance(valid, str) and DATE_SHAPE.fullmatch(valid)]
        for key in date_fields:
            for value in CLASSIC_DATES:
                with rolled_back():
                    sign_in(client, world, exercise.role)
                    send(client, url, method, {**template, key: value})


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_no_hostile_request_gets_a_5xx(client, world, name):
    exercise = EXERCISES[name]
    send_classics(client, world, name, exercise)

    @EXAMPLES
    @given(data=st.data())
    def check(data):
        method = data.draw(st.sampled_from(exercise.methods()), label="method")
        kwargs = path_kwargs(exercise, world, data.draw)
        body = draw_request(data, exercise, world, method)
        files = None
        if method == "POST" and exercise.files and data.draw(st.booleans(), label="multipart"):
            files = {field: SimpleUploadedFile(data.draw(st.one_of(st.just(valid_name), upload_names)),
                                               data.draw(st.one_of(st.just(valid_content), upload_contents)))
                     for field, (valid_name, valid_content) in exercise.files(world).items()}
        url = reverse(name, kwargs=kwargs)
        # Mostly as the role that can use the route (the request then reaches the view), now
        # and then as an anonymous visitor.
        role = data.draw(st.sampled_from([exercise.role] * 3 + ["anon"]), label="role")
        with rolled_back():
            sign_in(client, world, role)
            send(client, url, method, body, files)

    check()


# --- Beyond one request ---------------------------------------------------------------------


def test_a_refused_autosave_change_does_not_stop_the_next_one(client, world):
    """A change the server refuses (400) is dropped by live.js; the next good change, with the
    same base version, must be saved (a 500 here stalled the page's queue for good)."""
    client.force_login(world.users["int"])
    url = reverse("scoring:autosave", args=[world.interview.pk])
    bad = {"key": uuid.uuid4().hex, "question": world.question.pk, "version": 0, "state": {"notes": "a\ud800b"}}
    response = client.post(url, data=hostile.json_body(bad), content_type="application/json")
    assert response.status_code == 400 and "lone surrogate" in response.json()["message"]
    good = {"key": uuid.uuid4().hex, "question": world.question.pk, "version": 0, "state": {"notes": "fine", "score": 2}}
    response = client.post(url, data=json.dumps(good), content_type="application/json")
    assert response.status_code == 200 and response.json() == {"ok": True, "version": 1}
    world.row.refresh_from_db()
    assert (world.row.notes, world.row.score, world.row.version) == ("fine", 2, 1)


hostile_import_fields = st.fixed_dictionaries({}, optional={
    field: hostile.json_anything for field in
    ("title", "prompt", "why_we_ask", "model_answer", "key_points", "follow_ups", "minutes", "criteria", "anchors",
     "reference_solution", "coding_tests", "change_note", "created_at", "number")
})
question_fields = st.fixed_dictionaries({}, optional={
    field: hostile.json_anything for field in ("slug", "area", "kind", "level", "roles", "status", "current_revision")
})


@EXAMPLES
@given(revision=hostile_import_fields, question=question_fields, csv_row=st.booleans())
def test_an_import_with_hostile_fields_is_refused_with_a_message_or_imported(client, world, revision, question, csv_row):
    """Upload (preview) then confirm: never a 5xx at either step, wrong types and over-long
    values included, in a JSON export or a CSV row."""
    base = json.loads(_import_json())
    entry = {**base["questions"][0], **question}
    entry["revisions"] = [{**base["questions"][0]["revisions"][0], **revision}]
    if csv_row:
        cells = {**entry, **entry["revisions"][0]}
        columns = ["slug", "title", "prompt", "key_points", "criteria", "minutes", "follow_ups", "coding_tests", "anchor_1"]
        row = [cells.get(c) if isinstance(cells.get(c), str) else hostile.to_json(cells.get(c)) for c in columns]
        text = ",".join(columns) + "\n" + ",".join('"' + str(v).replace('"', '""') + '"' for v in row) + "\n"
        name = "questions.csv"
    else:
        text, name = hostile.to_json({**base, "questions": [entry]}), "questions.json"
    with rolled_back():
        client.force_login(world.users["hm"])
        upload = SimpleUploadedFile(name, text.encode("utf-8", "surrogatepass"))
        response = client.post(reverse("questionbank:import"), {"file": upload, "area": "data", "kind": "concept",
                                                                "level": "mid", "roles": ["ds"]})
        assert response.status_code in (200, 400)
        token = (client.session.get("question_import_preview") or {}).get("token")
        if response.status_code == 200:
            assert token
            response = client.post(reverse("questionbank:import_confirm"), {"token": token, "include": ["0"]})
            assert response.status_code in (302, 400)
        else:
            assert "Could not read" in response.content.decode() or "is not UTF-8" in response.content.decode()


@EXAMPLES
@given(model=st.sampled_from(sorted(admin.site._registry, key=lambda m: m._meta.label)),
       query=hostile.variants({"q": "x", "o": "1", "p": "1", "all": "", "e": ""}, hostile.form_values))
def test_the_admin_lists_never_answer_5xx(client, world, model, query):
    """The admin is Django's, but its searches and filters read the query string too."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with rolled_back():
        client.force_login(world.users["admin"])
        send(client, url, "GET", query)


# --- The security probe's 500s (finding 10), one by one ---------------------------------------


def autosave(client, world, payload):
    client.force_login(world.users["int"])
    body = payload if isinstance(payload, bytes) else hostile.json_body(payload)
    return client.post(reverse("scoring:autosave", args=[world.interview.pk]), data=body,
                       content_type="application/json")


def change(world, **overrides):
    return {"key": uuid.uuid4().hex, "question": world.question.pk, "version": 0, "state": {"notes": "n"},
            **overrides}


@pytest.mark.parametrize("key", ["a" * 64 + "\n", "abcdefgh\n", "abcdefgh\r", "\nabcdefgh"])
def test_it_refuses_an_autosave_key_with_a_line_break(client, world, key):
    response = autosave(client, world, change(world, key=key))
    assert response.status_code == 400 and response.json()["error"] == "bad_key"
    world.row.refresh_from_db()
    assert world.row.version == 0


@pytest.mark.parametrize("body", [
    b"[" * 30_000 + b"]" * 30_000,
    b'{"key": "abcdefgh1", "question": 1, "version": 0, "state": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"key": ' + b"[" * 5000 + b"]" * 5000 + b"}",
])
def test_it_refuses_autosave_json_nested_too_deeply(client, world, body):
    response = autosave(client, world, body)
    assert response.status_code == 400 and response.json()["error"] == "bad_json"


@pytest.mark.parametrize("field", ["notes", "skip_reason"])
def test_it_refuses_a_lone_surrogate_in_autosaved_text(client, world, field):
    state = {"skipped": True, "skip_reason": "ran out of time", field: "before \ud800 after"}
    response = autosave(client, world, change(world, state=state))
    assert response.status_code == 400
    assert "broken character (a lone surrogate)" in response.json()["message"]
    world.row.refresh_from_db()
    assert world.row.version == 0 and world.row.notes == ""


def test_it_refuses_a_plan_order_nested_too_deeply(client, world):
    client.force_login(world.users["hm"])
    for body in (b'{"order": ' + b"[" * 30_000 + b"]" * 30_000 + b"}", b"[" * 30_000 + b"]" * 30_000):
        response = client.post(reverse("interviews:plan_reorder", args=[world.plan.pk]), data=body,
                               content_type="application/json")
        assert response.status_code == 400
        assert response.json()["error"].startswith('Send the new order as JSON: {"order"')


def import_text(client, world, text, name="questions.json"):
    client.force_login(world.users["hm"])
    return client.post(reverse("questionbank:import"), {
        "file": SimpleUploadedFile(name, text.encode("utf-8", "surrogatepass")), "area": "data", "kind": "concept",
        "level": "mid", "roles": ["ds"]})


def export_with(question=None, **revision):
    data = json.loads(_import_json())
    data["questions"][0].update(question or {})
    data["questions"][0]["revisions"][0].update(revision)
    return hostile.to_json(data)


@pytest.mark.parametrize("text, message", [
    ('{"format": "panelist-questions", "questions": ' + "[" * 30_000 + "]" * 30_000 + "}", "nests more than 32 levels"),
    (export_with(prompt=["a", "list"]), "revision 1: prompt must be text, not ['a', 'list']"),
    (export_with(key_points=7), "revision 1: key_points must be a list of texts, not 7"),
    (export_with(criteria=[1, 2]), "revision 1: criteria must be a list of texts"),
    (export_with(follow_ups=["just a string"]), 'follow_ups must be a list of {"question": text'),
    (export_with(anchors=[1, 2, 3, 4]), "revision 1: anchors must be a list of texts"),
    (export_with(anchors={"5": "too high"}), 'anchors must map the levels "1" to "4" to texts'),
    (export_with(title="t" * 5000), "the title is 5000 characters; at most 200 fit"),
    (export_with(criteria=["c" * 401]), "each of criteria must be at most 400 characters"),
    (export_with(number=10**12), "not a whole number from 1 to 2147483647: 1000000000000"),
    (export_with(number=True), "not a whole number from 1 to 2147483647: True"),
    (export_with(created_at="not-a-date"), "created_at 'not-a-date' is not a date and time"),
    (export_with(created_at="2026-02-30T10:00:00+00:00"), "created_at '2026-02-30T10:00:00+00:00' is not a date"),
    (export_with(created_at="0001-01-01T00:00:00+14:00"), "is not between 1970 and now"),
    (export_with(minutes=math.inf), "minutes inf is not a whole number"),
    (export_with(change_note=["x"]), "change_note must be text of at most 200 characters"),
    (export_with(coding_tests=[1]), "coding_tests must be an object"),
    (export_with(prompt="a\ud800b"), "the text contains a broken character (a lone surrogate)"),
    (export_with(model_answer="a\x00b"), "the text contains a NUL character"),
    (export_with({"slug": "s" * 81}), "has an invalid slug"),
    (export_with({"slug": ["a"]}), "has an invalid slug ['a']"),
    ("title,prompt,criteria\nT," + "P" * 10 + ',"' + "c" * 401 + '"\n', "each of criteria must be at most 400"),
    ('title,prompt,coding_tests\nT,P,"' + "[" * 5000 + "]" * 5000 + '"\n', "coding_tests is not valid JSON"),
    ('title,prompt,follow_ups\nT,P,"[{""question"": 3}]"\n', 'follow_ups must be a list of {"question": text'),
    ("title,prompt,slug\nT,P," + "s" * 81 + "\n", "invalid slug"),
])
def test_it_refuses_an_import_with_a_clear_message_naming_the_question(client, world, text, message):
    name = "questions.csv" if text.startswith("title,") else "questions.json"
    before = Question.objects.count()
    response = import_text(client, world, text, name)
    page = response.content.decode()
    assert response.status_code == 400, page
    assert f"Could not read {name}: " in page and message in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert Question.objects.count() == before


def test_it_imports_a_document_whose_evaluation_has_a_paragraph_too_long_for_a_criterion(client, world):
    text = ("Q1. Why do we regularise a linear model?\n\nEvaluating Responses: "
            + "Strong candidates explain " + "the bias and variance trade-off in detail " * 12 + ". "
            + "They name L1 and L2 penalties and when each helps.\n")
    response = import_text(client, world, text, "notes.md")
    assert response.status_code == 200, response.content.decode()
    token = client.session["question_import_preview"]["token"]
    response = client.post(reverse("questionbank:import_confirm"), {"token": token, "include": ["0"]})
    assert response.status_code == 302
    revision = Question.objects.get(title="Why do we regularise a linear model?").current_revision
    assert [c.text for c in revision.criteria.all()] == ["They name L1 and L2 penalties and when each helps."]


@pytest.mark.parametrize("route, query", [
    ("questionbank:list", "q=%00"), ("interviews:position_list", "q=a%00b"), ("interviews:candidate_list", "q=%00"),
    ("interviews:plan_builder", "q=%00"), ("scoring:live", "add=%00"), ("questionbank:list", "area%00=data"),
])
def test_it_answers_400_with_a_clear_page_for_nul_in_a_search(client, world, route, query):
    exercise = EXERCISES[route]
    client.force_login(world.users[exercise.role])
    url = reverse(route, kwargs=exercise.kwargs(world) if exercise.kwargs else {})
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "The address or the form contains a character that is not allowed" in page
    assert "Content-Security-Policy" in response.headers and 'href="/"' in page


def test_it_answers_400_for_nul_in_a_posted_form_and_saves_nothing(client, world):
    client.force_login(world.users["int"])
    response = client.post(reverse("scoring:adhoc", args=[world.interview.pk]),
                           {"free_text": "What is a\x00b?", "competency": "Data"})
    assert response.status_code == 400
    assert not world.card.ad_hoc_questions.exists()


def test_it_answers_400_in_json_for_nul_in_the_query_of_a_json_request(client, world):
    client.force_login(world.users["int"])
    response = client.post(reverse("scoring:autosave", args=[world.interview.pk]) + "?x=%00",
                           data=json.dumps(change(world)), content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] == "bad_characters"


def test_it_caps_the_ad_hoc_questions_of_a_scorecard_with_a_message(client, world):
    from scoring.services import MAX_AD_HOC_QUESTIONS

    client.force_login(world.users["int"])
    url = reverse("scoring:adhoc", args=[world.interview.pk])
    for n in range(MAX_AD_HOC_QUESTIONS):
        assert client.post(url, {"free_text": f"Question {n}", "competency": "Data"}).status_code == 302
    response = client.post(url, {"free_text": "One too many", "competency": "Data"}, follow=True)
    assert "Not added: a scorecard takes at most 30 added questions" in response.content.decode()
    assert world.card.ad_hoc_questions.count() == MAX_AD_HOC_QUESTIONS == 30
    assert not world.card.ad_hoc_questions.filter(free_text="One too many").exists()
    # Another interviewer's scorecard has its own allowance.
    client.force_login(world.users["done"])
    make = scorecard_open(interview=world.interview, interviewer=world.users["done"])
    assert make.ad_hoc_questions.count() == 0


# --- Other 500s the property tests found -------------------------------------------------------


@pytest.mark.parametrize("route, role, query", [
    ("interviews:candidate_list", "rec", "position=²"),
    ("interviews:candidate_create", "rec", "position=²"),
    ("interviews:interview_schedule", "rec", "candidate=²"),
    ("interviews:candidate_list", "rec", "position=" + "1" * 5000),
    ("interviews:candidate_create", "rec", "position=" + "1" * 5000),
    ("interviews:interview_schedule", "rec", "candidate=" + "1" * 5000),
])
def test_it_ignores_an_id_parameter_that_int_cannot_read(client, world, route, role, query):
    """"²" passes str.isdigit() and int() refuses it; int() also refuses thousands of digits."""
    client.force_login(world.users[role])
    assert client.get(f"{reverse(route)}?{query}").status_code == 200


def test_it_reads_form_ids_that_are_not_numbers_as_no_id_when_saving_a_question_live(client, world):
    client.force_login(world.users["int"])
    url = reverse("scoring:live_save", args=[world.interview.pk])
    assert client.post(url, {"question": "abc", "version": "0"}).status_code == 404
    response = client.post(url, {"question": str(world.question.pk), "version": "0", "position": "²",
                                 "criteria": ["²", "1" * 5000], "key_points": ["¹"], "score": "2"})
    assert response.status_code == 302
    world.row.refresh_from_db()
    assert (world.row.score, world.row.criteria_met, world.row.key_points_hit) == (2, [], [])


def test_it_refuses_a_sign_in_with_a_username_too_long_to_be_one(client, world):
    response = client.post(reverse("login"), {"username": "u" * 5000, "password": "whatever"})
    assert response.status_code == 200
    assert "Usernames are at most 150 characters" in response.content.decode()


@pytest.mark.parametrize("coding_tests, message", [
    ("[" * 5000 + "]" * 5000, "the values nest too deeply"),
    ('{"test_cases": ' + "[" * 40 + "]" * 40 + "}", "nest more than 32 levels deep"),
    ('{"x": ' + "1" * 5000 + "}", "a number is too long"),
])
def test_it_refuses_question_test_cases_nested_too_deeply_with_a_message(client, world, coding_tests, message):
    client.force_login(world.users["hm"])
    response = client.post(reverse("questionbank:create"), _question_form(world, coding_tests=coding_tests))
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert not Question.objects.filter(slug="hostile-input-question").exists()


def test_it_ignores_an_import_row_number_that_is_not_a_number(client, world):
    response = import_text(client, world, _import_json())
    assert response.status_code == 200
    token = client.session["question_import_preview"]["token"]
    response = client.post(reverse("questionbank:import_confirm"), {"token": token, "include": ["²", "1" * 5000, "0"]})
    assert response.status_code == 302
    assert Question.objects.filter(slug="imported-one").exists()


def test_it_refuses_a_csv_whose_header_row_is_malformed(client, world):
    response = import_text(client, world, "\r0", "questions.csv")
    assert response.status_code == 400
    assert "Could not read questions.csv: Line 1: the CSV is malformed" in response.content.decode()


@pytest.mark.parametrize("route, role", [("interviews:plan_reorder", "hm"), ("scoring:autosave", "int")])
def test_it_answers_a_multipart_form_sent_to_a_json_endpoint_with_415(client, world, route, role):
    """A form post reads the body as a stream; the JSON views refuse any body that is not JSON."""
    client.force_login(world.users[role])
    url = reverse(route, kwargs=EXERCISES[route].kwargs(world))
    response = client.post(url, {"order": "[]", "file": SimpleUploadedFile("a.txt", b"x")})
    assert response.status_code == 415


@pytest.mark.parametrize("route, role", [("interviews:plan_reorder", "hm"), ("scoring:autosave", "int")])
def test_it_refuses_a_form_of_five_and_a_half_megabytes_sent_to_a_json_endpoint_with_a_message(
        client, world, route, role):
    """Over DATA_UPLOAD_MAX_MEMORY_SIZE (under MAX_REQUEST_BYTES) the NUL check parses the form
    from the stream without keeping the body; the view must not then read request.body."""
    client.force_login(world.users[role])
    url = reverse(route, kwargs=EXERCISES[route].kwargs(world))
    big = SimpleUploadedFile("big.bin", b"x" * (5 * 1024 * 1024 + 512 * 1024))
    response = client.post(url, {"order": "[]", "file": big}, HTTP_ACCEPT="application/json")
    assert response.status_code == 415
    assert "JSON" in json.dumps(response.json())


def test_it_refuses_an_autosave_change_of_five_and_a_half_megabytes_with_a_message(client, world):
    response = autosave(client, world, change(world, state={"notes": "x" * (5 * 1024 * 1024 + 512 * 1024)}))
    assert response.status_code == 413 and response.json()["message"] == "The change is too large to save."
