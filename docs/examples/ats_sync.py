"""Push candidates from a CSV file to Panelist, schedule their interviews, and read back the
submitted scorecards: the end-to-end example of docs/api.md. Python's standard library only.

    export PANELIST_TOKEN=pnl_...          # a read-write token (/account/tokens/)
    python ats_sync.py push --base https://panelist.example.com --position 3 --plan 7 candidates.csv
    python ats_sync.py scorecards --base https://panelist.example.com --position 3

The CSV has a header row: external_id,name,email,source,starts_at,interviewers. starts_at (ISO
8601 with its offset) and interviewers (usernames separated by spaces) may be empty: the
candidate is then pushed but not scheduled. Running "push" again is safe: candidates are
updated by their external_id, and a candidate with an interview that is not cancelled is not
scheduled twice. "scorecards" prints one JSON object a line per submitted scorecard.
"""

import argparse
import csv
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


class Panelist:
    def __init__(self, base, token):
        self.base, self.token = base.rstrip("/"), token

    def call(self, method, path, body=None):
        """(status, JSON) of one request; a refusal stops the script with Panelist's words."""
        url = path if path.startswith(("http://", "https://")) else self.base + path
        request = urllib.request.Request(
            url, method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                     "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            problem = json.load(error)
            errors = f" {json.dumps(problem['errors'])}" if problem.get("errors") else ""
            raise SystemExit(f"{method} {url}: {error.code} {problem.get('detail')}{errors}") from None

    def every(self, path):
        """Every row of a list, following the cursor's next links."""
        while path:
            _, page = self.call("GET", path)
            yield from page["results"]
            path = page["next"]


def push(panelist, position, plan, csv_path):
    with open(csv_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            external_id = urllib.parse.quote(row["external_id"].strip(), safe="")
            fields = {key: row[key].strip() for key in ("name", "email", "source") if (row.get(key) or "").strip()}
            status, candidate = panelist.call("PUT", f"/api/v1/positions/{position}/candidates/{external_id}/", fields)
            print(f"{'created' if status == 201 else 'updated'} {row['external_id']} as candidate {candidate['id']}")
            if not (row.get("starts_at") or "").strip() or plan is None:
                continue
            interviews = panelist.every(f"/api/v1/interviews/?candidate={candidate['id']}")
            if any(interview["status"] != "cancelled" for interview in interviews):
                print(f"  {row['external_id']} already has an interview")
                continue
            _, interview = panelist.call("POST", "/api/v1/interviews/", {
                "candidate": candidate["id"], "plan": plan, "starts_at": row["starts_at"].strip(),
                "interviewers": row["interviewers"].split(),
            })
            print(f"  scheduled interview {interview['id']} at {interview['starts_at']}")


def scorecards(panelist, position):
    for candidate in panelist.every(f"/api/v1/candidates/?position={position}"):
        for card in panelist.every(f"/api/v1/scorecards/?candidate={candidate['id']}"):
            print(json.dumps({"external_id": candidate["external_id"], "candidate": candidate["name"],
                              "interviewer": card["interviewer"], "recommendation": card["recommendation"],
                              "summary": card["summary"], "submitted_at": card["submitted_at"],
                              "scores": {s["title"]: s["score"] for s in card["scores"]}}))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["push", "scorecards"])
    parser.add_argument("csv", nargs="?", help="the candidates (push)")
    parser.add_argument("--base", required=True, help="Panelist's address, e.g. https://panelist.example.com")
    parser.add_argument("--position", required=True, type=int, help="the position's id")
    parser.add_argument("--plan", type=int, help="the plan to schedule with (push)")
    args = parser.parse_args(argv)
    token = os.environ.get("PANELIST_TOKEN")
    if not token:
        raise SystemExit("Set PANELIST_TOKEN to a Panelist API token.")
    panelist = Panelist(args.base, token)
    if args.command == "push":
        if not args.csv:
            raise SystemExit("push needs the CSV file of candidates.")
        push(panelist, args.position, args.plan, args.csv)
    else:
        scorecards(panelist, args.position)


if __name__ == "__main__":
    sys.exit(main())
