"""Tests for reader.search.query (the filter language) and reader.text.tokens (folding, words)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.models import Article
from reader.search.query import Query, matches_metadata, parse_query
from reader.text.tokens import MAX_TOKEN_LEN, fold, phrase_regex, tokenize, unique_tokens

# -- text_tokens -------------------------------------------------------------------------


def test_fold_removes_case_and_accents():
    assert fold("Café CRÈME Ångström") == "cafe creme angstrom"
    assert fold("Straße") == "strasse"
    assert fold("ﬁne ＡＢＣ") == "fine abc"  # ligature and full-width forms


def test_tokenize_splits_on_punctuation_and_underscores():
    assert tokenize("E-mail: «naïve» snake_case, 42!") == [
        "e",
        "mail",
        "naive",
        "snake",
        "case",
        "42",
    ]


def test_decomposed_and_composed_accents_give_the_same_word():
    assert tokenize("cafe\u0301") == tokenize("café") == ["cafe"]


def test_long_words_are_cut():
    word = "x" * (MAX_TOKEN_LEN + 30)
    assert tokenize(word) == ["x" * MAX_TOKEN_LEN]
    assert unique_tokens(f"{word} y") == {"x" * MAX_TOKEN_LEN, "y"}


def test_phrase_regex_needs_whole_words_in_order():
    rx = phrase_regex(["tram", "stop"])
    assert rx.search(fold("The **Tram**-stop, by night"))
    assert rx.search("tram\n\nstop")
    assert not rx.search("tram stops")
    assert not rx.search("stop tram")
    assert not rx.search("ultratram stop")


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_tokens_survive_refolding(text):
    tokens = tokenize(text)
    assert tokenize(" ".join(tokens)) == tokens


# -- parsing -----------------------------------------------------------------------------


def test_plain_words_are_folded_and_deduplicated():
    q = parse_query("  Café cafe TRAM ")
    assert q.words == ("cafe", "tram")
    assert q == Query(words=("cafe", "tram"))


def test_phrase_and_unbalanced_quote():
    q = parse_query('"Exact  Phrase" word "rest of it')
    assert q.phrases == ("exact phrase", "rest of it")
    assert q.words == ("word",)


def test_empty_or_wordless_phrases_are_ignored():
    assert parse_query('"" "  " "!!!"').is_empty()


def test_phrase_starts_even_inside_a_word():
    q = parse_query('foo"bar baz"')
    assert q.words == ("foo",)
    assert q.phrases == ("bar baz",)


def test_tags_and_excluded_tags():
    q = parse_query('tag:Python -tag:old tag:"Machine   Learning" -tag:"a b"')
    assert q.tags == ("python", "machine learning")
    assert q.not_tags == ("old", "a b")
    assert q.words == ()


def test_excluded_words():
    q = parse_query("tram -bus -Ünderground")
    assert q.words == ("tram",)
    assert q.not_words == ("bus", "underground")


def test_flags_and_prefixes_of_flag_names():
    assert parse_query("is:bookmarked is:unread").flags == {"bookmarked", "unread"}
    assert parse_query("IS:READ has:highlights").flags == {"read", "highlights"}
    assert parse_query("is:b is:un has:h").flags == {"bookmarked", "unread", "highlights"}
    assert parse_query("is:highlighted").flags == {"highlights"}


def test_negated_read_flags_swap_and_other_negations_are_dropped():
    assert parse_query("-is:read").flags == {"unread"}
    assert parse_query("-is:unread").flags == {"read"}
    assert parse_query("-is:bookmarked -site:x -author:y").is_empty()


def test_site_and_author():
    q = parse_query('site:NYTimes.com author:"Ada  Lovelace"')
    assert q.sites == ("nytimes.com",)
    assert q.authors == ("ada lovelace",)


def test_unknown_operators_are_reported_not_searched():
    q = parse_query("foo:bar is:nonsense has:cats tram")
    assert q.unknown == ("foo:bar", "is:nonsense", "has:cats")
    assert q.words == ("tram",)
    assert q.flags == frozenset()
    assert q.problem() is not None and q.problem().startswith(
        "unknown filter foo:bar, is:nonsense, has:cats (known: tag: "
    )
    assert parse_query(q.describe()) == q


def test_text_with_a_colon_that_is_no_operator_is_plain_words():
    for text, words in (("10:30", ("10", "30")), ("http://x.org", ("http", "x", "org"))):
        q = parse_query(text)
        assert (q.words, q.unknown, q.problem()) == (words, (), None)


def test_half_typed_terms_are_ignored():
    for text in ("tag:", "-tag:", "site:", "is:", "-", "- -", 'tag:""', '-"unfinished'):
        assert parse_query(text).is_empty(), text


def test_negated_phrase_is_dropped_not_inverted():
    q = parse_query('-"tram stop" bus')
    assert q.phrases == ()
    assert q.words == ("bus",)


def test_describe_normalizes():
    q = parse_query('word is:unread "A  b" tag:X')
    assert q.describe() == 'tag:x is:unread "a b" word'
    q = parse_query('-old has:h author:"J Doe" site:ex -tag:"a b" is:b')
    assert q.describe() == '-tag:"a b" site:ex author:"j doe" is:bookmarked has:highlights -old'


def test_is_empty():
    assert parse_query("").is_empty()
    assert parse_query("   \t\n").is_empty()
    assert not parse_query("x").is_empty()
    assert not parse_query("-x").is_empty()
    assert not parse_query("is:read").is_empty()


def test_non_string_input_gives_empty_query():
    assert parse_query(None).is_empty()  # type: ignore[arg-type]


_QUERYISH = st.text(
    alphabet=st.sampled_from(list('abcé -":ÉtagisreudbokmhlsAUTHORsite\t\u00a0¨＂ﬁ_1')),
    max_size=40,
)


@settings(max_examples=500)
@given(st.one_of(st.text(), _QUERYISH))
def test_parse_never_raises_and_describe_round_trips(text):
    q = parse_query(text)
    assert isinstance(q, Query)
    assert parse_query(q.describe()) == q


@given(st.one_of(st.text(), _QUERYISH))
def test_describe_is_stable(text):
    once = parse_query(text).describe()
    assert parse_query(once).describe() == once


# -- metadata matching -------------------------------------------------------------------


def _article(**kw) -> Article:
    base = {"id": "a1", "title": "T"}
    base.update(kw)
    return Article(**base)


def test_matches_metadata_flags():
    art = _article(bookmarked=True, read=False, highlight_count=2)
    assert matches_metadata(parse_query("is:bookmarked is:unread has:highlights"), art)
    assert not matches_metadata(parse_query("is:read"), art)
    plain = _article()
    assert not matches_metadata(parse_query("is:bookmarked"), plain)
    assert not matches_metadata(parse_query("has:highlights"), plain)
    assert matches_metadata(parse_query("is:unread"), plain)


def test_matches_metadata_tags_are_whole_and_case_and_accent_insensitive():
    art = _article(tags=["Café", "Machine Learning"])
    assert matches_metadata(parse_query("tag:cafe"), art)
    assert matches_metadata(parse_query('tag:"machine learning"'), art)
    assert not matches_metadata(parse_query("tag:machine"), art)
    assert not matches_metadata(parse_query("-tag:CAFÉ"), art)
    assert matches_metadata(parse_query("-tag:tea"), art)


def test_matches_metadata_site_and_author_are_substrings():
    art = _article(site="www.NYTimes.com", author="Ada Lovelace")
    assert matches_metadata(parse_query("site:nytimes author:love"), art)
    assert not matches_metadata(parse_query("site:bbc"), art)
    assert not matches_metadata(parse_query("author:babbage"), _article(author=None))


def test_matches_metadata_ignores_words():
    assert matches_metadata(parse_query('nothing "like this"'), _article())


def test_tag_terms_with_commas_are_any_of_their_tags():
    q = parse_query('tag:a,B tag:c -tag:d,e tag:"two words",f')
    assert q.tags == ("c",)
    assert q.tag_groups == (("a", "b"), ("two words", "f"))
    assert q.not_tags == ("d", "e")
    assert parse_query(q.describe()) == q
    assert parse_query('tag:"x,y"').tags == ("x,y",)
