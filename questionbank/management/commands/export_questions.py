from django.core.management.base import BaseCommand

from questionbank.exporting import EXPORTERS


class Command(BaseCommand):
    help = "Export the question bank as JSON (lossless), CSV or Markdown."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(EXPORTERS), default="json")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        text = EXPORTERS[options["format"]][0]()
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stderr.write(f"Wrote {options['output']}")
        else:
            self.stdout.write(text)
