"""The self-assessment grid and a rating save, as ratios to trivial views.

The grid page (domain 1 of the shipped framework) is measured against the
trivial GET, and an htmx rating save against the trivial POST, which passes
the same middleware and CSRF check. Each save names the revision the last
one returned, so every measured save is a real, accepted write.
"""

import re
from urllib.parse import urlencode

from bench.common import (
    Client,
    expect_status,
    get_ms,
    median_ms,
    report,
    running_server,
    session_cookie_for,
    setup_django,
)

EMAIL = "bench-practitioner@example.org"
REVISION = re.compile(rb'name="revision" value="(\d+)"')


def prepare():
    """A practitioner with a profile and an assessment in progress; returns (user, rating)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from selfassess import services
    from selfassess.models import Profile

    call_command("load_framework", verbosity=0)
    user, _created = get_user_model().objects.get_or_create(
        email=EMAIL, defaults={"full_name": "Bench Practitioner"}
    )
    if not Profile.objects.filter(user=user).exists():
        services.profile_save(
            user=user,
            role="health_visitor",
            service_setting="universal",
            sector="public",
            organisation="Bench Trust",
            nation="england",
            region="london",
            target_level=2,
        )
    assessment = services.assessment_start(user=user)
    rating = assessment.ratings.select_related("statement__competency").get(
        statement__competency__code="1.02", statement__level=2
    )
    return user, rating


def main() -> None:
    env = setup_django()
    user, rating = prepare()
    cookie = session_cookie_for(user)
    with running_server(env) as port:
        client = Client(port, cookie)
        token = client.csrf_token("/assessment/domains/1/")
        post_headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": token,
        }

        trivial_get = get_ms(client, "/bench/trivial")
        trivial_post = median_ms(
            expect_status(client, "POST", "/bench/trivial-post", body="", headers=post_headers)
        )
        grid = get_ms(client, "/assessment/domains/1/")
        overview = get_ms(client, "/assessment/")

        state = {"revision": rating.revision, "n": 0}
        values = ("achieved", "working_towards")

        def save() -> None:
            body = urlencode(
                {"value": values[state["n"] % 2], "note": "", "revision": state["revision"]}
            )
            status, data = client.request(
                "POST",
                f"/assessment/ratings/{rating.pk}/",
                body=body,
                headers={**post_headers, "HX-Request": "true"},
            )
            match = REVISION.search(data)
            if status != 200 or not match:
                raise RuntimeError(f"rating save answered {status}: {data[:300]!r}")
            state["revision"] = int(match.group(1))
            state["n"] += 1

        rating_save = median_ms(save)
    report(
        [
            ("GET /assessment/domains/1/ (grid)", grid, trivial_get),
            ("GET /assessment/ (overview)", overview, trivial_get),
            ("POST /assessment/ratings/<id>/ (htmx save)", rating_save, trivial_post),
        ]
    )


if __name__ == "__main__":
    main()
