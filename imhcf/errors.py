"""Errors the framework's services raise when the current state forbids an action."""


class FrameworkError(Exception):
    """A change the framework's state does not allow.

    ``str(error)`` is a sentence an editor can read; views and admin actions show
    it as a message. ``problems`` lists the individual reasons when there are
    several (for example everything that stops a draft being published).
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def __str__(self) -> str:
        return str(self.message)
