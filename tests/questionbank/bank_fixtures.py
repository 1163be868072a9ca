"""Small bank files for tests of the checker and the runners: one valid question of each
runnable kind, written into a tmp_path bank (never into questionbank/bank)."""

import copy

import yaml

ANSWER = (
    "The answer names the idea, gives the formula where there is one, works one small example through "
    "with real numbers, and then says where the method breaks and what the candidate would use instead. "
    "It states the trade-off in plain words, the cost in time and memory, and one mistake people make "
    "in practice, such as leaking the test set into the choice of a threshold or forgetting ties. "
    "A strong answer also says how it would check the result on held-out data before trusting it."
)

BASE = {
    "kind": "concept", "level": "mid", "roles": ["ds", "mle"], "minutes": 8,
    "prompt": "Walk me through how you would compute this, and what could go wrong.",
    "why_we_ask": "It shows whether the candidate can turn a definition into working steps. It also catches the usual off-by-one.",
    "model_answer": ANSWER,
    "key_points": ["States the definition", "Works an example", "Names an edge case", "States the cost"],
    "follow_ups": [{"question": "What if the input is empty?", "good_answer": "Returns nothing, without an error."},
                   {"question": "How does it scale?", "good_answer": "Linear in the number of rows."}],
    "criteria": ["States the definition in one sentence", "Works one example with numbers",
                 "Names an edge case and how the code handles it"],
    "anchors": {1: "Cannot state what is being computed, or computes a different quantity.",
                2: "States the definition but the worked example has a substantive error left uncorrected.",
                3: "Meets criteria 1-3: correct definition, a correct worked example, one named edge case.",
                4: "All criteria plus the cost at scale and a check they would run before trusting the figure."},
}

CODING = {
    "function": "running_max",
    "reference_solution": (
        "def running_max(values):\n"
        "    out, best = [], None\n"
        "    for v in values:\n"
        "        best = v if best is None or v > best else best\n"
        "        out.append(best)\n"
        "    return out\n"
    ),
    "test_cases": [
        {"name": "empty", "args": [[]], "expected": []},
        {"name": "one", "args": [[3]], "expected": [3]},
        {"name": "rising", "args": [[1, 2, 3]], "expected": [1, 2, 3]},
        {"name": "falling", "args": [[3, 2, 1]], "expected": [3, 3, 3]},
        {"name": "negatives", "args": [[-5, -7, -1]], "expected": [-5, -5, -1]},
    ],
    "wrong_solutions": [
        {"mistake": "starts the maximum at 0, wrong for negative numbers",
         "code": "def running_max(values):\n    out, best = [], 0\n    for v in values:\n"
                 "        best = max(best, v)\n        out.append(best)\n    return out\n"},
    ],
}

# Two small SQL questions (the bank's own are written elsewhere): one ordered, one a multiset.
SQL_ORDERED = {
    "schema": "CREATE TABLE orders (id integer PRIMARY KEY, customer text NOT NULL, amount numeric(8, 2) NOT NULL,\n"
              "                     placed_on date NOT NULL);\n",
    "data": "INSERT INTO orders VALUES (1, 'ana', 10.50, '2026-01-05'), (2, 'ana', 4.25, '2026-01-09'),\n"
            "  (3, 'bo', 7.00, '2026-01-06'), (4, 'cy', 1.00, '2026-02-01');\n",
    "reference_query": "SELECT customer, sum(amount) AS total, min(placed_on) AS first_order, avg(amount) AS mean\n"
                       "FROM orders WHERE placed_on < '2026-02-01' GROUP BY customer ORDER BY total DESC;\n",
    "expected_rows": [["ana", 14.75, "2026-01-05", 7.375], ["bo", 7.0, "2026-01-06", 7.0]],
    "ordered": True,
    "wrong_queries": [
        {"mistake": "keeps February's order (<= instead of <)",
         "query": "SELECT customer, sum(amount) AS total, min(placed_on), avg(amount) FROM orders\n"
                  "WHERE placed_on <= '2026-02-01' GROUP BY customer ORDER BY total DESC;\n"},
        {"mistake": "orders ascending",
         "query": "SELECT customer, sum(amount) AS total, min(placed_on), avg(amount) FROM orders\n"
                  "WHERE placed_on < '2026-02-01' GROUP BY customer ORDER BY total;\n"},
    ],
}

SQL_UNORDERED = {
    "schema": "CREATE TABLE users (id integer PRIMARY KEY, country text);\n"
              "CREATE TABLE logins (user_id integer REFERENCES users, at timestamp NOT NULL);\n",
    "data": "INSERT INTO users VALUES (1, 'pt'), (2, NULL), (3, 'pt');\n"
            "INSERT INTO logins VALUES (1, '2026-03-01 10:00'), (1, '2026-03-02 09:30'), (2, '2026-03-01 08:00');\n",
    "reference_query": "SELECT u.id, u.country, count(l.user_id) AS logins, max(l.at) AS last_login\n"
                       "FROM users u LEFT JOIN logins l ON l.user_id = u.id GROUP BY u.id, u.country;\n",
    "expected_rows": [[3, "pt", 0, None], [1, "pt", 2, "2026-03-02T09:30:00"], [2, None, 1, "2026-03-01T08:00:00"]],
    "ordered": False,
    "wrong_queries": [
        {"mistake": "an inner join drops users who never logged in",
         "query": "SELECT u.id, u.country, count(*) AS logins, max(l.at) FROM users u JOIN logins l ON l.user_id = u.id\n"
                  "GROUP BY u.id, u.country;\n"},
        {"mistake": "count(*) counts the NULL row of a user with no logins as one",
         "query": "SELECT u.id, u.country, count(*) AS logins, max(l.at) FROM users u LEFT JOIN logins l\n"
                  "ON l.user_id = u.id GROUP BY u.id, u.country;\n"},
    ],
}


def question(slug, area, **changes):
    data = copy.deepcopy(BASE)
    data.update(slug=slug, area=area, title=f"Fixture {slug}")
    data.update(copy.deepcopy(changes))
    return data


def coding_question(slug="test-running-max", **changes):
    texts = {"title": "Coding: running maximum of a list",
             "prompt": "Write running_max(values) returning, for each position, the largest value seen so far."}
    return question(slug, "ml-coding", kind="coding", minutes=15, coding=copy.deepcopy(CODING), **{**texts, **changes})


def sql_question(slug="test-order-totals", sql=SQL_ORDERED, **changes):
    texts = {
        "title": "SQL: January order totals per customer",
        "prompt": "From orders, list each customer's January total, first order date and mean order, largest total first.",
    } if sql is SQL_ORDERED else {
        "title": "SQL: login counts including people who never logged in",
        "prompt": "For every user, count their logins and give the time of the last one, keeping users with none.",
    }
    return question(slug, "sql", kind="sql", minutes=12, sql=copy.deepcopy(sql), **{**texts, **changes})


def write_bank(root, *questions):
    """Write the questions as <root>/<area>/<slug>.yaml; return root."""
    for data in questions:
        folder = root / data["area"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{data['slug']}.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return root
