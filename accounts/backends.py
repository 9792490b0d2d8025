from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import Exists, OuterRef

from accounts.roles import REVIEWERS_GROUP

# A user id no row has, standing in for the real one while the query is compiled.
_PLACEHOLDER_ID = -424242
# (database alias, vendor) -> (SQL, parameters, position of the user id among them).
_compiled: dict[tuple[str, str], tuple[str, tuple, int]] = {}


def _user_with_roles_query(User):
    membership = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name=REVIEWERS_GROUP
    )
    return User._default_manager.annotate(in_reviewers_group=Exists(membership))


def _compiled_query(User, alias: str) -> tuple[str, tuple, int]:
    """The user-and-role query as SQL, built by the ORM once per process and database."""
    key = (alias, connections[alias].vendor)
    found = _compiled.get(key)
    if found is None:
        query = (
            _user_with_roles_query(User).using(alias).filter(pk=_PLACEHOLDER_ID).order_by("pk")[:1]
        )
        sql, params = query.query.sql_with_params()
        found = _compiled[key] = (sql, tuple(params), params.index(_PLACEHOLDER_ID))
    return found


class RoleAwareAuthenticationBackend(AuthenticationBackend):
    """allauth's backend, loading "is this user a reviewer?" with the user row.

    Every page's navigation asks it; answering from the same query that loads
    the user keeps it from costing a query per request. Every signed-in request
    runs that query, so its SQL is compiled once per process and reused with the
    request's user id (the ORM's compiling cost about as much as the query).
    """

    def get_user(self, user_id):
        User = get_user_model()
        user_id = User._meta.pk.to_python(user_id)
        alias = router.db_for_read(User)
        sql, params, position = _compiled_query(User, alias)
        params = (*params[:position], user_id, *params[position + 1 :])
        user = next(iter(User._default_manager.db_manager(alias).raw(sql, params)), None)
        return user if user is not None and self.user_can_authenticate(user) else None
