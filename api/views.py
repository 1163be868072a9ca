"""The REST API's resources (docs/api.md). Each reads through the same ``visible_to``
querysets as the pages and checks the same role permissions; each write goes through the
pages' form (the rules, in the same words) and the same service or model method."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from config.database import custom_plans
from interviews import services as interview_services
from interviews.forms import CandidateForm, CancelForm, RescheduleForm, ScheduleForm
from interviews.models import (
    Candidate, Interview, InterviewPlan, InterviewStage, InterviewStatus, Position, PositionStatus, Stage,
)
from questionbank.forms import FOLLOW_UP_SEPARATOR, MAX_CRITERIA, QuestionForm, criterion_formset
from questionbank.models import SCORE_LEVELS, Area, Kind, Level, Question, RoleTrack
from questionbank.models import Status as QuestionStatus
from questionbank.services import QuestionNotPublishable, question_create, question_update, similar_titles
from scoring.calibration import calibration_snapshot
from scoring.forms import DecisionForm
from scoring.models import Scorecard
from scoring.services import candidate_rule_verdict, decision_record

from . import serializers as s
from .pagination import sorted_by_id
from .selectors import decisions_visible_to

User = get_user_model()

EXTERNAL_ID_MAX = Candidate._meta.get_field("external_id").max_length


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The object changed in a way that stops this request."


# --- Query parameters: a value that does not fit is a 400 naming it, never a 500. ----------


def id_param(request, name):
    raw = request.query_params.get(name, "")
    if raw == "":
        return None
    if not (raw.isdecimal() and len(raw) <= 18):
        raise ValidationError({name: ["Give an id: a whole number."]})
    return int(raw)


def choice_param(request, name, choices):
    raw = request.query_params.get(name, "")
    if raw and raw not in choices:
        raise ValidationError({name: [f"Choose one of: {', '.join(choices)}."]})
    return raw


def datetime_value(raw, name):
    """An ISO 8601 time with its UTC offset (a time without one is ambiguous: refused)."""
    try:
        parsed = parse_datetime(raw) if isinstance(raw, str) and len(raw) <= 40 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({name: ["Give a date and time in ISO 8601, e.g. 2026-12-10T14:00:00+01:00."]})
    if timezone.is_naive(parsed):
        raise ValidationError({name: ["Give the time with its UTC offset (…Z or +01:00): without one it is ambiguous."]})
    return parsed


def form_errors(form):
    """A bound form's errors as the API's ``errors``: field -> messages, "__all__" as
    "non_field_errors" (DRF's name)."""
    return {("non_field_errors" if field == "__all__" else field): list(messages)
            for field, messages in form.errors.items()}


def run_form(form):
    if not form.is_valid():
        raise ValidationError(form_errors(form))
    return form.cleaned_data


def filter_param(name, description, type_=str, enum=None):
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, required=False, description=description, enum=enum)


# --- Positions ---------------------------------------------------------------------------


class PositionViews:
    role_perms = {"GET": ["interviews.view_position"]}
    serializer_class = s.PositionSerializer

    def get_queryset(self):
        positions = Position.objects.visible_to(self.request.user).select_related("hiring_manager", "recruiter")
        if wanted := choice_param(self.request, "status", PositionStatus.values):
            positions = positions.filter(status=wanted)
        return positions


@extend_schema(parameters=[filter_param("status", "open, on_hold or closed", enum=PositionStatus.values)])
class PositionList(PositionViews, generics.ListAPIView):
    """The positions you run or interview for (admins: all)."""


class PositionDetail(PositionViews, generics.RetrieveAPIView):
    """One position you may see (else 404)."""


# --- Candidates ----------------------------------------------------------------------------


class CandidateViews:
    role_perms = {"GET": ["interviews.view_candidate"]}
    serializer_class = s.CandidateSerializer

    def get_queryset(self):
        request = self.request
        candidates = Candidate.objects.visible_to(request.user)
        if (position := id_param(request, "position")) is not None:
            candidates = candidates.filter(position_id=position)
        if stage := choice_param(request, "stage", Stage.values):
            candidates = candidates.filter(stage=stage)
        if external_id := request.query_params.get("external_id", ""):
            candidates = candidates.filter(external_id=external_id[:EXTERNAL_ID_MAX])
        return candidates


@extend_schema(parameters=[filter_param("position", "a position's id", int),
                           filter_param("stage", "a stage", enum=Stage.values),
                           filter_param("external_id", "the ATS id")])
class CandidateList(CandidateViews, generics.ListAPIView):
    """The candidates of the positions you run or interview for."""


class CandidateDetail(CandidateViews, generics.RetrieveAPIView):
    """One candidate you may see (else 404)."""


CANDIDATE_FIELDS = ("name", "email", "stage", "source", "notes", "cv_url")


class CandidateUpsert(APIView):
    """Create or update the candidate of a position by its ATS id: the same request sent
    twice leaves one candidate (201 the first time, 200 after). Fields left out keep their
    value. The candidate form's rules apply (an e-mail already used in the position, a CV
    link and a file)."""

    role_perms = {"PUT": ["interviews.add_candidate"]}

    @extend_schema(request=s.CandidateInput, responses={200: s.CandidateSerializer, 201: s.CandidateSerializer})
    def put(self, request, position_pk, external_id):
        position = get_object_or_404(Position.objects.visible_to(request.user), pk=position_pk)
        external_id = external_id.strip()
        if not external_id or len(external_id) > EXTERNAL_ID_MAX:
            raise ValidationError({"external_id": [f"An ATS id is 1 to {EXTERNAL_ID_MAX} characters."]})
        payload = s.CandidateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            candidate, created = self._save(request, position, external_id, payload.validated_data)
        except IntegrityError:
            # The same candidate created by a request running at the same time (the unique
            # constraint iv_candidate_unique_external_id): it exists now, so this one updates it.
            candidate, created = self._save(request, position, external_id, payload.validated_data)
        return Response(s.CandidateSerializer(candidate).data, status=201 if created else 200)

    @transaction.atomic
    def _save(self, request, position, external_id, data):
        # Locked: two updates of one candidate at once apply one after the other.
        existing = Candidate.objects.select_for_update().filter(position=position, external_id=external_id).first()
        if existing is not None and not request.user.has_perm("interviews.change_candidate"):
            raise PermissionDenied("Your role may add candidates but not change them.")
        if existing is None and not data.get("name", "").strip():
            raise ValidationError({"name": ["Give the candidate's name: this ATS id is new to the position."]})
        candidate = existing or Candidate(position=position, external_id=external_id)
        current = {field: getattr(candidate, field) for field in CANDIDATE_FIELDS}
        form = CandidateForm({**current, **data, "position": position.pk}, instance=candidate, user=request.user)
        run_form(form)
        return form.save(), existing is None


# --- Plans -----------------------------------------------------------------------------------


class PlanViews:
    role_perms = {"GET": ["interviews.view_interviewplan"]}
    serializer_class = s.PlanSerializer

    def get_queryset(self):
        return InterviewPlan.objects.visible_to(self.request.user)


@extend_schema(parameters=[filter_param("position", "a position's id (its plans)", int),
                           filter_param("archived", "true: archived plans only; default: plans in use",
                                        enum=["true", "false"])])
class PlanList(PlanViews, generics.ListAPIView):
    """Templates and the plans of the positions you may see, with their questions in order. Not
    the plans of the starter loops: copy a loop to a position on /plans/loops/ first."""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        items = s.items_by_plan([plan.pk for plan in page])
        return self.get_paginated_response(self.get_serializer(page, many=True, context={
            **self.get_serializer_context(), "items": items}).data)

    def get_queryset(self):
        # As the plan list page: a starter loop's plans are read on their page, and copied to a
        # position before use (the copies are listed). One stays readable by its id.
        plans = super().get_queryset().outside_loops()
        plans = plans.archived() if choice_param(self.request, "archived", ["true", "false"]) == "true" else plans.active()
        if (position := id_param(self.request, "position")) is not None:
            plans = plans.filter(position_id=position)
        return plans


class PlanDetail(PlanViews, generics.RetrieveAPIView):
    """One plan you may see (else 404)."""


# --- Questions -------------------------------------------------------------------------------


class QuestionViews:
    lookup_field = "slug"


def question_forms(data, instance=None):
    """The question editor's form and criteria formset, bound to a question as the API sends
    it (lists and objects, where the page has lines of text)."""
    anchors = data["anchors"]
    follow_ups = [f"{f['question']} {FOLLOW_UP_SEPARATOR} {f['good_answer']}".replace("\n", " ")
                  for f in data["follow_ups"]]
    form = QuestionForm({
        **{key: data[key] for key in ("title", "area", "kind", "level", "roles", "minutes", "prompt", "why_we_ask",
                                      "model_answer", "reference_solution", "change_note")},
        "slug": data.get("slug", ""),
        "key_points": "\n".join(data["key_points"]),
        "follow_ups": "\n".join(follow_ups),
        "coding_tests": json.dumps(data["coding_tests"]) if data["coding_tests"] else "",
        **{f"anchor_{level}": anchors.get(str(level), "") for level in SCORE_LEVELS},
    }, instance=instance)
    criteria = data["criteria"] + [""] * (MAX_CRITERIA - len(data["criteria"]))
    formset = criterion_formset({
        "criteria-TOTAL_FORMS": str(MAX_CRITERIA), "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": str(MAX_CRITERIA), "criteria-MAX_NUM_FORMS": str(MAX_CRITERIA),
        **{f"criteria-{n}-text": text for n, text in enumerate(criteria)},
    })
    return form, formset


def question_content(form, formset, data):
    """What the services take, once the form and the criteria are valid (else 400 with both
    their errors): the revision's words, the criteria and the anchors in order."""
    form_ok, formset_ok = form.is_valid(), formset.is_valid()
    if not (form_ok and formset_ok):
        errors = form_errors(form)
        # The page's anchor_1…anchor_4 are the API's "anchors", by level.
        anchors = [f"Level {level}: {message}" for level in SCORE_LEVELS
                   for message in errors.pop(f"anchor_{level}", [])]
        if anchors:
            errors["anchors"] = anchors
        criteria = [str(e) for e in formset.non_form_errors()] + [
            str(message) for f in formset.forms for messages in f.errors.values() for message in messages]
        raise ValidationError({**errors, **({"criteria": criteria} if criteria else {})})
    cleaned = form.cleaned_data
    if not data["confirm_similar"] and form.title_changed():
        similar = similar_titles(cleaned["title"], exclude_pk=form.instance.pk if form.instance else None)
        if similar:
            names = ", ".join(f"“{q.title}” ({q.slug})" for q in similar)
            raise ValidationError({"title": [f"Questions with similar titles exist: {names}. Check it is not one of "
                                             "them, then send it again with \"confirm_similar\": true."]})
    return {
        **{key: cleaned[key] for key in ("title", "prompt", "why_we_ask", "model_answer", "key_points", "follow_ups",
                                         "minutes", "reference_solution", "coding_tests")},
        "criteria": formset.texts(),
        "anchors": form.anchors(),
    }


def question_detail(slug):
    return QuestionDetail.queryset_all().get(slug=slug)


@extend_schema(parameters=[filter_param("area", "an area", enum=Area.values),
                           filter_param("kind", "a kind", enum=Kind.values),
                           filter_param("level", "a level", enum=Level.values),
                           filter_param("status", "a status (drafts: hiring managers)", enum=QuestionStatus.values),
                           filter_param("role", "a role track", enum=RoleTrack.values)])
class QuestionList(QuestionViews, generics.ListAPIView):
    """GET: the question bank: published and retired questions, and drafts for those who
    author. POST (hiring managers): a new question, saved as a draft, as the question editor
    does (publish it on its page)."""

    role_perms = {"GET": ["questionbank.view_question"], "POST": ["questionbank.add_question"]}
    serializer_class = s.QuestionSerializer

    def get_queryset(self):
        request = self.request
        questions = Question.objects.visible_to(request.user).select_related("current_revision")
        for name, choices in (("area", Area), ("kind", Kind), ("level", Level), ("status", QuestionStatus)):
            if wanted := choice_param(request, name, choices.values):
                questions = questions.filter(**{name: wanted})
        if role := choice_param(request, "role", RoleTrack.values):
            questions = questions.for_role(role)
        return questions

    @extend_schema(request=s.QuestionInput, responses={201: s.QuestionDetailSerializer})
    def post(self, request):
        payload = s.QuestionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        form, formset = question_forms(data)
        content = question_content(form, formset, data)
        cleaned = form.cleaned_data
        question = question_create(slug=cleaned["slug"], area=cleaned["area"], kind=cleaned["kind"],
                                   level=cleaned["level"], roles=cleaned["roles"], content=content, by=request.user,
                                   note=cleaned["change_note"] or "Created")
        return Response(s.QuestionDetailSerializer(question_detail(question.slug)).data, status=201)


class QuestionDetail(QuestionViews, generics.RetrieveAPIView):
    """GET: one question with its current revision's words and rubric. PUT (hiring
    managers): save an edit, as the question editor does: the identity in place, the words as
    a new revision when they changed (a published question keeps a full rubric)."""

    role_perms = {"GET": ["questionbank.view_question"], "PUT": ["questionbank.change_question"]}
    serializer_class = s.QuestionDetailSerializer

    @staticmethod
    def queryset_all():
        return (Question.objects.select_related("current_revision")
                .prefetch_related("current_revision__criteria", "current_revision__anchors"))

    def get_queryset(self):
        return self.queryset_all().visible_to(self.request.user)

    @extend_schema(request=s.QuestionInput, responses={200: s.QuestionDetailSerializer})
    def put(self, request, slug):
        question = self.get_object()
        payload = s.QuestionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        form, formset = question_forms(data, instance=question)
        content = question_content(form, formset, data)
        cleaned = form.cleaned_data
        try:
            question_update(question=question, area=cleaned["area"], kind=cleaned["kind"], level=cleaned["level"],
                            roles=cleaned["roles"], content=content, by=request.user, note=cleaned["change_note"])
        except QuestionNotPublishable as refusal:
            raise ValidationError({"criteria": [refusal.messages[0] + " Make it a draft first, or complete the "
                                                "rubric."]}) from None
        return Response(s.QuestionDetailSerializer(question_detail(question.slug)).data)


# --- Interviews ------------------------------------------------------------------------------


def interviews_of(user):
    return (Interview.objects.visible_to(user).with_stage().select_related("candidate")
            .prefetch_related(Prefetch("interviewers", queryset=User.objects.order_by("username"))))


def interview_read(user, pk):
    return interviews_of(user).get(pk=pk)


LISTED_INTERVIEW_FIELDS = ("candidate__position_id", "plan_id", "plan_name", "starts_at", "duration_minutes", "status",
                           "cancel_reason", "created_at")


@extend_schema(parameters=[filter_param("candidate", "a candidate's id", int),
                           filter_param("position", "a position's id", int),
                           filter_param("stage", "where it is now", enum=InterviewStage.values),
                           filter_param("starts_after", "ISO 8601 with offset"),
                           filter_param("starts_before", "ISO 8601 with offset")])
class InterviewList(generics.ListAPIView):
    """GET: the interviews you are on the panel of, or of the positions you run. POST:
    schedule one (recruiters), as the scheduling page does: the plan's questions are pinned,
    the panel invited; a panelist already booked, a plan of another position or questions
    longer than the interview (without ``overrun_confirm``) are refused."""

    role_perms = {"GET": ["interviews.view_interview"], "POST": ["interviews.add_interview"]}
    serializer_class = s.InterviewSerializer

    def get_queryset(self):
        # Without the stage: list() adds it to the page's rows only. On the whole table its
        # subqueries are computed for every interview (15 of the list's 28 ms on the bench data).
        request = self.request
        # Only what the rows write: whole users and candidates cost ~4 ms a page of 50. The
        # panel's usernames are read with the stage, for the page only (list()).
        interviews = (Interview.objects.visible_to(request.user).select_related("candidate")
                      .only(*LISTED_INTERVIEW_FIELDS))
        if (candidate := id_param(request, "candidate")) is not None:
            interviews = interviews.filter(candidate_id=candidate)
        if (position := id_param(request, "position")) is not None:
            # Through the position's candidates (an index each way), not a scan of every interview by id.
            interviews = sorted_by_id(
                interviews.filter(candidate_id__in=Candidate.objects.filter(position_id=position).values("pk")))
        if stage := choice_param(request, "stage", InterviewStage.values):
            interviews = interviews.in_stage(stage)
        if raw := request.query_params.get("starts_after"):
            interviews = interviews.filter(starts_at__gte=datetime_value(raw, "starts_after"))
        if raw := request.query_params.get("starts_before"):
            interviews = interviews.filter(starts_at__lt=datetime_value(raw, "starts_before"))
        return interviews

    def list(self, request, *args, **kwargs):
        with custom_plans():  # planned for this reader and these filters
            page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        ids = [i.pk for i in page]
        stages = dict(Interview.objects.filter(pk__in=ids).with_stage().values_list("pk", "stage_code"))
        return self.get_paginated_response(s.interview_rows(page, stages, s.panels_by_interview(ids)))

    @extend_schema(request=s.ScheduleInput, responses={201: s.InterviewSerializer})
    def post(self, request):
        payload = s.ScheduleInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = {**payload.validated_data, "starts_at": datetime_value(payload.validated_data["starts_at"], "starts_at")}
        form = ScheduleForm(data, user=request.user)
        form.fields["interviewers"].to_field_name = "username"
        cleaned = run_form(form)
        try:
            interview = interview_services.interview_schedule(
                candidate=cleaned["candidate"], plan=cleaned["plan"], starts_at=cleaned["starts_at"],
                duration_minutes=cleaned["duration_minutes"], interviewers=cleaned["interviewers"], by=request.user,
            )
        except DjangoValidationError as error:  # a question pool the candidate has had every question of
            raise ValidationError({"plan": error.messages}) from None
        return Response(s.InterviewSerializer(interview_read(request.user, interview.pk)).data, status=201)


class InterviewDetail(generics.RetrieveAPIView):
    """One interview you may see (else 404)."""

    role_perms = {"GET": ["interviews.view_interview"]}
    serializer_class = s.InterviewSerializer

    def get_queryset(self):
        return interviews_of(self.request.user)


def changeable_interview(request, pk):
    return get_object_or_404(Interview.objects.visible_to(request.user).select_related("candidate__position"), pk=pk)


class InterviewReschedule(APIView):
    """A new time, length or panel (the reschedule page's rules: panelists who started a
    scorecard stay on the panel). A cancelled interview: 409."""

    role_perms = {"POST": ["interviews.change_interview"]}

    @extend_schema(request=s.RescheduleInput, responses={200: s.InterviewSerializer})
    def post(self, request, pk):
        interview = changeable_interview(request, pk)
        if interview.is_cancelled:
            raise Conflict(interview_services.RESCHEDULE_CANCELLED)
        payload = s.RescheduleInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = {**payload.validated_data, "starts_at": datetime_value(payload.validated_data["starts_at"], "starts_at")}
        form = RescheduleForm(data, interview=interview, user=request.user)
        form.fields["interviewers"].to_field_name = "username"
        cleaned = run_form(form)
        try:
            interview_services.interview_reschedule(
                interview=interview, starts_at=cleaned["starts_at"], duration_minutes=cleaned["duration_minutes"],
                interviewers=cleaned["interviewers"],
            )
        except DjangoValidationError as error:  # cancelled while this request ran
            raise Conflict(" ".join(error.messages)) from None
        return Response(s.InterviewSerializer(interview_read(request.user, interview.pk)).data)


class InterviewCancel(APIView):
    """Cancel with a reason; the panel gets a cancellation. Cancelling a cancelled interview
    changes nothing (the first reason stays) and answers the interview as it is."""

    role_perms = {"POST": ["interviews.change_interview"]}

    @extend_schema(request=s.CancelInput, responses={200: s.InterviewSerializer})
    def post(self, request, pk):
        interview = changeable_interview(request, pk)
        if not interview.is_cancelled:
            cleaned = run_form(CancelForm({"reason": str(request.data.get("reason", ""))[:1000]}
                                          if isinstance(request.data, dict) else {}))
            interview.cancel(reason=cleaned["reason"])
        return Response(s.InterviewSerializer(interview_read(request.user, interview.pk)).data)


# --- Scorecards, decisions, calibration -----------------------------------------------------


class ScorecardViews:
    """Submitted scorecards, as the debrief shows them: independent scoring holds
    (``Scorecard.objects.visible_to``: an interviewer reads colleagues' scorecards of a
    candidate only once their own are all in); none of a cancelled interview."""

    role_perms = {"GET": ["interviews.view_candidate", "scoring.add_scorecard"]}
    serializer_class = s.ScorecardSerializer

    def get_queryset(self):
        cards = (Scorecard.objects.visible_to(self.request.user).submitted()
                 .exclude(interview__status=InterviewStatus.CANCELLED)
                 .select_related("interviewer", "interview")
                 # What the serializer writes: the rows' other dates and columns cost ~2 ms a page.
                 .only("interview__candidate_id", "interviewer__username", "recommendation", "summary",
                       "submitted_at"))
        if (candidate := id_param(self.request, "candidate")) is not None:
            cards = cards.filter(interview__candidate_id=candidate)
        if (interview := id_param(self.request, "interview")) is not None:
            cards = cards.filter(interview_id=interview)
        return cards


@extend_schema(parameters=[filter_param("candidate", "a candidate's id", int),
                           filter_param("interview", "an interview's id", int)])
class ScorecardList(ScorecardViews, generics.ListAPIView):
    """Submitted scorecards you may read, with their scores."""

    def list(self, request, *args, **kwargs):
        # Planned for this reader: the visibility rule's generic plan (a prepared statement's,
        # after five runs) scans every scorecard, 160 ms instead of 0.4 on the bench data.
        cards = s.scorecard_values(self.filter_queryset(self.get_queryset()))
        with custom_plans():
            page = self.paginate_queryset(cards)
        return self.get_paginated_response(s.scorecard_rows(page))


class ScorecardDetail(ScorecardViews, generics.RetrieveAPIView):
    """One submitted scorecard you may read (else 404)."""


@extend_schema(parameters=[filter_param("candidate", "a candidate's id", int)])
class DecisionList(generics.ListAPIView):
    """GET: hiring decisions you may read (the debrief's rule: those who run the position,
    and interviewers once they have submitted their scorecards of the candidate). POST: record
    one (the position's hiring manager): it moves the candidate's stage as the debrief does."""

    role_perms = {"GET": ["interviews.view_candidate", "scoring.add_scorecard"], "POST": ["interviews.view_candidate"]}
    serializer_class = s.DecisionSerializer

    def get_queryset(self):
        decisions = decisions_visible_to(self.request.user).select_related("by")
        if (candidate := id_param(self.request, "candidate")) is not None:
            decisions = decisions.filter(candidate_id=candidate)
        return decisions

    @extend_schema(request=s.DecisionInput, responses={201: s.DecisionSerializer})
    def post(self, request):
        payload = s.DecisionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        candidate = Candidate.objects.select_related("position").filter(pk=data["candidate"]).first()
        if candidate is None or not candidate.is_visible_to(request.user):
            raise ValidationError({"candidate": ["No candidate you may see has this id."]})
        # The debrief's rule (scoring.views.debrief._may_decide).
        if not (request.user.is_superuser or candidate.position.hiring_manager_id == request.user.pk):
            raise PermissionDenied("Only the position's hiring manager records the decision.")
        verdict = candidate_rule_verdict(candidate=candidate, user=request.user)
        cleaned = run_form(DecisionForm({"decision": data["decision"], "rationale": data["rationale"],
                                         "override_reason": data["override_reason"]}, verdict=verdict))
        try:
            decision = decision_record(candidate=candidate, by=request.user, **cleaned)
        except DjangoValidationError as exc:  # the verdict changed between the two reads
            raise ValidationError(exc.message_dict) from exc
        return Response(s.DecisionSerializer(decision).data, status=201)


class Calibration(APIView):
    """The calibration page's figures (company-wide, no candidate named), as the worker last
    computed them."""

    role_perms = {"GET": ["scoring.view_calibration"]}

    @extend_schema(responses=s.CalibrationSerializer)
    def get(self, request):
        snapshot = calibration_snapshot()
        return Response(s.CalibrationSerializer(snapshot).data)
