"""The input formats, one module per format: each turns the bytes of one file into stories.

Imports only `stories` (the model, text rules and shared parsing helpers), never another format module.
"""
