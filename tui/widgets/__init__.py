"""Widgets of the app, one per file; each posts messages to its screen rather than reaching into it.
Import `annotations`, `stories`, `tui.desk`, the presentation helpers and other widgets; never a screen.
"""
