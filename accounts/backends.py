from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from accounts.roles import REVIEWERS_GROUP


class RoleAwareAuthenticationBackend(AuthenticationBackend):
    """allauth's backend, loading "is this user a reviewer?" with the user row.

    Every page's navigation asks it; answering from the same query that loads
    the user keeps it from costing a query per request.
    """

    def get_user(self, user_id):
        User = get_user_model()
        membership = User.groups.through.objects.filter(
            user_id=OuterRef("pk"), group__name=REVIEWERS_GROUP
        )
        user = (
            User._default_manager.annotate(in_reviewers_group=Exists(membership))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
