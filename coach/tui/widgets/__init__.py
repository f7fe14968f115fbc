"""Widgets of the coach TUI, one module each."""
