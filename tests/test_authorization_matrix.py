"""The authorization matrix, built from the URLconf.

Every route, as every role, against the expected status: anonymous, the position's hiring
manager, an interviewer on the panel before and after submitting, an interviewer not on the
panel, the position's recruiter, and an admin. Routes that take an object are also tried on
someone else's object (another position's), which must answer 404 (or 403 for a role that may
never use the route) and leave the database unchanged. A route without an entry here fails
the test, so a new view cannot ship without its row.

Each response is also checked for the security headers (CSP, nosniff, referrer policy, frame
denial), error pages included.
"""

import hashlib
import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from interviews.models import PlanItem, PoolMember
from accounts.models import profile_of
from accounts.people import invitation_token
from mail.models import Message
from notifications.models import Notification
from accounts.roles import Role
from questionbank.models import Question, SampleAnswer
from scoring.models import Scorecard
from scoring.services import scorecard_open
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position
from webhooks.models import Delivery, Event, Subscription

pytestmark = pytest.mark.django_db

ROLES = ["anon", "hm", "int_before", "int_after", "int_other", "rec", "admin"]
L = "login"  # 302 to the login page

# name -> (method, {role: status}) for the viewer's own objects. One status per role, in
# ROLES order: anon, hm, int_before, int_after, int_other, rec, admin.
MATRIX = {
    "home":                         ("GET",  [L, 200, 200, 200, 200, 200, 200]),
    "healthz":                      ("GET",  [200, 200, 200, 200, 200, 200, 200]),
    "help_scoring":                 ("GET",  [L, 200, 200, 200, 200, 200, 200]),
    "login":                        ("GET",  [200, 302, 302, 302, 302, 302, 302]),
    "logout":                       ("POST", [L, L, L, L, L, L, L]),  # signs out, then to the login page
    "password_change":              ("GET",  [L, 200, 200, 200, 200, 200, 200]),
    "account_settings":             ("GET",  [L, 200, 200, 200, 200, 200, 200]),
    "account_new_calendar_link":    ("POST", [L, 302, 302, 302, 302, 302, 302]),  # each their own link
    "password_change_done":         ("GET",  [L, 200, 200, 200, 200, 200, 200]),
    "two_factor_verify":            ("GET",  [L, 302, 302, 302, 302, 302, 302]),
    "two_factor_status":            ("GET",  [L, 200, 200, 200, 200, 200, 200]),
    "two_factor_setup":             ("POST", [L, 302, 302, 302, 302, 302, 302]),
    "two_factor_confirm":           ("POST", [L, 302, 302, 302, 302, 302, 302]),
    "two_factor_disable":           ("POST", [L, 302, 302, 302, 302, 302, 302]),
    # Single sign-on (accounts/sso_views.py): not found while it is off, as in these tests; with it
    # on, tests/sso/ covers each page.
    "sso_start":                    ("GET",  [404, 404, 404, 404, 404, 404, 404]),
    "sso_callback":                 ("GET",  [404, 404, 404, 404, 404, 404, 404]),
    "sso_failed":                   ("GET",  [404, 404, 404, 404, 404, 404, 404]),
    "sso_signed_out":               ("GET",  [404, 404, 404, 404, 404, 404, 404]),
    "questionbank:list":            ("GET",  [L, 200, 200, 200, 200, 200, 200]),
    "questionbank:create":          ("GET",  [L, 200, 403, 403, 403, 403, 200]),
    "questionbank:plan_criteria":   ("GET",  [L, 200, 200, 200, 200, 200, 200]),
    "questionbank:export":          ("GET",  [L, 200, 403, 403, 403, 403, 200]),
    "questionbank:import":          ("GET",  [L, 200, 403, 403, 403, 403, 200]),
    "questionbank:import_confirm":  ("POST", [L, 302, 403, 403, 403, 403, 302]),
    "questionbank:detail":          ("GET",  [L, 200, 200, 200, 200, 200, 200]),
    "questionbank:edit":            ("GET",  [L, 200, 403, 403, 403, 403, 200]),
    "questionbank:status":          ("POST", [L, 302, 403, 403, 403, 403, 302]),
    "questionbank:revision":        ("GET",  [L, 200, 200, 200, 200, 200, 200]),
    "interviews:position_list":     ("GET",  [L, 200, 403, 403, 403, 200, 200]),
    "interviews:position_create":   ("GET",  [L, 403, 403, 403, 403, 200, 200]),
    "interviews:position_detail":   ("GET",  [L, 200, 403, 403, 403, 200, 200]),
    "interviews:position_edit":     ("GET",  [L, 403, 403, 403, 403, 200, 200]),
    "interviews:candidate_list":    ("GET",  [L, 200, 403, 403, 403, 200, 200]),
    "interviews:candidate_create":  ("GET",  [L, 403, 403, 403, 403, 200, 200]),
    "interviews:candidate_detail":  ("GET",  [L, 200, 403, 403, 403, 200, 200]),
    "interviews:candidate_edit":    ("GET",  [L, 403, 403, 403, 403, 200, 200]),
    "interviews:candidate_cv":      ("GET",  [L, 200, 200, 200, 404, 200, 200]),  # panel may read the CV
    "interviews:interview_schedule": ("GET", [L, 403, 403, 403, 403, 200, 200]),
    "interviews:interview_load":    ("GET",  [L, 200, 403, 403, 403, 200, 200]),  # who schedules and decides
    "interviews:interview_list":    ("GET",  [L, 200, 200, 200, 200, 200, 200]),  # each sees the interviews visible to them
    "interviews:interview_detail":  ("GET",  [L, 200, 200, 200, 404, 200, 200]),
    "interviews:interview_edit":    ("GET",  [L, 403, 403, 403, 403, 200, 200]),
    "interviews:interview_cancel":  ("POST", [L, 403, 403, 403, 403, 400, 400]),
    "interviews:interview_invite":  ("GET",  [L, 200, 200, 200, 404, 200, 200]),
    "interviews:calendar_feed":     ("GET",  [200, 200, 200, 200, 200, 200, 200]),  # the secret is the key
    "interviews:plan_list":         ("GET",  [L, 200, 403, 403, 403, 200, 200]),
    "interviews:plan_create":       ("GET",  [L, 200, 403, 403, 403, 403, 200]),
    "interviews:plan_builder":      ("GET",  [L, 200, 403, 403, 403, 200, 200]),
    "interviews:plan_edit":         ("GET",  [L, 200, 403, 403, 403, 403, 200]),
    "interviews:plan_clone":        ("POST", [L, 302, 403, 403, 403, 403, 302]),  # a copy with default name
    "interviews:plan_reorder":      ("POST", [L, 400, 403, 403, 403, 403, 400]),
    "interviews:plan_section_add":  ("POST", [L, 400, 403, 403, 403, 403, 400]),
    "interviews:plan_item_add":     ("POST", [L, 302, 403, 403, 403, 403, 302]),  # back, "choose a question"
    "interviews:plan_item_update":  ("POST", [L, 400, 403, 403, 403, 403, 400]),
    "interviews:plan_item_move":    ("POST", [L, 302, 403, 403, 403, 403, 302]),  # back, "unknown direction"
    "interviews:plan_item_delete":  ("POST", [L, 302, 403, 403, 403, 403, 302]),
    "interviews:plan_item_restore": ("POST", [L, 302, 403, 403, 403, 403, 302]),  # back, "that undo has expired"
    "interviews:plan_item_update_revision": ("POST", [L, 302, 403, 403, 403, 403, 302]),  # back, "already the newest"
    "interviews:plan_archive":      ("POST", [L, 302, 403, 403, 403, 403, 302]),
    # Starter loops (tests/interviews/test_starter_loops.py): a page for those who see plans; copying
    # a loop for those who create plans (400 here: no track, level or position sent).
    "interviews:plan_loops":        ("GET",  [L, 200, 403, 403, 403, 200, 200]),
    "interviews:plan_loop_clone":   ("POST", [L, 400, 403, 403, 403, 403, 400]),
    "interviews:plan_unarchive":    ("POST", [L, 302, 403, 403, 403, 403, 302]),
    # Question pools (tests/interviews/test_pools.py): as the builder's other actions.
    "interviews:pool_add":          ("POST", [L, 302, 403, 403, 403, 403, 302]),  # back, "choose a question"
    "interviews:pool_remove":       ("POST", [L, 302, 403, 403, 403, 403, 302]),
    "scoring:compare":              ("GET",  [L, 200, 403, 403, 403, 200, 200]),
    "scoring:calibration":          ("GET",  [L, 200, 403, 403, 403, 403, 200]),
    # An interviewer's scorecards (the drill-down; tests/scoring/test_calibration_filters.py): those
    # who see calibration, each seeing only the scorecards of their positions. The interviewer is
    # int_after. "My calibration": everyone signed in, each their own figures.
    "scoring:calibration_interviewer": ("GET", [L, 200, 403, 403, 403, 403, 200]),
    "scoring:my_calibration":       ("GET",  [L, 200, 200, 200, 200, 200, 200]),
    "scoring:exposure":             ("GET",  [L, 200, 403, 403, 403, 200, 200]),
    "scoring:live":                 ("GET",  [L, 403, 200, 302, 404, 403, 404]),
    "scoring:live_save":            ("POST", [L, 403, 404, 404, 404, 403, 404]),
    "scoring:adhoc":                ("POST", [L, 403, 302, 302, 404, 403, 404]),
    "scoring:autosave":             ("POST", [L, 403, 200, 409, 404, 403, 404]),  # only the owner writes
    "scoring:scorecard":            ("GET",  [L, 403, 200, 200, 404, 403, 404]),
    "scoring:submit":               ("POST", [L, 403, 400, 302, 404, 403, 404]),  # 400: no recommendation
    "scoring:amend":                ("POST", [L, 403, 302, 400, 404, 403, 404]),
    "scoring:debrief":              ("GET",  [L, 200, 200, 200, 404, 200, 200]),
    "scoring:decision":             ("POST", [L, 400, 403, 403, 404, 403, 400]),
    "scoring:remind":               ("POST", [L, 302, 403, 403, 404, 302, 302]),  # back: "no longer missing"
    "notifications:list":           ("GET",  [L, 200, 200, 200, 200, 200, 200]),  # each their own
    "notifications:open":           ("POST", [L, 404, 302, 404, 404, 404, 404]),  # int_before's notification
    "notifications:read_all":       ("POST", [L, 302, 302, 302, 302, 302, 302]),
    "notifications:preferences":    ("POST", [L, 400, 400, 400, 400, 400, 400]),  # no choice sent
    "mail:outbox":                  ("GET",  [L, 403, 403, 403, 403, 403, 200]),  # admins only
    "mail:message":                 ("GET",  [L, 403, 403, 403, 403, 403, 200]),
    "mail:message_html":            ("GET",  [L, 403, 403, 403, 403, 403, 200]),
    "mail:message_attachment":      ("GET",  [L, 403, 403, 403, 403, 403, 200]),
    "api:tokens":                   ("GET",  [L, 200, 200, 200, 200, 200, 200]),  # each their own
    "api:token_create":             ("POST", [L, 400, 400, 400, 400, 400, 400]),  # no name sent
    "api:token_revoke":             ("POST", [L, 404, 404, 404, 404, 404, 404]),  # a token none of them has
    # People (accounts/people_views.py): admins only (or the manage_people permission). The
    # person is int_before; an admin's POST acts and goes back to the person's page.
    "two_factor_recovery_codes":    ("POST", [L, 302, 302, 302, 302, 302, 302]),  # back: two-factor is off
    "password_reset":               ("GET",  [200, 200, 200, 200, 200, 200, 200]),
    "password_reset_done":          ("GET",  [200, 200, 200, 200, 200, 200, 200]),
    "password_reset_confirm":       ("GET",  [200, 200, 200, 200, 200, 200, 200]),  # "this link does not work"
    "invitation_accept":            ("GET",  [200, 200, 200, 200, 200, 200, 200]),  # the signed link is the key
    "people_list":                  ("GET",  [L, 403, 403, 403, 403, 403, 200]),
    "people_invite":                ("GET",  [L, 403, 403, 403, 403, 403, 200]),
    "people_two_factor":            ("GET",  [L, 403, 403, 403, 403, 403, 200]),
    "people_interview_limits":      ("GET",  [L, 403, 403, 403, 403, 403, 200]),
    "person_weekly_limit":          ("POST", [L, 403, 403, 403, 403, 403, 302]),  # empty: back to the role's
    "person_detail":                ("GET",  [L, 403, 403, 403, 403, 403, 200]),
    "person_roles":                 ("POST", [L, 403, 403, 403, 403, 403, 302]),
    "person_deactivate":            ("POST", [L, 403, 403, 403, 403, 403, 302]),
    "person_reactivate":            ("POST", [L, 403, 403, 403, 403, 403, 302]),  # back: "already active"
    "person_two_factor_required":   ("POST", [L, 403, 403, 403, 403, 403, 302]),  # back: "choose whether"
    "person_two_factor_reset":      ("POST", [L, 403, 403, 403, 403, 403, 302]),
    "person_invite_again":          ("POST", [L, 403, 403, 403, 403, 403, 302]),  # back: "already set a password"
    "webhooks:list":                ("GET",  [L, 403, 403, 403, 403, 403, 200]),  # admins only
    "webhooks:create":              ("GET",  [L, 403, 403, 403, 403, 403, 200]),
    "webhooks:detail":              ("GET",  [L, 403, 403, 403, 403, 403, 200]),
    "webhooks:edit":                ("GET",  [L, 403, 403, 403, 403, 403, 200]),
    "webhooks:rotate":              ("POST", [L, 403, 403, 403, 403, 403, 302]),
    "webhooks:redeliver":           ("POST", [L, 403, 403, 403, 403, 403, 302]),
    # Decision rules (tests/interviews/test_decision_rule.py, tests/scoring/test_decision_rules.py):
    # the rule's page for the position's hiring manager and admins (locked here: a scorecard is
    # submitted); the report of overrides for those who run the position.
    "interviews:position_rule":     ("GET",  [L, 200, 403, 403, 403, 403, 200]),
    "scoring:overrides":            ("GET",  [L, 200, 403, 403, 403, 200, 200]),
    # Practice scoring (issue 17; tests/questionbank/test_practice_pages.py): every role practises;
    # hiring managers and admins write samples; the dashboard is for those who see positions.
    "practice:list":                ("GET",  [L, 200, 200, 200, 200, 200, 200]),
    "practice:question":            ("GET",  [L, 302, 302, 302, 302, 302, 302]),  # to the next unscored sample
    "practice:sample":              ("GET",  [L, 200, 200, 200, 200, 200, 200]),
    "practice:result":              ("GET",  [L, 302, 302, 302, 302, 302, 302]),  # not scored yet: to the sample
    "practice:samples":             ("GET",  [L, 200, 403, 403, 403, 403, 200]),
    "practice:sample_edit":         ("GET",  [L, 200, 403, 403, 403, 403, 200]),
    "interviews:qualifications":    ("GET",  [L, 200, 403, 403, 403, 200, 200]),
}

# The same routes on another position's objects (a different hiring manager and recruiter,
# a panel without our interviewers). Only object routes appear; a role the route refuses
# anyway keeps its 403; everyone else must get 404.
OTHERS = {
    "interviews:position_detail":   [L, 404, 403, 403, 403, 404, 200],
    "interviews:position_edit":     [L, 403, 403, 403, 403, 404, 200],
    "interviews:candidate_detail":  [L, 404, 403, 403, 403, 404, 200],
    "interviews:candidate_edit":    [L, 403, 403, 403, 403, 404, 200],
    "interviews:candidate_cv":      [L, 404, 404, 404, 404, 404, 200],
    "interviews:interview_detail":  [L, 404, 404, 404, 404, 404, 200],
    "interviews:interview_edit":    [L, 403, 403, 403, 403, 404, 200],
    "interviews:interview_cancel":  [L, 403, 403, 403, 403, 404, 400],
    "interviews:interview_invite":  [L, 404, 404, 404, 404, 404, 200],
    "interviews:plan_builder":      [L, 404, 403, 403, 403, 404, 200],  # plans of positions they see only
    "interviews:plan_clone":        [L, 404, 403, 403, 403, 403, 302],
    "interviews:plan_archive":      [L, 404, 403, 403, 403, 403, 302],
    "interviews:plan_unarchive":    [L, 404, 403, 403, 403, 403, 302],
    "interviews:plan_item_restore": [L, 404, 403, 403, 403, 403, 302],
    "interviews:plan_item_update_revision": [L, 404, 403, 403, 403, 403, 302],
    "interviews:plan_edit":         [L, 404, 403, 403, 403, 403, 200],
    "interviews:plan_item_delete":  [L, 404, 403, 403, 403, 403, 302],
    "interviews:plan_item_update":  [L, 404, 403, 403, 403, 403, 400],
    "interviews:pool_add":          [L, 404, 403, 403, 403, 403, 302],
    "interviews:pool_remove":       [L, 404, 403, 403, 403, 403, 302],
    "scoring:compare":              [L, 404, 403, 403, 403, 404, 200],
    "scoring:live":                 [L, 403, 404, 404, 404, 403, 404],
    "scoring:live_save":            [L, 403, 404, 404, 404, 403, 404],
    "scoring:autosave":             [L, 403, 404, 404, 404, 403, 404],
    "scoring:scorecard":            [L, 403, 404, 404, 404, 403, 404],
    "scoring:submit":               [L, 403, 404, 404, 404, 403, 404],
    "scoring:amend":                [L, 403, 404, 404, 404, 403, 404],
    "scoring:debrief":              [L, 404, 404, 404, 404, 404, 200],
    "scoring:decision":             [L, 404, 404, 404, 404, 404, 400],
    "scoring:remind":               [L, 404, 404, 404, 404, 404, 302],
    "interviews:position_rule":     [L, 404, 403, 403, 403, 404, 200],
    "scoring:overrides":            [L, 404, 403, 403, 403, 404, 200],
}


def route_names():
    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace and ((namespace + ":") if namespace else "") + p.namespace or namespace
                if ns == "admin":
                    continue
                if ns == "api:v1":  # the REST API answers to tokens: tests/api/test_api_matrix.py
                    continue
                yield from walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                yield ((namespace + ":") if namespace else "") + p.name

    return set(walk(get_resolver().url_patterns))


@pytest.fixture
def world(db):
    hm = make_user("m-hm", Role.HIRING_MANAGER)
    rec = make_user("m-rec", Role.RECRUITER)
    before = make_user("m-before", Role.INTERVIEWER)
    after = make_user("m-after", Role.INTERVIEWER)
    other_int = make_user("m-other", Role.INTERVIEWER)
    admin = make_user("m-admin", is_staff=True, is_superuser=True)
    position = make_position(hiring_manager=hm, recruiter=rec)
    candidate = make_candidate(position=position)
    candidate.cv_file.save("ada.pdf", ContentFile(b"%PDF-1.4\n% a tiny test file\n"), save=True)
    plan = make_plan(position=position)
    interview = make_interview(candidate=candidate, plan=plan, interviewers=[before, after])
    scorecard_open(interview=interview, interviewer=before)
    done = scorecard_open(interview=interview, interviewer=after)
    done.scores.update(score=3)
    Scorecard.objects.filter(pk=done.pk).update(status="submitted", recommendation="yes", summary="ok",
                                                submitted_at=timezone.now())
    # Someone else's: another hiring manager's position, candidate, plan and interview.
    hm2, rec2, int2 = make_user("o-hm", Role.HIRING_MANAGER), make_user("o-rec", Role.RECRUITER), make_user("o-int", Role.INTERVIEWER)
    position2 = make_position(hiring_manager=hm2, recruiter=rec2, title="Other team")
    candidate2 = make_candidate(position=position2, name="Other Person", email="other@example.com")
    candidate2.cv_file.save("other.pdf", ContentFile(b"%PDF-1.4\n% another\n"), save=True)
    plan2 = make_plan(position=position2, name="Other plan")
    interview2 = make_interview(candidate=candidate2, plan=plan2, interviewers=[int2])
    for pooled in (plan, plan2):  # two pool questions each: the hiring manager and the admin each take one out
        first = PlanItem.objects.filter(plan=pooled).order_by("pk").first()
        taken = PlanItem.objects.filter(plan=pooled).values("revision__question")
        for n, question in enumerate(Question.objects.published().exclude(pk__in=taken).order_by("slug")[:2], 1):
            PoolMember.objects.create(item=first, revision_id=question.current_revision_id, order=n)
    users = {"anon": None, "hm": hm, "int_before": before, "int_after": after, "int_other": other_int, "rec": rec, "admin": admin}
    message = Message.objects.create(key="matrix:1", reason="invitation", to="m-before@example.com", subject="Hello",
                                     text="Hello", html="<p>Hello</p>", attachment_name="interview.ics",
                                     attachment_type="text/calendar", attachment="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    notification = Notification.objects.get(recipient=before, kind="invitation")  # from the scheduling
    subscription = Subscription.objects.create(name="ATS", url="https://ats.example.com/hook", events=["decision.recorded"])
    event = Event.objects.create(type="decision.recorded", payload={"decision": {"id": 1}})
    delivery = Delivery.objects.create(subscription=subscription, event=event, status="failed",
                                       give_up_at=timezone.now())
    sample = SampleAnswer.objects.create(question=Question.objects.get(slug="bias-variance"), order=99, reference_score=3,
                                         answer="An answer.", rationale="Why.", agreed_by="Matrix")
    own = {"sample": sample, "position": position, "candidate": candidate, "plan": plan, "interview": interview, "message": message,
           "notification": notification, "subscription": subscription, "delivery": delivery}
    other = {"sample": sample, "position": position2, "candidate": candidate2, "plan": plan2, "interview": interview2, "message": message,
             "notification": notification}
    return users, own, other


def url_for(name, objects):
    p, c, plan, i = objects["position"], objects["candidate"], objects["plan"], objects["interview"]
    item = PlanItem.objects.filter(plan=plan).order_by("pk").first()
    kwargs = {
        "questionbank:detail": {"slug": "bias-variance"}, "questionbank:edit": {"slug": "bias-variance"},
        "questionbank:status": {"slug": "bias-variance"}, "questionbank:revision": {"slug": "bias-variance", "number": 1},
        "interviews:plan_item_update": {"pk": plan.pk, "item_pk": item.pk},
        "interviews:plan_item_move": {"pk": plan.pk, "item_pk": item.pk},
        "interviews:plan_item_delete": {"pk": plan.pk, "item_pk": item.pk},
        "interviews:plan_item_update_revision": {"pk": plan.pk, "item_pk": item.pk},
        "interviews:pool_add": {"pk": plan.pk},
        "interviews:pool_remove": {"pk": plan.pk, "member_pk": getattr(
            PoolMember.objects.filter(item__plan=plan).order_by("pk").first(), "pk", 0)},
        # The feed of the interview's first panelist.
        "interviews:calendar_feed": {"token": profile_of(i.interviewers.order_by("pk").first()).calendar_token},
        "api:token_revoke": {"pk": 0},  # each person revokes their own tokens only (tests/api/test_tokens.py)
        "scoring:calibration_interviewer": {"pk": i.interviewers.order_by("-pk").first().pk},
        "scoring:my_calibration": {},
        "practice:question": {"slug": "bias-variance"}, "practice:samples": {"slug": "bias-variance"},
        "practice:sample": {"pk": objects["sample"].pk}, "practice:result": {"pk": objects["sample"].pk},
        "practice:sample_edit": {"pk": objects["sample"].pk},
    }.get(name)
    if name.startswith("person_"):
        kwargs = {"pk": i.interviewers.order_by("pk").first().pk}
    if name == "password_reset_confirm":
        kwargs = {"uidb64": "MQ", "token": "not-a-token"}
    if name == "invitation_accept":
        invited, _ = get_user_model().objects.get_or_create(username="m-invited", defaults={"password": "!unusable"})
        kwargs = {"token": invitation_token(invited)}
    if kwargs is None and name.startswith("mail:message"):
        kwargs = {"pk": objects["message"].pk}
    if name == "notifications:open":
        kwargs = {"pk": objects["notification"].pk}
    if name.startswith("webhooks:") and name not in ("webhooks:list", "webhooks:create"):
        kwargs = {"pk": objects["subscription"].pk}
        if name == "webhooks:redeliver":
            kwargs["delivery_pk"] = objects["delivery"].pk
    if kwargs is None:
        if name.startswith(("interviews:position", "scoring:compare", "scoring:overrides")):
            kwargs = {"pk": p.pk}
        elif name.startswith(("interviews:candidate", "scoring:debrief", "scoring:decision", "scoring:remind")):
            kwargs = {"pk": c.pk}
        elif name.startswith("interviews:plan") and name not in (
                "interviews:plan_list", "interviews:plan_create", "interviews:plan_loops", "interviews:plan_loop_clone"):
            kwargs = {"pk": plan.pk}
        elif name.startswith(("interviews:interview", "scoring:")) and name not in (
                "interviews:interview_schedule", "scoring:calibration", "scoring:exposure"):
            kwargs = {"pk": i.pk}
        else:
            kwargs = {}
    for bare in ("interviews:position_list", "interviews:position_create", "interviews:candidate_list",
                 "interviews:candidate_create", "interviews:interview_schedule", "interviews:interview_list",
                 "interviews:interview_load"):
        if name == bare:
            kwargs = {}
    return reverse(name, kwargs=kwargs)


def database_digest():
    """A fingerprint of every row of our apps' tables (and auth's), to prove a refused
    request changed nothing."""
    tables = [t for t in connection.introspection.table_names()
              if t.split("_")[0] in ("questionbank", "interviews", "scoring", "auth")]
    h = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f'SELECT md5(coalesce(string_agg(t::text, \'|\' ORDER BY t::text), \'\')) FROM "{table}" t')
            h.update(f"{table}:{cursor.fetchone()[0]}".encode())
    return h.hexdigest()


def request(client, method, url, name, objects):
    if name == "scoring:autosave":
        question = objects["interview"].questions.order_by("order").first()
        payload = {"key": uuid.uuid4().hex, "question": question.pk, "version": 0, "state": {"notes": "matrix"}}
        return client.post(url, data=json.dumps(payload), content_type="application/json")
    if name == "interviews:plan_reorder":  # a JSON endpoint (any other content type is a 415)
        return client.post(url, data=json.dumps({"order": []}), content_type="application/json")
    return client.post(url, {}) if method == "POST" else client.get(url)


def check_headers(response, where):
    csp = response.get("Content-Security-Policy", "")
    if where.startswith("mail:message_html as admin"):
        # A message's HTML part, shown to admins in a frame of the outbox page: sandboxed, no
        # script, no network, framed by our own pages only.
        assert csp.startswith("sandbox;") and "default-src 'none'" in csp and "frame-ancestors 'self'" in csp, where
        assert response["X-Frame-Options"] == "SAMEORIGIN", where
        return
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["X-Frame-Options"] == "DENY", where


def run(client, users, role, method, name, objects, expected, where):
    # The URL is made per request: an allowed delete removes the item the next role would use.
    url = url_for(name, objects)
    client.logout()
    if users[role] is not None:
        client.force_login(users[role])
    refused = expected in (L, 403, 404, 405, 409) or (expected == 400 and method == "POST")
    before = database_digest() if method == "POST" and refused else None
    response = request(client, method, url, name, objects)
    got = response.status_code
    if expected == L:
        assert got == 302 and response["Location"].startswith("/login/"), (where, got)
    else:
        assert got == expected, (where, got)
        if expected == 302 and name != "logout":
            assert not response["Location"].startswith("/login/"), where
    check_headers(response, where)
    if before is not None:
        assert database_digest() == before, f"{where}: a refused request changed the database"


def test_every_route_has_a_matrix_entry():
    assert route_names() == set(MATRIX), (
        f"routes without a row: {sorted(route_names() - set(MATRIX))}; rows without a route: {sorted(set(MATRIX) - route_names())}"
    )


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_route_answers_each_role_as_expected(client, world, name):
    users, own, _ = world
    method, statuses = MATRIX[name]
    for role, expected in zip(ROLES, statuses, strict=True):
        run(client, users, role, method, name, own, expected, f"{name} as {role}")


@pytest.mark.parametrize("name", sorted(OTHERS))
def test_someone_elses_object_is_not_found_and_nothing_changes(client, world, name):
    users, _, other = world
    method = MATRIX[name][0]
    for role, expected in zip(ROLES, OTHERS[name], strict=True):
        run(client, users, role, method, name, other, expected, f"{name} on another position's object as {role}")


# Rows tried with POST whose route is also a page: GET shows the form that POST sends.
GET_AND_POST = {"two_factor_confirm"}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anon"])
def test_get_on_every_post_only_route_is_exactly_405_for_every_role(client, world, role):
    """The method is checked before anything else: a GET on a POST-only route tells no one
    whether the object exists or what their role may do."""
    users, own, _ = world
    client.force_login(users[role])
    wrong = {}
    for name, (method, _) in MATRIX.items():
        if method == "POST" and name not in GET_AND_POST:
            response = client.get(url_for(name, own))
            if response.status_code != 405:
                wrong[name] = response.status_code
            else:
                check_headers(response, f"GET {name} as {role}")
    assert wrong == {}, f"GET on these POST-only routes did not answer 405 for {role}: {wrong}"


def test_the_admin_is_for_staff_only(client, world):
    users, _, _ = world
    for role in ROLES:
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        response = client.get("/admin/")
        if role == "admin":
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        check_headers(response, f"/admin/ as {role}")
