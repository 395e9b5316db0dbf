"""The quotation scorer on our own annotated articles (tests/data/quotes): a floor, no timing.

Also the scorer's rules themselves (quotes-dev's README): when a speaker counts as right and
when a found quotation counts as one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import quotes_score  # noqa: E402

GOLD = ROOT / "tests" / "data" / "quotes"


def test_gold_set_floor() -> None:
    score = quotes_score.score_folder(GOLD, repeat=1)
    assert score.articles >= 15
    assert score.direct >= 60
    assert score.precision >= 0.95
    assert score.recall >= 0.95
    assert score.pair_f1 >= 0.85, quotes_score.report(score, verbose=True)


def test_gold_annotations_match_their_text() -> None:
    for article in quotes_score.load_folder(GOLD):
        for ann in article.annotations:
            quoted = article.text[ann.start : ann.end]
            assert quoted[:1] in '“"' and quoted.rstrip(",")[-1:] in '”"', (article.ident, quoted)


def test_speaker_rule_titles_possessives_pronouns() -> None:
    right = quotes_score.speaker_right
    assert right("Zhao", "Zhao Lijian")
    assert right("Dr. Samuel Ortiz", "Samuel Ortiz")
    assert right("Petrova’s", "Olga Petrova")
    assert not right("he", "he")  # a pronoun is never right
    assert not right(None, "Olga Petrova")
    assert not right("Ivan Sokolov", "Olga Petrova")


def test_found_quotation_counts_by_half_of_its_characters(tmp_path: Path) -> None:
    text = "Headline\n\n“One two three four five,” said Ana Rossi. Then “Six seven eight nine.”\n"
    start = text.index("“")
    end = text.index("”") + 1
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    quote = {"start": start, "end": end, "speaker": "Ana Rossi", "reference": "Ana Rossi"}
    (tmp_path / "a.json").write_text(json.dumps({"quotes": [quote]}), encoding="utf-8")
    score = quotes_score.score_folder(tmp_path, repeat=1)
    assert (score.found, score.found_right, score.direct, score.direct_found) == (2, 1, 1, 1)
    assert score.direct_pair == 1
    assert [e.kind for e in score.errors] == ["quotation: not one"]
