"""Layouts found by the independent corpus check (docs/examples/import/21-26): each test holds
one thing the parser read differently from a careful human reader. Pure Python, no database."""

from questionbank.docparser import read_document


def questions(text):
    return read_document(text).questions


def test_look_for_signals_of_a_strong_answer_and_probe_further_are_labels():
    qs = questions(
        "Q: What is bagging?\n"
        "A: Averaging models trained on bootstrap samples.\n"
        "Look for:\n"
        "\u2022 Variance reduction\n"
        "\n"
        "**How do you choose a loss?**\n"
        "\n"
        "Signals of a strong answer:\n"
        "- Starts from the cost of errors\n"
        "\n"
        "Answer: Match the loss to what the product needs.\n"
        "\n"
        "**Probe further**\n"
        "\n"
        "- What if the metric is not differentiable?\n"
    )
    assert [q.title for q in qs] == ["What is bagging?", "How do you choose a loss?"]
    assert qs[0].model_answer == "Averaging models trained on bootstrap samples."
    assert "Variance reduction" in qs[0].evaluation and qs[0].key_points == []
    assert "Starts from the cost of errors" in qs[1].evaluation
    assert qs[1].model_answer == "Match the loss to what the product needs."
    assert qs[1].follow_ups == ["What if the metric is not differentiable?"]


def test_a_sentence_starting_with_look_for_stays_text():
    qs = questions("Q1. What do you check first?\n\nLook for a broken logging pipeline first.\n")
    assert qs[0].model_answer == "Look for a broken logging pipeline first."


def test_bullet_glyphs_of_word_and_google_docs_become_markdown_bullets():
    qs = questions(
        "Q: What is bagging?\n"
        "A: Averaging models trained on bootstrap samples.\n"
        "\u2022 Reduces variance\n"
        "Look for:\n"
        "\u2022 Variance reduction\n"
        "  \u25e6 Parallel training\n"
    )
    assert qs[0].model_answer == "Averaging models trained on bootstrap samples.\n- Reduces variance"
    assert qs[0].key_points == ["Reduces variance"]
    assert qs[0].evaluation == "- Variance reduction\n  - Parallel training"


HANDOUT = """\
Acme | Interview handout
Confidential

1. What is a p-value?

Answer: The chance of data at least this extreme if the null were true. It is not the chance

Acme | Page 1 of 2

Acme | Interview handout
Confidential

that the null is true.

2. What is power?

Answer: The chance of detecting a real effect.

Acme | Page 2 of 2
"""


def test_page_numbers_and_the_running_header_and_footer_of_a_printed_handout_are_dropped():
    result = read_document(HANDOUT)
    assert [q.title for q in result.questions] == ["What is a p-value?", "What is power?"]
    answer = " ".join(result.questions[0].model_answer.split())
    assert answer == "The chance of data at least this extreme if the null were true. It is not the chance that the null is true."
    assert result.questions[1].model_answer == "The chance of detecting a real effect."
    dropped = [(d["line"], d["text"]) for d in result.dropped]
    assert (1, "Acme | Interview handout") in dropped and (10, "Acme | Interview handout") in dropped
    assert (2, "Confidential") in dropped and (8, "Acme | Page 1 of 2") in dropped


def test_a_line_repeated_without_page_numbers_is_kept():
    text = "Q1. What is bias?\n\nConfidential\n\nQ2. What is variance?\n\nConfidential\n\nQ3. What is noise?\n\nConfidential\n"
    assert [q.model_answer for q in read_document(text).questions] == ["Confidential"] * 3


def test_paragraphs_after_a_one_paragraph_why_this_matters_are_the_model_answer():
    qs = questions(
        "**How do you know you have enough data?**\n\n"
        "**Why this matters**\n\n"
        "Labelling is expensive.\n\n"
        "Plot a learning curve.\n\n"
        "- Train on growing fractions\n\n"
        "**What good looks like**\n\n"
        "Mentions learning curves.\n\n"
        "**Why would you pick a simpler model?**\n\n"
        "Why this matters: cost matters.\n\n"
        "**When is more data useless?**\n\n"
        "Why we ask: it tests:\n\n"
        "- judgement\n- cost awareness\n"
    )
    assert qs[0].why_we_ask == "Labelling is expensive."
    assert qs[0].model_answer == "Plot a learning curve.\n\n- Train on growing fractions"
    assert qs[0].key_points == ["Train on growing fractions"]
    assert qs[0].evaluation == "Mentions learning curves."
    assert (qs[1].why_we_ask, qs[1].model_answer) == ("cost matters.", "")
    assert qs[2].why_we_ask == "it tests:\n\n- judgement\n- cost awareness" and qs[2].model_answer == ""


def test_a_why_we_ask_with_an_answer_label_keeps_all_its_paragraphs():
    qs = questions("Q1. What is dropout?\n\nWhy we ask: Regularisation.\n\nIt is common.\n\nAnswer: Zeroing units.\n")
    assert qs[0].why_we_ask == "Regularisation.\n\nIt is common."
    assert qs[0].model_answer == "Zeroing units."


NOTION = """\
## What is calibration?

> 💡 **Why we ask:** Scores are used as probabilities.

<details>
<summary>Model answer</summary>

Scores match observed rates.

```html
<details>
<summary>Answer</summary>
```

</details>

<details><summary>Follow-up questions</summary>

- How do you check it?

</details>
"""


def test_toggles_of_a_wiki_export_are_read_by_their_titles_and_their_tags_listed_as_dropped():
    result = read_document(NOTION)
    q = result.questions[0]
    assert q.why_we_ask == "Scores are used as probabilities."
    assert q.model_answer.startswith("Scores match observed rates.")
    assert q.follow_ups == ["How do you check it?"]
    assert "<details>\n<summary>Answer</summary>" in q.model_answer  # code is left alone
    assert [d["text"] for d in result.dropped] == ["<details>", "</details>", "</details>"]


def test_an_instruction_heading_among_question_headings_is_a_question():
    qs = questions(
        "## Models\n\n"
        "### What is attention?\n\nWeights over positions.\n\n"
        "### Explain why a transformer needs positions.\n\nAttention ignores order.\n\n"
        "### Design\n\nA short title, not a question.\n"
    )
    assert [q.title for q in qs] == ["What is attention?", "Explain why a transformer needs positions."]
    assert qs[1].model_answer == "Attention ignores order."
    assert qs[1].section == "Models"


def test_the_show_answer_button_of_a_folded_answer_is_dropped():
    result = read_document("### What is attention?\n\nShow answer\n\nWeights over positions.\n")
    assert result.questions[0].model_answer == "Weights over positions."
    assert [d["text"] for d in result.dropped] == ["Show answer"]


KIT = """\
# Interview kit

## 1. How to use this kit

Spend ten minutes a question.

## 2. Modelling

### 2.1 How do you choose a loss?

Suggested answer: From the cost of errors.

### 2.2 Walk me through debugging a model that learns nothing.

Suggested answer: Overfit a tiny sample first.

## 3. Ranking

### 3.1 Feature stores

Some notes on a topic.
"""


def test_numbered_sections_of_an_interview_kit_hold_outline_numbered_questions():
    result = read_document(KIT)
    assert [q.title for q in result.questions] == [
        "How do you choose a loss?", "Walk me through debugging a model that learns nothing.",
    ]
    assert [q.section for q in result.questions] == ["2. Modelling", "2. Modelling"]
    assert result.questions[1].model_answer == "Overfit a tiny sample first."
    dropped = [d["text"] for d in result.dropped]
    assert "Spend ten minutes a question." in dropped and "Some notes on a topic." in dropped


def test_numbered_heading_questions_without_sub_questions_stay_questions():
    qs = questions("## 1. Overfitting\n\nAnswer: Fits noise.\n\n## 2. Leakage\n\nAnswer: Future data.\n")
    assert [q.title for q in qs] == ["Overfitting", "Leakage"]
