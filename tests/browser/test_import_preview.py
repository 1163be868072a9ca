"""Importing a document through the preview, clicked through in Chromium as a new hiring manager
would: a pasted document corrected in the preview (a field edited, a question merged into the one
before it, one split at a line, one unticked), then a Word document uploaded and a web article
pasted as text. The bank then holds exactly what the preview showed."""

import pytest

from questionbank.models import Question
from tests.questionbank.corpus_files import text_to_docx

pytestmark = pytest.mark.browser

PASTED = """Our screening questions

What is overfitting?

It is when a model learns the noise in its training data.

Explain why it matters for hiring.

It tells us whether the candidate tests models honestly.

How do you pick a learning rate?

Start from a range test.
Watch the loss curve.
Is the schedule important too?
Yes: decay it as training settles.

What is a baseline model?

The simplest model worth beating.
"""


def _titles(page):
    return [page.locator(f"#id_q{n}-title").input_value() for n in range(page.locator(".import-item").count())]


def test_a_pasted_document_is_corrected_in_the_preview_and_imports_exactly_as_edited(open_session, people):
    s = open_session("import-preview")
    s.login("hannah")
    s.goto("/questions/import/")
    s.page.get_by_label("…or paste the text").fill(PASTED)
    s.page.get_by_label("Area").select_option("fundamentals")
    s.page.get_by_role("button", name="Preview import").click()
    assert s.page.get_by_text("Found 4 questions (document).").is_visible()
    assert _titles(s.page) == ["What is overfitting?", "Explain why it matters for hiring.",
                               "How do you pick a learning rate?", "What is a baseline model?"]
    assert s.page.locator("#item-0").get_by_text("lines 3–5").is_visible()
    s.shot("found")

    # Edit a field, then merge question 2 into question 1: the edit survives the round trip.
    s.page.locator("#id_q0-title").fill("Overfitting: what it is")
    s.page.locator("#id_q0-why_we_ask").fill("Every model can overfit.")
    s.page.get_by_role("button", name="Merge into question 1").click()
    assert s.page.get_by_text("Question 2 was merged into question 1.").is_visible()
    assert _titles(s.page) == ["Overfitting: what it is", "How do you pick a learning rate?", "What is a baseline model?"]
    assert s.page.locator("#id_q0-why_we_ask").input_value() == "Every model can overfit."
    assert "It tells us whether the candidate tests models honestly." in s.page.locator("#id_q0-model_answer").input_value()

    # Split the learning-rate question at "Is the schedule important too?".
    s.page.locator("#id_q1-split_at").select_option(label="3: Is the schedule important too?")
    s.page.get_by_role("button", name="Split question 2 here").click()
    assert _titles(s.page) == ["Overfitting: what it is", "How do you pick a learning rate?",
                               "Is the schedule important too?", "What is a baseline model?"]
    assert s.page.locator("#id_q2-model_answer").input_value() == "Yes: decay it as training settles."
    s.shot("edited")

    # Untick the baseline question, edit the split-off one's prompt, and confirm.
    s.page.locator("#id_q3-include").uncheck()
    s.page.locator("#id_q2-prompt").fill("Does the learning-rate schedule matter?")
    count = Question.objects.count()
    s.page.get_by_role("button", name="Import ticked questions").click()
    s.page.wait_for_url("**/questions/")
    assert s.page.get_by_text("3 created").is_visible()
    assert Question.objects.count() == count + 3
    first = Question.objects.get(current_revision__title="Overfitting: what it is").current_revision
    assert first.why_we_ask == "Every model can overfit."
    assert first.model_answer == ("It is when a model learns the noise in its training data.\n\n"
                                  "Explain why it matters for hiring.\n\n"
                                  "It tells us whether the candidate tests models honestly.")
    rate = Question.objects.get(current_revision__title="How do you pick a learning rate?")
    assert rate.current_revision.model_answer == "Start from a range test.\nWatch the loss curve."
    assert rate.area == "fundamentals" and rate.status == "draft"
    split = Question.objects.get(current_revision__title="Is the schedule important too?").current_revision
    assert split.prompt == "Does the learning-rate schedule matter?"
    assert not Question.objects.filter(current_revision__title="What is a baseline model?").exists()
    s.goto(f"/questions/{rate.slug}/")
    assert s.page.get_by_text("Watch the loss curve.").is_visible()
    s.shot("imported")


WORD = """# Data guide

## Data and features

**What makes a feature leak information from the future?**

Why interviewers ask this: Leakage flatters offline results.

Expected answer: It uses information not available at prediction time.

**How do you make a training pipeline reproducible?**

Expected answer: Version data, code and configuration together.
"""

ARTICLE = """Home > Blog > Interviews
By Priya Raman
Share this article

What is a confusion matrix?

Expected answer: A table of predicted against actual classes.

Enroll in our bootcamp today and get 30% off!

What does recall measure?

Expected answer: The share of actual positives the model finds.

Recommended reading
Ten metrics you should know
"""


def test_a_word_document_and_a_pasted_web_article_import_through_the_preview(open_session, people):
    s = open_session("import-files")
    s.login("hannah")
    s.goto("/questions/import/")
    s.page.get_by_label("File").set_input_files(files=[{
        "name": "data-guide.docx", "buffer": text_to_docx(WORD),
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    s.page.get_by_role("button", name="Preview import").click()
    assert s.page.get_by_text("Found 2 questions (docx document).").is_visible()
    assert s.page.locator("#item-0").get_by_text("section “Data and features”").is_visible()
    s.page.get_by_role("button", name="Import ticked questions").click()
    s.page.wait_for_url("**/questions/")
    leak = Question.objects.get(current_revision__title="What makes a feature leak information from the future?")
    assert leak.area == "data" and leak.current_revision.why_we_ask == "Leakage flatters offline results."

    s.goto("/questions/import/")
    s.page.get_by_label("…or paste the text").fill(ARTICLE)
    s.page.get_by_role("button", name="Preview import").click()
    assert _titles(s.page) == ["What is a confusion matrix?", "What does recall measure?"]
    s.page.get_by_text("Left out:").click()
    dropped = s.page.locator(".import-dropped")
    for text in ("Home > Blog > Interviews", "By Priya Raman", "Share this article", "Enroll in our bootcamp",
                 "Ten metrics you should know"):
        assert dropped.get_by_text(text).first.is_visible()
    s.shot("article")
    s.page.get_by_role("button", name="Import ticked questions").click()
    s.page.wait_for_url("**/questions/")
    recall = Question.objects.get(current_revision__title="What does recall measure?").current_revision
    assert recall.model_answer == "The share of actual positives the model finds."
