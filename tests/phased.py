"""A small design round scored per phase, made in the test (the bank's design files are
rewritten separately): its content as the services take it and as a bank file writes it."""

import copy

from questionbank.bankfiles import DESIGN_PHASES
from questionbank.services import question_create

PHASE_MINUTES = (5, 6, 8, 7, 7, 6)
ROUND_MINUTES = sum(PHASE_MINUTES)  # the phases' minutes add up to the question's (bankfiles)


def phase(name, minutes):
    word = name.lower()
    return {
        "name": name, "minutes": minutes,
        "focus": f"Steer to {word}: what the candidate decides about {word} for the feed.",
        "criteria": [f"States one {word} decision for the feed", f"Explains what the {word} decision costs"],
        "anchors": {
            1: f"Says nothing concrete about {word}.",
            2: f"Names a {word} choice without a reason, or with one substantive error.",
            3: f"Names a {word} choice and its cost for this feed.",
            4: f"Weighs two {word} options against the feed's numbers and says what evidence would reverse the pick.",
        },
    }


def phased_content(**overrides):
    """Content of a design round with the six phases, each with two criteria and four anchors;
    the question's own criteria and anchors score the round as a whole."""
    content = {
        "title": "Feed ranking round: a phased test design",
        "prompt": "Design the ranking of a news feed for a mid-sized social app.",
        "why_we_ask": "Shows how the candidate takes a vague product ask to a working system. Catches modelling-first answers.",
        "model_answer": "Start from the product goal and its metric, then the data, a two-stage ranker, offline and online "
                        "evaluation, a serving budget and monitoring for drift and feedback loops.",
        "key_points": ["A metric tied to the goal", "Two-stage retrieval and ranking", "Online test before launch"],
        "follow_ups": [{"question": "What if engagement rises but complaints rise too?",
                        "good_answer": "Guardrail metrics and a long-term holdout"}],
        "minutes": ROUND_MINUTES,
        "criteria": ["States the trade-off they chose across phases and why", "Asks before assuming a constraint"],
        "anchors": {
            1: "No trade-off named; the interviewer drove every step.",
            2: "One trade-off named without a reason.",
            3: "Trade-offs named with reasons; asks about two constraints.",
            4: "Trade-offs tied back to the goal and revisited when a constraint changed.",
        },
        "phases": [phase(name, minutes) for name, minutes in zip(DESIGN_PHASES, PHASE_MINUTES)],
    }
    content.update(overrides)
    return copy.deepcopy(content)


def make_phased_question(slug="feed-ranking-phased", status="published", **overrides):
    return question_create(slug=slug, area="system-design", kind="design", level="senior", roles=["mle"],
                           content=phased_content(**overrides), status=status, note="Test")
