"""One access helper per resource: strangers get 404."""

from django.http import Http404

from accounts.roles import is_admin
from imhcf.access import get_or_404
from privacy.models import DataRequest


def get_request_for_admin(user, pk) -> DataRequest:
    if not is_admin(user):
        raise Http404
    return get_or_404(DataRequest.objects.select_related("subject", "document"), pk)
