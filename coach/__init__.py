"""coach: a terminal chat coach for mentorship."""

__version__ = "0.1.0"
