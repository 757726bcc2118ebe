"""A rule page, written in Markdown, rendered for a terminal (``flake8-dbsec explain``).

The pages in ``docs/rules`` are Markdown for the repository's web view. In a
terminal that shows as noise: generated-block comments, table pipes, ``**``,
and links relative to the repository (``DBS301.md``,
``../../semgrep-rules/...``) that mean nothing in an installed copy. This
renderer keeps the text and makes it readable:

* headings are underlined (``=`` for the title, ``-`` for sections);
* fenced code blocks lose their fences and are indented by four spaces;
* HTML comments are dropped;
* tables become aligned ``key  value`` lines, wrapped to the width;
* ``**bold**`` loses its stars; inline code keeps its backticks;
* every link becomes ``text <absolute URL>``, relative ones resolved against
  the rule pages' address in the project repository;
* paragraphs and list items are re-wrapped to 79 columns (a link makes a
  line longer); a URL is never broken.

``flake8-dbsec explain --format markdown`` prints the page unchanged.
"""

from __future__ import annotations

import re
import textwrap
from typing import List
from urllib.parse import urljoin

WIDTH = 79

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def absolute(url: str, base: str) -> str:
    """``url`` made absolute against ``base`` (already absolute URLs unchanged)."""
    if re.match(r"[a-z][a-z0-9+.-]*:", url):
        return url
    return urljoin(base, url)


def inline(text: str, base: str) -> str:
    """One line of prose: links spelled out, bold markers dropped."""

    def link(match: "re.Match[str]") -> str:
        label, url = match.group(1), absolute(match.group(2), base)
        return url if label.strip("`") == url else f"{label} <{url}>"

    text = _LINK.sub(link, text)  # <https://...> autolinks stay as they are
    # ``**`` inside inline code (`**kwargs`, `***`) is code, not emphasis.
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(
        part if index % 2 else _BOLD.sub(r"\1", part) for index, part in enumerate(parts)
    )


def _cells(row: str) -> List[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    cells = re.split(r"(?<!\\)\|", row)
    return [cell.strip().replace("\\|", "|") for cell in cells]


def _table(rows: List[str], base: str) -> List[str]:
    """A Markdown table as ``key  value`` lines (two columns) or joined cells."""
    body = [
        [inline(cell, base) for cell in _cells(row)]
        for row in rows
        if not _TABLE_RULE.match(row.strip())
    ]
    body = [cells for cells in body if any(cells)]
    if not body:
        return []
    if all(len(cells) == 2 for cells in body):
        key_width = max(len(key) for key, _ in body) + 2
        out: List[str] = []
        for key, value in body:
            wrapped = textwrap.wrap(
                value, WIDTH - key_width - 2, break_long_words=False, break_on_hyphens=False
            ) or [""]
            out.append(f"  {key.ljust(key_width)}{wrapped[0]}".rstrip())
            out += [" " * (key_width + 2) + line for line in wrapped[1:]]
        return out
    return ["  " + "  ".join(cells) for cells in body]


def _heading(line: str, base: str) -> List[str]:
    level = len(line) - len(line.lstrip("#"))
    text = inline(line[level:].strip(), base)
    if level == 1:
        return [text, "=" * min(len(text), WIDTH)]
    if level == 2:
        return [text, "-" * min(len(text), WIDTH)]
    return [text]


def render(markdown: str, base: str) -> str:
    """The Markdown page as terminal text; relative links resolved against ``base``."""
    lines = _COMMENT.sub("", markdown).splitlines()
    out: List[str] = []
    table: List[str] = []
    block: List[str] = []
    fenced = False

    def flush_table() -> None:
        if table:
            out.extend(_table(table, base))
            table.clear()

    def flush_block() -> None:
        if block:
            out.extend(_wrap(block, base))
            block.clear()

    for line in lines:
        if _FENCE.match(line):
            flush_table()
            flush_block()
            fenced = not fenced
            continue
        if fenced:
            out.append(("    " + line).rstrip())
            continue
        if line.lstrip().startswith("|"):
            flush_block()
            table.append(line)
            continue
        flush_table()
        if re.match(r"#{1,6} ", line):
            flush_block()
            if out and out[-1] != "":
                out.append("")
            out += _heading(line, base)
            out.append("")
            continue
        if not line.strip():
            flush_block()
            out.append("")
            continue
        item = _ITEM.match(line)
        if item or not block:
            flush_block()
            block.append(line)
        elif line.startswith(" ") or not _ITEM.match(block[0]):
            block.append(line)  # continuation of the paragraph or list item
        else:
            flush_block()
            block.append(line)
    flush_table()
    flush_block()
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
    return text + "\n"


def _wrap(block: List[str], base: str) -> List[str]:
    """A paragraph or list item, links expanded, wrapped to the width."""
    first = block[0]
    item = _ITEM.match(first)
    indent = " " * (len(first) - len(first.lstrip()))
    marker = item.group(0)[len(indent):] if item else ""
    words = " ".join(line.strip() for line in block)[len(marker):] if item else " ".join(
        line.strip() for line in block
    )
    return textwrap.wrap(
        inline(words, base),
        WIDTH,
        initial_indent=indent + marker,
        subsequent_indent=indent + " " * len(marker),
        break_long_words=False,
        break_on_hyphens=False,
    ) or [""]
