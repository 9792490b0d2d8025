class EvidenceError(Exception):
    """A request the evidence rules refuse; the message is for the practitioner."""


class RenderError(Exception):
    """A document could not be made for a reason retrying will not change."""
