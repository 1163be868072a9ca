"""The test provider's claims: email, names, and the person's groups (the provider's Django
groups) in a ``groups`` claim. Two test accounts make the provider misbehave on purpose, so
the tests can see Panelist refuse what a broken or hostile provider sends:

- ``expired@acme.test``: its id tokens expired two minutes before they were issued;
- ``other-audience@acme.test``: its id tokens are issued for another client (``aud`` is the
  second application's client id, which the setup command registers).
"""

import time

from oauth2_provider.oauth2_validators import OAuth2Validator

OTHER_CLIENT_ID = "another-application"


class TestProviderValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "groups"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        if request.user.email == "expired@acme.test":
            claims["exp"] = int(time.time()) - 120
        if request.user.email == "other-audience@acme.test":
            claims["aud"] = OTHER_CLIENT_ID
        return claims, expiration_time
