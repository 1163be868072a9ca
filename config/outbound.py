"""Where Panelist may POST to a URL someone typed (signed webhooks, webhooks/; chat channels,
notifications/webhooks.py): no private, loopback, link-local, multicast or reserved address
unless the operator allows its network (PANELIST_WEBHOOKS_ALLOW_PRIVATE), and a connection
made to the address that was checked, so a name that resolves differently a moment later
(DNS rebinding) cannot send a delivery somewhere else. Checked when the URL is saved (a
subscription, a position's chat channel) and again at every attempt. Here, beside the other
network helpers, so every app that sends can use it whatever its layer."""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError


class TargetRefused(Exception):
    """The URL may not receive webhooks; the message says why, in words for an admin."""


def _allowed_networks():
    return [ipaddress.ip_network(n, strict=False) for n in settings.PANELIST_WEBHOOKS_ALLOW_PRIVATE]


def _plain(address):
    """An IPv4 address written as IPv6 (::ffff:10.0.0.1) is checked as the IPv4 one."""
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def address_allowed(address):
    """Whether ``address`` may receive webhooks: a public unicast address, or one inside a
    network the operator allowed."""
    address = _plain(address)
    if any(address in network for network in _allowed_networks()):
        return True
    return address.is_global and not address.is_multicast


def resolve_target(url):
    """The URL's parts and the addresses its host resolves to, all of them checked. Raises
    TargetRefused naming what is wrong."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused("The URL is not valid.") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise TargetRefused("Use an https:// URL.")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("Put no user name or password in the URL; the signature proves who sends.")
    port = port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (UnicodeError, OSError, ValueError) as exc:  # unknown, not a name, too long
        raise TargetRefused(f"The host {host} cannot be found ({exc}).") from None
    addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))
    refused = [a for a in addresses if not address_allowed(a)]
    if refused:
        raise TargetRefused(
            f"{host} is a private, loopback, link-local, multicast or reserved address ({refused[0]}): "
            "webhooks go to public addresses only (docs/webhooks.md says how to allow a network)."
        )
    if parts.scheme == "http" and any(_plain(a).is_global for a in addresses):
        raise TargetRefused("Use https:// for a receiver on the internet: the events would travel unencrypted.")
    return parts, port, addresses


def target_check(url):
    """A form's ``clean_<field>`` for such a URL: ``url`` itself, or a ValidationError saying
    why it may not receive posts (an empty value passes: the field says whether it is needed)."""
    if not url:
        return url
    try:
        resolve_target(url)
    except TargetRefused as exc:
        raise ValidationError(str(exc), code="target_refused") from None
    return url


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to one already-checked address, whatever the name resolves to now."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((str(self._address), self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to one checked address; the certificate is still verified against the host name."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((str(self._address), self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url, *, body, headers, timeout, excerpt_bytes=500):
    """POST ``body`` (bytes) to ``url`` after checking where it goes; returns (status code,
    the start of the response body). Redirects are not followed (a 3xx is returned as it is).
    Raises TargetRefused, or OSError / http.client.HTTPException when the receiver cannot be
    reached or answers nonsense."""
    parts, port, addresses = resolve_target(url)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    last_error = None
    for address in addresses:  # the first that connects, as socket.create_connection does
        connection = connection_class(parts.hostname, port, address=address, timeout=timeout)
        try:
            connection.connect()
        except OSError as exc:
            last_error = exc
            connection.close()
            continue
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            excerpt = response.read(excerpt_bytes)
            return response.status, excerpt.decode("utf-8", "replace")
        finally:
            connection.close()
    raise last_error or OSError(f"no address of {parts.hostname} answered")
