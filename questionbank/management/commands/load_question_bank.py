from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questionbank.bankfiles import BANK_DIR
from questionbank.loading import BankFileError, load_bank


class Command(BaseCommand):
    help = "Load the built-in question bank from questionbank/bank/ (idempotent: reruns update in place by slug)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(BANK_DIR), help="Folder of <area>/<slug>.yaml files.")

    def handle(self, *args, **options):
        try:
            counts = load_bank(Path(options["dir"]))
        except BankFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Question bank: {counts['created']} created, {counts['revised']} revised, {counts['unchanged']} unchanged, "
            f"{counts['retired']} retired."
        )
        if counts["samples"]:
            self.stdout.write(f"Sample answers: {counts['samples']} added or changed.")
        if counts["kept_published"]:
            self.stdout.write(
                "Kept published (retired.yaml lists them, but a team re-published them after the bank retired "
                f"them): {', '.join(counts['kept_published'])}."
            )
