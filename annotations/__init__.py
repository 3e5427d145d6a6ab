"""Annotations and everything done with them, headless: model, registry, history, store, exports, merge, import.
Imports only `stories`; both front ends (`tui/`) call the rules written here.
"""
