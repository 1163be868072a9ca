"""Request bodies are bounded before anything reads them (security probe finding 7): an
oversized body gets 413, a body without a length 411, and a file upload from someone not
signed in is sent to sign in without being parsed or written to disk."""

import http.client
import io
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
BOUNDARY = "PanelistTestBoundary"


class RecordingUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS during a test: notes every file part the multipart parser
    starts, then passes the data on to Django's own handlers."""

    started = []

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        RecordingUploadHandler.started.append(file_name)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture
def recorded_uploads(settings, tmp_path):
    settings.FILE_UPLOAD_HANDLERS = ["tests.test_uploads.RecordingUploadHandler", *settings.FILE_UPLOAD_HANDLERS]
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    RecordingUploadHandler.started = []
    return RecordingUploadHandler.started


def multipart_head(filename="cv.pdf"):
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"cv_file\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/pdf\r\n\r\n%PDF-").encode()


def connect(live_server):
    parts = urlsplit(live_server.url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)


def test_a_200_mb_upload_from_an_anonymous_client_is_refused_before_anything_is_written(live_server, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    conn = connect(live_server)
    conn.putrequest("POST", "/candidates/1/edit/")
    conn.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    conn.putheader("Content-Length", str(200 * 1024 * 1024))
    conn.endheaders()
    sent = 0
    try:
        conn.send(multipart_head())
        chunk = b"0" * 65536
        while sent < 8 * 1024 * 1024:  # the first 8 MB of the claimed 200
            conn.send(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may hang up once it has answered
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    assert response.status == 413
    assert "Panelist accepts at most 6 MB at a time" in body
    assert list(tmp_path.iterdir()) == []


def test_a_chunked_body_without_a_length_is_refused(live_server, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    conn = connect(live_server)
    conn.putrequest("POST", "/login/")
    conn.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    data = multipart_head() + b"0" * 100_000
    conn.send(f"{len(data):x}\r\n".encode() + data + b"\r\n0\r\n\r\n")
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    assert response.status == 411
    assert "sent without its length" in body
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_an_anonymous_upload_is_sent_to_sign_in_without_being_parsed(recorded_uploads):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    upload = io.BytesIO(b"%PDF-" + b"0" * 100_000)
    upload.name = "cv.pdf"
    response = client.post("/candidates/1/edit/", {"csrfmiddlewaretoken": token, "cv_file": upload})
    assert response.status_code == 302 and response["Location"] == "/login/?next=/candidates/1/edit/"
    assert recorded_uploads == []


@pytest.mark.django_db
def test_the_sign_in_form_still_works_when_posted_as_multipart(client, hiring_manager):
    response = client.post("/login/", {"username": "hm", "password": PASSWORD})  # the test client's default
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_a_signed_in_upload_over_the_limit_gets_413_and_is_not_parsed(hm_client, settings, recorded_uploads):
    settings.MAX_REQUEST_BYTES = 50_000
    upload = io.BytesIO(b"x" * 60_000)
    upload.name = "big.md"
    response = hm_client.post("/questions/import/", {"file": upload, "area": "data"})
    assert response.status_code == 413
    assert "The request is 58 KB; Panelist accepts at most 48 KB at a time" in response.content.decode()
    assert recorded_uploads == []


@pytest.mark.django_db
def test_a_signed_in_upload_within_the_limit_is_read_as_usual(hm_client, settings, recorded_uploads):
    settings.MAX_REQUEST_BYTES = 50_000
    upload = io.BytesIO(b"1. What is overfitting?\nWhen a model fits noise.\n")
    upload.name = "one.md"
    response = hm_client.post("/questions/import/", {"file": upload, "area": "data", "kind": "concept",
                                                     "level": "mid", "roles": ["ds"]})
    assert response.status_code == 200
    assert recorded_uploads == ["one.md"]


@pytest.mark.django_db
def test_a_json_request_over_the_limit_gets_a_json_refusal(hm_client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = hm_client.post("/interviews/1/autosave/", data="{" + " " * 2000 + "}", content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


def test_the_limit_comes_from_the_environment_and_a_bad_value_stops_start_up():
    def limit(value):
        env = {"PATH": "/usr/bin:/bin", "MAX_REQUEST_BYTES": value}
        return subprocess.run([sys.executable, "-c", "from config import settings; print(settings.MAX_REQUEST_BYTES)"],
                              cwd=ROOT, env=env, capture_output=True, text=True)

    assert limit("1048576").stdout.strip() == "1048576"
    refused = limit("six megabytes")
    assert refused.returncode != 0 and "MAX_REQUEST_BYTES='six megabytes' is not a whole number" in refused.stderr
