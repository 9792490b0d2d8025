"""Median time of /framework/domains/1/ as a ratio to a trivial view on the same server."""

from bench.common import Client, get_ms, report, running_server, setup_django

PATHS = ("/framework/domains/1/", "/framework/", "/framework/glossary/")


def main() -> None:
    env = setup_django()
    from django.core.management import call_command

    call_command("load_framework", verbosity=0)
    with running_server(env) as port:
        client = Client(port)
        trivial = get_ms(client, "/bench/trivial")
        rows = [(f"GET {path}", get_ms(client, path), trivial) for path in PATHS]
    report(rows)


if __name__ == "__main__":
    main()
