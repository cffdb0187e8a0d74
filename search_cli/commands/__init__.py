"""The commands, one module per topic: crawl (crawl, reprocess, schedule), search (search,
export), elastic (index, kibana), operations (runs, sources) and the demo."""
