"""docs/scoring.md's worked example, built through the real code on the database: every
number the page states is checked against scoring.scores, scoring.comparison,
scoring.selectors and scoring.stats, and every hand calculation in it is re-evaluated."""

import ast
import csv
import io
import math
import operator
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from interviews.models import InterviewPlan, PlanSection, Stage
from accounts.roles import Role
from interviews.services import plan_add_question
from questionbank.models import Question
from questionbank.services import revision_publish
from scoring import stats
from scoring.comparison import Options, compare, competency_sums, interviewer_baselines
from scoring.scores import competency_scores
from scoring.selectors import debrief
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_position, make_scorecard

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "scoring.md"

# The plan of the example: (label, bank slug, competency, weight), as in the doc's first table.
QUESTIONS = [
    ("q1", "bias-variance", "ML fundamentals", 2),
    ("q2", "overfitting", "ML fundamentals", 1),
    ("q3", "precision", "Evaluation", 1),
    ("q4", "design-restaurant-recs", "System design", 1),
]
PLANS = {"Alice": ["q1", "q2", "q3"], "Bob": ["q1", "q2", "q3", "q4"]}
RECOMMENDATIONS = {"Yes": "yes", "No": "no", "Strong yes": "strong_yes", "Strong no": "strong_no"}


# --- Reading the doc ------------------------------------------------------------------------


def doc_text():
    return DOC.read_text(encoding="utf-8")


def checked_blocks(kind):
    """The table or code block that follows each `<!-- checked: kind -->` marker."""
    text = doc_text()
    blocks = []
    for match in re.finditer(rf"<!-- checked: {kind} -->\n", text):
        rest = text[match.end():]
        if rest.startswith("```"):
            body = rest.split("\n", 1)[1]
            blocks.append(body[: body.index("```")].strip("\n").splitlines())
        else:
            lines = []
            for line in rest.splitlines():
                if not line.startswith("|"):
                    break
                lines.append(line)
            blocks.append(lines)
    assert blocks, f"docs/scoring.md has no '{kind}' block"
    return blocks


def markdown_table(lines):
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]
    return rows[0], [r for r in rows[2:]]


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
        ast.Pow: operator.pow, ast.USub: operator.neg}


def evaluate(expression):
    """A hand calculation as written in the doc (× − √ ²), evaluated without eval()."""
    source = (expression.replace("×", "*").replace("−", "-").replace("√", "sqrt").replace("²", "**2"))

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.operand))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "sqrt" and len(node.args) == 1:
            return math.sqrt(walk(node.args[0]))
        raise ValueError(f"unexpected {ast.dump(node)} in {expression!r}")

    return walk(ast.parse(source, mode="eval"))


def calculations():
    """[(label, [expression, ...], stated result, decimals)] from every arithmetic block."""
    out = []
    for block in checked_blocks("arithmetic"):
        for line in block:
            label, *parts = line.split(" = ")
            result = parts[-1].replace("−", "-")
            out.append((label.strip(), parts, float(result), len(result.split(".")[1]) if "." in result else 0))
    return out


# --- Building the example -------------------------------------------------------------------


@pytest.fixture
def example(hiring_manager, recruiter):
    ivan = make_user("ivan", Role.INTERVIEWER, first_name="Ivan")
    jo = make_user("jo", Role.INTERVIEWER, first_name="Jo")
    people = {"Ivan": ivan, "Jo": jo}
    position = make_position(hiring_manager=hiring_manager, recruiter=recruiter)
    spec = {label: (slug, competency, weight) for label, slug, competency, weight in QUESTIONS}
    _, scorecard_rows = markdown_table(checked_blocks("scorecards")[0])
    candidates, interviews = {}, {}
    # The example gives q4 one score: should the bank's design round be scored per phase, the
    # example pins a revision of it without phases (docs/scoring.md, "Design rounds").
    for slug, _, _ in spec.values():
        question = Question.objects.get(slug=slug)
        if question.current_revision.phases:
            revision_publish(question=question, content={**question.current_revision.text_fields(), "phases": []})
    for name, labels in PLANS.items():
        plan = InterviewPlan.objects.create(name=f"Onsite for {name}", position=position)
        section = PlanSection.objects.create(plan=plan, title="Onsite", order=1)
        for label in labels:
            slug, competency, weight = spec[label]
            plan_add_question(plan=plan, section=section, revision=Question.objects.get(slug=slug).current_revision,
                              competency=competency, weight=Decimal(weight))
        candidate = make_candidate(position=position, name=name, email=f"{name.lower()}@example.com")
        candidate.stage = Stage.INTERVIEWING
        candidate.save(update_fields=["stage"])
        candidates[name] = candidate
        interviews[name] = make_interview(candidate=candidate, plan=plan, interviewers=[ivan, jo])
    # The scorecards exactly as the doc's table gives them.
    for name, person, *cells, recommendation in scorecard_rows:
        scores = [None if c == "skipped" else int(c) for c in cells[: len(PLANS[name])]]
        make_scorecard(interview=interviews[name], interviewer=people[person], scores=scores, recommendation=RECOMMENDATIONS[recommendation])
    return {"position": position, "candidates": candidates, "people": people, "interviews": interviews}


def test_the_doc_plan_table_is_the_plan_the_test_builds():
    text = doc_text()
    for label, _, competency, weight in QUESTIONS:
        row = next(line for line in text.splitlines() if line.startswith(f"| {label} "))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1:3] == [competency, str(weight)]
        assert [cells[3] == "✓", cells[4] == "✓"] == [label in PLANS["Alice"], label in PLANS["Bob"]]


def test_every_hand_calculation_in_the_doc_is_right():
    for label, parts, result, decimals in calculations():
        for expression in parts[:-1]:
            assert evaluate(expression) == pytest.approx(result, abs=0.5 * 10**-decimals + 1e-9), (label, expression)


def test_every_number_in_the_worked_example_is_what_the_code_computes(example, hiring_manager):
    position, candidates = example["position"], example["candidates"]
    table = compare(position=position, user=hiring_manager, options=Options(normalise=True))
    rows = {row.candidate.name: row for row in table.rows}
    debriefs = {name: debrief(c, hiring_manager) for name, c in candidates.items()}
    groups = competency_sums(position, hiring_manager, by_interviewer=True)
    baselines = interviewer_baselines([p.pk for p in example["people"].values()])
    history = {name: [s.score for c in person.scorecards.all() for s in c.scores.all() if s.score is not None]
               for name, person in example["people"].items()}
    assert groups  # the grouped query saw the example

    code = {}
    for name, row in rows.items():
        for competency, value in row.competency_scores.items():
            code[f"{name} · {competency}"] = value
        code[f"{name} · overall"] = row.overall
        code[f"{name} · normalised"] = row.normalised
        code[f"{name} · debrief overall"] = debriefs[name]["overall"]
        # scores.competency_scores (the debrief's arithmetic) agrees with the SQL aggregate.
        rows_in_python = [(s.question.competency, s.question.weight, s.score)
                          for card in debriefs[name]["cards"] for s in card.scores.all()]
        assert competency_scores(rows_in_python)[0] == row.competency_scores
    for name, person in example["people"].items():
        n, mean, sd = baselines[person.pk]
        assert (n, mean, sd) == (len(history[name]), pytest.approx(stats.mean(history[name])),
                                 pytest.approx(stats.sd(history[name])))
        code[f"{name} · mean"] = mean
        code[f"{name} · sd"] = sd
        for score in (1, 2, 3, 4):
            code[f"{name} · z of a {score}"] = stats.zscore(score, mean, sd)

    stated = calculations()
    assert stated
    for label, _, result, decimals in stated:
        assert label in code, f"docs/scoring.md states {label!r}, which the test does not check"
        assert code[label] == pytest.approx(result, abs=0.5 * 10**-decimals + 1e-9), label
    # Each candidate's competency scores, overall and normalised score are all stated.
    for name, row in rows.items():
        for competency in row.competency_scores:
            assert f"{name} · {competency}" in {label for label, *_ in stated}
        assert {f"{name} · overall", f"{name} · normalised"} <= {label for label, *_ in stated}

    # The compared competencies, and the sentence that says so.
    assert table.competencies == ["Evaluation", "ML fundamentals"]
    assert [(c.name, extra) for c, extra in table.not_compared] == [("Bob", ["System design"])]
    assert table.compared_note in " ".join(doc_text().split())


def test_the_doc_table_is_the_page_table_and_the_csv(example, as_user, hiring_manager):
    header, body = markdown_table(checked_blocks("table")[0])
    client = as_user(hiring_manager)
    url = f"/positions/{example['position'].pk}/compare/"
    page = client.get(url, {"normalise": "1"})
    assert page.context["table"].header == header
    assert page.context["table"].cells() == body
    exported = client.get(url, {"normalise": "1", "format": "csv"}).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(exported))) == [header, *body]


def test_the_doc_disagreements_and_split_panels_are_the_debriefs(example, hiring_manager):
    _, flags = markdown_table(checked_blocks("disagreements")[0])
    text = doc_text()
    for name, candidate in example["candidates"].items():
        data = debrief(candidate, hiring_manager)
        section = data["sections"][0]
        people = [card.interviewer.first_name for card in section["cards"]]
        assert people == ["Ivan", "Jo"]
        mine = [f for f in flags if f[0] == name]
        assert len(mine) == len(section["rows"])
        for row, (_, label, ivan, jo, gap, flagged) in zip(section["rows"], mine):
            cells = [cell.score if cell and cell.score else "skipped" for cell in row.cells]
            assert [str(c) for c in cells] == [ivan, jo], (name, label)
            scored = [c for c in cells if c != "skipped"]
            assert gap == (str(max(scored) - min(scored)) if len(scored) > 1 else "—")
            assert row.disagreement is (flagged == "yes"), (name, label)
        split = data["recommendation_split"]
        assert (f"{name}'s panel is **split**" in text or f"{name}’s panel is **split**" in text) is split
        assert (f"{name}'s is not" in text or f"{name}’s is not" in text) is (not split)
