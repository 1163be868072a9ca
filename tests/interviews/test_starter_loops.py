"""Starter loops: the plans of a loop and their constraints, interviews/starter_loops.yaml checked
against the bank's question files, the loader (with a small loop file of questions the bank already
has), copying a loop to a position (services.loop_clone), and the loops page."""

from collections import Counter
from io import StringIO

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils.html import escape

from accounts.models import AuditEvent
from interviews import loops
from interviews.models import InterviewPlan, LoopStage, PlanItem, Track
from interviews.plan_forms import COMPETENCIES, COMPETENCY_FOR_AREA
from interviews.services import loop_clone
from interviews.starter_plans import StarterFileError
from questionbank.models import Level, Question
from tests.factories import make_position

pytestmark = pytest.mark.django_db

TOPICS = loops.bank_topics()
REAL = loops.read_starter_loops(topics=TOPICS)
SLOTS = {"screen": 45, "coding": 60, "ml-depth": 60, "system-design": 60, "behavioural": 45}
# Questions the bank already has, five a loop: one for each stage, none twice in a loop.
FIXTURE_SLUGS = {"screen": "bias-variance", "coding": "code-bigrams", "ml-depth": "overfitting",
                 "system-design": "design-restaurant-recs", "behavioural": "past-project"}
FIXTURE_COMPETENCY = {"screen": "ML fundamentals", "coding": "Coding", "ml-depth": "ML fundamentals",
                      "system-design": "System design", "behavioural": "Communication"}
# The question roles a track's loops draw on (applied scientists: the data-scientist, ML-engineer
# and research questions); coding and design rounds may also use ML-engineer questions.
TRACK_ROLES = {"mle": {"mle"}, "ds": {"ds"}, "mlops": {"mlops"}, "nlp": {"nlp"}, "cv": {"cv"},
               "research": {"research"}, "applied": {"ds", "mle", "research"}}


def fixture_loops(track_levels=None):
    """A complete loop file (every track and level) of questions the bank has."""
    data = []
    for track in Track.values:
        for level in Level.values:
            plans = []
            for n, stage in enumerate(LoopStage.values, 1):
                slug = FIXTURE_SLUGS[stage]
                plans.append({
                    "stage": stage, "name": f"{track} {level} {n} {stage}", "slot_minutes": SLOTS[stage],
                    "description": f"The {stage} of the {track} {level} loop.",
                    "sections": [{"title": "Questions", "items": [
                        {"slug": slug, "minutes": 10, "competency": FIXTURE_COMPETENCY[stage], "weight": 2},
                    ]}],
                })
            data.append({"track": track, "level": level, "plans": plans})
    return data


def write(tmp_path, data, name="loops.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def load(loops_file, **options):
    out, err = StringIO(), StringIO()
    call_command("load_starter_plans", loops_file=str(loops_file), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def loop_members():
    return InterviewPlan.objects.exclude(pk__in=InterviewPlan.objects.outside_loops())


def loop_state():
    plans = sorted(loop_members().values_list("pk", "name", "loop_track", "loop_level", "loop_stage", "updated_at"))
    items = sorted(PlanItem.objects.filter(plan__in=loop_members()).values_list(
        "pk", "plan_id", "section_id", "order", "revision_id", "minutes", "competency", "weight", "required"))
    return plans, items


def items_of(plan):
    return [item for section in plan["sections"] for item in section["items"]]


# --- The model ---------------------------------------------------------------------------


def make_loop_plan(**fields):
    return InterviewPlan.objects.create(name=fields.pop("name", "A loop plan"), is_starter=True, **fields)


def test_a_loop_plan_has_all_three_loop_fields_or_none():
    with pytest.raises(IntegrityError, match="iv_plan_loop_all_or_none"), transaction.atomic():
        make_loop_plan(loop_track="mle", loop_level="mid")
    plan = InterviewPlan(name="Half", is_starter=True, loop_track="mle")
    with pytest.raises(ValidationError, match="a track, a level and a stage"):
        plan.full_clean()


def test_only_starter_templates_belong_to_a_loop():
    with pytest.raises(IntegrityError, match="iv_plan_loop_is_starter"), transaction.atomic():
        InterviewPlan.objects.create(name="Mine", loop_track="mle", loop_level="mid", loop_stage="screen")
    with pytest.raises(ValidationError, match="Only starter templates"):
        InterviewPlan(name="Mine", loop_track="mle", loop_level="mid", loop_stage="screen").full_clean()


def test_a_loop_has_one_plan_per_stage():
    make_loop_plan(loop_track="cv", loop_level="senior", loop_stage="coding")
    make_loop_plan(name="Other stage", loop_track="cv", loop_level="senior", loop_stage="screen")
    make_loop_plan(name="Other level", loop_track="cv", loop_level="mid", loop_stage="coding")
    with pytest.raises(ValidationError, match="already has a plan for that stage"):
        InterviewPlan(name="Again", is_starter=True, loop_track="cv", loop_level="senior",
                      loop_stage="coding").full_clean()
    with pytest.raises(IntegrityError, match="iv_plan_loop_stage_unique"), transaction.atomic():
        make_loop_plan(name="Again", loop_track="cv", loop_level="senior", loop_stage="coding")


def test_a_loops_plans_come_in_stage_order_and_stay_out_of_the_other_lists():
    for stage in reversed(LoopStage.values):
        make_loop_plan(name=f"Loop {stage}", loop_track="ds", loop_level="mid", loop_stage=stage)
    make_loop_plan(name="Other loop", loop_track="ds", loop_level="senior", loop_stage="screen")
    plain = InterviewPlan.objects.create(name="Plain")
    assert [p.loop_stage for p in InterviewPlan.objects.of_loop("ds", "mid")] == LoopStage.values
    assert list(InterviewPlan.objects.outside_loops()) == [plain]


# --- The real file against the bank's question files -------------------------------------------


def test_the_real_file_has_every_loop_with_its_five_plans_in_order():
    assert sorted((loop["track"], loop["level"]) for loop in REAL) == sorted(
        (t, lv) for t in Track.values for lv in Level.values)
    for loop in REAL:
        assert [plan["stage"] for plan in loop["plans"]] == LoopStage.values


def test_in_the_real_file_no_question_comes_twice_in_a_loop_and_every_plan_leaves_minutes_free():
    for loop in REAL:
        slugs = [item["slug"] for plan in loop["plans"] for item in items_of(plan)]
        assert not [s for s, n in Counter(slugs).items() if n > 1], (loop["track"], loop["level"])
        for plan in loop["plans"]:
            total = sum(item["minutes"] for item in items_of(plan))
            assert total <= plan["slot_minutes"] - loops.SPARE_MINUTES, plan["name"]
            assert {item["competency"] for item in items_of(plan)} <= set(COMPETENCIES)


def test_in_the_real_file_every_question_probes_its_areas_competency():
    """As a question added by hand would (plan_forms.default_competency), so loops compare with
    other plans; a design question probes System design."""
    for loop in REAL:
        for plan in loop["plans"]:
            for item in items_of(plan):
                topic = TOPICS[item["slug"]]
                expected = "System design" if topic.kind == "design" else COMPETENCY_FOR_AREA[topic.area]
                assert item["competency"] == expected, (plan["name"], item["slug"])


def test_the_bank_files_read_as_load_question_bank_loaded_them():
    """The checks above read the files; the loader loads the questions the database holds."""
    loaded = {q.slug: (q.area, q.kind, q.level, frozenset(q.roles), q.status)
              for q in Question.objects.filter(slug__in=TOPICS)}
    assert loaded == {t.slug: (t.area, t.kind, t.level, t.roles, "published") for t in TOPICS.values()}
    assert len(TOPICS) >= 220


def test_a_slug_of_no_bank_file_is_refused_by_the_check_itself(tmp_path):
    data = fixture_loops()
    data[5]["plans"][3]["sections"][0]["items"][0]["slug"] = "what-is-ml-2"
    with pytest.raises(StarterFileError, match=r"“what-is-ml-2” is not a question of the bank \(no questionbank/"):
        loops.read_starter_loops(write(tmp_path, data))


def test_in_the_real_file_every_question_belongs_to_the_track():
    for loop in REAL:
        for plan in loop["plans"]:
            allowed = TRACK_ROLES[loop["track"]] | ({"mle"} if plan["stage"] in ("coding", "system-design") else set())
            for item in items_of(plan):
                assert TOPICS[item["slug"]].roles & allowed, (plan["name"], item["slug"])


def test_in_the_real_file_the_questions_fit_the_level():
    for loop in REAL:
        levels = Counter(TOPICS[item["slug"]].level for plan in loop["plans"] for item in items_of(plan))
        where = (loop["track"], loop["level"], dict(levels))
        if loop["level"] == "junior":
            assert levels["senior"] == 0 and levels["junior"] >= 0.3 * sum(levels.values()), where
        elif loop["level"] == "senior":
            assert levels["junior"] == 0 and levels["senior"] >= 0.4 * sum(levels.values()), where
        else:
            assert levels["mid"] >= 0.5 * sum(levels.values()), where


def test_in_the_real_file_each_stage_asks_its_kind_of_question():
    for loop in REAL:
        kinds = {plan["stage"]: [TOPICS[i["slug"]].kind for i in items_of(plan)] for plan in loop["plans"]}
        required = {plan["stage"]: [TOPICS[i["slug"]].level for i in items_of(plan) if i.get("required", True)]
                    for plan in loop["plans"]}
        where = (loop["track"], loop["level"])
        assert set(kinds["coding"]) <= {"coding", "sql"}, where
        assert set(kinds["behavioural"]) == {"experience"}, where
        assert set(required["behavioural"]) == {loop["level"]}, where  # the optional third may differ
        assert kinds["screen"][0] == "experience" and set(kinds["ml-depth"]) <= {"concept", "applied"}, where
        if loop["track"] == "research":  # a research-design round in place of a system design
            assert "design" not in kinds["system-design"], where
        else:
            assert kinds["system-design"].count("design") == 1, where
            design = next(i for plan in loop["plans"] if plan["stage"] == "system-design" for i in items_of(plan)
                          if TOPICS[i["slug"]].kind == "design")
            assert 40 <= design["minutes"] <= 45, where


def test_in_the_real_file_the_tracks_really_differ():
    """At one level, two tracks' ML-depth rounds share at most one question, and their loops
    at most a third of their technical questions (the behavioural ones are few: juniors' are
    the same in every track)."""
    by_loop = {(loop["track"], loop["level"]): loop for loop in REAL}
    for level in Level.values:
        for a in Track.values:
            for b in Track.values:
                if a >= b:
                    continue
                depth = [{i["slug"] for p in by_loop[t, level]["plans"] if p["stage"] == "ml-depth" for i in items_of(p)}
                         for t in (a, b)]
                assert len(depth[0] & depth[1]) <= 1, (level, a, b, depth[0] & depth[1])
                whole = [{i["slug"] for p in by_loop[t, level]["plans"] for i in items_of(p)
                          if TOPICS[i["slug"]].kind != "experience"} for t in (a, b)]
                assert len(whole[0] & whole[1]) <= len(whole[0]) / 3, (level, a, b)


# --- The loader ------------------------------------------------------------------------------


def test_the_loader_creates_every_loop_plan_and_a_rerun_changes_nothing(tmp_path):
    path = write(tmp_path, fixture_loops())
    out, err = load(path)
    assert "Starter loops: 21 loops; plans 105 created, 0 updated, 0 unchanged." in out and not err
    plan = loop_members().get(loop_track="nlp", loop_level="senior", loop_stage="coding")
    assert (plan.name, plan.slot_minutes, plan.position_id) == ("nlp senior 2 coding", 60, None)
    assert list(plan.items.values_list("revision__question__slug", "minutes", "weight")) == [("code-bigrams", 10, 2)]
    before = loop_state()
    out, _ = load(path)
    assert "plans 0 created, 0 updated, 105 unchanged." in out
    assert loop_state() == before


def test_a_rerun_renames_a_loop_plan_in_place(tmp_path):
    data = fixture_loops()
    load(write(tmp_path, data))
    plan = loop_members().get(loop_track="mle", loop_level="mid", loop_stage="screen")
    data[1]["plans"][0]["name"] = "ML engineer, mid: the screen"
    out, _ = load(write(tmp_path, data))
    assert "plans 0 created, 1 updated, 104 unchanged." in out
    plan.refresh_from_db()
    assert plan.name == "ML engineer, mid: the screen" and loop_members().count() == 105


def test_with_a_question_not_published_it_loads_the_plans_and_says_what_the_loops_wait_for(tmp_path):
    """A question retired in the app (or a release's new question before load_question_bank):
    the templates load, and the loops wait."""
    from questionbank.services import question_set_status

    data = fixture_loops()
    data[0]["plans"][0]["sections"][0]["items"][0]["slug"] = "precision"
    question_set_status(question=Question.objects.get(slug="precision"), status="retired")
    path = write(tmp_path, data)
    out, err = load(path)
    assert "Starter plans: 7 created" in out and "Starter loops:" not in out
    assert err.strip() == (
        "Starter loops not loaded: 1 of the questions they use are not published in the bank yet (precision). "
        "Run load_question_bank (or publish them again), then rerun this command.")
    assert not loop_members().exists()
    with pytest.raises(CommandError, match=r"Starter loops not loaded: 1 of the questions .* \(precision\)"):
        load(path, require_loops=True)


def test_the_real_file_loads_all_its_loops_and_a_rerun_changes_nothing():
    assert loops.missing_questions(REAL) == []
    out, err = load(loops.LOOPS_FILE, require_loops=True)
    assert "Starter loops: 21 loops; plans 105 created" in out and not err
    plan = loop_members().get(loop_track="research", loop_level="senior", loop_stage="system-design")
    assert plan.name == "Research scientist, senior: 4 Research design"
    assert list(plan.items.values_list("revision__question__slug", flat=True)) == [
        "benchmark-design", "paper-critique", "seeds-significance", "reproducing-results"]
    out, _ = load(loops.LOOPS_FILE)
    assert "plans 0 created, 0 updated, 105 unchanged." in out


def breaks(change):
    """A complete fixture file broken by ``change(data)``."""
    data = fixture_loops()
    change(data)
    return data


def twice(data):
    data[0]["plans"][1]["sections"][0]["items"].append(
        {"slug": "bias-variance", "minutes": 5, "competency": "ML fundamentals"})


def too_long(data):
    data[0]["plans"][0]["sections"][0]["items"][0]["minutes"] = 43


def no_minutes(data):
    del data[2]["plans"][4]["sections"][0]["items"][0]["minutes"]


def unknown(data):
    data[3]["plans"][2]["sections"][0]["items"][0]["slug"] = "no-such-question"


def stages_swapped(data):
    data[4]["plans"][0], data[4]["plans"][1] = data[4]["plans"][1], data[4]["plans"][0]


@pytest.mark.parametrize("change, message", [
    (twice, r"“bias-variance” is already in this loop's screen plan; a candidate would meet it twice"),
    (too_long, r"its questions take 43 minutes; a 45-minute slot leaves room for 42"),
    (no_minutes, r"“past-project”: needs its minutes"),
    (unknown, r"“no-such-question” is not a question of the bank"),
    (stages_swapped, (r"needs one plan per stage in this order: screen, coding, ml-depth, system-design, "
                      r"behavioural \(found: coding, screen")),
    (lambda data: data.pop(), r"Missing loops \(every track at every level is needed\): applied senior"),
    (lambda data: data.append(data[0]), r"loop 22 \(mle, junior\): this track and level appear twice"),
    (lambda data: data[0].update(track="rl"), r"track must be one of mle, ds"),
    (lambda data: data[0]["plans"][0].update(name="New-grad ML screen"),
     r"a starter template outside the loops already has this name"),
])
def test_the_loader_refuses_a_bad_loop_file_with_a_clear_message_and_writes_nothing(tmp_path, change, message):
    with pytest.raises(CommandError, match=message):
        load(write(tmp_path, breaks(change)))
    assert not InterviewPlan.objects.filter(is_starter=True).exists()


def test_the_loader_refuses_a_file_that_is_not_yaml(tmp_path):
    path = tmp_path / "loops.yaml"
    path.write_text("- track: [unclosed\n")
    with pytest.raises(CommandError, match="Cannot read"):
        load(path)


# --- Copying a loop to a position ------------------------------------------------------------


@pytest.fixture
def loaded(tmp_path):
    load(write(tmp_path, fixture_loops()))


def test_loop_clone_copies_the_five_plans_to_the_position_with_their_questions(loaded, hiring_manager):
    position = make_position(hiring_manager=hiring_manager, title="Vision team")
    clones = loop_clone(track="cv", level="mid", position=position, by=hiring_manager)
    assert [c.name for c in clones] == [f"cv mid {n} {stage} — Vision team" for n, stage in enumerate(LoopStage.values, 1)]
    for clone in clones:
        source = clone.cloned_from
        assert (clone.position, source.loop_track, source.loop_level, clone.loop_track) == (position, "cv", "mid", "")
        assert (clone.slot_minutes, clone.description, clone.created_by) == (source.slot_minutes, source.description,
                                                                             hiring_manager)
        fields = ("section__title", "section__order", "order", "revision_id", "minutes", "competency", "weight",
                  "required")
        assert list(clone.items.values_list(*fields)) == list(source.items.values_list(*fields))
    event = AuditEvent.objects.get(action="plan.loop_clone")
    assert event.actor == hiring_manager and event.detail["plans"] == [c.pk for c in clones]


def test_cloning_a_loop_twice_numbers_the_second_set(loaded, hiring_manager):
    position = make_position(hiring_manager=hiring_manager, title="Platform")
    loop_clone(track="mlops", level="senior", position=position, by=hiring_manager)
    again = loop_clone(track="mlops", level="senior", position=position, by=hiring_manager)
    assert again[0].name == "mlops senior 1 screen — Platform (2)"
    assert position.plans.count() == 10


def test_loop_clone_refuses_a_loop_that_is_not_loaded(hiring_manager):
    position = make_position(hiring_manager=hiring_manager)
    with pytest.raises(ValidationError, match="not loaded"):
        loop_clone(track="ds", level="junior", position=position, by=hiring_manager)
    assert not position.plans.exists()


def test_loop_clone_takes_the_same_queries_whatever_the_loop_holds(tmp_path, hiring_manager,
                                                                   django_assert_num_queries):
    data = fixture_loops()
    for plan, slug in zip(data[0]["plans"], ("precision", "recall", "f1")):  # mle junior: a section more
        plan["sections"].append({"title": "More", "items": [{"slug": slug, "minutes": 5, "competency": "Evaluation"}]})
    load(write(tmp_path, data))
    position = make_position(hiring_manager=hiring_manager)
    # The savepoint and its release, the loop, the position's names, the plans, the sections'
    # read and write, the items' read and write, their pools' read (none to write), the audit event.
    with django_assert_num_queries(11):
        loop_clone(track="mle", level="mid", position=position, by=hiring_manager)
    with django_assert_num_queries(11):
        loop_clone(track="mle", level="junior", position=position, by=hiring_manager)


# --- The page ---------------------------------------------------------------------------------


def test_the_loops_page_shows_a_loop_by_track_and_level_with_its_questions(loaded, hm_client, hiring_manager):
    make_position(hiring_manager=hiring_manager, title="Vision team")
    response = hm_client.get("/plans/loops/", {"track": "cv", "level": "senior"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Computer-vision engineer, senior" in page
    for n, (stage, label) in enumerate(LoopStage.choices, 1):
        assert f"{n}. {label}" in page and f"cv senior {n} {stage}" in page
    assert "10 of 60 min" in page and "Use this loop for Vision team" in page


def test_the_loops_page_offers_a_choice_of_positions_and_says_when_there_is_none(loaded, hm_client, hiring_manager):
    page = hm_client.get("/plans/loops/", {"track": "ds", "level": "mid"}).content.decode()
    assert "you need an open position you are the hiring manager of" in page and "Use this loop" not in page
    make_position(hiring_manager=hiring_manager, title="Growth")
    make_position(hiring_manager=hiring_manager, title="Pricing")
    page = hm_client.get("/plans/loops/", {"track": "ds", "level": "mid"}).content.decode()
    assert "Use this loop for the chosen position" in page and ">Growth" in page and ">Pricing" in page


def test_a_recruiter_sees_the_loops_but_cannot_copy_them(loaded, as_user, recruiter):
    page = as_user(recruiter).get("/plans/loops/", {"track": "nlp", "level": "junior"}).content.decode()
    assert "nlp junior 1 screen" in page and "loop-clone" not in page


def test_the_loops_page_explains_a_loop_not_yet_loaded(hm_client):
    page = hm_client.get("/plans/loops/", {"track": "mlops", "level": "mid"}).content.decode()
    assert "This loop is not loaded." in page


@pytest.mark.parametrize("query", [{"track": "rl", "level": "mid"}, {"track": "mle", "level": "principal"},
                                   {"track": "mle"}, {"track": "x" * 5000, "level": "mid"}])
def test_the_loops_page_refuses_a_bad_choice_in_words(hm_client, query):
    response = hm_client.get("/plans/loops/", query)
    assert response.status_code == 400
    assert "Choose a track from the list." in response.content.decode() or "Choose a level" in response.content.decode()


def test_the_loops_page_takes_the_same_queries_whatever_the_loop_holds(tmp_path, hm_client, hiring_manager,
                                                                        django_assert_num_queries):
    data = fixture_loops()
    for plan, slug in zip(data[0]["plans"], ("precision", "recall", "f1", "auc", "mse")):  # mle junior: more
        plan["sections"].append({"title": "More", "items": [{"slug": slug, "minutes": 5, "competency": "Evaluation"}]})
    load(write(tmp_path, data))
    make_position(hiring_manager=hiring_manager)
    hm_client.get("/plans/loops/", {"track": "mle", "level": "mid"})  # the session, warmed
    # Session, user, the two permission reads, the loop's plans, sections and items, the
    # positions, and the navigation's unread count.
    with django_assert_num_queries(8):
        hm_client.get("/plans/loops/", {"track": "mle", "level": "mid"})
    with django_assert_num_queries(8):
        page = hm_client.get("/plans/loops/", {"track": "mle", "level": "junior"}).content.decode()
    # The extra section of each of the five plans, with its question (the queries above read them).
    assert page.count('<h4 class="h6 mt-3">More</h4>') == 5
    for slug in ("precision", "recall", "f1", "auc", "mse"):
        assert escape(Question.objects.get(slug=slug).current_revision.title) in page


def test_the_plan_list_leaves_the_loops_to_their_page(loaded, hm_client):
    page = hm_client.get("/plans/").content.decode()
    assert "Starter loops by track and level" in page and "mle junior 1 screen" not in page


def test_scheduling_offers_a_loops_copies_not_the_loop_itself(loaded, hiring_manager):
    from interviews.forms import ScheduleForm

    position = make_position(hiring_manager=hiring_manager, title="Search")
    copies = loop_clone(track="ds", level="junior", position=position, by=hiring_manager)
    offered = set(ScheduleForm(user=hiring_manager).fields["plan"].queryset)
    assert set(copies) <= offered and not offered & set(loop_members())
    assert InterviewPlan.objects.get(name="New-grad ML screen", loop_track="") in offered


def test_a_hiring_manager_copies_a_loop_to_their_position(loaded, hm_client, hiring_manager):
    position = make_position(hiring_manager=hiring_manager, title="Search")
    response = hm_client.post("/plans/loops/clone/", {"track": "applied", "level": "mid", "position": position.pk})
    assert response.status_code == 302 and response.url == "/plans/#position-plans-title"
    assert sorted(position.plans.values_list("name", flat=True)) == sorted(
        f"applied mid {n} {stage} — Search" for n, stage in enumerate(LoopStage.values, 1))
    page = hm_client.get(response.url).content.decode()
    assert "Copied the starter loop “Applied scientist, mid” to Search: 5 plans" in page
    assert "applied mid 4 system-design — Search" in page


def test_copying_a_loop_to_someone_elses_position_is_refused_and_writes_nothing(loaded, hm_client, other_position):
    response = hm_client.post("/plans/loops/clone/", {"track": "mle", "level": "mid", "position": other_position.pk})
    assert response.status_code == 400
    assert "Choose one of your open positions from the list." in response.content.decode()
    assert not other_position.plans.exists()


@pytest.mark.parametrize("data, message", [
    ({"track": "mle", "level": "mid"}, "Choose the position to copy the loop to."),
    ({"track": "rl", "level": "mid", "position": "1"}, "Choose a track from the list."),
    ({"track": "mle", "level": "mid", "position": "not-a-number"}, "Choose one of your open positions"),
])
def test_copying_a_loop_with_bad_input_says_what_is_wrong(loaded, hm_client, hiring_manager, data, message):
    make_position(hiring_manager=hiring_manager)
    response = hm_client.post("/plans/loops/clone/", data)
    assert response.status_code == 400 and message in response.content.decode()


def test_copying_a_loop_to_a_closed_position_is_refused_and_writes_nothing(loaded, hm_client, hiring_manager):
    from interviews.models import PositionStatus

    closed = make_position(hiring_manager=hiring_manager, title="Filled", status=PositionStatus.CLOSED)
    page = hm_client.get("/plans/loops/", {"track": "mle", "level": "mid"}).content.decode()
    assert "Filled" not in page and "you need an open position" in page
    response = hm_client.post("/plans/loops/clone/", {"track": "mle", "level": "mid", "position": closed.pk})
    assert response.status_code == 400
    assert "Choose one of your open positions from the list." in response.content.decode()
    assert not closed.plans.exists() and not AuditEvent.objects.filter(action="plan.loop_clone").exists()


def test_copying_a_loop_not_loaded_says_so(hm_client, hiring_manager):
    position = make_position(hiring_manager=hiring_manager)
    response = hm_client.post("/plans/loops/clone/", {"track": "mle", "level": "mid", "position": position.pk})
    assert response.status_code == 400 and "That starter loop is not loaded" in response.content.decode()
