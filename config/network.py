"""The client's address, for sign-in throttling (django-axes) and the audit log."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR for direct connections. Behind ``TRUSTED_PROXY_COUNT`` proxies that each
    append the address they received from to X-Forwarded-For, the client is that many entries
    from the right: anything further left was written by the client itself and proves nothing.
    A request with fewer entries did not come through every proxy, so its nearest peer
    (REMOTE_ADDR) is all that is known."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            return hops[-count][:45]
    return request.META.get("REMOTE_ADDR", "")
