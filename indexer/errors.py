"""The one base type of the errors a user can cause or fix: bad input, an unusable database,
an unreachable server. The CLI turns every `PressnewsError` into one line on stderr and exit 1,
in one place (`search_cli.main`); anything else is a bug and is not disguised as one."""

from __future__ import annotations


class PressnewsError(Exception):
    """An expected failure; `str(exc)` is one line for the user."""
