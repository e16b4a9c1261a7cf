"""How a signed-in user is read on each request."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from alerts.models import Follow
from organisations.models import Membership


class AuthenticationBackend(AllauthBackend):
    """allauth's sign-in (by e-mail), reading with the user whether they act for an
    organisation (``acts_for_an_organisation``): the navigation asks on every page, and this
    answers it in the query that reads the user anyway; and whether they follow anything
    (``follows_anything``): the follow controls then need no query of their own for the many
    who follow nothing."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            acts_for_an_organisation=Exists(Membership.objects.filter(user=OuterRef("pk"))),
            follows_anything=Exists(Follow.objects.filter(user=OuterRef("pk"))),
        )
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
