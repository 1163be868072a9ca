import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questionbank.models import Area, Kind, Level, RoleTrack
from questionbank.docparser import DocumentError
from questionbank.docparser.readers import read_source
from questionbank.importing import ImportRefused, apply_import, build_preview


class Command(BaseCommand):
    help = (
        "Import questions from a Panelist JSON/CSV export or a document (Word .docx, PDF, HTML, Markdown, text). "
        "Near-duplicates of existing questions are skipped (listed as warnings)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Parse and check only; write nothing.")
        parser.add_argument("--json", action="store_true", help="Print what was found as JSON.")
        parser.add_argument("--area", choices=Area.values, default=Area.FUNDAMENTALS)
        parser.add_argument("--kind", choices=Kind.values, default=Kind.CONCEPT)
        parser.add_argument("--level", choices=Level.values, default=Level.MID)
        parser.add_argument("--roles", default="mle", help="Comma-separated role tracks for documents.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        try:
            source = read_source(path.name, data)
        except DocumentError as exc:
            raise CommandError(f"{path}: {exc}") from None
        roles = [r.strip() for r in options["roles"].split(",") if r.strip()]
        if not roles or any(r not in RoleTrack.values for r in roles):
            raise CommandError(f"--roles must be drawn from {', '.join(RoleTrack.values)}")
        defaults = {"area": options["area"], "kind": options["kind"], "level": options["level"], "roles": roles}
        try:
            preview = build_preview(name=path.name, text=source.text, defaults=defaults, source_kind=source.kind,
                                    reader_dropped=source.dropped)
        except ImportRefused as exc:
            raise CommandError(f"{path}: {exc}") from None
        warnings = list(preview["warnings"]) + [
            f"{item['content']['title']}: {w}" for item in preview["items"] for w in item["warnings"]
        ]
        if options["json"]:
            self.stdout.write(json.dumps({
                "questions": [
                    {
                        "title": item["content"]["title"],
                        "prompt": item["content"]["prompt"],
                        "why_we_ask": item["content"]["why_we_ask"],
                        "model_answer": item["content"]["model_answer"],
                        "evaluation": item.get("evaluation", ""),
                        "key_points": item["content"]["key_points"],
                        "follow_ups": [f["question"] for f in item["content"]["follow_ups"]],
                    }
                    for item in preview["items"]
                ],
                "warnings": warnings,
                "dropped": [{"line": d["line"], "text": d["text"]} for d in preview["reader_dropped"] + preview["dropped"]],
            }, indent=2, ensure_ascii=False))
        else:
            for item in preview["items"]:
                mark = "+" if item["include"] else "-"
                self.stdout.write(f"{mark} [{item['action']}] {item['content']['title']}")
            for w in warnings:
                self.stderr.write(f"warning: {w}")
            for d in preview["reader_dropped"] + preview["dropped"]:
                self.stderr.write(f"left out: line {d['line']} ({d['reason']}): {d['text'][:120]}")
        if options["dry_run"]:
            return
        include = {item["index"] for item in preview["items"] if item["include"]}
        counts = apply_import(preview, include=include)
        if not options["json"]:
            self.stdout.write(f"Imported: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged.")
