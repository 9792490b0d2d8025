class PrivacyError(Exception):
    """A data rights request that cannot be carried out; the message is for the person."""
