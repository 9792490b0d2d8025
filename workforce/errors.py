class WorkforceError(Exception):
    """A request about organisations, teams or sharing that cannot be carried out as asked.

    The message is written for the person who asked, and views show it as is.
    """
