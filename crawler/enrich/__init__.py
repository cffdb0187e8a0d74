"""Vietnamese enrichment: pure functions from article text to province, speakers, documents, dates, relevance."""
