"""The apps depend on each other one way: jobs and mail at the very bottom, accounts and
questionbank above them, notifications above those, then interviews, scoring, and the api on
top (docs/architecture.md). An import or a migration dependency the
other way fails here, with the file that makes it."""

import ast
from pathlib import Path

import pytest
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parents[1]
LAYER = {"jobs": 0, "mail": 0, "accounts": 1, "questionbank": 1, "notifications": 2,
         "webhooks": 2,  # above accounts (it audits admins' changes), below interviews and scoring (they publish)
         "interviews": 3, "scoring": 4,
         "api": 5}  # the REST API reads and writes through every app below; nothing imports it


def imported_apps(path):
    """The project apps a module imports (absolute imports; relative ones stay in the app)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYER:
                yield top, node.lineno


def wrong_way_imports():
    found = []
    for app, layer in LAYER.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            for other, line in imported_apps(path):
                if other != app and LAYER[other] >= layer:
                    found.append(f"{path.relative_to(ROOT)}:{line} imports {other}")
    return found


def test_no_app_imports_a_layer_above_or_beside_it():
    assert wrong_way_imports() == []


def test_the_check_finds_a_wrong_way_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom scoring.models import Scorecard\nfrom .models import X\n")
    assert list(imported_apps(module)) == [("scoring", 2)]


@pytest.mark.django_db
def test_no_migration_depends_on_a_later_layer():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    wrong = [
        f"{app}/{name} depends on {dep_app}/{dep_name}"
        for (app, name), migration in loader.disk_migrations.items() if app in LAYER
        for dep_app, dep_name in migration.dependencies
        if dep_app in LAYER and dep_app != app and LAYER[dep_app] >= LAYER[app]
    ]
    assert wrong == []
