"""Direct quotations in an article's text, and who said them.

Owns ``find_quotations`` and the ``Quotation`` record, used by the TUI's quote pane and by
``reader quotes``. Pure text processing over the article's paragraph plain texts: no I/O and
no Textual.

How it works, in four steps (all linear in the text; windows around a quotation are bounded):

1. **Pairing.** Only double quote marks delimit quotations: curly ``“ ”``, straight ``"``,
   low ``„`` and guillemets ``« »``. Single marks (``‘ ’ '``) are never delimiters, so
   apostrophes (don’t, Zhao’s) and nested single quotes inside a quotation are left alone.
   A straight ``"`` opens or closes by context (space before it opens, space or punctuation
   after it closes), so an opening ``“`` closed by a straight ``"`` pairs. An opening mark
   seen while a quotation is already open replaces it (the earlier one was unmatched), so
   thousands of stray marks cost one pass. A paragraph whose last quotation is left open,
   followed by a paragraph that begins with an opening mark, is a multi-paragraph quotation:
   each paragraph's part becomes its own ``Quotation`` (offsets stay per paragraph) and the
   parts share one speaker. An open mark with no continuation is dropped.
2. **Scare quotes.** A quoted passage counts as a quotation when it has at least 4 words, or
   3 words and ends with sentence punctuation (``. , ! ? …``); a multi-paragraph quotation
   counts its words over all parts. So “challenge” and “info war” are not quotations but
   “We will win.” is.
3. **Attribution.** After the closing mark: ``said Ana Rossi``, ``Rossi added``,
   ``the minister said``, ``he said``, ``according to X``, ``— Ana Rossi`` (also as the next
   paragraph), ``said branch manager Denise Okoro``, or a pull quote's caption
   (``“…” Martin Ashby, chair``). After a quotation ending in a full stop the next word must be lowercase, else
   it is a new sentence. Otherwise before the opening mark, in the same sentence:
   ``Yellen told the Atlantic Council, “…”``, ``Jen Psaki has repeatedly called on China’s
   leaders to “…”``, ``According to X, “…”``, ``X described it as “…”``, or a previous
   paragraph ending in ``X said:``. Passive forms (``was said to``) do not count. The subject
   is the run of capitalized words right before the verb, with leading titles stripped
   (``White House Press Secretary``, ``Finance Minister``, ``Dr.``); a relative clause
   (``, who runs a shop,``) is skipped and an appositive role (``Marta Kowalczyk, the chief
   engineer, said``) gives way to the name; a lowercase phrase is a role (``the minister``).
4. **Resolution.** A single name (``Zhao``) becomes the latest full name earlier in the article
   whose first or last word it is (``Zhao Lijian``, ``Janet Yellen``). A role becomes the name
   an earlier appositive or title tied it to (``the minister, Karl Weber,``, ``Ana Rossi, the
   mayor``, ``Finance Minister Karl Weber``), else stays the role text (``the minister``).
   ``he``/``she``/``they`` become, in order: the person the nearest earlier sentence of the
   same paragraph is about (the subject of a speech verb, else its first plausible name: a
   full name, or a single capitalized word known as a name elsewhere, not after
   ``the``/``in``/…); else the previous quotation's speaker in that paragraph; else, for a
   quotation opening its paragraph, the person the previous paragraph (if it has no quote
   marks) is about; else the last named speaker. A quotation with no attribution takes the
   speaker of the previous quotation in the same paragraph, else the name that is the
   subject of a speech verb earlier in that paragraph (``Brekke said … “…”``), else None.

The quotation text is the words inside the marks, trimmed of surrounding spaces and of a
trailing comma (``“…,” he said`` gives ``…``); other punctuation is kept.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Quotation", "find_quotations"]


@dataclass(frozen=True, slots=True)
class Quotation:
    """One direct quotation: its words, who said them, and where it sits.

    ``paragraphs[paragraph][start:end] == text`` always holds for the ``paragraphs`` given to
    :func:`find_quotations`.
    """

    text: str  # the quoted words, without the quote marks
    speaker: str | None  # full name where the text attributes it (or a role, e.g. "the mayor")
    paragraph: int  # index into the paragraphs list given
    start: int  # char offset of the quoted text (inside the marks) in that paragraph
    end: int

    def to_json(self) -> dict:
        """The JSON shape used by ``reader quotes --json``."""
        return {"text": self.text, "speaker": self.speaker, "paragraph": self.paragraph}


# --------------------------------------------------------------------------- character classes


def _build_upper_class() -> str:
    """A regex character class body of uppercase and titlecase letters (Latin, Greek, ...)."""
    spans = [(0, 0x2000), (0x2C00, 0x2E00), (0xA640, 0xA800), (0xFF21, 0xFF3B)]
    ranges: list[tuple[int, int]] = []
    for lo, hi in spans:
        run_start = -1
        for cp in range(lo, hi):
            ch = chr(cp)
            if ch.isupper() or ch.istitle():
                if run_start < 0:
                    run_start = cp
            elif run_start >= 0:
                ranges.append((run_start, cp - 1))
                run_start = -1
        if run_start >= 0:
            ranges.append((run_start, hi - 1))
    parts = []
    for a, b in ranges:
        parts.append(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}")
    return "".join(parts)


_UP = _build_upper_class()
# A capitalized name word: O’Brien and Jean-Luc yes, the possessive in Zhao’s no; initials "J."
_TOK = (  # one capital, then: initials (J. Smith, U.S.), Dr. Rossi, or the rest of a word
    rf"[{_UP}](?:(?:\.[{_UP}])*\.(?=\s+[^\W\d_])|[^\W\d_]{{0,3}}\.(?=\s+[^\W\d_])"
    rf"|(?:[\w\-]|[’'](?=[^\W\d_]{{2}}))*)"
)
_PARTICLE = r"(?:de|da|di|du|del|della|der|den|van|von|la|le|bin|ibn|al|dos|das|y)"
_PARTICLE_SET = set(_PARTICLE.strip("(?:)").split("|"))
_NAME_RUN = rf"{_TOK}(?:\s+(?:{_PARTICLE}\s+)?{_TOK}){{0,5}}"
_ROLE_WORDS = r"[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,4}"

_OPEN_ONLY = "“„‟«"
_CLOSE_ONLY = "”»"
_MARK_RE = re.compile(r"[\"“”„‟«»]")
_OPEN_BEFORE = set(" \t\n\r\f\v([{\u2014\u2013-/\u00a0") | set('"“”„‟«»')
_CLOSE_AFTER = set(" \t\n\r\f\v.,;:!?)]}\u2014\u2013-/\u2026\u00a0") | set("\"“”„‟«»’'")

_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_SENTENCE_END = ".,!?…"

# ------------------------------------------------------------------------------- vocabulary


def _words(text: str) -> list[str]:
    return text.split()


_VERB_WORDS = _words(
    "said says say told tells added adds asked asks wrote writes noted explained explains "
    "argued argues warned warns insisted insists stated replied continued urged urges posted "
    "tweeted declared declares recalled acknowledged admitted admits claimed conceded "
    "emphasised emphasized emphasises emphasizes stressed stresses agreed suggested predicted "
    "joked remarked described"
)
# Verbs that can come before their subject: “…,” said Ana Rossi.
_INVERTIBLE = set(_VERB_WORDS) - {"told", "tells", "urged", "urges", "say"}
_VERBS = r"(?:called\s+on|[Aa]ccording\s+to|" + "|".join(sorted(_VERB_WORDS, key=len)[::-1]) + ")"
_VERB_RE = re.compile(rf"\b{_VERBS}\b")
_INV_VERBS = "|".join(sorted(_INVERTIBLE, key=len)[::-1])

_AFTER_INVERTED_RE = re.compile(rf"[\s,\u2014\u2013-]*(?:(?:{_INV_VERBS})|according\s+to)\s+")
_AFTER_SUBJECT_RE = re.compile(
    rf"[\s,\u2014\u2013-]*(?P<subj>[^!?;:\n\"“”«»„]{{1,100}}?)\s+(?P<verb>{_VERBS})\b"
)
_PRONOUN_AT_RE = re.compile(r"(?P<p>he|she|they|it|He|She|They)\b")
_NEW_SENTENCE_IN_REGION = re.compile(r"\b[a-z]{3,}\.\s")
_SENTENCE_BREAK_RE = re.compile(r"[.!?]+[\"”’)\]]*\s+")
_CLAUSE_SPLIT_RE = re.compile(r"[,;:()\u2014\u2013]")

_TITLES = {
    t.lower()
    for t in _words(
        "Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Professor Sir Dame Lord Lady Rev Rev. "
        "Secretary Minister President Premier Chancellor Spokesman Spokeswoman Spokesperson "
        "Mayor Governor Gov. Senator Sen. Representative Rep. Congressman Congresswoman "
        "Ambassador Commissioner Director Chairman Chairwoman Chair CEO CFO COO Chief Officer "
        "General Gen. Colonel Col. Captain Capt. Lieutenant Lt. Sergeant Sgt. Admiral Major "
        "Judge Justice Sheriff Inspector Detective Superintendent Commander Marshal "
        "King Queen Prince Princess Pope Bishop Archbishop Cardinal Father Sister Brother "
        "Coach Manager Leader Head Editor Analyst Economist Founder Co-founder Executive "
        "Deputy Vice Undersecretary Secretary-General Attorney Counsel Lawyer Spokesmen "
        "Adviser Advisor Envoy Councillor Councilor Councilwoman Councilman Speaker Whip "
        "Dean Rector Chancellor Provost Auditor Treasurer Comptroller Prosecutor "
        "Architect Engineer Librarian Historian Author Writer Novelist Artist Photographer "
        "Designer Scientist Researcher Biologist Physician Doctor Nurse Teacher Principal "
        "Curator Activist Farmer Chef Owner Organizer Organiser Resident Volunteer Consultant "
        "Strategist Reporter Journalist Correspondent Columnist Critic Pastor Imam Rabbi Priest"
    )
}
_STOP_LEAD = {
    t.lower()
    for t in _words(
        "The A An But And Or So Then Now Yet However Meanwhile Still Also In On At For After "
        "Before During When While As If Yesterday Today Tomorrow Last This That These Those "
        "Earlier Later Speaking Asked According Instead Indeed Finally Separately Similarly "
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
        "May June July August September October November December Mon Tue Wed Thu Fri Sat Sun"
    )
}
_PRONOUNS = {"he", "she", "they", "it", "we", "i"}
_ARTICLES = {"the", "a", "an", "his", "her", "its", "their", "our"}
_AUX = set(
    _words(
        "has have had was is were are would will also again then later once further long "
        "earlier even just often always simply since recently previously subsequently "
        "not"
    )
)
_BREAK_WORDS = set(
    _words(
        "in on at after during when while before since that which who because and but as where "
        "if so yesterday today tomorrow than to with by from about"
    )
)
_ABBREVIATIONS = set(
    _words(
        "mr mrs ms dr st gen sen rep gov prof jr sr lt col capt sgt no vs etc u.s u.k u.n e.u "
        "inc co corp ltd rev"
    )
)


@dataclass(frozen=True, slots=True)
class _NamePatterns:
    """Regexes built on the uppercase-letter class; compiled on first use (costly to compile)."""

    name_at: re.Pattern[str]
    described_name: re.Pattern[str]
    caption: re.Pattern[str]
    token: re.Pattern[str]
    role_at: re.Pattern[str]


@functools.cache
def _rx() -> _NamePatterns:
    return _NamePatterns(
        name_at=re.compile(_NAME_RUN),
        described_name=re.compile(
            rf"(?:(?!the\b|a\b|an\b)[a-z][\w\-]*\s+){{1,4}}(?P<name>{_NAME_RUN})"
        ),
        caption=re.compile(rf"\s*(?P<name>{_NAME_RUN})\s*(?:,[^.!?]*)?\.?\s*$"),
        token=re.compile(_TOK),
        role_at=re.compile(
            rf"(?P<art>the|a|an|The|A|An)\s+(?P<role>{_ROLE_WORDS})"
            rf"(?:,\s+(?P<name>{_NAME_RUN}))?"
        ),
    )


@functools.cache
def _link_rx() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Appositive patterns (``the minister, Karl Weber,`` / ``Ana Rossi, the mayor``)."""
    return (
        re.compile(
            rf"\b(?:the|The|a|A|an|its|his|her|their)\s+(?P<role>{_ROLE_WORDS}),\s+"
            rf"(?P<name>{_NAME_RUN})(?=\s*[,.;)\u2014]|\s+{_VERBS}\b)"
        ),
        re.compile(
            rf"(?P<name>{_NAME_RUN}),\s+(?:the|a|an|its|his|her|their)\s+(?P<role>{_ROLE_WORDS})"
            rf"(?=\s*[,.;)\u2014]|\s*$)"
        ),
    )


_BEFORE_WINDOW = 300
_AFTER_WINDOW = 200
_MAX_VERB_TO_QUOTE = 160


# ------------------------------------------------------------------------------- pairing


@dataclass(slots=True)
class _Segment:
    paragraph: int
    start: int  # inner start (after the opening mark), before trimming
    end: int  # inner end (the closing mark's offset, or the paragraph's end)
    open_at: int  # offset of the opening mark
    closed: bool


def _pair_marks(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """Closed (open_mark, close_mark) pairs in ``text``, and a dangling opening mark if any."""
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    open_ch = ""
    n = len(text)
    for m in _MARK_RE.finditer(text):
        i = m.start()
        ch = text[i]
        if ch in _OPEN_ONLY:
            if ch == "“" and open_at is not None and open_ch == "„":
                pairs.append((open_at, i))  # German „…“
                open_at = None
            else:
                open_at, open_ch = i, ch
            continue
        if ch in _CLOSE_ONLY:
            if open_at is not None:
                pairs.append((open_at, i))
                open_at = None
            continue
        # straight quote: decide by context
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < n else " "
        can_open = before in _OPEN_BEFORE and not after.isspace()
        can_close = after in _CLOSE_AFTER and not before.isspace()
        if open_at is None:
            if can_open or not can_close:  # else a stray closing mark: ignore it
                open_at, open_ch = i, ch
        elif can_close or not can_open:
            pairs.append((open_at, i))
            open_at = None
        else:  # can open, cannot close: the earlier opening mark was unmatched
            open_at, open_ch = i, ch
    return pairs, open_at


def _starts_with_open_mark(text: str) -> bool:
    stripped = text.lstrip()
    if not stripped:
        return False
    ch = stripped[0]
    if ch in _OPEN_ONLY:
        return True
    return ch == '"' and len(stripped) > 1 and not stripped[1].isspace()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] == ",":
        end -= 1
        while end > start and text[end - 1].isspace():
            end -= 1
    return start, end


def _word_count_ok(words: int, raw_tail: str) -> bool:
    return words >= 4 or (words >= 3 and raw_tail in _SENTENCE_END)


# ------------------------------------------------------------------------------- names


def _clean_run(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split a capitalized run into (title words, name words), dropping leading stop words."""
    while len(tokens) > 1 and tokens[0].lower().rstrip(".") in _STOP_LEAD:
        tokens = tokens[1:]
    last_title = -1
    for i, tok in enumerate(tokens):
        if tok.lower() in _TITLES or tok.lower().rstrip(".") in _TITLES:
            last_title = i
    return tokens[: last_title + 1], tokens[last_title + 1 :]


def _head_noun(role: str) -> str:
    words = role.lower().split()
    for i, w in enumerate(words):
        if w in ("of", "for", "at", "in", "to") and i > 0:
            return words[i - 1]
    return words[-1] if words else ""


def _role_keys(role: str) -> list[str]:
    words = role.lower().split()
    while words and words[0] in _ARTICLES:
        words = words[1:]
    if not words:
        return []
    full = " ".join(words)
    head = _head_noun(full)
    return [full, head] if head != full else [full]


class _Index:
    """Full names, role→name links and known name words found in the article, by position."""

    def __init__(self, paragraphs: Sequence[str]) -> None:
        self._paragraphs = paragraphs
        self._names: dict[str, tuple[list[tuple[int, int]], list[str]]] = {}
        self._roles: dict[str, tuple[list[tuple[int, int]], list[str]]] = {}
        self._links_scanned = False
        for p, text in enumerate(paragraphs):
            self._scan(p, text)

    @staticmethod
    def _add(table: dict, key: str, pos: tuple[int, int], value: str) -> None:
        positions, values = table.setdefault(key, ([], []))
        positions.append(pos)
        values.append(value)

    @staticmethod
    def _latest(table: dict, key: str, pos: tuple[int, int]) -> str | None:
        entry = table.get(key)
        if not entry:
            return None
        i = bisect.bisect_left(entry[0], pos)
        return entry[1][i - 1] if i > 0 else None

    def _scan(self, p: int, text: str) -> None:
        for m in _rx().name_at.finditer(text):
            run = m.group().split()
            titles, name = _clean_run(run)
            if not name:
                continue
            full = " ".join(name)
            pos = (p, m.start())
            lead = text[max(0, m.start() - 40) : m.start()].rstrip()
            if len(_significant(name)) >= 2 and not any(t.lower() in _PRONOUNS for t in name):
                self._add(self._names, name[0], pos, full)
                self._add(self._names, name[-1], pos, full)
            if titles:
                phrase = " ".join(titles).lower()
                for key in {phrase, titles[-1].lower().rstrip(".")}:
                    self._add(self._roles, key, pos, full)
            pre = lead.rsplit(None, 1)[-1].lower() if lead else ""
            if pre in _TITLES:  # spokesman Zhao Lijian
                self._add(self._roles, pre, pos, full)

    def _scan_links(self) -> None:
        """Appositive role links (``the minister, Karl Weber,``); only needed for roles."""
        self._links_scanned = True
        for p, text in enumerate(self._paragraphs):
            for rx in _link_rx():
                for m in rx.finditer(text):
                    _, name = _clean_run(m.group("name").split())
                    for key in _role_keys(m.group("role")) if name else ():
                        entry = self._roles.setdefault(key, ([], []))
                        k = bisect.bisect_right(entry[0], (p, m.start()))
                        entry[0].insert(k, (p, m.start()))
                        entry[1].insert(k, " ".join(name))

    def full_name(self, name: str, pos: tuple[int, int]) -> str:
        """The latest full name before ``pos`` that ``name`` (one word) is part of."""
        words = _significant(name.split())
        if len(words) != 1:
            return name
        return self._latest(self._names, words[0], pos) or name

    def role_name(self, role: str, pos: tuple[int, int]) -> str | None:
        """The name an earlier appositive or title tied ``role`` to, if any."""
        if not self._links_scanned:
            self._scan_links()
        for key in _role_keys(role):
            found = self._latest(self._roles, key, pos)
            if found:
                return found
        return None

    def plausible(self, name: list[str]) -> bool:
        """Whether capitalized words look like a person's name rather than a sentence opener."""
        words = _significant(name)
        if len(words) >= 2:
            return True
        if len(words) != 1:
            return False
        word = words[0]
        if word.lower() in _STOP_LEAD or word.lower() in _PRONOUNS:
            return False
        return word in self._names  # part of a full name seen in the article


def _significant(name: list[str]) -> list[str]:
    return [t for t in name if t.lower() not in _PARTICLE_SET]


# ------------------------------------------------------------------------------- subjects

# A subject is (kind, text) with kind in {"name", "role", "pronoun"}.
_Subject = tuple[str, str]
_RELATIVE = {"who", "which", "whose", "whom", "where", "when", "that"}


def _is_name_token(tok: str) -> bool:
    return bool(tok) and (tok[0].isupper() or tok[0].istitle()) and bool(_rx().token.fullmatch(tok))


def _normalise_role(words: list[str]) -> str:
    if words and words[0].lower() in _ARTICLES:
        words = [words[0].lower(), *words[1:]]
    return " ".join(words)


def _trailing_run(tokens: list[str]) -> int:
    """Index where the trailing run of capitalized words (particles allowed) starts."""
    i = len(tokens)
    while i > 0:
        tok = tokens[i - 1]
        particle = tok.lower() in _PARTICLE_SET and i < len(tokens) and _is_name_token(tokens[i])
        if not (particle or _is_name_token(tok)):
            break
        i -= 1
    while i < len(tokens) and not _is_name_token(tokens[i]):  # no leading lowercase particle
        if tokens[i][0].islower():
            break
        i += 1
    return i


def _parse_part(tokens: list[str]) -> _Subject | None:
    """Parse one clause (no commas) that ends right before a speech verb."""
    if not tokens:
        return None
    i = _trailing_run(tokens)
    run = tokens[i:]
    if run:
        if len(run) == 1 and run[0].lower() in _PRONOUNS:
            return ("pronoun", run[0].lower())
        titles, name = _clean_run(run)
        before = tokens[i - 1].lower() if i > 0 else ""
        if len(name) == 1 and name[0].lower() in _STOP_LEAD:
            return None
        if name and not titles and before in _ARTICLES:
            art = max(k for k, t in enumerate(tokens[:i]) if t.lower() in _ARTICLES)
            return ("role", _normalise_role(tokens[art:]))
        if name:
            return ("name", " ".join(name))
        start = i - 1 if before in _ARTICLES else i
        return ("role", _normalise_role(tokens[start:]))
    if tokens[-1].lower() in _PRONOUNS:
        return ("pronoun", tokens[-1].lower())
    cut = 0
    for k, tok in enumerate(tokens):
        if tok.lower() in _BREAK_WORDS:
            cut = k + 1
    rest = tokens[cut:]
    if not rest:
        return None
    for k, tok in enumerate(rest):
        if tok.lower().rstrip("’'s") in _ARTICLES or tok.lower() in _ARTICLES:
            return ("role", _normalise_role(rest[k:])) if len(rest) - k <= 7 else None
    if len(rest) <= 3 and all(t.isalpha() for t in rest):
        return ("role", " ".join(rest))
    return None


def _subject_before_verb(region: str, index: _Index) -> _Subject | None:
    """Parse the words right before a speech verb (``White House Press Secretary Jen Psaki``).

    The region is split into comma clauses; a relative clause (``, who runs a shop,``) is
    skipped, and a role in apposition (``Marta Kowalczyk, the chief engineer,``) gives way to
    the name before it.
    """
    tokens = region.strip(" \t,\u2014\u2013-").split()
    while tokens and (
        tokens[-1].lower() in _AUX or (tokens[-1].islower() and tokens[-1].endswith("ly"))
    ):
        tokens.pop()
    text = " ".join(tokens)
    parts = [p.split() for p in _CLAUSE_SPLIT_RE.split(text)[-4:]]
    parts = [p for p in parts if p]
    role: _Subject | None = None
    for k in range(len(parts) - 1, -1, -1):
        relative = parts[k][0].lower() in _RELATIVE
        part = parts[k][-10:]
        if relative and part[-1].lower() not in _PRONOUNS:
            continue
        subject = _parse_part(part)
        if subject is None:
            break
        if subject[0] != "role":
            if role is not None and subject[0] != "name":
                return role
            return subject
        if role is not None:
            break
        role = subject
    if role is not None:
        return role
    return _leading_name(text, index)


def _leading_name(text: str, index: _Index) -> _Subject | None:
    """``Rossi called the plan a waste and said`` → Rossi (the sentence's subject)."""
    m = _rx().name_at.match(text)
    if not m:
        return None
    tokens = m.group().split()
    if len(tokens) == 1 and tokens[0].lower() in _PRONOUNS:
        return ("pronoun", tokens[0].lower())
    _, name = _clean_run(tokens)
    if name and index.plausible(name):
        return ("name", " ".join(name))
    return None


def _subject_after_verb(text: str, pos: int) -> _Subject | None:
    """Parse the subject that follows an inverted verb: ``said Ana Rossi, the mayor``."""
    m = _PRONOUN_AT_RE.match(text, pos)
    if m:
        return ("pronoun", m.group("p").lower())
    m = _rx().role_at.match(text, pos)
    if m:
        if m.group("name"):
            _, name = _clean_run(m.group("name").split())
            if name:
                return ("name", " ".join(name))
        return ("role", _normalise_role([m.group("art"), *m.group("role").split()]))
    m = _rx().name_at.match(text, pos)
    if m:
        titles, name = _clean_run(m.group().split())
        if name:
            return ("name", " ".join(name))
        if titles:
            return ("role", " ".join(titles))
    m = _rx().described_name.match(text, pos)  # said branch manager Denise Okoro
    if m:
        _, name = _clean_run(m.group("name").split())
        if name:
            return ("name", " ".join(name))
    return None


_DASH_RE = re.compile(r"\s*[\u2014\u2015\u2013]\s*")


def _attribution_after(text: str, end: int, quoted: str, index: _Index) -> _Subject | None:
    """The attribution following a closing mark at ``end`` (``Zhao told``, ``said X``)."""
    window = text[end + 1 : end + 1 + _AFTER_WINDOW]
    if not window.strip():
        return None
    m = _DASH_RE.match(window)
    if m and m.end() < len(window) and window[m.end()].isupper():  # “…” — Ana Rossi
        return _subject_after_verb(window, m.end())
    m = _rx().caption.match(window)  # a pull quote's caption: “…” Ana Rossi, mayor
    if m and len(window) < _AFTER_WINDOW and not _VERB_RE.search(window):
        _, name = _clean_run(m.group("name").split())
        if name and (len(_significant(name)) >= 2 or index.plausible(name)):
            return ("name", " ".join(name))
    first = window.lstrip(" \t,\u2014\u2013-")
    if first[:1] in ".!?":
        return None
    # a quotation ending in a full stop is followed by a new sentence unless lowercase follows
    if (
        quoted.rstrip().endswith(".")
        and not quoted.rstrip().endswith("...")
        and not (first[:1].islower())
    ):
        return None
    m = _AFTER_INVERTED_RE.match(window)
    if m:
        subj = _subject_after_verb(window, m.end())
        if subj:
            return subj
    m = _AFTER_SUBJECT_RE.match(window)
    if m and m.group("verb").split()[0] != "according":
        region = m.group("subj")
        if _NEW_SENTENCE_IN_REGION.search(region) or len(region.split()) > 10:
            return None
        return _subject_before_verb(region, index)
    return None


def _sentence_starts(window: str) -> list[int]:
    """Offsets where sentences start in ``window`` (0 first), skipping abbreviations."""
    starts = [0]
    for m in _SENTENCE_BREAK_RE.finditer(window):
        word = window[max(0, m.start() - 24) : m.start()].rsplit(None, 1)
        last = word[-1].lower() if word else ""
        last = last.lstrip('("“')
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        if _ACRONYM_RE.fullmatch(last):  # U.S.
            continue
        starts.append(m.end())
    return starts


_ACRONYM_RE = re.compile(r"(?:[a-z]\.)+[a-z]")
_PASSIVE_RE = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+(?:\w+ly\s+)?$")


def _attribution_before(text: str, open_at: int, floor: int, index: _Index) -> _Subject | None:
    """The attribution in the sentence before an opening mark (``Yellen told X, “``)."""
    lo = max(floor, open_at - _BEFORE_WINDOW)
    window = text[lo:open_at]
    if not window.strip():
        return None
    return _verb_subject(window[_sentence_starts(window)[-1] :], index, to_end=True)


def _verb_subject(sentence: str, index: _Index, to_end: bool) -> _Subject | None:
    """The subject of the last speech verb in ``sentence``."""
    last = None
    for m in _VERB_RE.finditer(sentence):
        last = m
    if last is None or (to_end and len(sentence) - last.end() > _MAX_VERB_TO_QUOTE):
        return None
    if _PASSIVE_RE.search(sentence, 0, last.start()):  # "was said to", "is described as"
        return None
    if last.group().lower().startswith("according"):
        rest = sentence[last.end() :]
        return _subject_after_verb(rest, len(rest) - len(rest.lstrip()))
    return _subject_before_verb(sentence[: last.start()], index)


def _context_subject(text: str, lo: int, hi: int, index: _Index, any_name: bool) -> str | None:
    """A person the text between ``lo`` and ``hi`` is about, nearest sentence first.

    A sentence counts when a name is the subject of a speech verb in it (``Brekke said the
    fleets …``), or, with ``any_name``, when it mentions a plausible name at all (``Tomas Berg,
    who runs a shop, was blunt.``).
    """
    lo = max(lo, hi - _CONTEXT_WINDOW)
    window = text[lo:hi]
    starts = _sentence_starts(window)
    ends = [*starts[1:], len(window)]
    for s, e in zip(reversed(starts), reversed(ends), strict=True):
        sentence = window[s:e]
        subject = _verb_subject(sentence, index, to_end=False)
        if subject is not None and subject[0] == "name":
            return subject[1]
        if not any_name:
            continue
        for m in _rx().name_at.finditer(sentence):
            before = sentence[max(0, m.start() - 6) : m.start()].split()
            if before and before[-1].lower() in _NOT_BEFORE_PERSON:  # the Millbrook, in May
                continue
            _, name = _clean_run(m.group().split())
            if name and index.plausible(name):
                return " ".join(name)
    return None


_CONTEXT_WINDOW = 1500
_NOT_BEFORE_PERSON = {"the", "a", "an", "in", "at", "on", "of", "from", "into", "near", "its"}


# ------------------------------------------------------------------------------- main


def find_quotations(paragraphs: Sequence[str]) -> list[Quotation]:
    """Find the direct quotations in an article and who said them.

    ``paragraphs`` are the article's paragraph plain texts, in order. Returns the quotations
    in reading order; a multi-paragraph quotation gives one entry per paragraph, all with the
    same speaker. See the module docstring for the rules.
    """
    paragraphs = [p if isinstance(p, str) else str(p) for p in paragraphs]
    kept = _candidate_quotations(paragraphs)
    if not kept:
        return []
    index = _Index(paragraphs)
    result: list[Quotation] = []
    last_named: str | None = None
    last_any: str | None = None
    prev_para = -1
    prev_end = 0
    prev_speaker: str | None = None
    for spans, open_at, close_at in kept:
        p0 = spans[0][0]
        pl, sl, el = spans[-1]
        first_text = paragraphs[p0]
        last_text = paragraphs[pl]
        floor = prev_end if prev_para == p0 else 0
        same_para_speaker = prev_speaker if prev_para == p0 else None
        pos = (p0, open_at)
        subject = None
        if close_at is not None:
            subject = _attribution_after(last_text, close_at, last_text[sl:el], index)
            nxt = paragraphs[pl + 1] if pl + 1 < len(paragraphs) else ""
            if subject is None and close_at + 1 >= _content_end(last_text):
                subject = (
                    _attribution_after(" " + nxt, 0, "", index) if _DASH_RE.match(nxt) else None
                )
        if subject is None:
            subject = _attribution_before(first_text, open_at, floor, index)
        at_start = open_at <= _content_start(first_text)
        if subject is None and at_start and p0 > 0:
            prev_text = paragraphs[p0 - 1].rstrip()
            if prev_text.endswith(":"):
                subject = _attribution_before(prev_text, len(prev_text), 0, index)
        speaker: str | None = None
        if subject is not None:
            kind, value = subject
            if kind == "name":
                speaker = value
            elif kind == "pronoun":
                speaker = _context_subject(first_text, floor, open_at, index, any_name=True)
                speaker = speaker or same_para_speaker
                if (
                    speaker is None
                    and at_start
                    and p0 > 0
                    and not _MARK_RE.search(paragraphs[p0 - 1])
                ):
                    prev_text = paragraphs[p0 - 1]
                    speaker = _context_subject(prev_text, 0, len(prev_text), index, True)
                speaker = speaker or (last_any if value == "it" else last_named)
            else:
                speaker = index.role_name(value, pos) or value
                if speaker == value:
                    last_any = speaker
        else:
            speaker = same_para_speaker or _context_subject(
                first_text, floor, open_at, index, any_name=False
            )
        if speaker is not None and (subject is None or subject[0] != "role" or speaker != value):
            speaker = index.full_name(speaker, pos)
            last_named = speaker
        if speaker is not None:
            last_any = speaker
        for p, s, e in spans:
            result.append(Quotation(paragraphs[p][s:e], speaker, p, s, e))
        prev_para, prev_end, prev_speaker = (
            pl,
            (close_at + 1 if close_at is not None else el),
            speaker,
        )
    return result


def _content_start(text: str) -> int:
    """Offset of the first non-space character (len(text) if none)."""
    m = _NON_SPACE_RE.search(text)
    return m.start() if m else len(text)


def _content_end(text: str) -> int:
    """Offset just after the last non-space character (bounded look-back)."""
    end = len(text)
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


_NON_SPACE_RE = re.compile(r"\S")


def _candidate_quotations(
    paragraphs: list[str],
) -> list[tuple[list[tuple[int, int, int]], int, int | None]]:
    """Paired, trimmed quotations that pass the word-count rule, in reading order.

    Each is (spans, opening mark offset, closing mark offset or None); spans are
    (paragraph, start, end), more than one for a multi-paragraph quotation.
    """
    chains: list[list[_Segment]] = []
    carry: list[_Segment] | None = None
    for p, text in enumerate(paragraphs):
        pairs, dangling = _pair_marks(text)
        first = True
        for open_at, close_at in pairs:
            seg = _Segment(p, open_at + 1, close_at, open_at, True)
            if first and carry is not None and open_at <= _content_start(text):
                carry.append(seg)
                chains.append(carry)
            else:
                chains.append([seg])
            carry = None
            first = False
        if dangling is not None:
            seg = _Segment(p, dangling + 1, len(text), dangling, False)
            continues = p + 1 < len(paragraphs) and _starts_with_open_mark(paragraphs[p + 1])
            if first and carry is not None and dangling <= _content_start(text):
                carry.append(seg)
                carry = carry if continues else None
            else:
                carry = [seg] if continues else None
        else:
            carry = None
    chains = [c for c in chains if c[-1].closed]  # an open chain at the very end is dropped
    chains.sort(key=lambda c: (c[0].paragraph, c[0].start))

    kept: list[tuple[list[tuple[int, int, int]], int, int | None]] = []
    for chain in chains:
        spans = []
        words = 0
        for seg in chain:
            text = paragraphs[seg.paragraph]
            s, e = _trim(text, seg.start, seg.end)
            if e > s:
                spans.append((seg.paragraph, s, e))
                words += len(_WORD_RE.findall(text, s, e))
        if not spans:
            continue
        last_seg = chain[-1]
        tail = paragraphs[last_seg.paragraph][last_seg.start : last_seg.end].rstrip()
        if _word_count_ok(words, tail[-1:]):
            kept.append((spans, chain[0].open_at, last_seg.end if last_seg.closed else None))
    return kept
