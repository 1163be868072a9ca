"""Practice scoring: the questions with sample answers, scoring one sample and then seeing
its reference score, and the samples' own pages for those who write them.

The reference score and rationale of a sample are only ever rendered by ``practice_result``,
and only to someone who has scored that sample: reading them first would make the practice
worthless."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import audit
from questionbank.models import PracticeScore, Question, SampleAnswer
from questionbank.practice import RULE, next_sample, practice_samples, question_standings, standing

from ..practice_forms import PracticeFilterForm, PracticeScoreForm, SampleAnswerForm
from ..qualification import practice_score_record

PAGE_SIZE = 25
PRACTISE = "questionbank.practise_sampleanswer"


@permission_required(PRACTISE, raise_exception=True)
def practice_list(request):
    """The published questions with sample answers, with the user's standing on each."""
    form = PracticeFilterForm(request.GET or None)
    filters = form.filters()
    questions = (Question.objects.published().filter(**filters)
                 .annotate(samples=Count("sample_answers")).filter(samples__gt=0)
                 .only("slug", "title", "area", "level", "kind").order_by("area", "title", "pk"))
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    standings = question_standings(user=request.user, questions=[q.pk for q in page.object_list])
    rows = [(q, standings.get(q.pk, standing([]))) for q in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "interviews/practice/list.html", {
        "form": form, "page": page, "rows": rows, "filtered": bool(filters), "querystring": query.urlencode(),
        "rule": RULE,
    })


def _practice_question(slug):
    return get_object_or_404(Question.objects.published().select_related("current_revision"), slug=slug)


@permission_required(PRACTISE, raise_exception=True)
def practice_question(request, slug):
    """The question's next sample the user has not scored; when all are scored, their
    standing and each sample to look at again or re-score."""
    question = _practice_question(slug)
    sample = next_sample(user=request.user, question=question)
    if sample is not None:
        return redirect(sample)
    samples = list(question.sample_answers.order_by("order", "pk"))
    if not samples:
        messages.info(request, "This question has no sample answers yet. Choose another question.")
        return redirect("practice:list")
    mine = _standing_of(request.user, question)
    return render(request, "interviews/practice/done.html", {
        "question": question, "samples": samples, "standing": mine, "rule": RULE,
    })


def _standing_of(user, question):
    return question_standings(user=user, questions=[question.pk]).get(question.pk, standing([]))


def _sample(pk):
    """A sample of a published question (404 otherwise: drafts and retired questions are not
    practised), with its question and the question's current rubric."""
    sample = get_object_or_404(practice_samples().select_related("question__current_revision"), pk=pk)
    revision = sample.question.current_revision
    prefetch_related_objects([revision], "criteria", "anchors")
    return sample, revision


def _position_of(sample):
    """(n, of): where the sample comes among its question's samples."""
    ids = list(SampleAnswer.objects.filter(question_id=sample.question_id).order_by("order", "pk").values_list("pk", flat=True))
    return ids.index(sample.pk) + 1, len(ids)


@permission_required(PRACTISE, raise_exception=True)
def practice_sample(request, pk):
    """Read one sample answer with the question's rubric and anchors, and score it. The
    reference is not on this page (see the module's docstring)."""
    sample, revision = _sample(pk)
    if request.method == "POST":
        form = PracticeScoreForm(request.POST)
        if form.is_valid():
            practice_score_record(user=request.user, sample=sample, score=form.cleaned_data["score"])
            return redirect("practice:result", pk=sample.pk)
    else:
        form = PracticeScoreForm()
    number, total = _position_of(sample)
    scored_before = PracticeScore.objects.filter(user=request.user, sample=sample).exists()
    return render(request, "interviews/practice/sample.html", {
        "sample": sample, "question": sample.question, "revision": revision, "form": form,
        "number": number, "total": total, "scored_before": scored_before,
    }, status=400 if form.errors else 200)


@permission_required(PRACTISE, raise_exception=True)
def practice_result(request, pk):
    """After scoring: the reference score, the rationale and how far off the user was."""
    sample, revision = _sample(pk)
    latest = PracticeScore.objects.filter(user=request.user, sample=sample).order_by("-at", "-pk").first()
    if latest is None:  # never before scoring it
        messages.info(request, "Score this sample first; its reference score shows after that.")
        return redirect(sample)
    number, total = _position_of(sample)
    return render(request, "interviews/practice/result.html", {
        "sample": sample, "question": sample.question, "revision": revision, "latest": latest,
        "off": abs(latest.score - sample.reference_score), "number": number, "total": total,
        "standing": _standing_of(request.user, sample.question), "rule": RULE,
        "has_next": next_sample(user=request.user, question=sample.question) is not None,
    })


# --- Writing samples (hiring managers and admins) -------------------------------------------


@permission_required("questionbank.add_sampleanswer", raise_exception=True)
def sample_list(request, slug):
    """A question's samples with their reference scores, and a form to add one."""
    question = get_object_or_404(Question.objects.visible_to(request.user), slug=slug)
    if request.method == "POST":
        form = SampleAnswerForm(request.POST, instance=SampleAnswer(question=question))
        if form.is_valid():
            sample = form.save()
            audit(actor=request.user, action="sample.add", target=sample, question=question.slug, sample=sample.pk,
                  reference=sample.reference_score)
            messages.success(request, f"Added sample {sample.order} to “{question}”.")
            return redirect("practice:samples", slug=question.slug)
    else:
        following = question.sample_answers.aggregate(n=Coalesce(Max("order"), 0))["n"] + 1
        form = SampleAnswerForm(initial={"order": following, "agreed_by": request.user.get_full_name() or request.user.username})
    samples = question.sample_answers.annotate(attempts=Count("practice_scores")).order_by("order", "pk")
    return render(request, "interviews/practice/samples.html", {
        "question": question, "samples": samples, "form": form,
    }, status=400 if form.errors else 200)


@permission_required("questionbank.change_sampleanswer", raise_exception=True)
def sample_edit(request, pk):
    sample = get_object_or_404(
        SampleAnswer.objects.filter(question__in=Question.objects.visible_to(request.user)).select_related("question"),
        pk=pk,
    )
    before = {"reference": sample.reference_score, "answer": sample.answer, "rationale": sample.rationale}
    if request.method == "POST":
        form = SampleAnswerForm(request.POST, instance=sample)
        if form.is_valid():
            form.save()
            audit(actor=request.user, action="sample.change", target=sample, question=sample.question.slug,
                  sample=sample.pk, changed=sorted(form.changed_data), reference_before=before["reference"],
                  reference=sample.reference_score)
            messages.success(request, "Saved the sample.")
            return redirect("practice:samples", slug=sample.question.slug)
    else:
        form = SampleAnswerForm(instance=sample)
    return render(request, "interviews/practice/sample_edit.html", {
        "sample": sample, "question": sample.question, "form": form,
    }, status=400 if form.errors else 200)
