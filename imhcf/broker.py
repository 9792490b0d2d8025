"""The Celery broker: the embedded default, and transport options that suit each transport.

Options are not shared between transports: kombu hands the SQLAlchemy transport's options
to ``create_engine()``, which refuses any it does not know (such as Redis's
``visibility_timeout``), and the worker then exits at start-up.
"""

from pathlib import Path


def embedded_broker_url(var_dir: Path) -> str:
    # kombu's SQLAlchemy transport on a SQLite file needs no server. kombu's filesystem
    # transport was considered: it reads message files without the writer's lock and stops
    # the consumer on a half-written one (kombu issue 1551); SQLite writes each message in
    # a transaction.
    return f"sqla+sqlite:///{var_dir / 'celery-broker.sqlite3'}"


def broker_transport_options(url: str, *, task_time_limit: int) -> dict:
    scheme = url.split("://", 1)[0]
    if scheme in ("redis", "rediss"):
        # An unacknowledged message is delivered again after this; it must outlast any task.
        return {"visibility_timeout": max(3600, 2 * task_time_limit)}
    if scheme.startswith("sqla+sqlite"):
        # Arguments for create_engine(). The web server, the worker and beat share one file:
        # a process waits this long for another's write lock rather than failing at once.
        return {"connect_args": {"timeout": 30}}
    return {}
