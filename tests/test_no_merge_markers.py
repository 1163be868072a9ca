"""No file of the project keeps a merge's conflict markers: a template once shipped them to the
calibration page (issue 17's merges), and no other test reads that part of the page."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)


def test_no_tracked_file_has_conflict_markers():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in files:
        path = ROOT / name
        if not path.is_file() or path.suffix in {".png", ".pdf", ".docx", ".woff2", ".ttf", ".ico"}:
            continue
        text = path.read_text(errors="replace")
        found += [f"{name}:{text[:m.start()].count(chr(10)) + 1}" for m in MARKER.finditer(text)]
    assert not found, f"Conflict markers left by a merge: {found}"
