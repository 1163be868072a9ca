"""Load the starter interview plans (templates) from interviews/starter_plans.yaml
(interviews/starter_plans.py), then the starter loops from interviews/starter_loops.yaml
(interviews/loops.py).

Idempotent. A problem in either file (an unknown or unpublished slug, a competency outside the
shared vocabulary, a template longer than its slot, a malformed loop) stops the command before
anything is written. Every slug of the loop file is a question file of the bank, but the loops
load only when every question they use is also published in the database: after a release adds
questions and before ``load_question_bank`` has run, or when a team has retired one of them in
the app, the command loads the templates, names the questions the loops wait for, and succeeds
(``--require-loops`` makes it fail instead).
"""

from django.core.management.base import BaseCommand, CommandError

from interviews import loops as starter_loops
from interviews.starter_plans import STARTER_FILE, StarterFileError, load_starter_plans, read_starter_plans


class Command(BaseCommand):
    help = (
        "Create or update the starter interview plans from interviews/starter_plans.yaml and the starter loops "
        "from interviews/starter_loops.yaml. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(STARTER_FILE), help="The YAML file of templates.")
        parser.add_argument("--loops-file", help="The YAML file of starter loops (default: interviews/starter_loops.yaml).")
        parser.add_argument("--no-loops", action="store_true", help="Load the templates only.")
        parser.add_argument(
            "--require-loops", action="store_true",
            help="Fail when the loops cannot load (some of their questions are not published in the database) "
                 "instead of loading the templates alone with a warning.",
        )

    def handle(self, *args, **options):
        try:
            self._load(options)
        except StarterFileError as error:
            raise CommandError(str(error)) from error

    def _load(self, options):
        templates = read_starter_plans(options["file"])
        loops = None
        if not options["no_loops"]:
            # A malformed loop file stops the command before anything is written.
            loops = starter_loops.read_starter_loops(
                options["loops_file"] or starter_loops.LOOPS_FILE, taken_names={t["name"] for t in templates},
            )
        counts = load_starter_plans(options["file"])
        self.stdout.write(self.style.SUCCESS(
            f"Starter plans: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged."
        ))
        if loops is None:
            return
        missing = starter_loops.missing_questions(loops)
        if missing:
            shown = ", ".join(missing[:12]) + (f" and {len(missing) - 12} more" if len(missing) > 12 else "")
            message = (
                f"Starter loops not loaded: {len(missing)} of the questions they use are not published in the bank "
                f"yet ({shown}). Run load_question_bank (or publish them again), then rerun this command."
            )
            if options["require_loops"]:
                raise CommandError(message)
            self.stderr.write(self.style.WARNING(message))
            return
        counts = starter_loops.load_starter_loops(loops)
        self.stdout.write(self.style.SUCCESS(
            f"Starter loops: {len(loops)} loops; plans {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged."
        ))
