"""Each calibration figure read in one plain sentence, the rules written once here.

A hiring manager should not need to know what a point-biserial is to act on one: "Omar scores
about one point higher than the people they interview with" says what the leniency column
means. The numbers are rounded to the amounts people say (about half a point, about one
point), and a leniency whose 95% interval covers zero is read as "about the same": the data
cannot tell it from none. Whether a figure is flagged (too easy, weak, raters disagree) is
decided once, in ``scoring.calibration``; the sentences take that decision, not a second
copy of its thresholds. Figures below their minimum sample get no sentence (the caller checks
``Figure.shown``).
"""

# Amounts on the 1-4 scale, in the words people use: quarters below one point, halves above
# (nobody says "one and a quarter points"). Each band is [lower bound, next band's bound).
AMOUNT_WORDS = [
    (0.125, "about a quarter of a point"),
    (0.375, "about half a point"),
    (0.625, "about three quarters of a point"),
    (0.875, "about one point"),
    (1.25, "about one and a half points"),
    (1.75, "about two points"),
    (2.25, "about two and a half points"),
    (2.75, "about three points"),
]
CLOSE_AGREEMENT = 0.8  # Krippendorff's own bar for conclusions resting on a rating
GOOD_AGREEMENT = 0.667  # his bar for tentative ones
CLEAR_DISCRIMINATION = 0.4  # item-rest correlation a test author would call good


def points_in_words(amount):
    """``abs(amount)`` in words: "about half a point", "about one point"; "" below an eighth
    of a point, an amount too small to be worth a word."""
    words = ""
    for bound, text in AMOUNT_WORDS:
        if abs(amount) >= bound:
            words = text
    return words


def number(value, places=1):
    """A figure as the sentences write it: rounded, with a real minus sign, never "−0.0"."""
    text = f"{round(value, places) + 0.0:.{places}f}"
    return text.replace("-", "−")


def signed(value, places=2):
    """A difference with its sign: "+0.50", "−1.25", "+0.00" (never "−0.00")."""
    return f"{round(value, places) + 0.0:+.{places}f}".replace("-", "−")


def _bound(value):
    """An interval's end to one decimal, or two when one would read 0.0: "−0.5 to −0.04" must
    not look as if it reached zero."""
    return number(value, 2 if value and round(value, 1) == 0 else 1)


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def leniency_sentence(*, name, value, questions, interviews, low=None, high=None, you=False):
    """How someone scores against their co-panelists, e.g. "Omar scores about one point higher
    than the people they interview with (12 shared interviews; 95% interval 0.6 to 1.4)."

    ``value``: the leniency (mean score minus co-panelists' mean, over ``questions`` shared
    questions in ``interviews`` interviews); ``low``/``high``: its 95% interval, None when too
    few interviews for one. With an interval, it decides: covering 0 reads "about the same",
    otherwise the amount in words ("slightly" when it rounds to less than an eighth). Without
    one, the amount alone decides. ``you`` writes it to the interviewer themselves."""
    subject, verb, people = ("You", "score", "the people you interview with") if you else (
        name, "scores", "the people they interview with")
    if low is not None and high is not None:
        basis = f"{_plural(interviews, 'shared interview')}; 95% interval {_bound(low)} to {_bound(high)}"
        same = low <= 0 <= high
    else:
        basis = (f"{_plural(questions, 'shared question')} in {_plural(interviews, 'interview')}; "
                 "too few interviews for an interval")
        same = not points_in_words(value)
    if same:
        return f"{subject} {verb} about the same as {people} ({basis})."
    amount = points_in_words(value) or "slightly"
    side = "higher" if value > 0 else "lower"
    return f"{subject} {verb} {amount} {side} than {people} ({basis})."


def difficulty_sentence(*, mean, n, flag=None):
    """How candidates do on a question, from its mean score; ``flag`` is the page's "Too easy"
    or "Too hard" when it raised one."""
    basis = f"mean {number(mean)} of 4 over {_plural(n, 'score')}"
    if flag == "Too easy":
        return f"Nearly every candidate scores high on it ({basis}): it may be too easy to tell candidates apart."
    if flag == "Too hard":
        return f"Nearly every candidate scores low on it ({basis}): it may be too hard to tell candidates apart."
    if mean >= 3:
        return f"Candidates mostly do well on it ({basis})."
    if mean >= 2:
        return f"Candidates score across the scale on it ({basis})."
    return f"Candidates mostly find it hard ({basis})."


def discrimination_sentence(*, value, n, weak=False):
    """Whether a question's score tracks the rest of the interview; ``weak``: the page flagged
    it (below its threshold)."""
    basis = f"r = {number(value, 2)} over {_plural(n, 'scorecard')}"
    if weak and value < 0:
        return (f"It runs against the rest of the interview ({basis}): candidates who do well elsewhere "
                "tend to do worse on it.")
    if weak:
        return f"It barely tracks how the rest of the interview went ({basis}): it may measure something else."
    strength = "tend to" if value >= CLEAR_DISCRIMINATION else "somewhat tend to"
    return f"Candidates who do well on it {strength} do well on the rest of the interview ({basis})."


def agreement_sentence(*, value, n, kind="alpha", low=False):
    """How closely interviewers agree on a question's scores (Krippendorff's alpha or ICC);
    ``low``: the page flagged it."""
    symbol = "α" if kind == "alpha" else "ICC"
    basis = f"{symbol} = {number(value, 2)} over {_plural(n, 'interview')}"
    if low:
        return f"Interviewers often disagree on its scores ({basis}): they may read its rubric differently."
    if value >= CLOSE_AGREEMENT:
        return f"Interviewers agree closely on its scores ({basis})."
    if value >= GOOD_AGREEMENT:
        return f"Interviewers mostly agree on its scores ({basis})."
    return f"Interviewers agree only moderately on its scores ({basis})."


def tendency_words(value):
    """A leniency on one question in a few words for a table cell: "about half a point higher",
    "about the same"."""
    amount = points_in_words(value)
    if not amount:
        return "about the same"
    return f"{amount} {'higher' if value > 0 else 'lower'}"
