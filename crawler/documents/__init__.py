"""Attached documents (plans, reports, decisions, official letters): bytes to text
(`read`, one module per format), text to facts (`understand`). Pure functions, apart from the
external converters (antiword, catdoc, pdftoppm, tesseract) run with time limits."""
