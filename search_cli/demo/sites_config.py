"""The fixture sites' configuration: ``site.json`` loading, `_Site` and its routing tables.

Every directory under ``sites/`` that holds a ``site.json`` is one site; the keys are described in
`search_cli.demo.server`. `_Site.find` matches a request to a route or redirect (exact path and
query, then sorted query, then the route whose parameters the request all carries).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode

SITES_DIR = Path(__file__).resolve().parent / "sites"
# Sites whose routes inject faults (slow, broken, huge answers): only the test server
# (tests/fixtures/faultserver.py) serves them as meant, and the demo leaves them out.
RESILIENCE_SITES = frozenset({"flaky"})
PRIVATE_FILES = {"site.json", "expected.json"}


class _Site:
    """One site's configuration and per-server state."""

    def __init__(self, name: str, root: Path, config: dict[str, Any]):
        self.name = name
        self.root = root.resolve()
        self.config = config
        self.routes: dict[str, dict[str, Any]] = {
            _normalise_key(k): v for k, v in (config.get("routes") or {}).items()
        }
        self.redirects: dict[str, str] = {
            _normalise_key(k): v for k, v in (config.get("redirects") or {}).items()
        }
        self.post: dict[str, dict[str, Any]] = config.get("post") or {}
        self.rewrites = [(re.compile(p), r) for p, r in config.get("path_rewrites") or []]
        self.counters: dict[str, int] = {}
        self.lock = threading.Lock()

    def count(self, key: str) -> int:
        """How many requests the route `key` has had before this one."""
        with self.lock:
            seen = self.counters.get(key, 0)
            self.counters[key] = seen + 1
        return seen

    def rewrite(self, path: str) -> str:
        for pattern, replacement in self.rewrites:
            path = pattern.sub(replacement, path)
        return path or "/"

    def find(self, table: dict[str, Any], path: str, query: str) -> tuple[str, Any] | None:
        """The entry of `table` for a request: exact, sorted query, then best subset match."""
        candidates = [f"{path}?{query}" if query else path]
        pairs = parse_qsl(query, keep_blank_values=True)
        if pairs:
            candidates.append(f"{path}?{urlencode(sorted(pairs))}")
        for key in candidates:
            if key in table:
                return key, table[key]
        request = {}
        for name, value in pairs:
            request.setdefault(name, set()).add(value)
        best: tuple[int, str] | None = None
        for key in table:
            key_path, _, key_query = key.partition("?")
            if key_path != path:
                continue
            wanted = parse_qsl(key_query, keep_blank_values=True)
            if all(n in request and (v == "*" or v in request[n]) for n, v in wanted) and (
                best is None or len(wanted) > best[0]
            ):
                best = (len(wanted), key)
        return (best[1], table[best[1]]) if best else None

    def file_for(self, path: str) -> Path | None:
        relative = unquote(path).lstrip("/")
        candidate = (self.root / relative).resolve()
        if candidate != self.root and self.root not in candidate.parents:
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if not candidate.is_file() or candidate.name in PRIVATE_FILES:
            return None
        return candidate

    def is_dir(self, path: str) -> bool:
        candidate = (self.root / unquote(path).lstrip("/")).resolve()
        return candidate != self.root and self.root in candidate.parents and candidate.is_dir()

    def resolve_file(self, name: str) -> Path | None:
        candidate = (self.root / name).resolve()
        if self.root not in candidate.parents or not candidate.is_file():
            return None
        return candidate


def _normalise_key(key: str) -> str:
    path, sep, query = key.partition("?")
    return path + sep + query if query else path


def load_sites(sites_dir: Path, names: Iterable[str] | None = None) -> list[_Site]:
    sites_dir = Path(sites_dir)
    if names is None:
        names = sorted(p.name for p in sites_dir.iterdir() if (p / "site.json").is_file())
    sites = []
    for name in names:
        root = sites_dir / name
        config_path = root / "site.json"
        if not root.is_dir():
            raise FileNotFoundError(f"no site directory {root}")
        config = json.loads(config_path.read_text("utf-8")) if config_path.is_file() else {}
        sites.append(_Site(name, root, config))
    return sites


def site_names(sites_dir: Path = SITES_DIR, include_resilience: bool = True) -> list[str]:
    """The sites under `sites_dir`, optionally without the fault-injecting ones."""
    names = sorted(p.name for p in Path(sites_dir).iterdir() if (p / "site.json").is_file())
    return [n for n in names if include_resilience or n not in RESILIENCE_SITES]


def load_expected(site: str, sites_dir: Path = SITES_DIR) -> dict[str, Any]:
    return json.loads((Path(sites_dir) / site / "expected.json").read_text("utf-8"))
