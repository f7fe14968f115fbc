"""What the application service refuses, as one line a person can act on."""


class AppError(Exception):
    """A user-facing problem: unknown stage, a name left empty, a conversation that cannot be
    continued. `str(error)` is one line."""


class MissingConversation(AppError):
    """No conversation is stored under that id."""
