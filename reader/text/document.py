"""An article's Markdown as a flat list of display blocks, and sentences inside them.

Owns the document model every part of ``reader`` agrees on:

- ``parse_document(markdown)`` turns Markdown (CommonMark + tables + strikethrough, via
  markdown-it-py) into ``Block`` objects: headings, paragraphs, list items, quotes, code,
  tables and rules. Each block's ``text`` is plain text (inline markup removed) and its
  ``spans`` say where bold/italic/code/link/strike runs are.
- ``paragraphs(markdown)`` is ``[b.text for b in parse_document(markdown)]``: THE paragraph
  list that highlight anchors (paragraph index + character offsets) and quotations index.
- ``sentence_spans(text)`` finds sentence boundaries inside one block's text.

Rules: link text stays in the text (the URL is kept on the span); images become
``[image: alt]``; tables become aligned, pipe-free rows in one ``table`` block; HTML (block
and inline) is dropped, never interpreted. Nothing here does I/O or imports textual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from reader.text.cells import cell_len

if TYPE_CHECKING:  # markdown-it costs ~100 ms to import: it is loaded on the first parse
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

BLOCK_KINDS = ("heading", "paragraph", "list_item", "quote", "code", "table", "rule")
SPAN_STYLES = ("bold", "italic", "code", "link", "strike")

# markdown-it stops nesting block containers at this depth (deeper ``>`` / list markers are
# kept as text of the innermost block); it also bounds recursion on hostile input.
MAX_NESTING = 20
# Inputs longer than this are cut before parsing (a ~2 MB article is already absurd).
MAX_INPUT_CHARS = 4_000_000
# A single table cell is cut to this many cells of width in the laid-out table.
MAX_CELL_WIDTH = 60
BULLET = "•"


@dataclass(slots=True)
class Span:
    """A styled run ``text[start:end]`` of a block; ``url`` only for links."""

    start: int
    end: int
    style: str  # one of SPAN_STYLES
    url: str | None = None


@dataclass(slots=True)
class Block:
    """One display block of an article.

    ``kind`` is one of ``BLOCK_KINDS``. ``text`` is plain text (for code and table blocks
    the lines joined with ``"\\n"``). ``level`` is the heading level (1-6) for headings,
    the list nesting depth (1 = top level) for list items, and the quote depth for quotes
    (and for other blocks inside a quote, see ``quote``). ``marker`` is the bullet ``•`` or
    ``"3."`` on the first paragraph of a list item (empty on its later paragraphs).
    ``quote`` is the blockquote depth around any block (0 = not quoted).
    """

    kind: str
    text: str
    spans: list[Span] = field(default_factory=list)
    level: int = 0
    marker: str = ""
    quote: int = 0


# Inline parsing costs ~10 µs per markup character (``[``, ``*``, ...): a paragraph with more
# than PLAIN_INLINE_MARKUP of them, or any once the article has used INLINE_MARKUP_BUDGET, is
# shown as plain text, so a hostile 1 MB line of ``[[[[`` parses in milliseconds.
PLAIN_INLINE_MARKUP = 10_000
INLINE_MARKUP_BUDGET = 50_000
_MARKUP_CHARS = "[*_`<!~\\&"
# Text holding none of these is the same after markdown-it's inline rules as after
# ``_plain_inline`` (``!`` only matters before ``[``).
_INLINE_TRIGGERS = "[*_`<~\\&"
# Runs of more than this many ``>`` quote markers at a line start are cut to it, so text
# nested deeper than markdown-it's limit is still shown (at this depth).
MAX_QUOTE_MARKERS = 12
_DEEP_QUOTES = re.compile(rf"^((?:[ \t]{{0,3}}>){{{MAX_QUOTE_MARKERS}}})(?:[ \t]{{0,3}}>)+", re.M)
# The same test as ``">" * (MAX_QUOTE_MARKERS + 1) in markdown.replace(" ", "")``, without
# copying the text.
_MANY_QUOTE_MARKERS = re.compile(rf">(?: *>){{{MAX_QUOTE_MARKERS}}}")

# A line that may start (or interrupt a paragraph with) something other than paragraph text:
# headings, quotes, list items, rules, setext underlines, fences, HTML, tables, link
# reference definitions.
_NOT_PLAIN_LINE = re.compile(r"[ \t]*(?:[#>*+=_`~<|:\[-]|\d{1,9}[.)])")
# Constructs that may run across blank lines at the top level (fenced code, HTML blocks):
# a text holding any is parsed whole by markdown-it.
_SPANS_BLANK_LINES = re.compile(r"^[ \t]*(?:```|~~~|<)", re.M)
_NEWLINES = re.compile(r"\r\n?")


def split_plain_paragraphs(markdown: str) -> list[tuple[bool, str]]:
    """``markdown`` as runs in order: ``(True, content)`` for a chunk that can only be a
    top-level paragraph (``content`` is what markdown-it's paragraph rule would hand to the
    inline parser) and ``(False, source)`` for the Markdown between them.

    A chunk is a run of non-blank lines after a blank line (or the start). It is plain when
    its first line is not indented (so it is no list item's or code block's continuation)
    and none of its lines may start a block (``_NOT_PLAIN_LINE``). After a blank line such a
    line closes every open list, quote and indented code block, so the Markdown between
    plain chunks parses on its own exactly as inside the whole text. Texts with fenced code
    or HTML blocks, which may run across blank lines, are one non-plain run.
    """
    if "\r" in markdown:
        markdown = _NEWLINES.sub("\n", markdown)
    if "\0" in markdown:
        markdown = markdown.replace("\0", "\ufffd")
    if _SPANS_BLANK_LINES.search(markdown) is not None:
        return [(False, markdown)]
    from markdown_it.common.utils import mdTrim

    runs: list[tuple[bool, str]] = []
    other: list[str] = []  # lines of the current non-plain run
    chunk: list[str] = []
    not_plain = _NOT_PLAIN_LINE.match

    def end_chunk() -> None:
        if not chunk:
            return
        first = chunk[0]
        if first[0] not in " \t" and not any(not_plain(line) for line in chunk):
            if any(line.strip(" \t") for line in other):
                runs.append((False, "\n".join(other)))
            other.clear()
            runs.append((True, mdTrim("\n".join(chunk))))
        else:
            other.extend(chunk)
        chunk.clear()

    for line in markdown.split("\n"):
        if line.strip(" \t"):
            chunk.append(line)
        else:
            end_chunk()
            other.append(line)
    end_chunk()
    if any(line.strip(" \t") for line in other):
        runs.append((False, "\n".join(other)))
    return runs


@lru_cache(maxsize=1)
def _parsers() -> tuple[MarkdownIt, MarkdownIt]:
    """(block parser without inline parsing, full parser used for inline parsing)."""
    from markdown_it import MarkdownIt

    block = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    block.enable(["table", "strikethrough"]).disable("inline")
    inline = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    inline.enable(["table", "strikethrough"])
    return block, inline


class _InlineParser:
    """Parses inline tokens' children on demand, within the markup budget."""

    def __init__(self, md: MarkdownIt, env: dict[str, object]) -> None:
        self.md = md
        self.env = env
        self.budget = INLINE_MARKUP_BUDGET

    def __call__(self, token: Token) -> Token:
        content = token.content
        marks = sum(content.count(c) for c in _MARKUP_CHARS)
        if marks > PLAIN_INLINE_MARKUP or marks > self.budget:
            from markdown_it.token import Token

            plain = Token("text", "", 0)
            plain.content = " ".join(content.split())
            token.children = [plain]
            return token
        self.budget -= marks
        parsed = self.md.parseInline(content, self.env)
        token.children = parsed[0].children if parsed else []
        return token

    def text_and_spans_of(self, content: str) -> tuple[str, list[Span]]:
        """``text_and_spans`` of an inline token holding ``content``."""
        if not any(c in content for c in _INLINE_TRIGGERS):
            return _plain_inline(content), []
        from markdown_it.token import Token

        token = Token("inline", "", 0)
        token.content = content
        return _inline(self(token))

    def text_and_spans(self, token: Token) -> tuple[str, list[Span]]:
        """``_inline(self(token))``, without markdown-it for text free of markup characters
        (most paragraphs): the same text, found much faster."""
        content = token.content
        if not any(c in content for c in _INLINE_TRIGGERS):
            return _plain_inline(content), []
        return _inline(self(token))


def _plain_inline(content: str) -> str:
    """What markdown-it's inline rules make of ``content`` when it holds none of
    ``_INLINE_TRIGGERS``: line breaks become spaces (softbreak) or ``"\\n"`` (a hardbreak, after
    two or more trailing spaces); the spaces and tabs that start a continuation line are
    dropped, and so are the spaces that end a line."""
    if "\n" not in content:
        return content
    lines = content.split("\n")
    last = len(lines) - 1
    out: list[str] = []
    for i, line in enumerate(lines):
        if i:
            line = line.lstrip(" \t")
        if i == last:
            out.append(line)
        elif line.endswith("  "):
            out.append(line.rstrip(" "))
            out.append("\n")
        else:
            out.append(line[:-1] if line.endswith(" ") else line)
            out.append(" ")
    return "".join(out)


_INLINE_STYLE = {
    "strong_open": "bold",
    "em_open": "italic",
    "s_open": "strike",
}
_INLINE_CLOSE = {
    "strong_close": "bold",
    "em_close": "italic",
    "s_close": "strike",
}


def _inline(token: Token | None) -> tuple[str, list[Span]]:
    """Plain text and spans of one inline token's children."""
    if token is None or not token.children:
        return (token.content if token is not None else ""), []
    parts: list[str] = []
    spans: list[Span] = []
    pos = 0
    open_at: dict[str, list[int]] = {}
    links: list[tuple[int, str | None]] = []

    def add(text: str) -> None:
        nonlocal pos
        if text:
            parts.append(text)
            pos += len(text)

    for child in token.children:
        kind = child.type
        if kind == "text":
            add(child.content)
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("\n")
        elif kind == "code_inline":
            start = pos
            add(child.content)
            if pos > start:
                spans.append(Span(start, pos, "code"))
        elif kind in _INLINE_STYLE:
            open_at.setdefault(_INLINE_STYLE[kind], []).append(pos)
        elif kind in _INLINE_CLOSE:
            stack = open_at.get(_INLINE_CLOSE[kind])
            if stack:
                start = stack.pop()
                if pos > start:
                    spans.append(Span(start, pos, _INLINE_CLOSE[kind]))
        elif kind == "link_open":
            href = child.attrGet("href")
            links.append((pos, str(href) if href is not None else None))
        elif kind == "link_close":
            if links:
                start, url = links.pop()
                if pos > start:
                    spans.append(Span(start, pos, "link", url))
        elif kind == "image":
            alt = " ".join(_inline(child)[0].split())
            add(f"[image: {alt}]" if alt else "[image]")
        elif kind == "html_inline":
            continue  # never interpreted, not shown
        else:
            add(child.content)
    spans.sort(key=lambda s: (s.start, s.end))
    return "".join(parts), spans


def _table(tokens: list[Token], i: int, quote: int, inline_of: _InlineParser) -> tuple[Block, int]:
    """Lay out the table starting at ``tokens[i]`` (``table_open``); return the block and
    the index after ``table_close``."""
    rows: list[list[tuple[str, list[Span]]]] = []
    aligns: list[str] = []
    header_rows = 0
    in_head = False
    n = len(tokens)
    while i < n and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            rows.append([])
            if in_head:
                header_rows += 1
        elif tok.type in ("th_open", "td_open"):
            style = str(tok.attrGet("style") or "")
            col = len(rows[-1]) if rows else 0
            if len(aligns) <= col:
                aligns.append("")
            if "right" in style:
                aligns[col] = "right"
            elif "center" in style:
                aligns[col] = "center"
            inline = tokens[i + 1] if i + 1 < n and tokens[i + 1].type == "inline" else None
            text, spans = inline_of.text_and_spans(inline) if inline is not None else ("", [])
            text = " ".join(text.split())
            if rows:
                rows[-1].append((text, [s for s in spans if s.end <= len(text)]))
        i += 1
    columns = max((len(r) for r in rows), default=0)
    widths = [0] * columns
    for row in rows:
        for col, (text, _) in enumerate(row):
            widths[col] = max(widths[col], min(cell_len(text), MAX_CELL_WIDTH))
    lines: list[str] = []
    spans_out: list[Span] = []
    offset = 0
    gap = "  "
    for r, row in enumerate(rows):
        pieces: list[str] = []
        line_pos = 0
        for col in range(columns):
            text, spans = row[col] if col < len(row) else ("", [])
            if cell_len(text) > widths[col]:
                text = _cut_cells(text, widths[col])
                spans = [s for s in spans if s.end <= len(text)]
            pad = widths[col] - cell_len(text)
            align = aligns[col] if col < len(aligns) else ""
            left = pad if align == "right" else (pad // 2 if align == "center" else 0)
            cell = " " * left + text + " " * (pad - left)
            if col:
                pieces.append(gap)
                line_pos += len(gap)
            for s in spans:
                spans_out.append(
                    Span(
                        offset + line_pos + left + s.start,
                        offset + line_pos + left + s.end,
                        s.style,
                        s.url,
                    )
                )
            pieces.append(cell)
            line_pos += len(cell)
        line = "".join(pieces).rstrip()
        lines.append(line)
        offset += len(line) + 1
        if r + 1 == header_rows:
            rule = gap.join("─" * w for w in widths)
            lines.append(rule)
            offset += len(rule) + 1
    if header_rows:  # header cells are bold
        head_end = sum(len(line) + 1 for line in lines[:header_rows])
        spans_out.append(Span(0, max(0, head_end - 1), "bold"))
    spans_out = [s for s in spans_out if s.end > s.start]
    spans_out.sort(key=lambda s: (s.start, s.end))
    return Block("table", "\n".join(lines), spans_out, quote, "", quote), i + 1


def _cut_cells(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells, ending with an ellipsis when cut."""
    out: list[str] = []
    used = 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def parse_document(markdown: str) -> list[Block]:
    """The display blocks of an article's Markdown, in reading order.

    Robust on hostile input: nesting is capped at ``MAX_NESTING`` levels (deeper markers
    stay as text), HTML is dropped, and input beyond ``MAX_INPUT_CHARS`` is cut.

    Speed: chunks that can only be top-level paragraphs (see ``split_plain_paragraphs``)
    skip markdown-it's block parser; the blocks are the same as a whole-text parse.
    """
    if len(markdown) > MAX_INPUT_CHARS:
        markdown = markdown[:MAX_INPUT_CHARS]
    if _MANY_QUOTE_MARKERS.search(markdown) is not None:
        markdown = _DEEP_QUOTES.sub(r"\1", markdown)
    block_md, inline_md = _parsers()
    env: dict[str, object] = {}
    # Every block parse comes before any inline parse: link reference definitions anywhere
    # in the text are in ``env`` by then, as in a whole-text parse.
    parts = [
        (True, source) if plain else (False, block_md.parse(source, env))
        for plain, source in split_plain_paragraphs(markdown)
    ]
    inline_of = _InlineParser(inline_md, env)
    blocks: list[Block] = []
    for plain, part in parts:
        if plain:
            assert isinstance(part, str)
            text, spans = inline_of.text_and_spans_of(part)
            blocks.append(Block("paragraph", text, spans, 0, "", 0))
        else:
            assert isinstance(part, list)
            _walk(part, inline_of, blocks)
    return blocks


def _walk(tokens: list[Token], inline_of: _InlineParser, blocks: list[Block]) -> None:
    """Append the blocks of markdown-it's block ``tokens`` to ``blocks``."""
    quote = 0
    lists: list[list[object]] = []  # [ordered: bool, next number: int]
    pending_marker: str | None = None
    heading_level = 0
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            heading_level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote = max(0, quote - 1)
        elif kind == "bullet_list_open":
            lists.append([False, 0])
        elif kind == "ordered_list_open":
            start = tok.attrGet("start")
            lists.append(
                [True, int(start) if isinstance(start, int | str) and str(start).isdigit() else 1]
            )
        elif kind in ("bullet_list_close", "ordered_list_close"):
            if lists:
                lists.pop()
            pending_marker = None
        elif kind == "list_item_open":
            if lists and lists[-1][0]:
                number = tok.info if tok.info.isdigit() else str(lists[-1][1])
                pending_marker = f"{number}{tok.markup or '.'}"
                lists[-1][1] = int(number) + 1 if number.isdigit() else lists[-1][1]
            else:
                pending_marker = BULLET
        elif kind == "list_item_close":
            if pending_marker is not None:  # an empty item still shows its marker
                blocks.append(Block("list_item", "", [], len(lists), pending_marker, quote))
            pending_marker = None
        elif kind == "inline":
            text, spans = inline_of.text_and_spans(tok)
            if heading_level:
                blocks.append(Block("heading", text, spans, heading_level, "", quote))
            elif lists:
                marker = pending_marker or ""
                pending_marker = None
                blocks.append(Block("list_item", text, spans, len(lists), marker, quote))
            elif quote:
                blocks.append(Block("quote", text, spans, quote, "", quote))
            else:
                blocks.append(Block("paragraph", text, spans, 0, "", 0))
        elif kind in ("fence", "code_block"):
            code = tok.content.rstrip("\n").expandtabs(4)
            blocks.append(Block("code", code, [], quote, "", quote))
            if lists and pending_marker is not None:
                pending_marker = None
        elif kind == "hr":
            blocks.append(Block("rule", "", [], 0, "", quote))
        elif kind == "table_open":
            block, i = _table(tokens, i, quote, inline_of)
            blocks.append(block)
            continue
        # html_block and everything else: dropped
        i += 1


def paragraphs(markdown: str) -> list[str]:
    """The article's paragraph list: ``[b.text for b in parse_document(markdown)]``.

    Highlight anchors (paragraph index + character offsets) and quotations index this list.
    """
    return [b.text for b in parse_document(markdown)]


# -- sentences ---------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    """mr mrs ms mx dr prof sr jr st mt ft vs eg ie cf al approx dept est fig figs no nos vol
    vols pp op ed eds rev hon gen col lt sgt capt cmdr adm gov sen rep pres inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur fri sat sun
    ca viz""".split()  # noqa: SIM905
)
# A sentence ends at . ! ? … (runs of them), then optional closing quotes/brackets, then
# whitespace. CJK full stops end a sentence without needing a space.
# Linear on any text: a run of terminators is tried once, from its start (the lookbehind),
# and never split (possessive), so a 64 KB line of dots costs one pass.
_END = re.compile(
    r"""(?<![.!?…])([.!?…]++)(["'”’»)\]]*+)(?=\s)|(?<![。！？])([。！？]++)(["'”’」』）]*+)"""
)
_LONGEST_WORD = 64  # an abbreviation or initial is short: look no further back


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries in ``text`` as ``(start, end)`` offsets, in order.

    Each span starts at a non-space character and ends after the sentence's terminator and
    any closing quotes; whitespace between sentences belongs to none. Abbreviations
    (Mr., Dr., e.g., i.e., …), initials (J. R.), decimals and an ellipsis or ``?``/``!``
    followed by a lower-case word do not end a sentence. Text without a terminator is one
    sentence.
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    start = _skip_space(text, 0)
    if start >= n:
        return spans
    for match in _END.finditer(text):
        end = match.end()
        if end <= start:
            continue
        if match.group(1) is not None and not _is_boundary(text, match):
            continue
        spans.append((start, end))
        start = _skip_space(text, end)
        if start >= n:
            return spans
    spans.append((start, len(text.rstrip())))
    return spans


def _skip_space(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    return pos


def _word_before(text: str, end: int) -> str:
    """The run of word characters and dots ending at ``end`` (at most ``_LONGEST_WORD``
    characters are looked at: a longer run is no abbreviation)."""
    start = end
    floor = max(0, end - _LONGEST_WORD)
    while start > floor and (text[start - 1].isalnum() or text[start - 1] in "._"):
        start -= 1
    return text[start:end]


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Whether a Latin-style terminator match really ends a sentence."""
    punct = match.group(1)
    after = _skip_space(text, match.end())
    next_char = text[after] if after < len(text) else ""
    if next_char and next_char.islower():
        return False  # "… and so", "e.g. the", "Yahoo! is"
    if punct == ".":
        word = _word_before(text, match.start(1))
        if word:
            bare = word.replace(".", "").lower()
            if bare in _ABBREVIATIONS and not match.group(2):
                return False
            if len(bare) == 1 and bare.isalpha() and word[-1].isupper() and next_char.isupper():
                return False  # an initial: "J. R. Tolkien"
    return True


# Quotation marks a passage may open or close with (ASCII double quotes are both).
_OPENING_MARKS = {"“": "”", "«": "»", "„": "“", '"': '"'}
_CLOSING_MARKS = {"”": "“", "»": "«", '"': '"'}


def trim_unpaired_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without an opening quotation mark at its start whose closing mark
    is not in it, nor a closing mark at its end whose opening mark is not in it (a sentence
    selected inside a longer quotation: ``“We oppose the plan.``). Marks are presentation:
    a passage shown in quotation marks would show them twice. Never trims to nothing."""
    s, e = start, end
    piece = text[s:e]
    opener = piece[:1]
    if opener in _OPENING_MARKS and _OPENING_MARKS[opener] not in piece[1:]:
        s = _skip_space(text, s + 1)
    closer = text[e - 1 : e] if e > s else ""
    if closer in _CLOSING_MARKS and _CLOSING_MARKS[closer] not in text[s : e - 1]:
        e -= 1
    return (s, e) if e > s else (start, end)
