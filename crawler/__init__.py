"""pressnews: crawl, extract, enrich and store Vietnamese provincial press-training news."""
