"""Errors the self-assessment services raise when the current state forbids a change."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selfassess.models import Rating


class AssessmentError(Exception):
    """A change the assessment's state does not allow; ``str()`` is a sentence to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class StaleRatingError(AssessmentError):
    """Another tab or device saved this rating since the form was loaded.

    Carries the rating as it now stands and what this save tried to write, so
    the page can show both and nothing typed is lost.
    """

    def __init__(self, message: str, *, current: Rating, value: str, note: str) -> None:
        super().__init__(message)
        self.current = current
        self.attempted_value = value
        self.attempted_note = note
