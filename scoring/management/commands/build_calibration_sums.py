"""Build calibration's stored sums ahead of the first view (scoring/calibration_sums.py).

The calibration page rebuilds by itself whatever is missing or outdated, so this is never
required; after a release that changes how the sums are computed (a new SUMS_FORMAT), or on
a first deploy with a long history, it spares the first viewer the wait (a few seconds on
200,000 scores). Idempotent: slices already up to date are left alone."""

from django.core.management.base import BaseCommand

from scoring import calibration_sums
from scoring.models import CalibrationSlice


class Command(BaseCommand):
    help = "Build calibration's stored sums for the slices of interviews that are missing or outdated."

    def handle(self, *args, **options):
        stale = calibration_sums.stale_slices()
        if stale:
            calibration_sums.refresh(stale)
        kept = CalibrationSlice.objects.exclude(number__in=stale).count()
        self.stdout.write(f"Calibration sums: {len(stale)} slice(s) rebuilt, {kept} already up to date.")
