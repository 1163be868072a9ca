"""Loading the built-in bank (questionbank/bank/*.yaml) into the database, idempotently."""

from django.db import transaction

from .bankfiles import BANK_DIR, check_bank, read_plan_criteria
from .models import PlanCriterion, Question, Status
from .services import QuestionNotPublishable, question_create, question_set_status, question_update


class BankFileError(Exception):
    pass


def _content(data):
    coding = data.get("coding") or {}
    return {
        "title": data["title"], "prompt": data["prompt"], "why_we_ask": data["why_we_ask"],
        "model_answer": data["model_answer"], "key_points": data["key_points"], "follow_ups": data["follow_ups"],
        "minutes": data["minutes"], "criteria": data["criteria"],
        "anchors": {int(k): v for k, v in data["anchors"].items()},
        "reference_solution": coding.get("reference_solution", ""),
        "coding_tests": {"function": coding["function"], "test_cases": coding["test_cases"]} if coding else {},
        # A design round's phases, each with its criteria and anchors (services.normalise_phases).
        "phases": data.get("phases") or [],
    }


@transaction.atomic
def load_bank(bank_dir=BANK_DIR):
    """Create or update every question of the bank files by slug. A question gets a new
    revision only when its text changed; rerunning changes nothing. Returns counts."""
    questions, problems = check_bank(bank_dir)
    if problems:
        raise BankFileError("The bank files have problems:\n" + "\n".join(problems))
    counts = {"created": 0, "revised": 0, "unchanged": 0}
    existing = {q.slug: q for q in Question.objects.select_related("current_revision")}
    for data in questions:
        try:
            _load_question(data, existing.get(data["slug"]), counts)
        except QuestionNotPublishable as exc:  # the publish rule, should a file ever pass check_bank without a rubric
            raise BankFileError(f"{data['slug']}: {exc.messages[0]}") from None
    for item in read_plan_criteria(bank_dir):
        PlanCriterion.objects.update_or_create(
            slug=item["slug"],
            defaults={k: item[k] for k in ("title", "description", "red_flag", "position")},
        )
    return counts


def _load_question(data, question, counts):
    """Create or update one bank question, published through the services (which keep to the
    publish rule)."""
    identity = {"area": data["area"], "kind": data["kind"], "level": data["level"], "roles": data["roles"]}
    if question is None:
        question_create(slug=data["slug"], content=_content(data), status=Status.PUBLISHED,
                        note="Built-in bank", **identity)
        counts["created"] += 1
        return
    revision, _ = question_update(question=question, content=_content(data), note="Built-in bank updated", **identity)
    if question.status == Status.DRAFT:
        question_set_status(question=question, status=Status.PUBLISHED)
    counts["revised" if revision else "unchanged"] += 1
