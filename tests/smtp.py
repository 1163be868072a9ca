"""A real SMTP server on a loopback port (aiosmtpd), which records what it accepts: the
``smtp_server`` fixture (tests/conftest.py)."""

import asyncio
import email
import email.policy
import socket
import time

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
