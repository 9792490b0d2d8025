from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.db import router
from django.db.models import Exists, OuterRef

from accounts.compiled_sql import first_row
from accounts.roles import REVIEWERS_GROUP

# A user id no row has, standing in for the real one while the query is compiled.
_STAND_IN_ID = -424242


def _user_with_roles(User, user_id):
    membership = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name=REVIEWERS_GROUP
    )
    return (
        User._default_manager.annotate(in_reviewers_group=Exists(membership))
        .filter(pk=user_id)
        .order_by("pk")[:1]
    )


class RoleAwareAuthenticationBackend(AuthenticationBackend):
    """allauth's backend, loading "is this user a reviewer?" with the user row.

    Every page's navigation asks it; answering from the same query that loads
    the user keeps it from costing a query per request. Every signed-in request
    runs that query, so its SQL is compiled once per process (accounts.compiled_sql).
    """

    def get_user(self, user_id):
        User = get_user_model()
        user = first_row(
            User,
            "user with roles",
            lambda pk: _user_with_roles(User, pk),
            (_STAND_IN_ID,),
            (User._meta.pk.to_python(user_id),),
            router.db_for_read(User),
        )
        return user if user is not None and self.user_can_authenticate(user) else None
