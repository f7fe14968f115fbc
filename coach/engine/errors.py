"""What the engine refuses: a flow that cannot run as asked."""


class EngineError(Exception):
    """A flow that cannot run (an unknown flow, a role it is not written for, a flow gone since
    a conversation started)."""
