"""The client's address, for sign-in throttling (django-axes) and the audit log."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR for direct connections. Behind ``TRUSTED_PROXY_COUNT`` proxies that each
    append the address they received from to X-Forwarded-For, the client is that many entries
    from the right: anything further left was written by the client itself and proves nothing.
    A request with fewer entries did not come through every proxy, so its nearest peer
    (REMOTE_ADDR) is all that is known; so is an entry that is not an IP address (``unknown``,
    a name), which would otherwise reach axes' and the audit log's address columns and fail
    the request."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            address = _address(hops[-count])
            if address is not None:
                return address
    return request.META.get("REMOTE_ADDR", "")


def _address(hop):
    """The IP address in one X-Forwarded-For entry, without a port (``203.0.113.9:4711``,
    ``[2001:db8::7]:4711``), or None if the entry is not one."""
    if hop.startswith("["):
        host, bracket, port = hop[1:].partition("]")
        if not bracket or (port and not (port.startswith(":") and port[1:].isdigit())):
            return None
    elif hop.count(":") == 1:  # a.b.c.d:port (a bare IPv6 address has two colons or more)
        host, port = hop.split(":")
        if not port.isdigit():
            return None
    else:
        host = hop
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    # A zone (fe80::1%eth0) names an interface of the proxy's machine; PostgreSQL's inet refuses it.
    return None if getattr(address, "scope_id", None) else str(address)
