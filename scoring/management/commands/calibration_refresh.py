"""Compute the calibration page's figures again when the data they read has changed.

The worker runs this every minute (scoring/tasks.py); run it by hand (or from cron where no
worker runs) to bring the page up to date at once. ``--force`` computes even when nothing
changed."""

from django.core.management.base import BaseCommand

from scoring.calibration import calibration_refresh


class Command(BaseCommand):
    help = "Compute the calibration figures again if the scorecards, decisions or interviews changed."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="compute even when nothing changed")

    def handle(self, *args, force=False, **options):
        snapshot = calibration_refresh(force=force)
        self.stdout.write(f"Calibration figures as of {snapshot.computed_at:%Y-%m-%d %H:%M:%S} "
                          f"(computed in {snapshot.seconds:.2f} s).")
