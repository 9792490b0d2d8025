"""Django's database sessions, loading each session through SQL compiled once per process."""

from __future__ import annotations

import datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import router
from django.utils import timezone

from accounts.compiled_sql import first_row

_STAND_IN_KEY = "\x00stand-in session key"
_STAND_IN_TIME = datetime.datetime(1901, 2, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)


class SessionStore(DatabaseSessionStore):
    """The same rows and answers as Django's own: the session with this key, unexpired."""

    def _get_session_from_db(self):
        if self.session_key is None:
            return super()._get_session_from_db()
        model = self.model
        session = first_row(
            model,
            "session",
            lambda key, now: model.objects.filter(session_key=key, expire_date__gt=now),
            (_STAND_IN_KEY, _STAND_IN_TIME),
            (self.session_key, timezone.now()),
            router.db_for_read(model),
        )
        if session is None:
            self._session_key = None
        return session
