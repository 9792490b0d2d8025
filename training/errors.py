class TrainingError(Exception):
    """A request the training app refuses, with a message for the person who made it."""
