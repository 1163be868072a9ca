"""Fast seeding of the benchmark database (used by bench/bench.py; docs/performance.md).

Everything large is written with COPY or ``INSERT ... SELECT`` over ``generate_series``, never
with per-row ORM saves, so 100k questions and 200k scores take a minute or two on two cores.

The text of the generated questions is drawn from the vocabulary of the built-in bank (already
loaded): each generated question takes one built-in question as its topic and samples the words
of each field (title, prompt, model answer, key points, why we ask) from that field of its topic,
with one word in ten from another question of the same area. So the generated bank has the
built-in bank's ML vocabulary, field lengths and document frequencies: a word that appears in
17% of the built-in questions (``regularization``/``regularisation``) appears in about a fifth
of the generated ones, which is what a search for it has to cope with. The search vector is
computed in SQL exactly as ``Question.refresh_search_vector`` does (title A, prompt and key
points B, model answer C), and the seed checks that the two agree.
"""

import json
import random
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

import psycopg


@dataclass(frozen=True)
class Scale:
    """How much to seed. Every interview has one plan's questions (``items_per_plan``), a panel
    of two and a submitted scorecard per panelist, so scores = interviews * 2 * items."""

    name: str
    questions: int
    positions: int
    candidates: int
    comparison_candidates: int  # candidates of the first position (the comparison page)
    interviewers: int
    plans_per_position: int = 5  # one interview per plan for every candidate
    items_per_plan: int = 10
    panel: int = 2

    @property
    def interviews(self):
        return self.candidates * self.plans_per_position

    @property
    def scores(self):
        return self.interviews * self.panel * self.items_per_plan


LARGE = Scale("large", questions=100_000, positions=20, candidates=2_000, comparison_candidates=200, interviewers=80)
# For trying the script out (bench.py --quick).
QUICK = Scale("quick", questions=10_000, positions=20, candidates=400, comparison_candidates=200, interviewers=80)
# The same shapes, a hundredth of the size: query counts must be equal on both.
SMALL = Scale("small", questions=300, positions=3, candidates=12, comparison_candidates=5, interviewers=8)

HIRING_MANAGERS = 5
RECRUITERS = 3
POOL_PER_POSITION = 8  # interviewers who sit on the panels of one position
CHUNK = 5_000  # questions generated and inserted per statement

FIRST = ("Ada Alan Grace Edsger Barbara Donald Frances Tim Margaret Linus Radia Ken Sophie John Katherine Dennis "
         "Hedy Claude Mary Niklaus Jean Bjarne Shafi Leslie Yoshua Fei-Fei Geoffrey Daphne Andrew Cynthia Judea "
         "Yann Anima Ilya Joy Sebastian Rana Timnit Oren Chiara").split()
LAST = ("Lovelace Turing Hopper Dijkstra Liskov Knuth Allen Berners-Lee Hamilton Torvalds Perlman Thompson Wilson "
        "McCarthy Johnson Ritchie Lamarr Shannon Kenneth Wirth Sammet Stroustrup Goldwasser Lamport Bengio Li Hinton "
        "Koller Ng Rudin Pearl LeCun Anandkumar Sutskever Buolamwini Thrun Kaliouby Gebru Etzioni Rossi Okafor Tanaka "
        "Novak Silva Moreau Jensen Costa Nakamura Haddad Kowalski").split()
POSITION_TITLES = ["ML engineer", "Senior data scientist", "MLOps engineer", "NLP engineer", "Computer vision engineer",
                   "Research scientist", "Applied scientist", "Recommender systems engineer", "ML platform engineer",
                   "Data scientist"]
TEAMS = ["Ranking", "Search", "Ads", "Fraud", "Forecasting", "Vision", "Speech", "Platform"]
PLAN_NAMES = ["Technical screen", "ML depth", "Coding", "System design", "Experience and values"]
SECTIONS = ["Fundamentals", "Depth"]
ITEM_COMPETENCIES = ["ML fundamentals", "ML fundamentals", "Evaluation", "Data", "Modelling", "Deep learning",
                     "Production", "Coding", "System design", "Communication"]
NOTES = ["Clear on the trade-off, gave a worked example.", "Needed a hint on the evaluation set-up.",
         "Strong answer; went beyond the key points.", "Confused variance with bias at first, then corrected.",
         "Mentioned leakage unprompted.", "Rambled; did not reach a conclusion.", "Good intuition, weak on the maths.",
         "Asked good clarifying questions before answering."]
ANCHORS = {1: "Cannot explain", 2: "Names the idea behind", 3: "Explains with a sound example", 4: "Explains in depth, with limits of"}

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'+-]*")


def _words(text):
    return _WORD.findall(text or "")


def _sentences(tokens):
    """Words to text: sentences of twelve words, capitalised, with full stops."""
    parts = [" ".join(tokens[i:i + 12]) for i in range(0, len(tokens), 12)]
    return " ".join(p[:1].upper() + p[1:] + "." for p in parts if p)


def _sources(conn):
    """The built-in bank's current revisions, as word lists per field."""
    rows = conn.execute(
        """SELECT q.slug, q.area, q.kind, q.level, q.roles, r.title, r.prompt, r.why_we_ask, r.model_answer,
                  r.key_points, r.follow_ups, r.minutes
           FROM questionbank_question q JOIN questionbank_questionrevision r ON r.id = q.current_revision_id
           WHERE q.status = 'published' ORDER BY q.slug"""
    ).fetchall()
    sources = []
    for slug, area, kind, level, roles, title, prompt, why, answer, key_points, follow_ups, minutes in rows:
        sources.append({
            "slug": slug, "area": area, "kind": kind, "level": level, "roles": roles, "minutes": minutes,
            "follow_ups": json.dumps(follow_ups), "title": _words(title), "prompt": _words(prompt),
            "why": _words(why) or _words(prompt), "answer": _words(answer) or _words(prompt),
            "points": [w for point in key_points for w in _words(point)] or _words(prompt),
            "point_count": max(3, len(key_points)),
        })
    by_area = {}
    for source in sources:
        by_area.setdefault(source["area"], []).append(source)
    return sources, by_area


def _field(rng, primary, secondary, n):
    """n words, nine in ten from the topic's field and one in ten from another question's."""
    tokens = rng.choices(primary, k=n)
    if secondary and n >= 10:
        tokens[5::10] = rng.choices(secondary, k=len(tokens[5::10]))
    return tokens


def _generate(n_from, n_to, sources, by_area, seed):
    """Rows of generated questions n_from..n_to-1: (n, slug, area, kind, level, roles, status, revision fields)."""
    rng = random.Random(seed)
    rows = []
    for n in range(n_from, n_to):
        src = sources[n % len(sources)]
        other = rng.choice(by_area[src["area"]])

        def length(words, low=0.7, high=1.3, minimum=6):
            return max(minimum, int(len(words) * rng.uniform(low, high)))

        title_words = _field(rng, src["title"], other["title"], max(3, len(src["title"]) + rng.randint(-1, 1)))
        title = " ".join(title_words)
        title = (title[:1].upper() + title[1:])[:190]
        prompt = _sentences(_field(rng, src["prompt"], other["prompt"], length(src["prompt"])))[:-1] + "?"
        answer = _sentences(_field(rng, src["answer"], other["answer"], length(src["answer"])))
        why = _sentences(_field(rng, src["why"], other["why"], length(src["why"], 0.5, 0.9)))
        points = [
            _sentences(_field(rng, src["points"], other["points"], rng.randint(4, 12)))[:-1]
            for _ in range(src["point_count"])
        ]
        # Mostly published; some drafts and retired questions, as in a living bank.
        status = "draft" if n % 50 == 7 else "retired" if n % 50 == 13 else "published"
        rows.append((n, f"g{n:06d}-{src['slug']}"[:80], src["area"], src["kind"],
                     rng.choice(["junior", "mid", "senior"]) if n % 3 == 0 else src["level"], src["roles"], status,
                     title, prompt, why, answer, json.dumps(points), src["follow_ups"], src["minutes"]))
    return rows


# Question.refresh_search_vector, in SQL: title (A), prompt and key points (B), model answer (C).
SEARCH_VECTOR_SQL = """
    setweight(to_tsvector('english', coalesce(r.title, '')), 'A')
 || setweight(to_tsvector('english', coalesce(r.prompt, '')), 'B')
 || setweight(to_tsvector('english', coalesce(array_to_string(ARRAY(SELECT jsonb_array_elements_text(r.key_points)), E'\\n'), '')), 'B')
 || setweight(to_tsvector('english', coalesce(r.model_answer, '')), 'C')
"""


def _insert_questions(uri, rows, q_base, r_base):
    """COPY the revisions and the question attributes, then INSERT the questions with their
    search vectors, in one transaction (the two foreign keys between the tables are deferred)."""
    with psycopg.connect(uri) as conn:
        conn.execute("SET synchronous_commit = off")
        with conn.cursor() as cur:
            with cur.copy(
                "COPY questionbank_questionrevision (id, question_id, number, title, prompt, why_we_ask, model_answer,"
                " key_points, follow_ups, minutes, reference_solution, coding_tests, change_note, created_at)"
                " FROM STDIN"
            ) as copy:
                for (n, _slug, _area, _kind, _level, _roles, _status, title, prompt, why, answer, points, follow_ups,
                     minutes) in rows:
                    copy.write_row((r_base + n, q_base + n, 1, title, prompt, why, answer, points, follow_ups, minutes,
                                    "", "{}", "", "2025-01-01T00:00:00Z"))
            with cur.copy("COPY bench_question_stage (n, slug, area, kind, level, roles, status) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row[:7])
            cur.execute(
                f"""INSERT INTO questionbank_question (id, slug, area, kind, level, roles, status, current_revision_id,
                                                      title, search_vector, created_at, updated_at)
                    SELECT %(q_base)s + s.n, s.slug, s.area, s.kind, s.level, s.roles, s.status, r.id, r.title,
                           {SEARCH_VECTOR_SQL},
                           now() - mod(s.n, 700) * interval '1 day', now() - mod(s.n, 300) * interval '1 day'
                    FROM bench_question_stage s JOIN questionbank_questionrevision r ON r.id = %(r_base)s + s.n
                    WHERE s.n BETWEEN %(lo)s AND %(hi)s""",
                {"q_base": q_base, "r_base": r_base, "lo": rows[0][0], "hi": rows[-1][0]},
            )


def _next_id(conn, table):
    return conn.execute(f"SELECT coalesce(max(id), 0) + 1000 FROM {table}").fetchone()[0]


def _reset_sequences(conn, tables):
    for table in tables:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
        )


def seed_questions(uri, scale, log):
    """The generated bank: questions, one revision each, 3 criteria and 4 anchors per revision."""
    with psycopg.connect(uri, autocommit=True) as conn:
        sources, by_area = _sources(conn)
        conn.execute("CREATE UNLOGGED TABLE IF NOT EXISTS bench_question_stage (n int PRIMARY KEY, slug text, area text,"
                     " kind text, level text, roles varchar(10)[], status text)")
        q_base, r_base = _next_id(conn, "questionbank_question"), _next_id(conn, "questionbank_questionrevision")
    started = time.monotonic()
    chunks = [(lo, min(lo + CHUNK, scale.questions)) for lo in range(0, scale.questions, CHUNK)]
    lock = threading.Lock()

    def work(chunk):
        lo, hi = chunk
        with lock:  # generating is Python (one core); the INSERT's to_tsvector runs in PostgreSQL meanwhile
            rows = _generate(lo, hi, sources, by_area, seed=lo)
        _insert_questions(uri, rows, q_base, r_base)

    # Two workers: one generates text while PostgreSQL computes the other's search vectors.
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(work, chunks))
    log(f"  {scale.questions} questions and revisions with search vectors: {time.monotonic() - started:.1f}s")
    started = time.monotonic()
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute(
            """INSERT INTO questionbank_rubriccriterion (revision_id, position, text)
               SELECT r.id, p, left(coalesce(r.key_points ->> (p - 1), r.title), 400)
               FROM questionbank_questionrevision r CROSS JOIN generate_series(1, 3) AS p WHERE r.id >= %s""",
            [r_base],
        )
        conn.execute(
            """INSERT INTO questionbank_scoreanchor (revision_id, level, text)
               SELECT r.id, l, (%s::text[])[l] || ' ' || lower(r.title) || '.'
               FROM questionbank_questionrevision r CROSS JOIN generate_series(1, 4) AS l WHERE r.id >= %s""",
            [[ANCHORS[level] for level in (1, 2, 3, 4)], r_base],
        )
        conn.execute("DROP TABLE bench_question_stage")
        _reset_sequences(conn, ["questionbank_question", "questionbank_questionrevision"])
    log(f"  criteria and anchors: {time.monotonic() - started:.1f}s")
    return q_base


def seed_people(scale):
    """Users through the ORM (a hundred rows): hiring managers, recruiters, interviewers."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from accounts.roles import GROUP_NAMES, Role

    User = get_user_model()
    unusable = make_password(None)
    people = {"hm": [], "rec": [], "int": []}
    for kind, count in (("hm", HIRING_MANAGERS), ("rec", RECRUITERS), ("int", scale.interviewers)):
        for n in range(count):
            people[kind].append(User(username=f"{kind}-{n:03d}", password=unusable, first_name=FIRST[(n * 7 + len(kind)) % len(FIRST)],
                                     last_name=LAST[(n * 11 + len(kind)) % len(LAST)], email=f"{kind}{n}@example.com"))
    for kind in people:
        people[kind] = User.objects.bulk_create(people[kind])
    groups = {role: Group.objects.get(name=GROUP_NAMES[role]) for role in Role}
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=u.pk, group_id=groups[Role.HIRING_MANAGER].pk) for u in people["hm"]]
        + [through(user_id=u.pk, group_id=groups[Role.RECRUITER].pk) for u in people["rec"]]
        + [through(user_id=u.pk, group_id=groups[Role.INTERVIEWER].pk) for u in people["int"]]
    )
    return {kind: [u.pk for u in users] for kind, users in people.items()}


def seed_interviews(uri, scale, people, q_base, log):
    """Positions, plans, candidates, interviews with pinned questions and two-person panels,
    submitted scorecards with a score per question, decisions for some candidates, and the
    autosave receipts the scores left behind."""
    started = time.monotonic()
    P, S, J, C, C0 = scale.positions, scale.plans_per_position, scale.items_per_plan, scale.candidates, scale.comparison_candidates
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute("SELECT setseed(0.42)")
        ids = {t: _next_id(conn, t) for t in ("interviews_position", "interviews_interviewplan", "interviews_plansection",
                                               "interviews_planitem", "interviews_candidate", "interviews_interview",
                                               "scoring_scorecard")}
        pos_base, plan_base, sec_base = ids["interviews_position"], ids["interviews_interviewplan"], ids["interviews_plansection"]
        item_base, cand_base, iv_base = ids["interviews_planitem"], ids["interviews_candidate"], ids["interviews_interview"]
        card_base = ids["scoring_scorecard"]
        hm, rec, ints = people["hm"], people["rec"], people["int"]
        # The questions plans use: distinct published generated questions, in a fixed shuffled order.
        pool = [row[0] for row in conn.execute(
            """SELECT current_revision_id FROM questionbank_question WHERE status = 'published' AND id >= %s
               ORDER BY md5(id::text) LIMIT %s""", [q_base, P * S * J]).fetchall()]
        assert len(pool) == P * S * J, "not enough published questions for the plans"
        with conn.cursor() as cur:
            with cur.copy("COPY interviews_position (id, title, team, level, status, created_at, hiring_manager_id,"
                          " recruiter_id) FROM STDIN") as copy:
                for p in range(P):
                    copy.write_row((pos_base + p, POSITION_TITLES[p % len(POSITION_TITLES)] + (f" {p // 10 + 1}" if p >= 10 else ""),
                                    TEAMS[p % len(TEAMS)], ["mid", "senior", "junior"][p % 3], "open",
                                    "2024-12-01T09:00:00Z", hm[p % len(hm)], rec[p % len(rec)]))
            with cur.copy("COPY interviews_interviewplan (id, name, description, slot_minutes, created_at, updated_at,"
                          " created_by_id, position_id) FROM STDIN") as copy:
                for p in range(P):
                    for s in range(S):
                        copy.write_row((plan_base + p * S + s, PLAN_NAMES[s % len(PLAN_NAMES)], "Seeded for the benchmark.",
                                        60, "2024-12-01T09:00:00Z", "2024-12-01T09:00:00Z", hm[p % len(hm)], pos_base + p))
            with cur.copy('COPY interviews_plansection (id, title, "order", plan_id) FROM STDIN') as copy:
                for plan in range(P * S):
                    for k, title in enumerate(SECTIONS):
                        copy.write_row((sec_base + plan * len(SECTIONS) + k, title, k + 1, plan_base + plan))
            per_section = J // len(SECTIONS)
            with cur.copy('COPY interviews_planitem (id, "order", minutes, competency, weight, required, plan_id,'
                          " revision_id, section_id) FROM STDIN") as copy:
                for plan in range(P * S):
                    for j in range(J):
                        k = min(j // per_section, len(SECTIONS) - 1)
                        copy.write_row((item_base + plan * J + j, j - k * per_section + 1, 5,
                                        ITEM_COMPETENCIES[j % len(ITEM_COMPETENCIES)], "1.50" if j in (2, 7) else "1.00",
                                        True, plan_base + plan, pool[plan * J + j], sec_base + plan * len(SECTIONS) + k))
        # Candidate c: the first C0 apply for the first position, the rest spread over the others.
        position_of = f"(CASE WHEN c < {C0} THEN {pos_base} ELSE {pos_base} + 1 + mod(c - {C0}, {P - 1}) END)"
        conn.execute(
            f"""INSERT INTO interviews_candidate (id, name, email, stage, source, notes, cv_url, cv_file, created_at, position_id)
                SELECT {cand_base} + c, (%(first)s::text[])[1 + mod(c, %(nf)s)] || ' ' || (%(last)s::text[])[1 + mod(c / %(nf)s, %(nl)s)]
                       || CASE WHEN c >= %(nf)s * %(nl)s THEN ' ' || (c / (%(nf)s * %(nl)s) + 1)::text ELSE '' END,
                       'candidate' || c || '@example.com', 'interviewing',
                       (ARRAY['Referral', 'Job board', 'Agency', 'Conference'])[1 + mod(c, 4)], '', '', '',
                       now() - interval '400 days' + mod(c, 360) * interval '1 day', {position_of}
                FROM generate_series(0, {C - 1}) AS c""",
            {"first": FIRST, "last": LAST, "nf": len(FIRST), "nl": len(LAST)},
        )
        # Interview (c, s) for every candidate c and every plan s of its position, all in the past:
        # a candidate's loop starts between 5 and 365 days ago, one interview a day.
        conn.execute(
            f"""INSERT INTO interviews_interview (id, plan_name, starts_at, duration_minutes, status, cancel_reason,
                                                  created_at, candidate_id, created_by_id, plan_id)
                SELECT {iv_base} + c * {S} + s, (%(plans)s::text[])[1 + mod(s, %(np)s)],
                       date_trunc('hour', now()) - (5 + mod(c * 37, 360) - s) * interval '1 day' + mod(c, 8) * interval '1 hour',
                       60, 'completed', '', now() - interval '400 days', {cand_base} + c,
                       (%(rec)s::int[])[1 + mod({position_of} - {pos_base}, %(nr)s)], {plan_base} + ({position_of} - {pos_base}) * {S} + s
                FROM generate_series(0, {C - 1}) AS c CROSS JOIN generate_series(0, {S - 1}) AS s""",
            {"plans": PLAN_NAMES, "np": len(PLAN_NAMES), "rec": rec, "nr": len(rec)},
        )
        # Panels: two of the position's pool of interviewers, different for each interview.
        pool_size = min(POOL_PER_POSITION, len(ints))
        conn.execute(
            f"""INSERT INTO interviews_interview_interviewers (interview_id, user_id)
                SELECT i.id, (%(ints)s::int[])[1 + mod((i.position - {pos_base}) * 4 + (CASE WHEN k = 0 THEN i.a ELSE mod(i.a + 1 + i.b, {pool_size}) END), %(ni)s)]
                FROM (SELECT iv.id, c.position_id AS position, mod(iv.id * 7, {pool_size}) AS a, mod(iv.id / 3, {pool_size - 1}) AS b
                      FROM interviews_interview iv JOIN interviews_candidate c ON c.id = iv.candidate_id
                      WHERE iv.id >= {iv_base}) i
                CROSS JOIN generate_series(0, {scale.panel - 1}) AS k""",
            {"ints": ints, "ni": len(ints)},
        )
        # Pinned questions: a copy of the plan's items, numbered 1..J.
        conn.execute(
            f"""INSERT INTO interviews_interviewquestion ("order", section, free_text, minutes, competency, weight, required,
                                                          interview_id, revision_id)
                SELECT (ps."order" - 1) * {per_section} + pi."order", ps.title, '', pi.minutes, pi.competency, pi.weight,
                       pi.required, iv.id, pi.revision_id
                FROM interviews_interview iv JOIN interviews_planitem pi ON pi.plan_id = iv.plan_id
                JOIN interviews_plansection ps ON ps.id = pi.section_id
                WHERE iv.id >= {iv_base}"""
        )
        # One submitted scorecard per panelist, submitted between an hour and four days after the end.
        conn.execute(
            f"""INSERT INTO scoring_scorecard (id, status, recommendation, summary, started_at, submitted_at, created_at,
                                               updated_at, interview_id, interviewer_id)
                SELECT {card_base} + row_number() OVER (ORDER BY m.interview_id, m.user_id), 'submitted', 'yes',
                       'Seeded summary: solid on fundamentals, less so on production concerns.', iv.starts_at,
                       iv.starts_at + interval '60 minutes' + (0.2 + 96 * power(random(), 3)) * interval '1 hour',
                       iv.starts_at, iv.starts_at + interval '2 hours', iv.id, m.user_id
                FROM interviews_interview_interviewers m JOIN interviews_interview iv ON iv.id = m.interview_id
                WHERE iv.id >= {iv_base}"""
        )
        conn.execute("UPDATE scoring_scorecard SET updated_at = submitted_at WHERE id >= %s", [card_base])
        # Scores: candidate ability + interviewer leniency - question difficulty + noise, on 1-4;
        # one in fifty skipped with a reason.
        conn.execute(
            f"""INSERT INTO scoring_questionscore (score, skipped, skip_reason, criteria_met, key_points_hit, notes,
                                                   seconds_spent, version, updated_at, question_id, scorecard_id)
                SELECT CASE WHEN u.skip THEN NULL ELSE least(4, greatest(1, round(
                           2.5 + 2.0 * (abs(mod(hashint8(iv.candidate_id), 1000)) / 1000.0 - 0.5)
                           + 0.8 * (abs(mod(hashint4(sc.interviewer_id), 100)) / 100.0 - 0.5)
                           - 1.2 * (abs(mod(hashint8(iq.revision_id), 100)) / 100.0 - 0.5)
                           + 1.5 * (u.noise - 0.5))))::smallint END,
                       u.skip, CASE WHEN u.skip THEN 'Ran out of time.' ELSE '' END, '{{}}', '{{}}',
                       (%(notes)s::text[])[1 + floor(u.pick * %(nn)s)::int], 60 + floor(u.noise * 420)::int,
                       1 + floor(u.pick * 6)::int, sc.submitted_at, iq.id, sc.id
                FROM scoring_scorecard sc JOIN interviews_interview iv ON iv.id = sc.interview_id
                JOIN interviews_interviewquestion iq ON iq.interview_id = sc.interview_id
                CROSS JOIN LATERAL (SELECT random() < 0.02 + 0 * iq.id AS skip, random() + 0 * iq.id AS noise,
                                           random() + 0 * iq.id AS pick) u
                WHERE sc.id >= {card_base}""",
            {"notes": NOTES, "nn": len(NOTES)},
        )
        # The recommendation follows the scorecard's mean score.
        conn.execute(
            f"""UPDATE scoring_scorecard sc SET recommendation = CASE WHEN a.m >= 3.1 THEN 'strong_yes'
                       WHEN a.m >= 2.5 THEN 'yes' WHEN a.m >= 1.9 THEN 'no' ELSE 'strong_no' END
                FROM (SELECT scorecard_id, avg(score) AS m FROM scoring_questionscore WHERE scorecard_id >= {card_base}
                      GROUP BY scorecard_id) a
                WHERE a.scorecard_id = sc.id"""
        )
        # Decisions for two candidates in five (hire, no hire or hold from their mean score), an
        # earlier "hold" for one in twenty (a decision history); stages follow the decision.
        conn.execute(
            f"""INSERT INTO scoring_decision (decision, rationale, at, by_id, candidate_id)
                SELECT d.decision, 'Seeded decision: the panel''s evidence on fundamentals and depth.', d.at + e * interval '1 day',
                       d.hm, d.candidate_id
                FROM (SELECT iv.candidate_id, max(iv.starts_at) + interval '1 day' AS at, p.hiring_manager_id AS hm,
                             CASE WHEN avg(qs.score) >= 2.6 THEN 'hire' WHEN avg(qs.score) < 2.35 THEN 'no_hire' ELSE 'hold' END AS decision
                      FROM interviews_interview iv JOIN interviews_candidate c ON c.id = iv.candidate_id
                      JOIN interviews_position p ON p.id = c.position_id
                      JOIN scoring_scorecard sc ON sc.interview_id = iv.id JOIN scoring_questionscore qs ON qs.scorecard_id = sc.id
                      WHERE iv.candidate_id >= {cand_base} AND (iv.candidate_id - {cand_base}) % 5 < 2
                      GROUP BY iv.candidate_id, p.hiring_manager_id) d
                CROSS JOIN LATERAL (SELECT 1 AS e UNION ALL SELECT 0 WHERE (d.candidate_id - {cand_base}) % 20 = 0) x
                """
        )
        conn.execute(
            f"""UPDATE scoring_decision SET decision = 'hold' WHERE candidate_id >= {cand_base} AND id IN (
                    SELECT DISTINCT ON (candidate_id) id FROM scoring_decision WHERE (candidate_id - {cand_base}) % 20 = 0
                    AND candidate_id >= {cand_base} ORDER BY candidate_id, at)"""
        )
        conn.execute(
            f"""UPDATE interviews_candidate c SET stage = CASE l.decision WHEN 'hire' THEN 'offer' WHEN 'no_hire' THEN 'rejected'
                                                                 ELSE 'interviewing' END
                FROM (SELECT DISTINCT ON (candidate_id) candidate_id, decision FROM scoring_decision
                      ORDER BY candidate_id, at DESC, id DESC) l
                WHERE l.candidate_id = c.id AND c.id >= {cand_base}"""
        )
        # Every saved score left an idempotency receipt behind.
        conn.execute(
            f"""INSERT INTO scoring_autosavereceipt (key, version, created_at, question_score_id, scorecard_id)
                SELECT md5(qs.id::text), qs.version, qs.updated_at, qs.id, qs.scorecard_id
                FROM scoring_questionscore qs WHERE qs.scorecard_id >= {card_base}"""
        )
        _reset_sequences(conn, ["interviews_position", "interviews_interviewplan", "interviews_plansection",
                                "interviews_planitem", "interviews_candidate", "interviews_interview", "scoring_scorecard"])
    log(f"  positions, candidates, interviews, scorecards, scores, decisions: {time.monotonic() - started:.1f}s")
    return {"comparison_position": pos_base, "first_candidate": cand_base, "first_plan": plan_base}


def check_search_vectors(q_base, sample=3):
    """The SQL above gives the same vector as Question.refresh_search_vector (checked on a few)."""
    from questionbank.models import Question

    for question in Question.objects.filter(pk__gte=q_base).select_related("current_revision").order_by("pk")[:sample]:
        before = Question.objects.filter(pk=question.pk).values_list("search_vector", flat=True).get()
        question.refresh_search_vector()
        after = Question.objects.filter(pk=question.pk).values_list("search_vector", flat=True).get()
        if before != after:
            raise SystemExit(f"The seeded search vector of {question.slug} differs from refresh_search_vector's.")


def check_facet_counts():
    """The stored facet counts equal a GROUP BY over the questions: the triggers on the question
    table (questionbank migration 0008) counted the seed's INSERT ... SELECT as they count every
    write."""
    from django.db.models import Count

    from questionbank.models import FacetCount, Question

    key = ("area", "kind", "level", "status", "roles")
    stored = {tuple(map(str, r[:-1])): r[-1] for r in FacetCount.objects.values_list(*key, "n")}
    counted = {tuple(map(str, r[:-1])): r[-1] for r in Question.objects.order_by().values_list(*key).annotate(n=Count("*"))}
    if stored != counted:
        raise SystemExit("The stored facet counts differ from a GROUP BY over the seeded questions.")


def counts(uri, q_base):
    """What was seeded, for the report."""
    with psycopg.connect(uri) as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "questions": one("SELECT count(*) FROM questionbank_question"),
            "generated_questions": one(f"SELECT count(*) FROM questionbank_question WHERE id >= {q_base}"),
            "published_questions": one("SELECT count(*) FROM questionbank_question WHERE status = 'published'"),
            "revisions": one("SELECT count(*) FROM questionbank_questionrevision"),
            "rubric_criteria": one("SELECT count(*) FROM questionbank_rubriccriterion"),
            "score_anchors": one("SELECT count(*) FROM questionbank_scoreanchor"),
            "questions_matching_regularization": one(
                "SELECT count(*) FROM questionbank_question WHERE search_vector @@ "
                "(plainto_tsquery('english', 'regularization') || plainto_tsquery('english', 'regularisation'))"),
            "questions_matching_imbalanced": one(
                "SELECT count(*) FROM questionbank_question WHERE search_vector @@ plainto_tsquery('english', 'imbalanced')"),
            "users": one("SELECT count(*) FROM auth_user"),
            "positions": one("SELECT count(*) FROM interviews_position"),
            "plans": one("SELECT count(*) FROM interviews_interviewplan"),
            "candidates": one("SELECT count(*) FROM interviews_candidate"),
            "interviews": one("SELECT count(*) FROM interviews_interview"),
            "panel_seats": one("SELECT count(*) FROM interviews_interview_interviewers"),
            "pinned_questions": one("SELECT count(*) FROM interviews_interviewquestion"),
            "scorecards": one("SELECT count(*) FROM scoring_scorecard"),
            "submitted_scorecards": one("SELECT count(*) FROM scoring_scorecard WHERE status = 'submitted'"),
            "question_scores_on_submitted_scorecards": one(
                "SELECT count(*) FROM scoring_questionscore qs JOIN scoring_scorecard sc ON sc.id = qs.scorecard_id "
                "WHERE sc.status = 'submitted'"),
            "decisions": one("SELECT count(*) FROM scoring_decision"),
            "candidates_with_a_decision": one("SELECT count(DISTINCT candidate_id) FROM scoring_decision"),
            "autosave_receipts": one("SELECT count(*) FROM scoring_autosavereceipt"),
            "database_mb": round(one("SELECT pg_database_size(current_database())") / 2**20),
        }


def seed(uri, scale, log):
    """Seed ``scale`` into the database at ``uri`` (Django must point at it too); VACUUM ANALYZE.
    Returns (ids of what the bench uses, counts, seconds)."""
    started = time.monotonic()
    log(f"Seeding the {scale.name} data set: {asdict(scale)}")
    q_base = seed_questions(uri, scale, log)
    people = seed_people(scale)
    ids = seed_interviews(uri, scale, people, q_base, log)
    check_search_vectors(q_base)
    check_facet_counts()
    step = time.monotonic()
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    log(f"  VACUUM ANALYZE: {time.monotonic() - step:.1f}s")
    seconds = time.monotonic() - started
    return {**ids, "people": people, "first_generated_question": q_base}, counts(uri, q_base), seconds
