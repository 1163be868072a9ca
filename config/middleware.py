"""Small project-wide middleware."""

from scoring.signals import acting_as


class AuditActorMiddleware:
    """Makes the signed-in user the actor of role changes made during the request (the
    role-change audit receiver in scoring/signals.py cannot see the request). The user is
    passed lazily, so a request that changes no role costs nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)
