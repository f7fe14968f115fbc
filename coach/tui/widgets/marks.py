"""The marks of a chosen and an unchosen item (a radio-like list): ● and ○."""

ON, OFF = "●", "○"
