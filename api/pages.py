"""The API tokens page of each person's account (/account/tokens/): their tokens, a new one
(its secret shown once), revoking one."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .forms import TokenForm
from .models import ApiToken
from .services import token_create, token_revoke


def _page(request, form, *, secret=None, status=200):
    tokens = list(ApiToken.objects.of(request.user))
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "secret": secret}, status=status)


def token_list(request):
    """Your tokens, newest first, and the form for a new one."""
    return _page(request, TokenForm())


@require_POST
def token_create_view(request):
    """Make a token and show its secret, once: the page is rendered, not redirected to, so
    the secret is in this one response only (no-store, as every signed-in page)."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    token, secret = token_create(user=request.user, name=data["name"], scope=data["scope"],
                                 days=data["expires_in"], by=request.user)
    messages.success(request, f"Token “{token.name}” made. Copy it now: it is not shown again.")
    return _page(request, TokenForm(), secret=secret)


@require_POST
def token_revoke_view(request, pk):
    """Revoke one of your tokens (someone else's: 404)."""
    token = get_object_or_404(ApiToken.objects.of(request.user), pk=pk)
    if token_revoke(token=token, by=request.user):
        messages.success(request, f"Token “{token.name}” revoked: requests with it are refused from now on.")
    else:
        messages.info(request, f"Token “{token.name}” was already revoked.")
    return redirect("api:tokens")
