"""The practice pages (/practice/): the list with each person's standing, scoring a sample
then seeing its reference, bad input, and hiring managers writing samples."""

import pytest
from django.contrib.messages import get_messages

from accounts.models import AuditEvent
from questionbank.models import PracticeScore, Question, SampleAnswer, Status
from questionbank.services import question_set_status
from tests.practice_data import make_samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    return Question.objects.get(slug="bias-variance")


@pytest.fixture
def samples(question):
    return make_samples(question, references=(1, 2, 3, 4, 3))


def score(client, sample, value):
    return client.post(f"/practice/samples/{sample.pk}/", {"score": value})


# The bank ships samples for 44 questions, two pages of the list: the tests read the
# question's own area.
LIST = "/practice/?area=fundamentals"


def test_an_interviewer_sees_the_questions_with_samples_and_their_standing(as_user, interviewer, samples, question):
    client = as_user(interviewer)
    page = client.get(LIST).content.decode()
    assert question.title in page and "Not started" in page
    assert "Precision" not in client.get("/practice/?area=evaluation").content.decode()  # no samples, not listed
    for sample in samples[:3]:
        score(client, sample, sample.reference_score)
    assert "3 of 5 scored" in client.get(LIST).content.decode()
    for sample in samples[3:]:
        score(client, sample, sample.reference_score)
    assert "Qualified" in client.get(LIST).content.decode()


def test_the_list_filters_by_area_and_level_and_ignores_bad_values(as_user, interviewer, samples, question):
    client = as_user(interviewer)
    assert question.title in client.get(f"/practice/?area={question.area}&level={question.level}").content.decode()
    other_area = "sql" if question.area != "sql" else "llm"
    response = client.get(f"/practice/?area={other_area}")
    assert question.title not in response.content.decode() and "No question with sample answers matches" in response.content.decode()
    for query in ("?area=nonsense", "?page=99999999999999999999", "?page=x"):
        assert client.get("/practice/" + query).status_code == 200


def test_the_reference_is_never_on_the_page_before_scoring(as_user, interviewer, samples):
    client = as_user(interviewer)
    sample = samples[2]
    page = client.get(f"/practice/samples/{sample.pk}/").content.decode()
    assert sample.answer in page
    assert sample.rationale not in page and "the reference is" not in page and "Test team" not in page
    # The result page before scoring sends back to the sample, without the rationale.
    response = client.get(f"/practice/samples/{sample.pk}/result/")
    assert response.status_code == 302 and response["Location"] == f"/practice/samples/{sample.pk}/"
    assert sample.rationale not in client.get(f"/practice/samples/{sample.pk}/result/", follow=True).content.decode()


def test_scoring_reveals_the_reference_the_rationale_and_how_far_off(as_user, interviewer, samples):
    client = as_user(interviewer)
    sample = samples[0]  # reference 1
    response = score(client, sample, 3)
    assert response.status_code == 302 and response["Location"] == f"/practice/samples/{sample.pk}/result/"
    page = client.get(response["Location"]).content.decode()
    assert "You scored 3; the reference is 1" in page
    assert "You were 2 off." in page and sample.rationale in page and "Agreed by Test team" in page
    assert "Next sample" in page
    assert AuditEvent.objects.filter(action="practice.score", actor=interviewer, detail__sample=sample.pk,
                                     detail__score=3).exists()


def test_only_the_first_score_of_a_sample_counts(as_user, interviewer, samples):
    # Counting the latest let anyone qualify by scoring each sample again to match the
    # reference the result page had just shown (found in review).
    client = as_user(interviewer)
    score(client, samples[0], 3)  # reference 1: two off
    for sample in samples[1:]:
        score(client, sample, sample.reference_score)
    assert "1 more than 1 off" in client.get(LIST).content.decode()
    score(client, samples[0], 1)  # the reference, now that it has been seen: practice only
    assert "1 more than 1 off" in client.get(LIST).content.decode()
    assert PracticeScore.objects.filter(user=interviewer, sample=samples[0]).count() == 2
    page = client.get(f"/practice/samples/{samples[0].pk}/").content.decode()
    assert "only your first score counts for qualification" in page


def test_the_question_page_goes_to_the_next_unscored_sample_then_says_all_are_scored(as_user, interviewer, samples, question):
    client = as_user(interviewer)
    for sample in samples:
        response = client.get(f"/practice/questions/{question.slug}/")
        assert response.status_code == 302 and response["Location"] == f"/practice/samples/{sample.pk}/"
        score(client, sample, sample.reference_score)
    response = client.get(f"/practice/questions/{question.slug}/")
    assert response.status_code == 200
    assert "You have scored all 5 samples" in response.content.decode() and "You are qualified" in response.content.decode()


def test_a_question_without_samples_sends_back_to_the_list_saying_so(as_user, interviewer):
    response = as_user(interviewer).get("/practice/questions/precision/")
    assert response.status_code == 302 and response["Location"] == "/practice/"
    assert "no sample answers yet" in str(list(get_messages(response.wsgi_request))[0])


@pytest.mark.parametrize("value", ["0", "5", "x", "", "3.0", "-1", "99999999999999999999"])
def test_a_bad_score_is_refused_in_words_and_records_nothing(as_user, interviewer, samples, value):
    response = score(as_user(interviewer), samples[0], value)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("Choose a score from 1 to 4.") == 1  # under the field, not repeated above it
    assert "Nothing was recorded: choose a score below first." in html
    assert samples[0].answer in html  # the page is whole again
    assert not PracticeScore.objects.exists()


def test_a_missing_score_is_refused(as_user, interviewer, samples):
    assert as_user(interviewer).post(f"/practice/samples/{samples[0].pk}/", {}).status_code == 400
    assert not PracticeScore.objects.exists()


@pytest.mark.parametrize("path", ["/practice/samples/{pk}/", "/practice/samples/{pk}/result/"])
def test_unknown_and_huge_sample_ids_are_not_found(as_user, interviewer, samples, path):
    client = as_user(interviewer)
    for pk in (0, 999999, 10 ** 30):
        assert client.get(path.format(pk=pk)).status_code == 404
    assert client.post("/practice/samples/99999999999999999999/", {"score": "3"}).status_code == 404
    assert client.get("/practice/questions/no-such-question/").status_code == 404


@pytest.mark.parametrize("status", [Status.RETIRED, Status.DRAFT])
def test_a_sample_of_an_unpublished_question_cannot_be_practised(as_user, interviewer, samples, question, status):
    if status == Status.DRAFT:
        Question.objects.filter(pk=question.pk).update(status=Status.DRAFT)
    else:
        question_set_status(question=question, status=status)
    client = as_user(interviewer)
    assert client.get(f"/practice/samples/{samples[0].pk}/").status_code == 404
    assert score(client, samples[0], "2").status_code == 404
    assert client.get(f"/practice/questions/{question.slug}/").status_code == 404
    assert question.title not in client.get("/practice/").content.decode()
    assert not PracticeScore.objects.exists()


def test_people_without_a_role_cannot_practise(as_user, outsider, samples):
    client = as_user(outsider)
    assert client.get("/practice/").status_code == 403
    assert score(client, samples[0], "2").status_code == 403
    assert not PracticeScore.objects.exists()


def test_the_live_page_never_shows_samples(as_user, interviewer, interview):
    question = interview.questions.order_by("order").first().revision.question
    made = make_samples(question)
    page = as_user(interviewer).get(f"/interviews/{interview.pk}/live/").content.decode()
    assert all(s.answer not in page and s.rationale not in page for s in made)


# --- Query counts ----------------------------------------------------------------------------

# Session, user, roles and permissions, the bell's count; the page of questions with their
# sample counts, the paginator's count, the user's latest scores on the page's questions.
LIST_QUERIES = 7


@pytest.mark.parametrize("n", [1, 8])
def test_the_list_reads_a_fixed_number_of_queries(as_user, interviewer, django_assert_num_queries, n):
    client = as_user(interviewer)
    for question in Question.objects.published().order_by("slug")[:n]:
        for sample in make_samples(question):
            PracticeScore.objects.create(user=interviewer, sample=sample, score=2)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get("/practice/").status_code == 200


# --- Writing samples -------------------------------------------------------------------------


def sample_data(**changes):
    data = {"reference_score": "2", "answer": "I would look at the residuals first.", "rationale": "Names one check only.",
            "agreed_by": "Hiring team", "order": "6"}
    data.update(changes)
    return data


def test_a_hiring_manager_adds_and_edits_a_sample_and_both_are_audited(hm_client, hiring_manager, question, samples):
    response = hm_client.post(f"/practice/questions/{question.slug}/samples/", sample_data())
    assert response.status_code == 302
    added = SampleAnswer.objects.get(question=question, order=6)
    assert added.reference_score == 2 and added.bank_position is None
    assert AuditEvent.objects.filter(action="sample.add", actor=hiring_manager, detail__sample=added.pk).exists()
    response = hm_client.post(f"/practice/samples/{added.pk}/edit/", sample_data(reference_score="3"))
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.reference_score == 3
    event = AuditEvent.objects.get(action="sample.change", detail__sample=added.pk)
    assert event.detail["reference_before"] == 2 and event.detail["reference"] == 3
    assert "Sample answers" in hm_client.get(f"/questions/{question.slug}/").content.decode()


@pytest.mark.parametrize("changes,message", [
    ({"reference_score": "5"}, "Select a valid choice"),
    ({"reference_score": "x"}, "Select a valid choice"),
    ({"answer": "   "}, "This field is required"),
    ({"rationale": ""}, "This field is required"),
    ({"order": "99999999999999999999"}, "less than or equal to 1000"),
    ({"answer": "word " * 2000}, "At most 6000 characters"),
])
def test_a_bad_sample_is_refused_in_words_keeping_what_was_typed(hm_client, question, changes, message):
    data = sample_data(**changes)
    response = hm_client.post(f"/practice/questions/{question.slug}/samples/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "nothing has been saved yet" in page
    assert "Hiring team" in page  # what was typed stays
    assert not SampleAnswer.objects.filter(question=question).exists()


def test_interviewers_and_recruiters_cannot_write_samples(as_user, interviewer, recruiter, question, samples):
    for person in (interviewer, recruiter):
        client = as_user(person)
        assert client.post(f"/practice/questions/{question.slug}/samples/", sample_data()).status_code == 403
        assert client.post(f"/practice/samples/{samples[0].pk}/edit/", sample_data()).status_code == 403
    assert SampleAnswer.objects.filter(question=question).count() == 5


def test_writing_samples_of_unknown_questions_or_samples_is_not_found(hm_client):
    assert hm_client.get("/practice/questions/nothing-here/samples/").status_code == 404
    assert hm_client.get("/practice/samples/99999999999999999999/edit/").status_code == 404
