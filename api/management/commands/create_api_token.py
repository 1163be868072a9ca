"""manage.py create_api_token USERNAME --scope read [--days N] [--name ...]: make a token for
a script and print it (only the token, on standard output, so ``$(...)`` captures it)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import MAX_DAYS, Scope
from api.services import TokenRefused, token_create


class Command(BaseCommand):
    help = "Make a personal access token for USERNAME and print it. It is shown this once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", choices=Scope.values, default=Scope.READ,
                            help="read (the default) or read-write")
        parser.add_argument("--days", type=int, default=None, help=f"expires after N days (1 to {MAX_DAYS}); "
                                                                    "without it, lives until revoked")
        parser.add_argument("--name", default="Made with manage.py create_api_token", help="what uses it")

    def handle(self, *args, username, scope, days, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        try:
            # The command has no signed-in person: the audit names the token's user as actor,
            # with "command" in its detail (api.token_create).
            _, secret = token_create(user=user, name=name, scope=scope, days=days, by=None)
        except TokenRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(secret)
