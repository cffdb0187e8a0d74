"""`pressnews show ID --why`: an article's fields with where each value came from, as text."""

from __future__ import annotations

from typing import Any

from indexer.explain import Explanation, FieldWhy

_WIDTH = 14
_EXCERPT = 160


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        parts = []
        for v in value:
            if isinstance(v, dict):
                v = v.get("name") or v.get("title") or v.get("url") or ""
                parts.append(str(v))
            else:
                parts.append(str(v))
        return "; ".join(parts)
    text = str(value)
    return text if len(text) <= 100 else f"{len(text)} characters: {text[:60]}…"


def _excerpt(item: dict[str, Any]) -> str:
    text = " ".join(str(item.get("excerpt") or "").split())
    if len(text) > _EXCERPT:
        text = text[: _EXCERPT - 1] + "…"
    source = item.get("source", "")
    if item.get("start") is not None:
        where = f"{source}[{item['start']}:{item['end']}]"
        if source == "caption":
            where = f"caption of image {item.get('image')}[{item['start']}:{item['end']}]"
    else:
        where = source
    return f"{where}: «{text}»" if text else where


def _field_lines(why: FieldWhy) -> list[str]:
    lines = [f"{why.field + ':':<{_WIDTH}}{_shown(why.value)}"]
    pad = " " * 2
    if why.rule:
        lines.append(f"{pad}rule: {why.rule}")
    if why.evidence and any(c.active for c in why.corrections):
        lines.append(f"{pad}extraction found (corrected below):")
    for item in why.evidence:
        label = item.get("field", why.field)
        value = item.get("value")
        head = f"{pad}- {_shown(value)}" + (" (role)" if label.endswith(".role") else "")
        differs = isinstance(why.value, list) or _shown(value) != _shown(why.value)
        if value is not None and (differs or label != why.field):
            lines.append(head)
            indent = pad + "  "
        else:
            indent = pad
        if item.get("excerpt") or item.get("source") != "rule":
            lines.append(f"{indent}from {_excerpt(item)}")
        lines.append(f"{indent}rule: {item.get('rule', '')}")
    for c in why.corrections:
        state = f"undone {c.undone}" if c.undone else "active"
        by = f" by {c.author}" if c.author else ""
        lines.append(f"{pad}CORRECTED{by} on {c.created[:10]} ({state}): {c.describe()}")
        if c.note:
            lines.append(f"{pad}  note: {c.note}")
        if c.extracted is not None and why.field in c.extracted:
            lines.append(f"{pad}  extraction had found: {_shown(c.extracted[why.field])}")
    if not why.rule and not why.evidence and not why.corrections:
        lines.append(f"{pad}(no evidence: nothing found)")
    return lines


def why_lines(explanation: Explanation) -> list[str]:
    """Every field of the article, each with its evidence, rules and corrections."""
    doc = explanation.article
    lines = [doc.get("title") or "(untitled)", ""]
    if not explanation.has_evidence:
        lines += [
            "No evidence is stored for this article (stored before pressnews kept it): "
            "run `pressnews reprocess` to fill it.",
            "",
        ]
    for why in explanation.fields:
        lines += _field_lines(why)
    return lines
