"""Word lists and name-token patterns shared by the quotation finder.

Owns the character classes of capitalized name words and the vocabularies (speech verbs,
titles, words that open sentences, pronouns); the long lists are data files in ``data/``.
"""

from __future__ import annotations

import re

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
    rf"[{_UP}](?:(?:\.[{_UP}])*\.(?=\s+[^\W\d_])|[^\W\d_]{{0,3}}\.(?=\s+[^\W\d_])"
    rf"|(?:[\w\-]|[’'](?=[^\W\d_]{{2}}))*)"
)
_PARTICLE = r"(?:de|da|di|du|del|della|der|den|van|von|la|le|bin|ibn|al|dos|das|y)"
PARTICLE_SET = set(_PARTICLE.strip("(?:)").split("|"))
NAME_RUN = rf"{TOK}(?:\s+(?:{_PARTICLE}\s+)?{TOK}){{0,5}}"
ROLE_WORDS = r"[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,4}"

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
VERBS = r"(?:called\s+on|[Aa]ccording\s+to|" + "|".join(sorted(_VERB_WORDS, key=len)[::-1]) + ")"
VERB_RE = re.compile(rf"\b{VERBS}\b")
INV_VERBS = "|".join(sorted(_INVERTIBLE, key=len)[::-1])


TITLES = {
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
STOP_LEAD = {
    t.lower()
    for t in _words(
        "The A An But And Or So Then Now Yet However Meanwhile Still Also In On At For After "
        "Before During When While As If Yesterday Today Tomorrow Last This That These Those "
        "Earlier Later Speaking Asked According Instead Indeed Finally Separately Similarly "
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
        "May June July August September October November December Mon Tue Wed Thu Fri Sat Sun"
    )
}
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
