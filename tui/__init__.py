"""The front ends: the Textual app (screens, widgets, keymap) and the `wiredesk` command (`tui/cli/`).
Imports `annotations` and `stories`; holds no rule of its own.
"""
