"""The comparison of a position's candidates: scores, counts, sorting, filters, different
plans, normalisation, charts, the CSV export, who may see it, and a query count that does
not grow with the number of candidates."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from interviews.models import Stage
from accounts.roles import Role
from scoring import charts, comparison
from accounts.models import AuditEvent
from scoring.models import Decision
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard

pytestmark = pytest.mark.django_db

FOUR = ("bias-variance", "precision", "code-bigrams", "pca")


class TableCells(HTMLParser):
    """The text of every body row of the comparison table, cell by cell."""

    def __init__(self):
        super().__init__()
        self.rows, self.in_table, self.in_body, self.cell = [], False, False, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "compare-table" in (dict(attrs).get("class") or ""):
            self.in_table = True
        elif self.in_table and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if self.in_body and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.in_table = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_cells(response):
    parser = TableCells()
    parser.feed(response.content.decode())
    return parser.rows


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def url(position, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/positions/{position.pk}/compare/" + (f"?{query}" if query else "")


@pytest.fixture
def trio(position, interviewer, interviewer2, hiring_manager):
    """Ada (fully scored, hire decided), Bob (one scorecard still a draft), Cy (no interview)."""
    plan = make_plan(position=position)  # ML fundamentals, Evaluation, Coding; weight 1 each
    ada = make_candidate(position=position, name="Ada", email="ada@example.com")
    bob = make_candidate(position=position, name="Bob", email="bob@example.com")
    cy = make_candidate(position=position, name="Cy", email="cy@example.com")
    for candidate, stage in ((ada, Stage.OFFER), (bob, Stage.INTERVIEWING)):
        candidate.stage = stage
        candidate.save(update_fields=["stage"])
    ada_interview = make_interview(candidate=ada, plan=plan, interviewers=[interviewer, interviewer2])
    bob_interview = make_interview(candidate=bob, plan=plan, interviewers=[interviewer, interviewer2])
    make_scorecard(interview=ada_interview, interviewer=interviewer, scores=[4, 3, 2], recommendation="strong_yes")
    make_scorecard(interview=ada_interview, interviewer=interviewer2, scores=[2, 3, 4], recommendation="yes")
    make_scorecard(interview=bob_interview, interviewer=interviewer, scores=[2, 2, 1], recommendation="no")
    make_scorecard(interview=bob_interview, interviewer=interviewer2, scores=[4, 4, 4], recommendation="strong_yes", submit=False)  # a draft: never counts
    Decision.objects.create(candidate=ada, decision="hold", rationale="Wait for references", by=hiring_manager)
    Decision.objects.create(candidate=ada, decision="hire", rationale="References fine", by=hiring_manager)
    return {"ada": ada, "bob": bob, "cy": cy, "plan": plan, "ada_interview": ada_interview, "bob_interview": bob_interview}


def by_name(response):
    table = response.context["table"]
    keys = [c.key for c in table.columns]
    return {row[0]: dict(zip(keys, row)) for row in table.cells()}


# --- What the table shows -------------------------------------------------------------------


def test_it_shows_every_candidate_with_scores_counts_stage_and_latest_decision(as_user, hiring_manager, position, trio):
    response = as_user(hiring_manager).get(url(position))
    assert response.status_code == 200
    rows = by_name(response)
    assert rows["Ada"] == {
        "name": "Ada", "stage": "Offer", "c-coding": "3.00", "c-evaluation": "3.00", "c-ml-fundamentals": "3.00",
        "overall": "3.00", "strong_no": "0", "no": "0", "yes": "1", "strong_yes": "1", "done": "1", "planned": "1",
        "decision": "Hire",
    }
    # Bob: only the submitted scorecard counts (the draft's 4s and strong yes do not).
    assert rows["Bob"] == {
        "name": "Bob", "stage": "Interviewing", "c-coding": "1.00", "c-evaluation": "2.00", "c-ml-fundamentals": "2.00",
        "overall": "1.67", "strong_no": "0", "no": "1", "yes": "0", "strong_yes": "0", "done": "0", "planned": "1",
        "decision": "—",
    }
    assert rows["Cy"]["overall"] == "—" and rows["Cy"]["planned"] == "0"
    assert list(rows) == ["Ada", "Bob", "Cy"]  # overall, highest first; no score last


def test_it_agrees_with_the_debrief_of_each_candidate(as_user, hiring_manager, position, trio):
    client = as_user(hiring_manager)
    table = client.get(url(position)).context["table"]
    for row in table.rows:
        if row.overall is None:
            continue
        page = client.get(f"/candidates/{row.candidate.pk}/debrief/")
        assert page.context["overall"] == row.overall
        assert page.context["per_competency"] == row.competency_scores


def test_it_weights_questions_and_competencies(as_user, hiring_manager, position, interviewer):
    plan = make_plan(position=position, sections=[("Fundamentals", FOUR[:3])], competencies=["Theory", "Theory", "Coding"])
    plan.items.filter(order=1).update(weight=3)  # the first Theory question counts three times
    candidate = make_candidate(position=position)
    interview = make_interview(candidate=candidate, plan=plan, interviewers=[interviewer])
    make_scorecard(interview=interview, interviewer=interviewer, scores=[4, 1, 2])
    row = as_user(hiring_manager).get(url(position)).context["table"].rows[0]
    # Theory: (3*4 + 1*1) / 4 = 3.25; overall: (3*4 + 1*1 + 1*2) / 5 = 3.00
    assert row.competency_scores == {"Coding": 2.0, "Theory": 3.25}
    assert row.overall == 3.0


def test_its_averages_round_exactly_as_the_debriefs_decimals_do():
    """The page averages the sums in hundredths with integers (comparison.weighted); every
    result, ties to the even hundredth included, is the float of the debrief's Decimal
    arithmetic (scoring.scores.competency_scores: float(round(s / w, 2)))."""
    ties = [(225, 200), (375, 200), (1125, 1000), (4125, 1000)]  # 1.125, 1.875, 1.125, 4.125
    pairs = [(s, w) for w in range(25, 1200, 7) for s in range(w, 4 * w + 1, max(1, w // 13))] + ties
    for weighted_sum, weight_sum in pairs:
        expected = float(round(Decimal(weighted_sum).scaleb(-2) / Decimal(weight_sum).scaleb(-2), 2))
        assert comparison.weighted(weighted_sum, weight_sum) == expected, (weighted_sum, weight_sum)
    assert [comparison.weighted(*t) for t in ties] == [1.12, 1.88, 1.12, 4.12]
    assert comparison.weighted(0, 0) is None


def test_it_counts_interviews_done_and_planned(as_user, hiring_manager, position, interviewer, interviewer2, trio):
    ada = trio["ada"]
    extra = make_interview(candidate=ada, plan=trio["plan"], interviewers=[interviewer])
    cancelled = make_interview(candidate=ada, plan=trio["plan"], interviewers=[interviewer2])
    cancelled.cancel(reason="Candidate ill")
    rows = by_name(as_user(hiring_manager).get(url(position)))
    assert (rows["Ada"]["done"], rows["Ada"]["planned"]) == ("1", "2")
    make_scorecard(interview=extra, interviewer=interviewer, scores=[3, 3, 3])
    rows = by_name(as_user(hiring_manager).get(url(position)))
    assert (rows["Ada"]["done"], rows["Ada"]["planned"]) == ("2", "2")


def test_it_links_each_candidate_to_the_debrief(as_user, hiring_manager, position, trio):
    body = as_user(hiring_manager).get(url(position)).content.decode()
    for candidate in (trio["ada"], trio["bob"], trio["cy"]):
        assert f'href="/candidates/{candidate.pk}/debrief/">{candidate.name}</a>' in body


# --- Sorting and filtering ------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, order",
    [
        ({}, ["Ada", "Bob", "Cy"]),
        ({"sort": "overall", "dir": "asc"}, ["Bob", "Ada", "Cy"]),  # empty values last either way
        ({"sort": "name", "dir": "desc"}, ["Cy", "Bob", "Ada"]),
        ({"sort": "name"}, ["Ada", "Bob", "Cy"]),
        ({"sort": "stage", "dir": "asc"}, ["Cy", "Bob", "Ada"]),  # pipeline order: applied, interviewing, offer
        ({"sort": "c-coding", "dir": "desc"}, ["Ada", "Bob", "Cy"]),
        ({"sort": "no", "dir": "desc"}, ["Bob", "Ada", "Cy"]),
        ({"sort": "decision", "dir": "asc"}, ["Ada", "Bob", "Cy"]),
        ({"sort": "planned", "dir": "asc"}, ["Cy", "Ada", "Bob"]),
        ({"sort": "nonsense", "dir": "sideways"}, ["Ada", "Bob", "Cy"]),  # unknown: the default
    ],
)
def test_it_sorts_by_any_column(as_user, hiring_manager, position, trio, params, order):
    response = as_user(hiring_manager).get(url(position, **params))
    assert response.status_code == 200
    assert [row[0] for row in response.context["table"].cells()] == order


def test_the_headers_are_sort_links_and_say_which_sorts(as_user, hiring_manager, position, trio):
    body = as_user(hiring_manager).get(url(position, stage="offer", sort="name", dir="asc")).content.decode()
    assert 'aria-sort="ascending"' in body
    assert 'href="?stage=offer&amp;sort=name&amp;dir=desc"' in body  # the sorted column flips
    assert 'href="?stage=offer&amp;sort=overall&amp;dir=desc"' in body  # filters are kept


def test_it_filters_by_stage_and_by_complete_scorecards(as_user, hiring_manager, position, trio):
    client = as_user(hiring_manager)
    assert list(by_name(client.get(url(position, stage="interviewing")))) == ["Bob"]
    assert list(by_name(client.get(url(position, complete=1)))) == ["Ada"]
    assert list(by_name(client.get(url(position, complete=0)))) == ["Bob", "Cy"]
    assert list(by_name(client.get(url(position, stage="bogus", complete="maybe")))) == ["Ada", "Bob", "Cy"]
    empty = client.get(url(position, stage="hired"))
    assert "No candidate matches these filters" in empty.content.decode()


# --- Different plans ------------------------------------------------------------------------


def test_it_compares_only_the_competencies_everyone_shares_and_says_so(as_user, hiring_manager, position, interviewer):
    base = make_plan(position=position, sections=[("Fundamentals", FOUR[:3])], competencies=["ML fundamentals", "Evaluation", "Coding"])
    wider = make_plan(position=position, sections=[("Fundamentals", FOUR)], competencies=["ML fundamentals", "Evaluation", "Coding", "System design"])
    other = make_plan(position=position, sections=[("Fundamentals", FOUR)], competencies=["ML fundamentals", "Evaluation", "Coding", "Research"])
    for name, plan, scores in (("Alice", wider, [4, 4, 4, 4]), ("Bob", base, [3, 3, 3]), ("Carol", other, [2, 2, 2, 1])):
        interview = make_interview(candidate=make_candidate(position=position, name=name), plan=plan, interviewers=[interviewer])
        make_scorecard(interview=interview, interviewer=interviewer, scores=scores)
    make_candidate(position=position, name="Dan")  # not scored: does not narrow the comparison
    response = as_user(hiring_manager).get(url(position))
    table = response.context["table"]
    assert table.competencies == ["Coding", "Evaluation", "ML fundamentals"]
    assert [c.label for c in table.columns if c.competency] == table.competencies
    body = response.content.decode()
    assert ("Compared on the 3 competencies all scored candidates were scored on (Coding, Evaluation and "
            "ML fundamentals); Alice also has ‘System design’; Carol also has ‘Research’.") in body
    # The overall compares like with like: Carol's 1 in Research does not pull her down here.
    assert by_name(response)["Carol"]["overall"] == "2.00"
    assert "System design" not in [c.label for c in table.columns]


def test_it_says_so_when_no_competency_is_shared(as_user, hiring_manager, position, interviewer):
    for name, competencies in (("Alice", ["Theory", "Coding"]), ("Bob", ["Research", "Design"])):
        plan = make_plan(position=position, sections=[("Fundamentals", FOUR[:2])], competencies=competencies)
        interview = make_interview(candidate=make_candidate(position=position, name=name), plan=plan, interviewers=[interviewer])
        make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 4])
    response = as_user(hiring_manager).get(url(position))
    table = response.context["table"]
    assert table.competencies == [] and [r.overall for r in table.rows] == [None, None]
    assert ("No competency was scored for all candidates, so no competency or overall score is compared; "
            "Alice also has ‘Coding’ and ‘Theory’; Bob also has ‘Design’ and ‘Research’.") in response.content.decode()
    assert response.context["bar_chart"] is None and "<svg class=\"chart\"" not in response.content.decode()


def test_it_says_nothing_about_plans_when_everyone_shares_them(as_user, hiring_manager, position, trio):
    response = as_user(hiring_manager).get(url(position))
    assert response.context["table"].compared_note == ""
    assert "Different interview plans" not in response.content.decode()


# --- Normalisation --------------------------------------------------------------------------


def test_it_shows_normalised_scores_beside_the_raw_overall(as_user, hiring_manager, position, interviewer, interviewer2, trio):
    client = as_user(hiring_manager)
    assert "normalised" not in [c.key for c in client.get(url(position)).context["table"].columns]
    response = client.get(url(position, normalise=1))
    keys = [c.key for c in response.context["table"].columns]
    assert keys.index("normalised") == keys.index("overall") + 1
    body = response.content.decode()
    assert "standard deviations" in body and "never replaces it" in body
    # int1 scored 4,3,2 (Ada) and 2,2,1 (Bob): mean 14/6, sd sqrt(((5/3)^2+(2/3)^2+(1/3)^2+2(1/3)^2+(4/3)^2)/5)
    # int2 scored 2,3,4 (Ada) only among submitted: mean 3, sd 1.
    one = [4, 3, 2, 2, 2, 1]
    m1 = sum(one) / 6
    sd1 = (sum((x - m1) ** 2 for x in one) / 5) ** 0.5
    ada = (sum((s - m1) / sd1 for s in (4, 3, 2)) + sum((s - 3) / 1 for s in (2, 3, 4))) / 6
    bob = sum((s - m1) / sd1 for s in (2, 2, 1)) / 3
    rows = {r.candidate.name: r for r in response.context["table"].rows}
    assert rows["Ada"].normalised == round(ada, 2)
    assert rows["Bob"].normalised == round(bob, 2)
    assert rows["Cy"].normalised is None
    assert rows["Ada"].overall == 3.0  # the raw score is still there


def test_an_interviewer_without_spread_is_left_out_of_the_normalised_score(as_user, hiring_manager, position, interviewer):
    plan = make_plan(position=position)
    candidate = make_candidate(position=position)
    make_scorecard(interview=make_interview(candidate=candidate, plan=plan, interviewers=[interviewer]), interviewer=interviewer, scores=[3, 3, 3])
    row = as_user(hiring_manager).get(url(position, normalise=1)).context["table"].rows[0]
    assert row.overall == 3.0 and row.normalised is None


# --- Independent scoring --------------------------------------------------------------------


def test_it_counts_only_scorecards_the_viewer_may_see(as_user, position, interviewer, trio):
    """A hiring manager of another position who sits on this panel may open the comparison,
    but sees only the candidates they interview, and colleagues' scores only once they have
    submitted their own."""
    colleague = make_user("hm_on_panel", Role.HIRING_MANAGER)
    interview = make_interview(candidate=trio["ada"], plan=trio["plan"], interviewers=[colleague])
    client = as_user(colleague)
    rows = by_name(client.get(url(position)))
    assert list(rows) == ["Ada"]
    assert rows["Ada"]["overall"] == "—"  # has not submitted: sees nobody's scores
    make_scorecard(interview=interview, interviewer=colleague, scores=[1, 1, 1], recommendation="strong_no")
    rows = by_name(client.get(url(position)))
    assert rows["Ada"]["strong_no"] == "1" and rows["Ada"]["strong_yes"] == "1"


# --- Charts ---------------------------------------------------------------------------------


def test_it_draws_accessible_svg_charts_with_numbers(as_user, hiring_manager, position, trio):
    body = as_user(hiring_manager).get(url(position)).content.decode()
    svgs = re.findall(r'<svg class="chart".*?</svg>', body, flags=re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        assert "style=" not in svg and "<style" not in svg and "<script" not in svg
        assert ">Ada<" in svg and ">3.00<" in svg  # text labels and numbers on the chart
    assert "<script>" not in body and " style=" not in body
    assert "Every number is also in the table" in svgs[0]


def test_names_and_competencies_are_escaped_in_the_table_and_the_charts(as_user, hiring_manager, position, interviewer):
    """Numbers are written unescaped (templates/scoring/includes/compare_content.html and the
    chart templates); everything people type is escaped, in the cells, the bars' titles and
    the heat map alike."""
    plan = make_plan(position=position, sections=[("Fundamentals", FOUR[:2])], competencies=["<i>Theory</i>", "Coding"])
    candidate = make_candidate(position=position, name="<b>Ada</b> & co")
    interview = make_interview(candidate=candidate, plan=plan, interviewers=[interviewer])
    make_scorecard(interview=interview, interviewer=interviewer, scores=[3, 4])
    body = as_user(hiring_manager).get(url(position)).content.decode()
    assert "<b>" not in body and "<i>" not in body
    svgs = re.findall(r'<svg class="chart".*?</svg>', body, flags=re.S)
    assert len(svgs) == 2
    for part in (body.split("<svg class=\"chart\"")[0], *svgs):
        assert "&lt;b&gt;Ada&lt;/b&gt; &amp; co" in part and "&lt;i&gt;Theory&lt;/i&gt;" in part
    assert "<title>&lt;b&gt;Ada&lt;/b&gt; &amp; co, &lt;i&gt;Theory&lt;/i&gt;: 3.00</title>" in svgs[0]


def test_the_heat_map_text_is_readable_on_every_colour():
    for hundredths in range(100, 401):
        fill = charts.heat_colour(hundredths / 100)
        assert charts.contrast(fill, charts.text_colour(fill)) >= 4.5, fill
    assert charts.heat_colour(1) == "#eff3ff" and charts.heat_colour(4) == "#2171b5"


def test_the_charts_draw_at_most_twenty_candidates(as_user, hiring_manager, position, interviewer):
    plan = make_plan(position=position)
    for n in range(22):
        interview = make_interview(candidate=make_candidate(position=position, name=f"Cand {n:02}"), plan=plan, interviewers=[interviewer])
        make_scorecard(interview=interview, interviewer=interviewer, scores=[1 + n % 4, 2, 3])
    response = as_user(hiring_manager).get(url(position))
    assert len(response.context["bar_chart"].groups) == 20
    assert len(response.context["heat_map"].rows) == 20
    assert "for the first 20 of 22 scored candidates" in response.content.decode()


# --- CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"normalise": "1", "sort": "name", "dir": "desc"}, {"complete": "0", "sort": "planned"}])
def test_the_csv_is_exactly_the_table_and_is_audited(as_user, hiring_manager, position, trio, params):
    client = as_user(hiring_manager)
    page = client.get(url(position, **params))
    export = client.get(url(position, **params, format="csv"))
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert 'filename="compare-position-' in export["Content-Disposition"]
    rows = csv_rows(export)
    assert rows[0] == page.context["table"].header
    assert rows[1:] == page_cells(page) == page.context["table"].cells()
    event = AuditEvent.objects.get(action="compare.export_csv")
    assert event.actor == hiring_manager and event.target == f"position {position.pk}"


def test_the_page_links_to_the_csv_of_what_it_shows(as_user, hiring_manager, position, trio):
    body = as_user(hiring_manager).get(url(position, stage="offer", normalise=1)).content.decode()
    assert 'href="?stage=offer&amp;normalise=1&amp;sort=overall&amp;dir=desc&amp;format=csv"' in body
    assert not AuditEvent.objects.filter(action="compare.export_csv").exists()  # viewing is not exporting


def test_the_csv_defuses_spreadsheet_formulas_in_names(as_user, hiring_manager, position):
    make_candidate(position=position, name="=HYPERLINK(\"http://evil\")")
    rows = csv_rows(as_user(hiring_manager).get(url(position, format="csv")))
    assert rows[1][0] == "'=HYPERLINK(\"http://evil\")"


# --- Who may see it -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, position):
    response = client.get(url(position))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("role", ["interviewer", "outsider"])
def test_people_without_the_permission_get_403(request, as_user, position, trio, role):
    # The interviewer is even on this position's panels.
    assert as_user(request.getfixturevalue(role)).get(url(position)).status_code == 403
    assert as_user(request.getfixturevalue(role)).get(url(position, format="csv")).status_code == 403
    assert not AuditEvent.objects.filter(action="compare.export_csv").exists()


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.RECRUITER])
def test_managers_of_another_position_get_404(as_user, position, trio, role):
    other = make_user(f"other_{role}", role)
    make_position(hiring_manager=other if role == Role.HIRING_MANAGER else make_user("hm9", Role.HIRING_MANAGER),
                  recruiter=other if role == Role.RECRUITER else None, title="Other")
    client = as_user(other)
    assert client.get(url(position)).status_code == 404
    assert client.get(url(position, format="csv")).status_code == 404
    assert not AuditEvent.objects.filter(action="compare.export_csv").exists()
    assert client.get("/positions/999999/compare/").status_code == 404


@pytest.mark.parametrize("role", ["hiring_manager", "recruiter", "admin_user"])
def test_the_positions_hiring_manager_and_recruiter_and_admins_see_it(request, as_user, position, trio, role):
    response = as_user(request.getfixturevalue(role)).get(url(position))
    assert response.status_code == 200
    assert len(response.context["table"].rows) == 3


# --- Query count ----------------------------------------------------------------------------


def _many(position, panel, n):
    plan = make_plan(position=position)
    for i in range(n):
        interview = make_interview(candidate=make_candidate(position=position, name=f"Candidate {i:02}", email=f"c{i}@example.com"), plan=plan,
                                   interviewers=panel, starts_at=timezone.now() - timedelta(days=1))
        for person in panel:
            make_scorecard(interview=interview, interviewer=person, scores=[1 + (i + person.pk) % 4, 1 + i % 4, 3], recommendation=["no", "yes"][i % 2])


@pytest.mark.parametrize("normalise", [False, True])
@pytest.mark.parametrize("candidates", [2, 50])
def test_the_query_count_does_not_grow_with_candidates(as_user, hiring_manager, position, interviewer, interviewer2,
                                                       django_assert_num_queries, candidates, normalise):
    _many(position, [interviewer, interviewer2], candidates)
    client = as_user(hiring_manager)
    params = {"normalise": "1"} if normalise else {}
    client.get("/")  # the first request of a session stamps its sign-in time (one write, not counted)
    # Session, user; roles and permissions (1, accounts.roles.load_access), the bell's unread count (1); the
    # position; the candidates (interview counts and latest decision as subqueries); the
    # (candidate, competency) sums with the recommendation counts (one statement for the
    # position's hiring manager: comparison.ALL_SUMS_SQL); with normalise, the (candidate,
    # competency, interviewer) sums and the interviewers' baselines (2 more). Nothing is
    # cached: viewed again, it costs the same.
    for _ in range(2):
        with django_assert_num_queries(7 + 2 * normalise):
            response = client.get(url(position, **params))
        assert response.status_code == 200
        assert len(response.context["table"].rows) == candidates


@pytest.mark.parametrize("candidates", [2, 50])
def test_the_query_count_does_not_grow_for_a_viewer_on_the_panels(as_user, position, interviewer,
                                                                  django_assert_num_queries, candidates):
    colleague = make_user("hm_on_panel", Role.HIRING_MANAGER)  # manages another position, sits on these panels
    _many(position, [interviewer, colleague], candidates)
    client = as_user(colleague)
    client.get("/")
    # Session, user, roles and permissions (1), the bell's unread count (1); the position and whether this viewer may see
    # it (views/compare.py: _get_position); the candidates; the sums and the recommendation
    # counts, each limited to the scorecards this viewer may see (comparison._visible_cards),
    # in two statements.
    for _ in range(2):
        with django_assert_num_queries(9):
            response = client.get(url(position))
        assert response.status_code == 200
        assert len(response.context["table"].rows) == candidates
