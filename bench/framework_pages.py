"""Median time of /framework/domains/1/ as a ratio to a trivial view on the same server."""

from bench.common import (
    Client,
    bench_environment,
    expect_status,
    median_ms,
    report,
    running_server,
    setup_django,
)


def main() -> None:
    env = bench_environment()
    setup_django(env)
    from django.core.management import call_command

    call_command("load_framework", verbosity=0)
    with running_server(env) as port:
        client = Client(port)
        trivial = median_ms(expect_status(client, "GET", "/bench/trivial"))
        rows = [
            (
                f"GET /framework/domains/{n}/",
                median_ms(expect_status(client, "GET", f"/framework/domains/{n}/")),
                trivial,
            )
            for n in (1,)
        ]
        rows.append(
            ("GET /framework/", median_ms(expect_status(client, "GET", "/framework/")), trivial)
        )
        rows.append(
            (
                "GET /framework/glossary/",
                median_ms(expect_status(client, "GET", "/framework/glossary/")),
                trivial,
            )
        )
    report(rows)


if __name__ == "__main__":
    main()
