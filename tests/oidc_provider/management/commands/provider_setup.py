"""Registers Panelist (and a second application) with the test provider, and its people:
`provider_setup --redirect-uri URL --logout-uri URL --client-id ID --client-secret SECRET`.
People: PERSON=email:password:group1+group2 (groups may be empty)."""

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application

from tests.oidc_provider.validators import OTHER_CLIENT_ID


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--redirect-uri", required=True)
        parser.add_argument("--logout-uri", required=True)
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("people", nargs="*")

    def handle(self, *args, **options):
        for client_id, name in ((options["client_id"], "Panelist"), (OTHER_CLIENT_ID, "Another application")):
            Application.objects.update_or_create(client_id=client_id, defaults={
                "name": name, "client_secret": options["client_secret"],
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": options["redirect_uri"], "post_logout_redirect_uris": options["logout_uri"],
                "algorithm": Application.RS256_ALGORITHM, "skip_authorization": False,
            })
        for person in options["people"]:
            email, password, groups = person.split(":")
            user, _ = User.objects.get_or_create(username=email, defaults={"email": email})
            user.email = email
            user.set_password(password)
            user.first_name = email.split("@")[0].split("-")[0].capitalize()
            user.save()
            user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups.split("+") if name])
