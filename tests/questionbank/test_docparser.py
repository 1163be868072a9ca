"""Tests for questionbank.docparser: pure Python, no database.

Run with (tests/conftest.py imports Django models, so skip it when Django is off):
    .venv/bin/python -m pytest -p no:django -o addopts="" --noconftest tests/questionbank/test_docparser.py -q
or with the Django plugin on (no test here touches the database):
    .venv/bin/python -m pytest -o addopts="" tests/questionbank/test_docparser.py -q
"""

import pickle
import random
from pathlib import Path

import pytest

from questionbank.docparser import DocumentError, ParsedQuestion, parse_document

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ten-questions.md"


def parse(text):
    return parse_document(text)


def titles(questions):
    return [q.title for q in questions]


def error_of(text):
    with pytest.raises(DocumentError) as info:
        parse_document(text)
    return info.value


# --- document styles ---------------------------------------------------------------------------

BOLD_LABEL_DOC = """\
# Interview questions

**Q1. What is the difference between bagging and boosting?**

**Question Explanation:** Checks that the candidate knows the two main ways of building
ensembles.

**Expected Answer:** Bagging trains models independently on resampled data and averages them.
- Bagging mostly lowers variance.
- Boosting fits models one after another and mostly lowers bias.

**Evaluating Responses:** Look for the independent versus sequential contrast.
Weak answers only list library names.

**Q2.** How do you choose k in k-nearest neighbours?

**Question Explanation:**
Tests practical model selection.

**Expected Answer:**
Use cross-validation over a range of k; odd values avoid ties in binary problems.

**Evaluating Responses:** Mentions cross-validation and the smoothing effect of larger k.
"""


def test_it_reads_the_bold_label_style():
    questions, warnings = parse(BOLD_LABEL_DOC)
    assert warnings == []
    assert titles(questions) == [
        "What is the difference between bagging and boosting?",
        "How do you choose k in k-nearest neighbours?",
    ]
    q1, q2 = questions
    assert isinstance(q1, ParsedQuestion)
    assert (q1.line, q2.line) == (3, 15)
    assert q1.prompt == "What is the difference between bagging and boosting?"
    assert q1.why_we_ask == "Checks that the candidate knows the two main ways of building\nensembles."
    assert q1.model_answer == (
        "Bagging trains models independently on resampled data and averages them.\n"
        "- Bagging mostly lowers variance.\n"
        "- Boosting fits models one after another and mostly lowers bias."
    )
    assert q1.key_points == [
        "Bagging mostly lowers variance.",
        "Boosting fits models one after another and mostly lowers bias.",
    ]
    assert q1.evaluation == (
        "Look for the independent versus sequential contrast.\nWeak answers only list library names."
    )
    assert q1.warnings == []
    assert q2.why_we_ask == "Tests practical model selection."
    assert q2.model_answer == "Use cross-validation over a range of k; odd values avoid ties in binary problems."
    assert q2.evaluation == "Mentions cross-validation and the smoothing effect of larger k."
    assert q2.key_points == []


PLAIN_NUMBERED_DOC = """\
Questions for the data science screen

1. What is a p-value?
A p-value is the probability of seeing data at least this extreme
if the null hypothesis were true.

2. What is the curse of dimensionality?
   As dimensions grow, points become sparse and distances lose contrast.
   Nearest-neighbour methods suffer first.

3) Why standardise features before k-means?
Because k-means uses Euclidean distance, so large-scale features dominate.
"""


def test_it_reads_plain_numbered_text_as_model_answers():
    questions, warnings = parse(PLAIN_NUMBERED_DOC)
    assert warnings == []
    assert titles(questions) == [
        "What is a p-value?",
        "What is the curse of dimensionality?",
        "Why standardise features before k-means?",
    ]
    assert [q.line for q in questions] == [3, 7, 11]
    assert questions[0].model_answer == (
        "A p-value is the probability of seeing data at least this extreme\nif the null hypothesis were true."
    )
    # the indented answer is dedented
    assert questions[1].model_answer == (
        "As dimensions grow, points become sparse and distances lose contrast.\n"
        "Nearest-neighbour methods suffer first."
    )
    assert questions[2].model_answer.startswith("Because k-means uses Euclidean distance")
    assert all(q.why_we_ask == "" and q.evaluation == "" and q.warnings == [] for q in questions)


HEADING_DOC = """\
# ML interview questions

## 3. What is dropout?

### Why interviewers ask this
It shows whether the candidate understands regularisation in neural networks.

### Expected Answer
Dropout randomly zeroes activations during training.
* It prevents co-adaptation of units.
* At test time all units are used, with scaled weights.

### What to look for
- Mentions the train/test difference
- Connects it to ensembles

### Follow-up questions
- Where would you not use dropout?
- How does it interact with batch normalisation?

## 4. What is batch normalisation?

### Expected answer:
It normalises layer inputs over the mini-batch, then rescales them.
"""


def test_it_reads_numbered_markdown_headings_with_subsections():
    questions, warnings = parse(HEADING_DOC)
    assert warnings == []
    assert titles(questions) == ["What is dropout?", "What is batch normalisation?"]
    q3, q4 = questions
    assert (q3.line, q4.line) == (3, 21)
    assert q3.why_we_ask == "It shows whether the candidate understands regularisation in neural networks."
    assert q3.model_answer == (
        "Dropout randomly zeroes activations during training.\n"
        "* It prevents co-adaptation of units.\n"
        "* At test time all units are used, with scaled weights."
    )
    assert q3.key_points == [
        "It prevents co-adaptation of units.",
        "At test time all units are used, with scaled weights.",
    ]
    assert q3.evaluation == "- Mentions the train/test difference\n- Connects it to ensembles"
    assert q3.follow_ups == [
        "Where would you not use dropout?",
        "How does it interact with batch normalisation?",
    ]
    assert q4.model_answer == "It normalises layer inputs over the mini-batch, then rescales them."


QUESTION_HEADINGS_DOC = """\
# Deep learning

## Basics

### Why do we need non-linear activation functions?

Without them a stack of layers collapses into one linear map.

### What does an embedding layer learn?

Why we ask: embeddings appear in nearly every modern model.

Answer: A lookup table of dense vectors, trained by backpropagation like any other weight.

## Training

### When would you prefer Adam over SGD?

Adam adapts step sizes per parameter and needs less tuning; SGD with momentum can generalise better.
"""


def test_it_reads_question_headings_without_numbers_and_ignores_section_titles():
    questions, warnings = parse(QUESTION_HEADINGS_DOC)
    assert warnings == []
    assert titles(questions) == [
        "Why do we need non-linear activation functions?",
        "What does an embedding layer learn?",
        "When would you prefer Adam over SGD?",
    ]
    assert [q.line for q in questions] == [5, 9, 17]
    assert questions[0].model_answer == "Without them a stack of layers collapses into one linear map."
    assert questions[1].why_we_ask == "embeddings appear in nearly every modern model."
    assert questions[1].model_answer == (
        "A lookup table of dense vectors, trained by backpropagation like any other weight."
    )
    # "## Training" ended question 2: it is not part of its answer
    assert "Training" not in questions[1].model_answer
    assert questions[2].model_answer.startswith("Adam adapts step sizes")


def test_it_does_not_split_a_numbered_list_inside_an_answer():
    text = """\
Q1. How would you debug a model whose validation loss is flat?

Expected Answer:
1. Check that labels and inputs are aligned.
2. Overfit a single batch.
3. Lower the learning rate.

Q2. What is early stopping?
Answer: Stop training when the validation score stops improving.
"""
    questions, _ = parse(text)
    assert titles(questions) == [
        "How would you debug a model whose validation loss is flat?",
        "What is early stopping?",
    ]
    assert questions[0].model_answer == (
        "1. Check that labels and inputs are aligned.\n2. Overfit a single batch.\n3. Lower the learning rate."
    )
    assert questions[0].key_points == [
        "Check that labels and inputs are aligned.",
        "Overfit a single batch.",
        "Lower the learning rate.",
    ]
    assert questions[1].line == 8


def test_it_tells_answer_lists_from_questions_by_the_numbering_sequence():
    text = """\
1. What are the steps of a train/validation/test split?
1. Shuffle the data.
2. Hold out a test set.
3. Split the rest for validation.

2. What is stratified sampling?
It keeps class proportions equal across the splits.
"""
    questions, _ = parse(text)
    assert titles(questions) == [
        "What are the steps of a train/validation/test split?",
        "What is stratified sampling?",
    ]
    assert [q.line for q in questions] == [1, 6]
    assert questions[0].model_answer == (
        "1. Shuffle the data.\n2. Hold out a test set.\n3. Split the rest for validation."
    )
    assert questions[0].key_points == ["Shuffle the data.", "Hold out a test set.", "Split the rest for validation."]
    assert questions[1].model_answer == "It keeps class proportions equal across the splits."


def test_it_keeps_code_fences_verbatim_and_does_not_split_them():
    text = """\
Q1. What does this snippet print?

```python
# Q2. this is a comment, not a question
for i in range(3):
    print(i)   
```

Expected Answer: It prints 0, 1 and 2.

```
Q2. still inside a fence
Expected Answer: not a label
```

Q2. What is a closure?
Answer: A function that captures variables from its enclosing scope.
"""
    questions, warnings = parse(text)
    assert warnings == []
    assert titles(questions) == ["What does this snippet print?", "What is a closure?"]
    assert questions[1].line == 16
    q1 = questions[0]
    # the fence before the answer label is part of the question as asked, kept byte for byte
    assert q1.prompt == (
        "What does this snippet print?\n\n"
        "```python\n# Q2. this is a comment, not a question\nfor i in range(3):\n    print(i)   \n```"
    )
    assert q1.model_answer == (
        "It prints 0, 1 and 2.\n\n```\nQ2. still inside a fence\nExpected Answer: not a label\n```"
    )


TEN_QUESTIONS = """\
# ML interview: ten questions

## Fundamentals

### 1. What is supervised learning?
Why we ask: it sets the vocabulary for the rest of the interview.

Expected answer: Learning a mapping from inputs to known labels.

### 2. What is unsupervised learning?
Expected answer: Finding structure, such as clusters, in data without labels.

### 3. What is a loss function?
Expected answer: A number that measures how wrong the predictions are; training minimises it.
- Cross-entropy for classification
- Mean squared error for regression

### 4. What is gradient descent?
Expected answer: Repeatedly step the weights against the gradient of the loss.

## Evaluation

### 5. What is cross-validation?
Expected answer: Rotating which fold is held out, then averaging the scores.
Evaluation: mentions why a single split is noisy.

### 6. What is a confusion matrix?
Expected answer: A table of predicted against actual classes.

### 7. What is the difference between precision and recall?
Expected answer: Precision is the share of predicted positives that are right; recall is the share of actual positives found.

## Practice

### 8. What is feature leakage?
Expected answer: Information from the target or the future sneaking into the features.
Follow-ups:
- How would you catch it?

### 9. How do you handle missing values?
Expected answer: Drop, impute or model the missingness, depending on why values are missing.

### 10. What is a learning curve?
Expected answer: Training and validation scores plotted against training set size.
"""


def test_it_parses_a_ten_question_markdown_document():
    questions, warnings = parse(TEN_QUESTIONS)
    assert warnings == []
    assert len(questions) == 10
    assert titles(questions) == [
        "What is supervised learning?",
        "What is unsupervised learning?",
        "What is a loss function?",
        "What is gradient descent?",
        "What is cross-validation?",
        "What is a confusion matrix?",
        "What is the difference between precision and recall?",
        "What is feature leakage?",
        "How do you handle missing values?",
        "What is a learning curve?",
    ]
    assert [q.line for q in questions] == [5, 10, 13, 18, 23, 27, 30, 35, 40, 43]
    assert questions[0].why_we_ask == "it sets the vocabulary for the rest of the interview."
    assert questions[0].model_answer == "Learning a mapping from inputs to known labels."
    assert questions[2].key_points == ["Cross-entropy for classification", "Mean squared error for regression"]
    assert questions[4].evaluation == "mentions why a single split is noisy."
    assert questions[7].follow_ups == ["How would you catch it?"]
    assert questions[9].model_answer == "Training and validation scores plotted against training set size."
    # "## Evaluation" / "## Practice" are section titles, not text of the question before them
    assert questions[3].model_answer == "Repeatedly step the weights against the gradient of the loss."
    assert questions[6].model_answer.endswith("the share of actual positives found.")
    assert all(q.warnings == [] for q in questions)


def test_it_parses_the_example_document_in_docs():
    questions, warnings = parse(EXAMPLE.read_text(encoding="utf-8"))
    assert warnings == []
    assert len(questions) == 10
    assert questions[0].title == "What is the bias-variance trade-off, and how does it show up in practice?"
    assert questions[0].line == 8
    assert questions[-1].title == "How would you monitor a model in production?"
    for q in questions:
        assert q.why_we_ask, q.title
        assert q.model_answer, q.title
        assert q.evaluation, q.title
        assert q.warnings == [], q.title
        assert not q.title.startswith(("Q", "*"))
    # "## Evaluation" in the example is a topic heading, not Q3's evaluation section
    assert questions[2].evaluation.startswith("Strong candidates mention that the bias grows")
    assert len(questions[8].key_points) == 4
    assert questions[8].key_points[0] == "Training-serving skew: features computed differently online."
    assert "model = Ridge(alpha=1.0).fit(X_train, y_train)" in questions[6].model_answer


# --- numbering and label variants ---------------------------------------------------------------

def test_it_recognises_the_numbering_variants():
    text = """\
Q1. First question?
Q2: Second question?
Q3) Third question?
Question 4: Fourth question?
  **Q5.** Fifth question?
**Q6. Sixth question?**
Q7 - Seventh question?
"""
    questions, warnings = parse(text)
    assert titles(questions) == [
        "First question?", "Second question?", "Third question?", "Fourth question?",
        "Fifth question?", "Sixth question?", "Seventh question?",
    ]
    assert [q.line for q in questions] == [1, 2, 3, 4, 5, 6, 7]
    assert questions[0].prompt == "First question?"
    assert all(q.warnings == ["no model answer found"] for q in questions)
    assert warnings == []


def test_it_recognises_bare_numbers_with_bold_and_parentheses():
    text = "**1.** What is a kernel?\nA similarity function.\n\n2) What is a support vector?\nA point on the margin.\n"
    questions, _ = parse(text)
    assert titles(questions) == ["What is a kernel?", "What is a support vector?"]
    assert [q.model_answer for q in questions] == ["A similarity function.", "A point on the margin."]


def test_it_takes_the_question_from_the_next_line_when_the_number_stands_alone():
    text = "Q1.\n\nWhat is label smoothing?\n\nAnswer: Softening one-hot targets.\n\n## 2.\nWhat is mixup?\n"
    questions, _ = parse(text)
    assert titles(questions) == ["What is label smoothing?", "What is mixup?"]
    assert questions[0].line == 1
    assert questions[0].model_answer == "Softening one-hot targets."
    assert questions[1].line == 7


def test_it_warns_when_a_number_has_no_question_text():
    questions, _ = parse("Q1.\nAnswer: something\n")
    assert questions[0].title == "Question 1"
    assert "question text is missing" in questions[0].warnings


def test_it_joins_a_hard_wrapped_question():
    text = "Q1. Explain how you would evaluate a recommender\nwhen you only have implicit feedback?\nAnswer: Offline ranking metrics, then an A/B test.\n"
    (q,), _ = parse(text)
    assert q.title == "Explain how you would evaluate a recommender when you only have implicit feedback?"
    assert q.model_answer == "Offline ranking metrics, then an A/B test."


def test_it_reads_labels_in_every_form():
    text = """\
Q1. What is a learning rate schedule?
**Why we ask**: schedules matter in practice.
*Model answer:* Changing the step size during training.
**Rubric**
- names warm-up
- names decay
KEY POINTS: warm-up; cosine decay
Follow-up: What is a cyclical schedule?
Follow-ups:
* When does warm-up help?
"""
    (q,), warnings = parse(text)
    assert warnings == []
    assert q.why_we_ask == "schedules matter in practice."
    assert q.model_answer == "Changing the step size during training."
    assert q.evaluation == "- names warm-up\n- names decay"
    assert q.key_points == ["warm-up", "cosine decay"]
    assert q.follow_ups == ["What is a cyclical schedule?", "When does warm-up help?"]
    assert q.warnings == []


def test_it_puts_text_before_the_labels_into_the_prompt_when_there_is_an_answer_section():
    text = """\
Q1. Design a spam filter.
You have a million labelled emails and a latency budget of 10 ms.

Expected Answer: Start with a linear model on hashed n-grams.
"""
    (q,), _ = parse(text)
    assert q.title == "Design a spam filter."
    assert q.prompt == "Design a spam filter.\n\nYou have a million labelled emails and a latency budget of 10 ms."
    assert q.model_answer == "Start with a linear model on hashed n-grams."


def test_it_uses_unlabelled_text_as_the_answer_when_only_other_sections_exist():
    text = "Q1. What is PCA?\nA projection onto directions of largest variance.\n\nFollow-ups:\n- How many components?\n"
    (q,), _ = parse(text)
    assert q.model_answer == "A projection onto directions of largest variance."
    assert q.prompt == "What is PCA?"
    assert q.follow_ups == ["How many components?"]


def test_it_folds_nested_bullets_into_their_parent_key_point():
    text = "Q1. Name regularisers.\nAnswer:\n- Penalties:\n  - L1\n  - L2\n- Dropout\n"
    (q,), _ = parse(text)
    assert q.key_points == ["Penalties (L1; L2)", "Dropout"]


def test_it_treats_plain_numbers_as_list_items_when_questions_use_q_prefixes():
    text = "Q1. What is a decision tree?\n\n1. A model that splits on features.\n\n2. Each leaf predicts a value.\n\nQ2. What is pruning?\nAnswer: Removing branches.\n"
    questions, _ = parse(text)
    assert titles(questions) == ["What is a decision tree?", "What is pruning?"]
    assert questions[0].key_points == ["A model that splits on features.", "Each leaf predicts a value."]


def test_it_falls_back_to_the_deepest_headings_when_nothing_is_numbered():
    text = """\
# Questions

## Overfitting
### Expected answer
Fitting noise instead of signal.

## Underfitting
A model too simple for the data.
"""
    questions, warnings = parse(text)
    assert titles(questions) == ["Overfitting", "Underfitting"]
    assert [q.line for q in questions] == [3, 7]
    assert questions[0].model_answer == "Fitting noise instead of signal."
    assert questions[1].model_answer == "A model too simple for the data."
    assert warnings == [
        "No numbered questions or headings ending in '?' were found, so every level-2 heading was read as a question"
    ]


def test_it_keeps_deeper_headings_inside_a_heading_question():
    text = "## 1. What is attention?\n### Expected answer\nWeighted averaging of values.\n#### Example\nSelf-attention in transformers.\n## 2. What is a transformer?\n"
    questions, _ = parse(text)
    assert titles(questions) == ["What is attention?", "What is a transformer?"]
    assert questions[0].model_answer == "Weighted averaging of values.\n#### Example\nSelf-attention in transformers."


def test_it_warns_about_a_section_that_follows_a_section_title():
    text = "Q1. What is AUC?\nAnswer: Area under the ROC curve.\n\n## Appendix\nAnswer: stray text\n\nQ2. What is log loss?\n"
    questions, warnings = parse(text)
    assert titles(questions) == ["What is AUC?", "What is log loss?"]
    assert questions[0].model_answer == "Area under the ROC curve."
    assert warnings == ["Line 5: 'Answer' section is not under any question (it follows the heading 'Appendix'); ignored"]


def test_it_warns_about_jumps_in_numbering_and_repeated_sections():
    text = "Q1. What is a GAN?\nAnswer: Two networks in a game.\nAnswer: A generator and a discriminator.\nQ3. What is a VAE?\n"
    questions, warnings = parse(text)
    assert warnings == ["Line 4: question numbering jumps from 1 to 3"]
    assert questions[0].model_answer == "Two networks in a game.\n\nA generator and a discriminator."
    assert questions[0].warnings == ["'Answer' section appears 2 times (lines 2, 3); merged"]


# --- unnumbered questions: plain lines, bold lines, "Question:" prefixes -------------------------

PLAIN_LINES_DOC = """\
What is overfitting?
It is when a model learns the noise in its training data and does worse on new data.

What is regularisation?
Adding a penalty on model complexity so that simpler fits are preferred.

Why do we need a validation set?
To choose hyperparameters without wearing out the test set.
"""


def test_it_reads_plain_lines_ending_in_a_question_mark_as_questions():
    questions, warnings = parse(PLAIN_LINES_DOC)
    assert warnings == []
    assert titles(questions) == [
        "What is overfitting?", "What is regularisation?", "Why do we need a validation set?",
    ]
    assert [q.line for q in questions] == [1, 4, 7]
    assert [q.model_answer for q in questions] == [
        "It is when a model learns the noise in its training data and does worse on new data.",
        "Adding a penalty on model complexity so that simpler fits are preferred.",
        "To choose hyperparameters without wearing out the test set.",
    ]
    assert all(q.warnings == [] for q in questions)


def test_it_reads_plain_questions_under_a_title_heading_and_numbered_lists_in_their_answers():
    text = "# Interview questions\n\nWhat are the steps of k-fold cross-validation?\n1. Split the data into k folds.\n2. Train on k-1, score on the rest.\n\nWhat is a learning curve?\nScores against training set size.\n"
    questions, warnings = parse(text)
    assert warnings == []
    assert titles(questions) == ["What are the steps of k-fold cross-validation?", "What is a learning curve?"]
    assert questions[0].key_points == ["Split the data into k folds.", "Train on k-1, score on the rest."]


def test_it_reads_a_list_of_plain_questions_without_answers():
    questions, warnings = parse("What is a tensor?\n\nWhat is a gradient?\n\nWhat is an epoch?\n")
    assert titles(questions) == ["What is a tensor?", "What is a gradient?", "What is an epoch?"]
    assert all(q.warnings == ["no model answer found"] for q in questions)
    assert warnings == []


def test_it_reads_bold_question_lines_with_or_without_a_question_mark():
    text = """\
**What is overfitting?**

It is when a model memorises noise.

**Tip**
Plot a learning curve.

__What does dropout do?__
It randomly zeroes activations during training.

**Bias and variance**
Why interviewers ask this: it shows how the candidate reasons about error.
Expected Answer: Bias is error from wrong assumptions; variance is sensitivity to the sample.
"""
    questions, warnings = parse(text)
    assert warnings == []
    assert titles(questions) == ["What is overfitting?", "What does dropout do?", "Bias and variance"]
    assert [q.line for q in questions] == [1, 8, 11]
    # a bold line that neither asks nor has labelled parts under it is answer text
    assert questions[0].model_answer == "It is when a model memorises noise.\n\n**Tip**\nPlot a learning curve."
    assert questions[1].model_answer == "It randomly zeroes activations during training."
    assert questions[2].why_we_ask == "it shows how the candidate reasons about error."
    assert questions[2].model_answer.startswith("Bias is error from wrong assumptions")


def test_it_reads_question_prefixes_followed_by_labelled_sections():
    text = """\
Question: What is overfitting?

Why interviewers ask this: It shows whether the candidate evaluates models honestly.
Expected Answer: Training error keeps falling while validation error rises.
Evaluating Responses: Names a held-out set.

Q: How do you choose k in k-means?
**Why interviewers ask this:** Tests practical model selection.
**Expected Answer:** Look for an elbow in the within-cluster error, or use silhouette scores.

**Question:** What is early stopping?
Answer: Stopping when the validation score stops improving.
"""
    questions, warnings = parse(text)
    assert warnings == []
    assert titles(questions) == [
        "What is overfitting?", "How do you choose k in k-means?", "What is early stopping?",
    ]
    assert [q.line for q in questions] == [1, 7, 11]
    q1, q2, q3 = questions
    assert q1.prompt == "What is overfitting?"
    assert q1.why_we_ask == "It shows whether the candidate evaluates models honestly."
    assert q1.model_answer == "Training error keeps falling while validation error rises."
    assert q1.evaluation == "Names a held-out set."
    assert q2.why_we_ask == "Tests practical model selection."
    assert q3.model_answer == "Stopping when the validation score stops improving."
    assert all(q.warnings == [] for q in questions)


def test_it_reads_a_question_prefix_on_a_heading_without_the_prefix():
    questions, _ = parse("## Question: Explain the bias-variance trade-off\nError splits into bias and variance.\n")
    assert titles(questions) == ["Explain the bias-variance trade-off"]
    assert questions[0].model_answer == "Error splits into bias and variance."


def test_it_reads_every_question_layout_mixed_in_one_document():
    text = """\
# Mixed questions

Q1. What is a p-value?
Answer: The chance of data at least this extreme under the null hypothesis.

## Modelling

What is overfitting?
Fitting noise instead of signal.

**What does dropout do?**
Why we ask: regularisation in neural networks.
Answer: It randomly zeroes activations.

Question: What is early stopping?
Answer: Stopping when the validation score stops improving.
Follow-ups:
- How do you pick the patience?

## Why standardise features before k-means?
Because k-means uses Euclidean distance.

2. What is a confusion matrix?
A table of predicted against actual classes.
"""
    questions, warnings = parse(text)
    assert warnings == []
    assert titles(questions) == [
        "What is a p-value?", "What is overfitting?", "What does dropout do?", "What is early stopping?",
        "Why standardise features before k-means?",
    ]
    assert [q.line for q in questions] == [3, 8, 11, 15, 20]
    assert questions[1].model_answer == "Fitting noise instead of signal."
    assert questions[2].why_we_ask == "regularisation in neural networks."
    assert questions[3].follow_ups == ["How do you pick the patience?"]
    # "2." follows a Q-numbered document, so it is a list item of the heading question's answer
    assert questions[4].model_answer.endswith("2. What is a confusion matrix?\nA table of predicted against actual classes.")


def test_it_keeps_a_question_mark_line_inside_an_answer_as_answer_text():
    text = """\
What is overfitting?
It is when a model memorises noise.
Is that always bad?
Usually, because it generalises poorly.

What is a validation set?
Data held out for choosing models:

Why hold it out?
So that the score is not tuned on the training data.

- It catches overfitting early.

  Does it replace a test set?
  No, it is spent on model choices.
"""
    questions, warnings = parse(text)
    assert titles(questions) == ["What is overfitting?", "What is a validation set?"]
    assert questions[0].model_answer == (
        "It is when a model memorises noise.\nIs that always bad?\nUsually, because it generalises poorly."
    )
    assert questions[1].model_answer == (
        "Data held out for choosing models:\n\nWhy hold it out?\nSo that the score is not tuned on the training data.\n\n"
        "- It catches overfitting early.\n\n  Does it replace a test set?\n  No, it is spent on model choices."
    )
    assert warnings == [(
        "Line 3 ends in '?' but follows other text without a blank line, so it was read as text under "
        "the question at line 1; put a blank line before it if it is a new question"
    )]


def test_it_keeps_question_mark_paragraphs_inside_numbered_questions_as_answer_text():
    text = "Q1. What is overfitting?\nAnswer: Fitting noise.\n\nWhy does it matter?\nBecause it generalises poorly.\n\nQ2. What is underfitting?\n"
    questions, warnings = parse(text)
    assert warnings == []
    assert titles(questions) == ["What is overfitting?", "What is underfitting?"]
    assert questions[0].model_answer == "Fitting noise.\n\nWhy does it matter?\nBecause it generalises poorly."


def test_it_keeps_follow_up_questions_and_a_closing_question_in_their_section():
    text = """\
Question: What is dropout?
Answer: Randomly zeroing activations.

Any questions?

Question: What is batch normalisation?
Answer: Normalising layer inputs over the mini-batch.
Follow-ups:

How does it interact with dropout?

Where would you not use it?
"""
    questions, warnings = parse(text)
    assert warnings == []
    assert titles(questions) == ["What is dropout?", "What is batch normalisation?"]
    assert questions[0].model_answer == "Randomly zeroing activations.\n\nAny questions?"
    assert questions[1].follow_ups == ["How does it interact with dropout?", "Where would you not use it?"]


# --- malformed documents and edge cases ----------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \n", "\ufeff", "\r\n\r\n"])
def test_it_rejects_an_empty_document(text):
    err = error_of(text)
    assert err.line == 1
    assert err.message == "The document is empty"
    assert str(err) == "Line 1: The document is empty"


def test_it_rejects_nul_bytes_naming_the_line():
    err = error_of("Q1. What is a tensor?\nAnswer: an array\nbad\x00line\n")
    assert err.line == 3
    assert str(err).startswith("Line 3: The document contains NUL bytes")


def test_it_rejects_mostly_non_printable_text_naming_the_first_bad_line():
    junk = "".join(chr(c) for c in range(1, 9)) * 20
    err = error_of("Q1. fine line\n\n" + junk + "\n" + junk)
    assert err.line == 3
    assert "mostly non-printable" in err.message


def test_it_removes_a_few_stray_control_characters_with_a_warning():
    questions, warnings = parse("Q1. What is a\x0c feature store?\nAnswer: A shared\x07 feature service.\n")
    assert questions[0].title == "What is a feature store?"
    assert questions[0].model_answer == "A shared feature service."
    assert warnings == ["Removed 2 non-printable character(s); the first was on line 1"]


def test_it_rejects_a_labelled_section_before_any_question():
    err = error_of("# Notes\n\nExpected Answer: something\n\nQ1. What is a GPU?\n")
    assert err.line == 3
    assert str(err) == "Line 3: 'Expected Answer' section at line 3 comes before any question"


def test_it_rejects_a_bold_label_before_any_question():
    err = error_of("**Why interviewers ask this:** context\n1. What is a CPU?\n")
    assert err.line == 1
    assert err.message == "'Why interviewers ask this' section at line 1 comes before any question"


def test_it_rejects_an_unclosed_code_fence_naming_where_it_opened():
    err = error_of("Q1. What does this do?\n\n```python\nprint('hi')\n\nQ2. Anything?\n")
    assert err.line == 3
    assert str(err) == "Line 3: Code fence opened at line 3 is never closed"


def test_it_rejects_a_document_without_questions():
    err = error_of("Some notes about interviewing.\n\nBe kind to candidates.\n")
    assert err.line == 1
    assert str(err) == (
        "Line 1: No questions found: number them (Q1., 1.), start them with 'Question:', "
        "or put each question on its own line ending in '?' after a blank line (plain, bold or as a heading)"
    )


def test_it_returns_a_question_with_an_empty_body_with_a_warning():
    questions, warnings = parse("Q1. What is a random seed?\n\nQ2. What is a batch?\nAnswer: A slice of the data.\n")
    assert titles(questions) == ["What is a random seed?", "What is a batch?"]
    assert questions[0].model_answer == ""
    assert questions[0].warnings == ["no model answer found"]
    assert questions[1].warnings == []
    assert warnings == []


def test_it_warns_about_a_very_long_question_and_trims_the_title_on_a_word_boundary():
    long_text = "Why " + "does this model keep overfitting " * 40 + "?"
    assert len(long_text) > 1000
    (q,), _ = parse(f"Q1. {long_text}\nAnswer: It memorises.\n")
    assert f"question text is very long ({len(long_text)} characters)" in q.warnings
    assert len(q.title) <= 200
    assert q.title.endswith("…")
    assert q.title[:-1] == long_text[: len(q.title) - 1]
    assert long_text[len(q.title) - 1] == " "  # cut at a space, not inside a word
    assert q.prompt == long_text


def test_it_warns_about_duplicate_questions_naming_both_lines():
    text = "Q1. What is overfitting?\nAnswer: a\n\nQ2. What is underfitting?\nAnswer: b\n\nQ3. what is  **overfitting**\nAnswer: c\n"
    questions, warnings = parse(text)
    assert len(questions) == 3
    assert warnings == ['Duplicate question at lines 1 and 7: "what is overfitting"']


def test_it_accepts_windows_line_endings_tabs_bom_and_trailing_spaces():
    text = "\ufeff# Questions   \r\n\r\nQ1.\tWhat is a sigmoid?   \r\n**Expected Answer:**  \r\n\tSquashes a number into (0, 1).  \r\n\r\nQ2. What is ReLU?\r\nAnswer:\tmax(0, x)\r\n"
    questions, warnings = parse(text)
    assert warnings == []
    assert titles(questions) == ["What is a sigmoid?", "What is ReLU?"]
    assert [q.line for q in questions] == [3, 7]
    assert questions[0].model_answer == "Squashes a number into (0, 1)."
    assert questions[1].model_answer == "max(0, x)"


def test_it_treats_a_lone_carriage_return_as_a_line_break():
    questions, _ = parse("Q1. What is a CNN?\rAnswer: A network with convolutions.\rQ2. What is pooling?\r")
    assert titles(questions) == ["What is a CNN?", "What is pooling?"]
    assert questions[1].line == 3


def test_it_does_not_read_decimals_as_question_numbers():
    (q,), _ = parse("1. What learning rate would you start with?\n0.001 is a common default for Adam.\n3.5 epochs is not a thing.\n")
    assert q.model_answer == "0.001 is a common default for Adam.\n3.5 epochs is not a thing."


def test_it_names_the_line_in_document_errors_and_survives_pickling():
    err = DocumentError("Something is wrong", line=12)
    assert str(err) == "Line 12: Something is wrong"
    assert isinstance(err, ValueError)
    assert str(DocumentError("No line")) == "No line"
    again = pickle.loads(pickle.dumps(err))
    assert (again.message, again.line, str(again)) == ("Something is wrong", 12, "Line 12: Something is wrong")


def test_it_rejects_input_that_is_not_text():
    assert error_of(None).message == "Expected the document as text, got NoneType"
    assert error_of(b"\xff\xfe junk").message == "The document is not UTF-8 text"
    questions, _ = parse("Q1. What is a token?\n".encode())
    assert titles(questions) == ["What is a token?"]


def test_it_only_ever_raises_document_error_on_random_input():
    pieces = [
        "Q1.", "Q2:", "**Q3.**", "1.", "2)", "3.", "# ", "## ", "### ", "```", "~~~", "Expected Answer:",
        "**Answer:**", "Why we ask:", "Key points:", "Follow-ups:", "- ", "* ", "  ", "\t", "?", "**", "__",
        "text", "What is X", "\n", "\n", "\n", "\r\n", "\r", "\ufeff", "\x01", "\ud800", "---", "A:",
        "Question 4:", "12)", "\u00a0", "é", ":", "Rubric", "#", "Q", "1", ".", "\x00",
    ]
    rng = random.Random(20240601)
    parsed = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        try:
            questions, warnings = parse_document(text)
        except DocumentError as err:
            assert str(err)
            continue
        parsed += 1
        for q in questions:
            assert q.title and len(q.title) <= 200
            assert q.line >= 1
            assert all(isinstance(w, str) for w in q.warnings + warnings)
    assert parsed > 100


def test_it_parses_a_two_megabyte_document_and_hostile_inputs():
    block = (
        "**Q{n}. What is the effect of batch size on training number {n}?**\n\n"
        "**Expected Answer:** " + "Larger batches give smoother gradients but may generalise worse. " * 20 + "\n"
        "- point one\n- point two\n\n```\ncode = 1\n```\n\n"
    )
    text = "".join(block.format(n=n) for n in range(1, 1400))
    assert len(text) > 2_000_000
    questions, warnings = parse_document(text)
    assert len(questions) == 1399
    assert warnings == []
    assert questions[-1].title == "What is the effect of batch size on training number 1399?"

    # Inputs that make backtracking regular expressions explode must simply be parsed or refused.
    for nasty in ("Q1. " + "*" * 2_000_000, "Answer" + " " * 2_000_000, "#" * 2_000_000, "1." * 1_000_000):
        try:
            result = parse_document(nasty)
        except DocumentError as exc:
            assert str(exc).startswith("Line ")
        else:
            assert isinstance(result, tuple)


def test_a_plain_question_before_numbered_ones_does_not_swallow_them():
    questions, _ = parse("Ready?\n\n1. What is overfitting?\nWhen a model memorises.\n\n"
                         "2. What is dropout?\nRandomly zeroing units.\n")
    assert [q.title for q in questions][-2:] == ["What is overfitting?", "What is dropout?"]
    assert questions[-1].model_answer == "Randomly zeroing units."


def test_a_numbered_list_in_a_plain_questions_answer_stays_in_the_answer():
    questions, _ = parse("What is overfitting?\nCheck it in three steps:\n\n1. Split the data\n2. Compare curves\n\n"
                         "What is dropout?\nRandomly zeroing units.\n")
    assert [q.title for q in questions] == ["What is overfitting?", "What is dropout?"]
    assert "Split the data" in questions[0].model_answer + " ".join(questions[0].key_points)
