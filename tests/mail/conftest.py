"""A real SMTP server on a loopback port (aiosmtpd), which records what it accepts."""

import asyncio
import email
import email.policy
import socket
import time

import pytest
from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """Keeps every message the server accepted, parsed. ``delay``: seconds a slow server takes
    to answer each recipient, before the message itself is sent (a worker killed then has sent
    half a conversation, which the server drops, as every SMTP server does with a message
    whose end never came)."""

    def __init__(self):
        self.messages = []
        self.delay = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.delay:
            await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self):
        self.port = free_port()
        self.recorder = Recorder()
        self.controller = None

    @property
    def messages(self):
        return self.recorder.messages

    def start(self):
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return len(self.messages)


@pytest.fixture
def smtp_server(settings):
    server = SMTPServer()
    server.start()
    settings.MAIL_DELIVERY = "smtp"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def test_templates(settings):
    """templates/mail/test_note*: a message made for these tests (tests/mail/templates)."""
    from pathlib import Path

    engines = [dict(engine) for engine in settings.TEMPLATES]
    engines[0]["DIRS"] = [*engines[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = engines
