"""The team page of a 200-member team and the area insight page, against the trivial view.

Seeds ``seed_demo --practitioners N`` (default 2,000, seed 11) once into the
database in DATABASE_URL, which brings a 200-member team and the area figures
computed as the nightly job computes them; then times the pages on gunicorn.
Also prints how long the background work takes at this scale: the summaries of
every snapshot and one refresh of the area figures with their suppression.

    python -m bench.workforce [--practitioners 2000]
"""

from __future__ import annotations

import argparse
import time

from bench.common import (
    Client,
    get_ms,
    query_count,
    running_server,
    session_cookie_for,
    setup_django,
)

REPEATS = 30


def build_world(practitioners: int):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command

    from accounts.models import User
    from register.seeding import seed_demo
    from workforce import services
    from workforce.models import Membership, Team
    from workforce.seeding import BIG_TEAM

    call_command("load_framework", verbosity=0)
    team = Team.objects.filter(name=BIG_TEAM).first()
    if team is None:
        started = time.monotonic()
        seed_demo(practitioners=practitioners, seed=11, log=lambda _m: None)
        print(f"seeded {practitioners} practitioners in {time.monotonic() - started:.0f} s")
        team = Team.objects.get(name=BIG_TEAM)
    lead = Membership.objects.get(team=team, role=Membership.Role.TEAM_LEAD).user
    commissioner = User.objects.filter(email="bench-commissioner@example.org").first()
    if commissioner is None:
        commissioner = User.objects.create_user(
            "bench-commissioner@example.org", full_name="Bench Commissioner"
        )
        services.commissioner_grant(user=commissioner, nation="england")
    for user in (lead, commissioner):
        if not user.authenticator_set.exists():
            TOTP.activate(user, generate_totp_secret())
    return team, lead, commissioner


def background_timings() -> list[tuple[str, float]]:
    from workforce import services
    from workforce.models import AreaRefresh

    started = time.monotonic()
    written = services.summaries_refresh_all()
    summary_s = time.monotonic() - started
    refresh = AreaRefresh.objects.create()
    started = time.monotonic()
    services.area_refresh_run(refresh_id=refresh.pk)
    area_s = time.monotonic() - started
    return [(f"summaries of {written} snapshots", summary_s), ("area figures refresh", area_s)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--practitioners", type=int, default=2000)
    args = parser.parse_args()
    env = setup_django()
    team, lead, commissioner = build_world(args.practitioners)
    background = background_timings()
    pages = [
        ("Team page (200 members)", lead, f"/teams/{team.pk}/"),
        ("Team XLSX (200 members)", lead, f"/teams/{team.pk}/export.xlsx"),
        ("Insight, England", commissioner, "/insight/?geo=england"),
        (
            "Insight, London, health visitors",
            commissioner,
            "/insight/?geo=london&group=role:health_visitor",
        ),
        ("Insight JSON, England", commissioner, "/insight/download.json?geo=england"),
    ]
    rows = []
    with running_server(env) as port:
        trivial = get_ms(Client(port), "/bench/trivial", REPEATS)
        for name, user, path in pages:
            client = Client(port, session_cookie_for(user))
            ms = get_ms(client, path, REPEATS)
            rows.append((name, ms, trivial, query_count(user, path)))
    print(f"trivial GET {trivial:.2f} ms")
    print(f"{'page':<36} {'ms':>8} {'x trivial':>10} {'queries':>8}")
    for name, ms, base, queries in rows:
        print(f"{name:<36} {ms:>8.2f} {ms / base:>10.1f} {queries:>8}")
    for name, seconds in background:
        print(f"{name:<36} {seconds:>8.1f} s (background work)")


if __name__ == "__main__":
    main()
