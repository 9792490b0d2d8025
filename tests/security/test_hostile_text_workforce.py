"""Hostile text in the workforce app's free-text fields (organisation and team names): the same
four checks as every other surface (``test_hostile_text``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import enable_totp
from tests.security.scenes import logged_in
from tests.security.test_hostile_text import (
    Surface,
    strip,
    test_a_nul_character_is_a_clear_error_and_the_saved_text_stays,  # noqa: F401
    test_markup_controls_and_non_latin_text_are_stored_as_typed_and_shown_as_text,  # noqa: F401
    test_one_character_too_many_is_a_clear_error_and_the_saved_text_stays,  # noqa: F401
    test_the_longest_non_latin_text_allowed_is_kept_whole,  # noqa: F401
)
from workforce import services
from workforce.models import Organisation, Team

pytestmark = pytest.mark.django_db


def admin_scene(request) -> dict:
    # Organisation admins see members' shared data, so they use MFA.
    user = request.getfixturevalue("practitioner")
    enable_totp(user)
    organisation = services.organisation_create(
        user=user, name="Riverside NHS Trust", kind="nhs", nation="england", region="london"
    )
    return {"user": user, "client": logged_in(user), "organisation": organisation}


def _newest(model, field: str):
    row = model.objects.order_by("-pk").first()
    return getattr(row, field) if row else None


WORKFORCE_SURFACES = [
    Surface(
        name="organisation name",
        max_length=200,
        setup=admin_scene,
        submit=lambda ctx, text: ctx["client"].post(
            reverse("workforce:organisation_create"),
            {"name": text, "kind": "nhs", "nation": "england", "region": "london"},
            follow=True,
        ),
        stored=lambda ctx: (
            Organisation.objects.exclude(pk=ctx["organisation"].pk)
            .values_list("name", flat=True)
            .first()
        ),
        shown_on=lambda ctx: [
            (
                ctx["client"],
                reverse(
                    "workforce:organisation_admin",
                    args=[Organisation.objects.order_by("-pk").first().pk],
                ),
            ),
            (ctx["client"], reverse("workforce:mine")),
        ],
        normalise=strip,
    ),
    Surface(
        name="team name",
        max_length=120,
        setup=admin_scene,
        submit=lambda ctx, text: ctx["client"].post(
            reverse("workforce:organisation_admin", args=[ctx["organisation"].pk]),
            {"team-name": text},
            follow=True,
        ),
        stored=lambda ctx: _newest(Team, "name"),
        shown_on=lambda ctx: [
            (ctx["client"], reverse("workforce:organisation_admin", args=[ctx["organisation"].pk])),
            (ctx["client"], reverse("workforce:team_detail", args=[Team.objects.get().pk])),
        ],
        normalise=strip,
    ),
]


@pytest.fixture(params=WORKFORCE_SURFACES, ids=str)
def surface(request):
    spec: Surface = request.param
    return spec, spec.setup(request)
