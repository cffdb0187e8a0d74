"""Page extraction: pure functions from (url, html) to an Extracted article."""
