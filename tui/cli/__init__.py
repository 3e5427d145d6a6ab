"""The `wiredesk` command (Click): the same work as the app, from scripts.

Calls the headless layers (`annotations`, `stories`) for every rule; imports Textual only to run the app.
"""

from tui.cli.wiredesk import main

__all__ = ["main"]
