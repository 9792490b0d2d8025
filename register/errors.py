class RegisterError(Exception):
    """An action the register's rules refuse; the message is for the person acting."""


class TransitionNotAllowed(RegisterError):
    pass
