"""Screens and dialogs of the app, one per file. They reach the app through `tui.desk.desk`, not `tui.app`.
Import `annotations`, `stories` and the rest of `tui/` but the app and the CLI.
"""
