from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from interviews.models import Candidate, Position, PositionStatus, Stage

# Invented people; every address is at example.com. Plans and interviews are made elsewhere.
POSITIONS = [
    {
        "title": "Senior ML Engineer, Ranking",
        "team": "Search & Discovery",
        "level": "senior",
        "candidates": [
            ("Priya Raman", "priya.raman@example.com", Stage.INTERVIEWING, "Referral",
             "Led the learning-to-rank rewrite at a travel marketplace; strong on offline/online metric gaps."),
            ("Tomasz Wójcik", "tomasz.wojcik@example.com", Stage.INTERVIEWING, "LinkedIn",
             "Feature-store and serving-latency background; asks good questions about A/B guardrails."),
            ("Amara Okafor", "amara.okafor@example.com", Stage.SCREEN, "Job board", ""),
            ("Daniel Kim", "daniel.kim@example.com", Stage.APPLIED, "Careers page", ""),
        ],
    },
    {
        "title": "Data Scientist, Growth",
        "team": "Growth",
        "level": "mid",
        "candidates": [
            ("Sofia Marques", "sofia.marques@example.com", Stage.INTERVIEWING, "Referral",
             "Ran the experimentation platform at a subscription start-up; CUPED and sequential testing."),
            ("Liam O'Connor", "liam.oconnor@example.com", Stage.SCREEN, "Agency", ""),
            ("Mei Chen", "mei.chen@example.com", Stage.APPLIED, "Meetup", "Met at the causal-inference meetup."),
        ],
    },
]


class Command(BaseCommand):
    help = "Create demo positions and candidates for the demo accounts (run seed_demo first). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        try:
            hannah = User.objects.get(username="hannah")
            rita = User.objects.get(username="rita")
        except User.DoesNotExist:
            raise CommandError("Run `manage.py seed_demo` first: it creates the demo accounts.") from None
        made = 0
        for spec in POSITIONS:
            position, _ = Position.objects.get_or_create(
                title=spec["title"],
                defaults={"team": spec["team"], "level": spec["level"], "hiring_manager": hannah,
                          "recruiter": rita, "status": PositionStatus.OPEN},
            )
            for name, email, stage, source, notes in spec["candidates"]:
                _, created = Candidate.objects.get_or_create(
                    position=position, email=email,
                    defaults={"name": name, "stage": stage, "source": source, "notes": notes},
                )
                made += created
        self.stdout.write(f"Demo positions: {len(POSITIONS)}; candidates added: {made}.")
