"""A real OpenID Connect provider on loopback for the single sign-on tests: the small Django
project in tests/oidc_provider/ (django-oauth-toolkit), migrated into a SQLite file in a
temporary folder, given a fresh RSA key, Panelist's registration and its people by its setup
command, then served by its own process for the session and stopped after it."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from accounts.oidc import forget_provider_metadata
# The browser fixtures (Chromium through Playwright, Django's live server).
from tests.browser.conftest import open_session  # noqa: F401 (`browser` is tests/conftest.py's)

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "panelist"
CLIENT_SECRET = "panelist-test-client-secret-0123456789"
PROVIDER_PASSWORD = "provider-password-1"
ROLE_MAP = {"ml-hiring": "hiring_manager", "ml-panel": "interviewer", "talent": "recruiter"}
# email:groups for each person the provider knows (tests/oidc_provider/validators.py says why
# the last two misbehave).
PEOPLE = {
    "alice@acme.test": "ml-hiring+book-club",
    "ivan@acme.test": "ml-panel",
    "olga@elsewhere.test": "ml-hiring",
    "expired@acme.test": "ml-panel",
    "other-audience@acme.test": "ml-panel",
}


@dataclass
class Provider:
    issuer: str
    port: int
    data: Path
    env: dict

    def manage(self, *args):
        """Run one of the provider's management commands (its database is a file)."""
        subprocess.run([sys.executable, "-m", "django", *args], cwd=ROOT, env=self.env, check=True,
                       capture_output=True, timeout=120)

    def set_groups(self, email, groups, *, panelist_url):
        self.manage("provider_setup", "--redirect-uri", f"{panelist_url}/sso/callback/",
                    "--logout-uri", f"{panelist_url}/login/", "--client-id", CLIENT_ID,
                    "--client-secret", CLIENT_SECRET, f"{email}:{PROVIDER_PASSWORD}:{'+'.join(groups)}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    data = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (data / "rsa.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()))
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings", "PROVIDER_DATA": str(data),
           "PROVIDER_PORT": str(port)}
    provider = Provider(issuer=f"http://127.0.0.1:{port}/o", port=port, data=data, env=env)
    provider.manage("migrate", "--verbosity", "0")
    provider.manage("provider_setup", "--redirect-uri", f"{live_server.url}/sso/callback/",
                    "--logout-uri", f"{live_server.url}/login/", "--client-id", CLIENT_ID,
                    "--client-secret", CLIENT_SECRET,
                    *(f"{email}:{PROVIDER_PASSWORD}:{groups}" for email, groups in PEOPLE.items()))
    log = (data / "server.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The test provider did not start: {(data / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield provider
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def sso_settings(settings, *, issuer, **changes):
    """Single sign-on on, with the test provider's registration (or ``issuer``)."""
    values = {
        "PANELIST_SSO_ENABLED": True, "PANELIST_OIDC_ISSUER": issuer, "PANELIST_OIDC_PROVIDER_NAME": "Acme ID",
        "OIDC_RP_CLIENT_ID": CLIENT_ID, "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_RP_SCOPES": "openid email profile groups", "PANELIST_OIDC_ALLOWED_DOMAINS": ["acme.test"],
        "PANELIST_OIDC_ROLE_MAP": ROLE_MAP, "PANELIST_OIDC_GROUPS_CLAIM": "groups",
        "PANELIST_OIDC_ENDPOINTS": {name: "" for name in settings.PANELIST_OIDC_ENDPOINTS},
        **changes,
    }
    for name, value in values.items():
        setattr(settings, name, value)
    forget_provider_metadata()
    return settings


@pytest.fixture
def sso_on(settings, oidc_provider):
    """Single sign-on through the running test provider."""
    yield sso_settings(settings, issuer=oidc_provider.issuer)
    forget_provider_metadata()


@pytest.fixture
def sso_down(settings):
    """Single sign-on set up with a provider that does not answer (nothing listens on its port)."""
    yield sso_settings(settings, issuer=f"http://127.0.0.1:{free_port()}/o")
    forget_provider_metadata()
