"""Word lists and name-token patterns shared by the quotation finder.

Owns the character classes of capitalized name words and the vocabularies (speech verbs,
titles, words that open sentences, pronouns); the long lists are data files in ``data/``.
"""

from __future__ import annotations

import re
from pathlib import Path

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
TOK = (  # one capital, then: initials (J. Smith, U.S.), Dr. Rossi, or the rest of a word
    rf"[{_UP}](?:(?:\.[{_UP}])*\.(?=\s+[^\W\d_])|[a-z]{{0,3}}\.(?=\s+[^\W\d_])"
    rf"|(?:[\w\-]|[’'](?=[^\W\d_]{{2}}))*)"
)
_PARTICLE = r"(?:de|da|di|du|del|della|der|den|van|von|la|le|bin|ibn|al|dos|das|y)"
PARTICLE_SET = set(_PARTICLE.strip("(?:)").split("|"))
NAME_RUN = rf"{TOK}(?:\s+(?:{_PARTICLE}\s+)?{TOK}){{0,5}}"
ROLE_WORDS = r"[a-z0-9][\w\-]*(?:[’'][a-z]+)?(?:\s+[a-z][\w\-]*){0,4}"

# ------------------------------------------------------------------------------- vocabulary


def _words(text: str) -> list[str]:
    return text.split()


_DATA = Path(__file__).resolve().parent / "data"


def data_words(name: str) -> list[str]:
    """The words of ``data/<name>`` (``#`` starts a comment; ``_`` stands for a space)."""
    words: list[str] = []
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        words += line.split("#", 1)[0].split()
    return words


def _phrases(name: str) -> list[str]:
    """Like ``data_words`` but keeps ``a_b`` phrases whole (as ``a b``)."""
    words: list[str] = []
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        words += [w.replace("_", " ") for w in line.split("#", 1)[0].split()]
    return words


_VERB_WORDS = _phrases("speech_verbs.txt")
# Verbs that can come before their subject: “…,” said Ana Rossi.
_NOT_INVERTIBLE = {"told", "tells", "urged", "urges", "say", "according to", "called for"}
_NOT_INVERTIBLE |= {"called on", "calls for", "calls on", "quoted as saying", "said that"}
_NOT_INVERTIBLE |= {"added that"}
_INVERTIBLE = set(_VERB_WORDS) - _NOT_INVERTIBLE


def _alternation(words: set[str] | list[str]) -> str:
    return "|".join(w.replace(" ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


VERBS = rf"(?:[Aa]ccording\s+to|(?:{_alternation(_VERB_WORDS)}))"
VERB_RE = re.compile(rf"\b{VERBS}\b")
INV_VERBS = _alternation(_INVERTIBLE)

TITLES = {t.lower().rstrip(".") for t in data_words("titles.txt")}
TITLES |= {t + "." for t in TITLES}
STOP_LEAD = set(data_words("not_names.txt"))
STOP_LEAD |= {verb for verb in _VERB_WORDS if " " not in verb}  # Says Karen Smith: “…”
ORG_WORDS = set(data_words("org_words.txt"))
PLACE_WORDS = set(data_words("place_words.txt"))


def _first_names() -> dict[str, str]:
    genders: dict[str, str] = {}
    for line in (_DATA / "first_names.txt").read_text(encoding="utf-8").splitlines():
        tag, _, rest = line.partition(":")
        if tag in ("f", "m"):
            for word in rest.split():
                genders.setdefault(word, tag)
    return genders


FIRST_NAMES = _first_names()
"""Lowercased first name → ``"f"`` or ``"m"`` (the pronoun it usually goes with)."""
PRONOUNS = {"he", "she", "they", "it", "we", "i"}
ARTICLES = {"the", "a", "an", "his", "her", "its", "their", "our"}
AUX = set(
    _words(
        "has have had was is were are would will also again then later once further long "
        "earlier even just often always simply since recently previously subsequently "
        "not"
    )
)
BREAK_WORDS = set(
    _words(
        "in on at after during when while before since that which who because and but as where "
        "if so yesterday today tomorrow than to with by from about"
    )
)
ABBREVIATIONS = set(
    _words(
        "mr mrs ms dr st gen sen rep gov prof jr sr lt col capt sgt no vs etc u.s u.k u.n e.u "
        "inc co corp ltd rev"
    )
)
