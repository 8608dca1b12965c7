"""The snippet (memos.md §6.3) and its truncation helper (the §14 helper cases)."""

from __future__ import annotations

import pytest

from memos.markdown import derive_content, truncate_snippet
from memos.markdown.derive import derive
from memos.markdown.snippet import SnippetText


@pytest.mark.parametrize(
    ("content", "snippet"),
    [
        ("This is **bold** and *italic* text.", "This is bold and italic text."),
        ("# My Title\n\nThis is the first paragraph.", "My Title This is the first paragraph."),
        ("- Item 1\n- Item 2\n- Item 3", "Item 1 Item 2 Item 3"),
        ("Text before\n\n```go\nfunc main() {}\n```\n\nText after", "Text before Text after"),
    ],
)
def test_snippet_is_the_plain_text_memos_shows(content: str, snippet: str) -> None:
    # Given memo content from Memos' snippet tests
    # When it is derived
    derived = derive_content(content)
    # Then the snippet is its plain text
    assert derived.snippet == snippet


@pytest.mark.parametrize(
    ("content", "limit", "snippet"),
    [
        (
            "This is a very long piece of text that should be truncated at a word boundary.",
            30,
            "This is a very long piece of ...",
        ),
        ("supercalifragilisticexpialidocious", 10, "supercalif ..."),
    ],
)
def test_long_snippets_are_cut_at_a_word_boundary(content: str, limit: int, snippet: str) -> None:
    # Given content longer than the limit
    # When its snippet is derived with that limit
    derived = derive(content, snippet_limit=limit)
    # Then it is cut back to the last space (or at the limit) and marked with " ..."
    assert derived.snippet == snippet


def test_cjk_snippets_count_code_points() -> None:
    # Given 100 CJK characters (300 bytes), split by emphasis into many text nodes
    content = "**一二三四五**六七八九十" * 10
    # When derived
    derived = derive_content(content)
    # Then the snippet is the first 64 characters, marked as cut
    assert derived.snippet == ("一二三四五六七八九十" * 7)[:64] + " ..."


def test_a_123_character_memo_shows_its_first_64_characters_and_dots() -> None:
    # Given a plain-text memo whose 64th character is a space (as in Memos' ListMemos test)
    content = ("abcdefg " * 16)[:123]
    assert len(content) == 123
    assert content[63] == " "
    # When derived
    derived = derive_content(content)
    # Then the snippet is the first 64 characters followed by "..."
    assert derived.snippet == content[:64] + "..."


@pytest.mark.parametrize(
    ("content", "snippet"),
    [
        ("Hi #x there", "Hi  there"),
        ("Go to https://example.com now", "Go to  now"),
        ("Go to <https://example.com> now", "Go to  now"),
        ("Read [the docs](https://example.com) now", "Read the docs now"),
        ("A ![small cat](cat.png) here", "A small cat here"),
        ("Run `make` now", "Run  now"),
        ("A <b>bold</b> word", "A bold word"),
        ("<div>\nhidden\n</div>\n\nshown", "shown"),
        ("line one\nline two", "line one line two"),
        ("line one  \nline two", "line one line two"),
        ("- [ ] Buy milk\n- [x] Pay rent", "Buy milk Pay rent"),
        ("> quoted\n\nafter", "quoted after"),
        ("- Parent\n  - Child", "Parent Child"),
        ("| a | b |\n|---|---|\n| c | d |", "a b c d"),
        ("Tom \\*and\\* Jerry &amp; co", "Tom *and* Jerry & co"),
        ("~~old~~ new", "old new"),
        ("   ", ""),
        ("", ""),
    ],
)
def test_snippet_collects_only_plain_text(content: str, snippet: str) -> None:
    # Given tags, bare and auto links, code, raw HTML, line breaks, tasks, quotes, nested
    # lists, tables, escapes and entities
    # When derived
    derived = derive_content(content)
    # Then only their plain text is kept, blocks and lines set apart by one space
    assert derived.snippet == snippet


def test_a_long_memo_shows_its_beginning_cut_at_a_word() -> None:
    # Given a long memo of many paragraphs
    content = "\n\n".join(f"Paragraph {number} has some words." for number in range(200))
    # When derived
    derived = derive_content(content)
    # Then the snippet holds the beginning, cut back to the last space within 64 characters
    assert derived.snippet == "Paragraph 0 has some words. Paragraph 1 has some words. ..."


def test_text_collection_stops_past_twice_the_limit() -> None:
    # Given snippet text with a limit of 5 that has taken 11 characters
    text = SnippetText(5)
    text.add("abcdef")
    text.separate()
    text.add("ghij")
    assert text.full
    # When more text comes
    text.add("more")
    # Then it is not taken
    assert text.text == "abcdef ghij"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly ten", 11, "exactly ten"),
        ("this is a long sentence", 10, "this is a ..."),
        (
            "这是一个很长的中文句子没有空格的情况下也要正确处理",
            15,
            "这是一个很长的中文句子没有空格 ...",
        ),
        ("这是中文mixed with English文字", 10, "这是中文mixed ..."),
    ],
)
def test_truncation_helper_matches_memos(text: str, limit: int, expected: str) -> None:
    # Given text and a limit from Memos' truncation tests
    # When truncated
    truncated = truncate_snippet(text, limit)
    # Then it is Memos' result
    assert truncated == expected


def test_truncation_ignores_whitespace_at_the_very_start() -> None:
    # Given text whose only whitespace within the limit is its first character
    # When truncated
    truncated = truncate_snippet(" abcdefghijkl", 5)
    # Then it is cut at the limit, not back to nothing, and trimmed
    assert truncated == "abcd ..."


def test_truncation_trims_surrounding_whitespace() -> None:
    # Given short text with whitespace around it
    # When truncated
    truncated = truncate_snippet("\t hello \n", 64)
    # Then only the trimmed text remains
    assert truncated == "hello"
