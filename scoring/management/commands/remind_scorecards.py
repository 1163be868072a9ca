import json as _json

from django.core.management.base import BaseCommand
from django.utils import timezone

from scoring.reminders import debriefs_ready, reminders_due, reminders_send


class Command(BaseCommand):
    help = ("Remind panelists of missing scorecards, tell recruiters and hiring managers of overdue ones and "
            "hiring managers of complete debriefs, as the worker does every ten minutes (scoring/reminders.py).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent now; send nothing.")
        parser.add_argument("--json", action="store_true",
                            help='Print {"reminders": [{"to": username, "interview": id, "reason": ...}]}.')

    def handle(self, *args, dry_run=False, json=False, **options):
        now = timezone.now()
        reminders = reminders_due(now=now) + debriefs_ready(now=now) if dry_run else reminders_send(now=now)
        if json:
            self.stdout.write(_json.dumps({"reminders": [r.as_json() for r in reminders]}, indent=2))
            return
        verb = "Would send" if dry_run else "Queued"
        self.stdout.write(f"{verb} {len(reminders)} reminder(s).")
        for r in reminders:
            self.stdout.write(f"  {r.kind:<10} to {r.to.username:<12} interview {r.interview.pk} "
                              f"(scorecard of {r.panelist.username})")
