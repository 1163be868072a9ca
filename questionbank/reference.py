"""What an interviewer needs of a coding or SQL question, as the question page and the live
page show it: the reference solution and its hidden tests (for SQL: the schema, data,
reference query and expected rows). Values are written as JSON, the way a candidate would
type them, not as Python reprs."""

import json


def reference_block(reference_solution, coding_tests):
    """A dict for templates/questionbank/includes/reference_body.html, or None when the
    question has no reference solution."""
    if not reference_solution:
        return None
    tests = coding_tests if isinstance(coding_tests, dict) else {}
    if tests.get("language") == "sql":
        rows = tests.get("expected_rows")
        return {
            "sql": True, "code": reference_solution, "schema": str(tests.get("schema") or ""),
            "data": str(tests.get("data") or ""), "ordered": bool(tests.get("ordered")),
            "rows": [[json.dumps(value, ensure_ascii=False) for value in row]
                     for row in (rows if isinstance(rows, list) else []) if isinstance(row, list)],
        }
    tolerance = tests.get("tolerance")
    return {"sql": False, "code": reference_solution, "test_cases": test_case_rows(tests),
            "tolerance": tolerance if isinstance(tolerance, (int, float)) and not isinstance(tolerance, bool) else None}


def test_case_rows(coding_tests):
    """A coding question's test cases: the call written out (``bigrams(["Hello."])``) and the
    expected value, both as JSON."""
    function = coding_tests.get("function") or "solution"
    cases = []
    for case in coding_tests.get("test_cases") or []:
        if not isinstance(case, dict):
            continue
        args = case.get("args")
        args = args if isinstance(args, list) else [args]
        cases.append({
            "name": str(case.get("name") or ""),
            "call": f"{function}({', '.join(json.dumps(a, ensure_ascii=False) for a in args)})",
            "expected": json.dumps(case.get("expected"), ensure_ascii=False),
        })
    return cases
