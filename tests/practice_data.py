"""Sample answers for the practice tests: five written transcripts at scores 1-4 that pass the
bank checker (sizes, all four levels, no near-copies), and a builder of samples in the database."""

import copy

from questionbank.models import SampleAnswer

SAMPLE_ANSWERS = [
    {"score": 1, "answer": (
        "Honestly I would just train the model for longer and add more layers, because bigger networks always "
        "generalise better in my experience. If the validation number looks bad I would keep going until it looks "
        "fine. I have not really thought about splitting the data in any particular way, we usually take whatever "
        "the notebook gives us and report the accuracy at the end of training."),
     "rationale": ("Meets none of the criteria: no definition of what is computed, no worked example, no edge case. "
                   "It matches anchor 1, which describes an answer that computes a different quantity or none.")},
    {"score": 2, "answer": (
        "I know the definition: you compare what the model predicts with the truth on rows it has not seen and "
        "take the share it gets right. For an example, say ninety out of a hundred are right, so ninety percent, "
        "although then I guessed the missing labels as negatives which changes it. I would trust that figure and "
        "move on to deployment since the number is high enough for the product team."),
     "rationale": ("States the definition (criterion 1) but the worked example guesses missing labels and never "
                   "corrects it, and no edge case is named. That is anchor 2: definition right, example wrong.")},
    {"score": 3, "answer": (
        "First I define the quantity in one sentence, then work it on a toy table of ten rows: seven correct "
        "predictions give seventy percent. An edge case is an empty batch, where the code must return nothing "
        "instead of dividing by zero, and I would handle ties by counting them once. That covers the calculation; "
        "I did not get to how it behaves on a billion rows or what I would check before trusting it."),
     "rationale": ("Meets criteria 1 to 3: a correct definition, a correct worked example with numbers and one "
                   "named edge case with its handling. It stops short of cost at scale, so anchor 3, not 4.")},
    {"score": 4, "answer": (
        "Definition first, then a small example: twelve rows, nine right, seventy-five percent. Empty input returns "
        "nothing rather than raising, and duplicated ids are dropped before counting. At scale this is one linear "
        "pass, so it streams over partitions with constant memory. Before trusting the figure I would recompute it "
        "on a held-out month, compare it with last quarter's baseline and look at the confusion per segment."),
     "rationale": ("Meets every criterion and adds the cost at scale and a concrete check on held-out data before "
                   "trusting the result, which is exactly what anchor 4 asks beyond anchor 3.")},
    {"score": 3, "answer": (
        "Let me state it plainly: the metric is the fraction of held-out rows predicted correctly. Worked through on "
        "twenty rows with fifteen correct, that gives three quarters. A corner worth naming is a class that never "
        "appears in the batch; my code skips it and says so in the log. I would want more time to talk about memory "
        "and verification but the core computation and that corner are right."),
     "rationale": ("Correct definition, a correct example with numbers and a named corner case with its handling: "
                   "criteria 1 to 3, anchor 3. No cost at scale or verification step, so not anchor 4.")},
]


def sample_answers():
    return copy.deepcopy(SAMPLE_ANSWERS)


def make_samples(question, references=(1, 2, 3, 4, 3), *, agreed_by="Test team"):
    """Samples of ``question`` with these reference scores, in order."""
    return [SampleAnswer.objects.create(question=question, order=n, reference_score=ref, answer=f"Answer {n} to {question.slug}.",
                                        rationale=f"Why sample {n} scores {ref}.", agreed_by=agreed_by)
            for n, ref in enumerate(references, 1)]
