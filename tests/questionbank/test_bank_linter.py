"""The bank linter (bankfiles.check_bank): each check fails on a bad file written to tmp_path,
not only passes on the bank. The bank itself is checked in test_builtin_bank.py."""

import pytest

from questionbank import bankfiles
from tests.questionbank.bank_fixtures import coding_question, question, sql_question, write_bank


def problems_of(tmp_path, *questions):
    return bankfiles.check_bank(write_bank(tmp_path, *questions))[1]


def test_a_valid_file_of_each_runnable_kind_has_no_problems(tmp_path):
    assert problems_of(tmp_path, question("test-plain", "fundamentals"), coding_question(), sql_question()) == []


@pytest.mark.parametrize("count,ok", [(2, False), (3, True), (6, True), (7, False)])
def test_the_criteria_count_is_three_to_six(tmp_path, count, ok):
    data = question("test-criteria", "fundamentals", criteria=[f"Names fact number {n} of the topic" for n in range(count)])
    assert (problems_of(tmp_path, data) == []) is ok
    if not ok:
        assert problems_of(tmp_path, data) == ["fundamentals/test-criteria.yaml: criteria: a list of 3-6 observable statements"]


def test_two_anchors_that_are_near_copies_are_reported(tmp_path):
    data = question("test-anchors", "fundamentals")
    data["anchors"][3] = data["anchors"][2].replace("uncorrected", "not corrected")
    assert problems_of(tmp_path, data) == [
        "fundamentals/test-anchors.yaml: anchors: levels 2 and 3 are near-copies (similarity 0.88, limit 0.5); "
        "say what differs"]


def test_anchors_that_share_some_wording_are_not_near_copies():
    anchors = {1: "Cannot say what AUC measures.", 2: "Defines AUC but misreads what a value of 0.5 means.",
               3: "Meets criteria 1-3: defines AUC, reads 0.5 as chance, and explains the ranking view.",
               4: "Meets every criterion and adds when precision-recall curves tell more under heavy imbalance."}
    assert bankfiles.near_copy_anchors(anchors) == []
    near = {**anchors, 4: "Meets criteria 1-3: defines AUC, reads 0.5 as chance, and explains the ranking view well."}
    assert bankfiles.near_copy_anchors(near)[0].startswith("levels 3 and 4 are near-copies (similarity 0.9")


def test_the_current_bank_is_under_the_anchor_and_prompt_limits_with_the_figures_the_limits_were_set_from():
    """The limits were picked from the first 86 questions of the bank (5 December 2026):
    anchors peaked at 0.41, prompts at 0.66. The bank has grown since (225 files); a bank that
    drifts close to a limit shows here first."""
    questions = [bankfiles.read_question_file(p) for p in bankfiles.question_files()]
    anchor_max = max(bankfiles.trigram_similarity(q["anchors"][a], q["anchors"][b])
                     for q in questions for a in range(1, 5) for b in range(a + 1, 5))
    assert anchor_max < bankfiles.MAX_ANCHOR_SIMILARITY
    assert bankfiles.near_duplicates(questions, "prompt", bankfiles.MAX_PROMPT_SIMILARITY) == []
    assert bankfiles.near_duplicates(questions, "title", bankfiles.MAX_TITLE_SIMILARITY) == []


def test_near_duplicate_titles_across_the_bank_are_reported(tmp_path):
    a = question("test-one", "fundamentals", title="Overfitting: the warning signs")
    b = question("test-two", "evaluation", title="Overfitting: warning signs", prompt="Which signs tell you a model overfits?")
    assert problems_of(tmp_path, a, b) == [
        "titles too similar (0.86): test-two 'Overfitting: warning signs' / test-one 'Overfitting: the warning signs'"]


def test_near_duplicate_prompts_across_the_bank_are_reported(tmp_path):
    a = question("test-one", "fundamentals", title="Bias and variance: the decomposition",
                 prompt="Explain the bias-variance trade-off and how you would spot each problem in practice.")
    b = question("test-two", "algorithms", title="Model complexity and generalisation error",
                 prompt="Explain the bias-variance trade-off, and how would you spot each problem in practice?")
    [problem] = problems_of(tmp_path, a, b)
    assert problem.startswith("prompts too similar (1.00): test-two 'Explain the bias-variance trade-off, and how")


@pytest.mark.parametrize("kind,block,message", [
    ("coding", "coding", "coding: a coding question needs function, reference_solution, test_cases, wrong_solutions"),
    ("sql", "sql", "sql: an SQL question needs schema, data, reference_query, expected_rows, wrong_queries"),
    ("design", "phases", "phases: the six phases Requirements, Data, Modelling, Evaluation, Serving, Monitoring, in "
                         "this order, each a mapping"),
])
def test_each_kind_needs_its_own_block(tmp_path, kind, block, message):
    data = {"coding": coding_question, "sql": sql_question}.get(kind, lambda: question("test-design", "system-design",
                                                                                        kind="design", minutes=45))()
    data.pop(block, None)
    path = f"{data['area']}/{data['slug']}.yaml"
    assert problems_of(tmp_path, data) == [f"{path}: {message}"]


def test_a_coding_question_needs_wrong_solutions_and_cases_with_names(tmp_path):
    data = coding_question()
    del data["coding"]["wrong_solutions"]
    data["coding"]["test_cases"][0].pop("expected")
    assert problems_of(tmp_path, data) == [
        "ml-coding/test-running-max.yaml: coding.test_cases: each needs a name, args (a list) and expected",
        "ml-coding/test-running-max.yaml: coding.wrong_solutions: at least one wrong solution the tests must reject",
    ]


def test_the_loader_checks_the_same_shapes_but_runs_no_code(tmp_path):
    """A coding question without wrong solutions or a design question without phases is
    refused by the loader too; only running the solutions is left to the checker."""
    data = coding_question()
    del data["coding"]["wrong_solutions"]
    design = question("test-design", "system-design", kind="design", minutes=45)
    bank = write_bank(tmp_path, data, design)
    expected = [
        "ml-coding/test-running-max.yaml: coding.wrong_solutions: at least one wrong solution the tests must reject",
        "system-design/test-design.yaml: phases: the six phases Requirements, Data, Modelling, Evaluation, "
        "Serving, Monitoring, in this order, each a mapping",
    ]
    assert bankfiles.check_bank(bank, full=False)[1] == expected
    assert bankfiles.check_bank(bank)[1] == expected
    broken = coding_question()
    broken["coding"]["reference_solution"] = "def running_max(values):\n    return []\n"
    assert bankfiles.check_bank(write_bank(tmp_path / "run", broken), full=False)[1] == []


def test_a_block_on_the_wrong_kind_is_reported(tmp_path):
    data = question("test-plain", "fundamentals", coding=coding_question()["coding"], sql=sql_question()["sql"])
    assert problems_of(tmp_path, data) == [
        "fundamentals/test-plain.yaml: coding: only coding questions carry a reference solution",
        "fundamentals/test-plain.yaml: sql: only SQL questions carry a schema and a reference query",
    ]


@pytest.mark.parametrize("field,value,message", [
    ("model_answer", "Too short to teach anything.", "model_answer: 5 words, want 80-250"),
    ("model_answer", "word " * 251, "model_answer: 251 words, want 80-250"),
    ("prompt", "One. Two. Three.", "prompt: 3 sentences, want 1-2"),
    ("why_we_ask", "Only one sentence here.", "why_we_ask: 1 sentences, want 2-4"),
    ("key_points", ["a", "b", "c"], "key_points: a list of 4-8 short statements"),
    ("follow_ups", [{"question": "Why?", "good_answer": "Because."}], "follow_ups: a list of 2-4 items"),
    ("minutes", 60, "minutes 60: a whole number 2-45"),
])
def test_length_bands(tmp_path, field, value, message):
    data = question("test-sizes", "fundamentals", **{field: value})
    assert problems_of(tmp_path, data) == [f"fundamentals/test-sizes.yaml: {message}"]


def test_phase_anchors_that_are_near_copies_are_reported():
    phase = {"name": "Data", "minutes": 45, "focus": "Where the labels come from.",
             "criteria": ["Names the label source", "States how labels are delayed"],
             "anchors": {1: "Names no data source at all.", 2: "Lists features, never where labels come from.",
                         3: "Names the label source and its delay, and a fix for the delay.",
                         4: "Names the label source and its delay, and a fix for the delay too."}}
    phases = [dict(phase, name=name, minutes=5) for name in bankfiles.DESIGN_PHASES]
    problems = bankfiles._phase_problems(phases, 30)
    assert len(problems) == 6 and all("anchors: levels 3 and 4 are near-copies" in p for p in problems)
