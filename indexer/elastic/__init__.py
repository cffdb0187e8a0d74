"""Elasticsearch, the scale-out search engine fed from the store, and its Kibana dashboards.

- `mapping`: the composable index template, Vietnamese analysis, versioned indices behind one alias.
- `client`: `connect()` and `ElasticUnavailable` (every failure is one line for the user).
- `sync`: `to_document()`, `bulk_actions()`, `sync()` (only what changed; marks what was accepted).
- `events_sync`: the training events' index `pressnews-events`, `event_document()`,
  `sync_events()` (the same checkpointed sync; deletes events that left the store).
- `search`: `ElasticSearch`, the `SearchBackend` with the embedded backend's semantics.
- `kibana`: the saved objects (`kibana/pressnews.ndjson`) and `import_saved_objects()`;
  `kibana_events` builds the trainings' data view, charts, offline Vega map and dashboard.

See docs/elasticsearch.md for the walk-through from `docker compose up` to the dashboard.
"""
