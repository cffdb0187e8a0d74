"""The article store (SQLite, system of record) and the search backends."""
