"""Tags found in memo content (memos.md §6.1 and the plugin/markdown tag cases of §14)."""

from __future__ import annotations

import pytest

from memos.markdown import derive_content
from memos.markdown.parser import build_parser
from memos.markdown.tag_syntax import read_tag


@pytest.mark.parametrize(
    ("content", "tags"),
    [
        ("Text with #tag", ("tag",)),
        ("#tag1 and #tag2", ("tag1", "tag2")),
        ("#work is important. #Work #WORK", ("work", "Work", "WORK")),
        ("Tags: #work-notes #2024_plans", ("work-notes", "2024_plans")),
        ("important #urgent.", ("urgent",)),
        ("## Heading\n\n# Title\n\nText with #realtag", ("realtag",)),
        ("Issue #123", ("123",)),
        ("- #todo\n- #done", ("todo", "done")),
        ("#测试", ("测试",)),
        ("#测试。", ("测试",)),
        ("#测试test123", ("测试test123",)),
        ("#日本語", ("日本語",)),
        ("#한국어", ("한국어",)),
        ("#work/测试/项目", ("work/测试/项目",)),
    ],
)
def test_memo_tags_match_memos(content: str, tags: tuple[str, ...]) -> None:
    # Given memo content from Memos' markdown tests
    # When it is derived
    derived = derive_content(content)
    # Then its tags are Memos' tags, in document order
    assert derived.tags == tags


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("#tag", "tag"),
        ("#work-notes", "work-notes"),
        ("#science&tech", "science&tech"),
        ("#2024_plans", "2024_plans"),
        ("#123", "123"),
        ("#tag ", "tag"),
        ("#tag.", "tag"),
        ("#important task", "important"),
        ("## Heading", None),
        ("# heading", None),
        ("#", None),
        ("# ", None),
        ("#tag@special", "tag"),
        ("#WorkNotes", "WorkNotes"),
        ("#tag1/subtag", "tag1/subtag"),
        ("#tag1/subtag/subtag2", "tag1/subtag/subtag2"),
        ("#work/notes ", "work/notes"),
        ("#project/2024.", "project/2024"),
        ("#work-log/2024/q1", "work-log/2024/q1"),
        ("#测试 some", "测试"),
        ("#テスト", "テスト"),
        ("#테스트", "테스트"),
        ("#test🚀", "test🚀"),
    ],
)
def test_tag_syntax_reads_the_tag_at_a_hash(text: str, tag: str | None) -> None:
    # Given text that starts with "#"
    # When the tag there is read
    found = read_tag(text)
    # Then it is Memos' tag body, or none
    assert found == tag


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("#tag", ("tag",)),
        ("#tag.", ("tag",)),
        ("#tag@special", ("tag",)),
        ("## Heading", ()),
        ("# heading", ()),
        ("#", ()),
        ("# ", ()),
        ("#test🚀", ("test🚀",)),
    ],
)
def test_tag_syntax_cases_hold_in_whole_memos(text: str, tag: tuple[str, ...]) -> None:
    # Given a tag parser case as a whole memo
    # When it is derived
    derived = derive_content(text)
    # Then the memo has that tag (headings and lone hashes have none)
    assert derived.tags == tag


def test_tags_in_sequence_are_each_read() -> None:
    # Given two tags one after the other
    text = "#tag1 #tag2"
    # When both are read, the second from where the first one's body ended
    first = read_tag(text, 0)
    second = read_tag(text, text.index("#", 1))
    # Then both are found, and the memo has both
    assert (first, second) == ("tag1", "tag2")
    assert derive_content(text).tags == ("tag1", "tag2")


def test_tags_are_deduplicated_by_exact_string_keeping_the_first() -> None:
    # Given repeated tags differing in case
    content = "#Work #work #Important #work #tag #TAG #Tag"
    # When derived
    derived = derive_content(content)
    # Then each exact string appears once, first occurrence first, case kept
    assert derived.tags == ("Work", "work", "Important", "tag", "TAG", "Tag")


def test_content_without_tags_has_no_tags() -> None:
    # Given content with no "#" at all
    # When derived
    derived = derive_content("Just some **text**.")
    # Then the tag list is empty
    assert derived.tags == ()


def test_without_the_tag_rule_a_hash_word_is_only_text() -> None:
    # Given the dialect without the tag extension (Memos' "no tag extension" case)
    parser = build_parser(with_tags=False)
    # When a "#tag" is parsed
    tokens = parser.parse("Text with #tag")
    # Then no tag token appears and the hash word stays in the text
    inline = [child for token in tokens for child in token.children or ()]
    assert [child.type for child in inline] == ["text"]
    assert inline[0].content == "Text with #tag"


@pytest.mark.parametrize(
    ("content", "tags"),
    [
        ("abc#def", ("def",)),
        ("##tag", ("tag",)),
        ("#Title at line start", ("Title",)),
        ("## Plan #work", ("work",)),
        ("Heading\n=======\nmore #setext", ("setext",)),
        ("*#em* **#strong** ~~#gone~~x", ("em", "strong", "gone~~x")),
        ("[see #label](https://example.com)", ("label",)),
        ("![an #alt text](pic.png)", ("alt",)),
        ("| #head |\n|---|\n| #cell |", ("head", "cell")),
        ("> quoted #quote", ("quote",)),
        ("#c++ #a=b #x|y #price$ #v^2", ("c++", "a=b", "x|y", "price$", "v^2")),
        ("#tag,more #tag!", ("tag",)),
        ("#mixed-Case_and/slash&amp", ("mixed-Case_and/slash&amp",)),
        ("example.com/#fragment", ("fragment",)),
    ],
)
def test_a_tag_starts_at_any_unescaped_hash_in_inline_text(
    content: str, tags: tuple[str, ...]
) -> None:
    # Given a "#" in inline text: mid-word, after a rejected "#", in emphasis, headings, link
    # labels, image alt text, table cells and quotes (symbols such as "~" belong to the body)
    # When derived
    derived = derive_content(content)
    # Then a tag starts there
    assert derived.tags == tags


@pytest.mark.parametrize(
    "content",
    [
        "\\#escaped",
        "`#code` span",
        "```\n#fenced\n```",
        "    #indented code",
        "[link](https://example.com/#destination)",
        "[ref]\n\n[ref]: https://example.com/#reference",
        "<https://example.com/#autolink>",
        "https://example.com/page#bare-url",
        "see www.example.com/#www-url",
        '<span title="#attribute">x</span>',
        "<div>\n#html-block\n</div>",
        "&#35;entity",
        "# ",
        "#.",
        "# # #",
    ],
)
def test_no_tag_where_memos_sees_none(content: str) -> None:
    # Given a "#" escaped, in code, in a link destination, an autolink, a bare URL, raw HTML,
    # an entity, or followed by no tag character
    # When derived
    derived = derive_content(content)
    # Then there is no tag
    assert derived.tags == ()


def test_a_tag_keeps_at_most_100_code_points() -> None:
    # Given a 150-letter tag
    content = "#" + "a" * 100 + "b" * 50 + " end"
    # When derived
    derived = derive_content(content)
    # Then the tag is its first 100 code points and the rest stays text
    assert derived.tags == ("a" * 100,)
    assert derived.snippet.startswith("b" * 50)


def test_a_tag_ends_at_a_combining_mark_or_joiner() -> None:
    # Given emoji with a variation selector and a zero-width joiner (neither a letter, number
    # nor symbol)
    content = "#love❤️ #family👨‍👩"
    # When derived
    derived = derive_content(content)
    # Then each tag stops before that character, as Memos' rune test does
    assert derived.tags == ("love❤", "family👨")
