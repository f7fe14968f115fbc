"""Facilitator mode: sample personas (data in flows/personas/) played into the chat by a timer.

Only :mod:`coach.tui.demo.app` imports textual; the persona loader does not, so `coach demo --list`
stays light.
"""
