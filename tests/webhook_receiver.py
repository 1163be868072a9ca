"""A small HTTP server on a loopback port that records what is posted to it (a chat service's
incoming webhook, an ATS's webhook endpoint, for the tests), answering ``status``.

``bodies``: the JSON of each post answered 2xx. ``requests``: every post as it arrived (its
headers and raw body), before the answer, whatever the answer. ``delay``: seconds to wait
before answering (a slow receiver). A 3xx answer sends ``Location: location``; ``answer``: the
response body."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self):
        self.bodies = []
        self.requests = []
        self.status = 200
        self.delay = 0
        self.location = "http://127.0.0.1:9/elsewhere"
        self.answer = None  # the response body; by default "ok" or "no"
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.requests.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body,
                                          "path": self.path, "at": time.monotonic()})
                if receiver.delay:
                    time.sleep(receiver.delay)
                status = receiver.status
                if status < 300:
                    receiver.bodies.append(json.loads(body))
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.location)
                self.end_headers()
                self.wfile.write(receiver.answer if receiver.answer is not None else b"ok" if status < 300 else b"no")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
