import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.text import fold, name_key, name_variants, strip_possessive, tokens


@given(st.text())
def test_fold_preserves_length_so_offsets_hold(s):
    assert len(fold(s)) == len(s)


@pytest.mark.parametrize(
    "name, key",
    [
        ("Nagorno-Karabakh", "nagorno karabakh"),
        ("Nagorno Karabakh", "nagorno karabakh"),
        ("Ağdərə", "agdara"),
        ("Şuşa", "susa"),
        ("Tonaşen", "tonasen"),
        ("İmişli", "imisli"),
        ("Côte d’Ivoire", "cote d'ivoire"),
        ("U.S.", "u.s."),
        ("  El   Fasher ", "el fasher"),
        ("Deir ez-Zor", "deir ez zor"),
    ],
)
def test_name_key(name, key):
    assert name_key(name) == key


@pytest.mark.parametrize(
    "name, cc, expected",
    [
        ("Ağdərə", "AZ", "aghdara"),
        ("Xankəndi", "AZ", "khankandi"),
        ("Cəbrayıl", "AZ", "jabrayil"),
        ("Şuşa", "AZ", "shusha"),
        ("Donets'k", "UA", "donetsk"),
        ("Kahramanmaraş", "TR", "kahramanmarash"),
    ],
)
def test_transliteration_variants(name, cc, expected):
    assert expected in name_variants(name, cc)


def test_az_transliteration_is_not_applied_to_other_countries():
    assert "mekhico" not in name_variants("Mexico", "MX")


def test_possessive():
    assert strip_possessive("armenia's") == "armenia"
    assert strip_possessive("armenia") is None


def test_tokens_offsets_point_into_the_original():
    text = "Shelling hit Armenia’s south and the U.S. base."
    for tok, a, b in tokens(fold(text)):
        assert fold(text[a:b]) == tok
    assert [t for t, _, _ in tokens(fold(text))][2:4] == ["armenia's", "south"]


@pytest.mark.parametrize("text, n", [
    ("Mr. Lavrov said so. Gen. Smith agreed! The U.S. Army left.", 3),
    ("One line\nanother line", 2),
    ("He said “it is over.” Then he left.", 2),
    ("  • first bullet\n  • second bullet", 2),
])
def test_sentences(text, n):
    from app.text import sentences

    spans = sentences(text)
    assert len(spans) == n
    assert all(text[a:b].strip() == text[a:b] for a, b in spans)


def test_named_groups_are_found_longest_first_case_sensitive_with_suffixes():
    from app.lexicon import Lexicon

    lex = Lexicon()
    got = [(a, b, actor.name) for a, b, actor in lex.find_actors(
        "Hamas-led gunmen, IS fighters, the is of it, al-Shabaab's men and RSF-controlled Nyala; Hamas2")]
    assert [name for _, _, name in got] == ["Hamas", "IS", "al-Shabaab", "RSF"]
    assert got[0][:2] == (0, 5)
