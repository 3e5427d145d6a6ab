"""Stories: the model and its canonical text, text rules, the input formats (`stories/formats/`), loading,
fetching and parsing within a time budget. Imports nothing of `annotations/` or `tui/`."""
