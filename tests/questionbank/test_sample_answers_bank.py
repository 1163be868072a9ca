"""Sample answers in the bank files: the checker's rules (bankfiles.sample_answer_problems) on
small fixture banks in tmp_path, and the loader, which updates them in place by question and
position and leaves the samples written in the app alone."""

import pytest

from questionbank import bankfiles
from questionbank.loading import load_bank
from questionbank.models import PracticeScore, Question, SampleAnswer
from tests.conftest import make_user
from tests.practice_data import sample_answers
from tests.questionbank.bank_fixtures import question, write_bank


def problems_of(tmp_path, data):
    return bankfiles.check_bank(write_bank(tmp_path, data))[1]


def with_samples(samples, slug="test-samples"):
    return question(slug, "fundamentals", sample_answers=samples)


def test_a_question_with_five_good_samples_has_no_problems(tmp_path):
    assert problems_of(tmp_path, with_samples(sample_answers())) == []


def test_a_question_without_samples_is_fine(tmp_path):
    assert problems_of(tmp_path, question("test-none", "fundamentals")) == []


def test_fewer_than_four_samples_are_refused(tmp_path):
    assert problems_of(tmp_path, with_samples(sample_answers()[:3])) == [
        "fundamentals/test-samples.yaml: sample_answers: a list of at least 4 samples (score, answer, rationale)"]


def test_the_scores_must_cover_all_four_levels(tmp_path):
    samples = sample_answers()[1:]  # 2, 3, 4, 3: no 1
    assert problems_of(tmp_path, with_samples(samples)) == [
        "fundamentals/test-samples.yaml: sample_answers: no sample scores 1; cover all four levels"]


@pytest.mark.parametrize("score", [0, 5, "3", True, None, 2.5])
def test_a_score_outside_1_to_4_is_refused(tmp_path, score):
    samples = sample_answers()
    samples[0]["score"] = score
    assert problems_of(tmp_path, with_samples(samples)) == [
        f"fundamentals/test-samples.yaml: sample_answers[1].score {score!r}: 1, 2, 3 or 4"]


def test_answer_and_rationale_sizes_are_checked(tmp_path):
    samples = sample_answers()
    samples[1]["answer"] = "Too short to be a transcript."
    samples[2]["rationale"] = " ".join(["word"] * 91)
    del samples[3]["rationale"]
    assert problems_of(tmp_path, with_samples(samples)) == [
        "fundamentals/test-samples.yaml: sample_answers[2].answer: 6 words, want 60-260",
        "fundamentals/test-samples.yaml: sample_answers[3].rationale: 91 words, want 25-90",
        "fundamentals/test-samples.yaml: sample_answers[4].rationale: missing or empty",
    ]


def test_two_answers_that_are_near_copies_are_reported(tmp_path):
    samples = sample_answers()
    samples[4]["answer"] = samples[2]["answer"].replace("seventy", "sixty")
    problems = problems_of(tmp_path, with_samples(samples))
    assert len(problems) == 1 and "answers 3 and 5 are near-copies" in problems[0]


def test_the_shipped_bank_has_at_least_the_minimum_of_questions_with_samples():
    """The lead switches the minimum to 40 when the content branches are merged."""
    questions, _ = bankfiles.check_bank(full=False)
    with_samples_count = sum(1 for q in questions if q.get("sample_answers"))
    assert with_samples_count >= bankfiles.MIN_QUESTIONS_WITH_SAMPLES


@pytest.mark.django_db
def test_the_loader_loads_samples_in_place_and_a_rerun_changes_nothing(tmp_path):
    bank = write_bank(tmp_path, with_samples(sample_answers()))
    assert load_bank(bank)["samples"] == 5
    q = Question.objects.get(slug="test-samples")
    loaded = list(q.sample_answers.order_by("order"))
    assert [s.reference_score for s in loaded] == [1, 2, 3, 4, 3]
    assert [s.bank_position for s in loaded] == [1, 2, 3, 4, 5]
    assert {s.agreed_by for s in loaded} == {"Panelist bank team"}
    stamps = [s.updated_at for s in loaded]
    assert load_bank(bank)["samples"] == 0
    assert [s.updated_at for s in q.sample_answers.order_by("order")] == stamps


@pytest.mark.django_db
def test_an_edited_sample_is_updated_in_place_keeping_its_practice_history(tmp_path):
    samples = sample_answers()
    load_bank(write_bank(tmp_path, with_samples(samples)))
    q = Question.objects.get(slug="test-samples")
    second = q.sample_answers.get(bank_position=5)
    PracticeScore.objects.create(user=make_user("practiser"), sample=second, score=2)
    samples[4]["score"] = 2
    samples[4]["rationale"] += " Revised after review."
    assert load_bank(write_bank(tmp_path, with_samples(samples)))["samples"] == 1
    second.refresh_from_db()
    assert second.reference_score == 2 and second.rationale.endswith("Revised after review.")
    assert second.practice_scores.count() == 1


@pytest.mark.django_db
def test_a_sample_dropped_from_the_file_goes_and_samples_written_in_the_app_stay(tmp_path):
    load_bank(write_bank(tmp_path, with_samples(sample_answers())))
    q = Question.objects.get(slug="test-samples")
    own = SampleAnswer.objects.create(question=q, order=9, reference_score=2, answer="Ours.", rationale="Ours too.",
                                      agreed_by="Hiring team")
    load_bank(write_bank(tmp_path, with_samples(sample_answers()[:4])))
    assert sorted(q.sample_answers.values_list("bank_position", flat=True), key=lambda p: p or 0) == [None, 1, 2, 3, 4]
    assert SampleAnswer.objects.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_the_loader_refuses_a_bank_with_a_bad_sample(tmp_path):
    from questionbank.loading import BankFileError

    samples = sample_answers()
    samples[0]["score"] = 7
    with pytest.raises(BankFileError, match=r"sample_answers\[1\].score 7"):
        load_bank(write_bank(tmp_path, with_samples(samples)))


@pytest.mark.django_db
def test_an_answer_wrapped_in_the_file_loads_as_flowing_paragraphs(tmp_path):
    # The practice page once broke the candidate's answer at every line of the file.
    samples = sample_answers()
    words = samples[0]["answer"].split()
    half = len(words) // 2
    samples[0]["answer"] = " ".join(words[:4]) + "\n  " + " ".join(words[4:half]) + "\n\n" + " ".join(words[half:]) + "\n"
    load_bank(write_bank(tmp_path, with_samples(samples)))
    answer = Question.objects.get(slug="test-samples").sample_answers.get(order=1).answer
    assert answer == " ".join(words[:half]) + "\n\n" + " ".join(words[half:])
