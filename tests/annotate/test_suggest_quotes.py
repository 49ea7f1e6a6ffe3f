"""`corpus suggest quotes`: quotations with a cue clause, split quotes, speakers from the guidelines' rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_pkg import accept_suggestions, suggest_entities, suggest_quotes, validate
from corpus_pkg.annotate.suggest.quote_marks import find_quotes

from .suggest_helpers import load, make_corpus, raw

LINES = [
    ("title", 'Rudd: "We will act," she said'),
    ("body", "Home Secretary Amber Rudd spoke on Tuesday. “We will not stand by,” she said. “Companies must do more.”"),
    ("body", '"Terrorists have sought to misuse your platforms," Rudd will tell tech companies, said the Home Office.'),
    ("body", "A spokesman said: “He told me ‘never again,’ and left.”"),
    ("body", 'Facebook bans "acts of terror," and the term "terrorism" is vague.'),
    (
        "body",
        'Europol chief Rob Wainwright described the problem. "One in particular is Telegram," he told The Times. '
        'It provides "some cooperation but nowhere near enough."',
    ),
    ("body", 'The agency plans to develop a "clearer understanding of the threat," a White House official told AP'),
    ("body", '"It is too early," the Europol chief said.'),
    ("body", '"We disagree," they said.'),
    ("boilerplate", '"Subscribe now," said Reuters.'),
]


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """The article with the registry's entity mentions suggested and accepted (gold)."""
    root = make_corpus(tmp_path, LINES)
    suggest_entities(root, "doc", write=True)
    accept_suggestions(root, "doc")
    return root


def _speaker(ann: dict, quote: dict) -> str:
    speaker = quote["speaker"]
    if speaker["type"] == "mention":
        mention = next(e for e in ann["entities"] if e["id"] == speaker["mention_id"])
        return f"{mention['text']}@{mention['start']}"
    return speaker.get("text", "unknown")


def test_quotes_fragments_cues_and_speakers(news: Path) -> None:
    text = raw(news)
    result = suggest_quotes(news, "doc", write=True)
    assert result.written and result.source == "quotes@1"
    ann = load(news)
    got = [(q["kind"], [f["text"] for f in q["fragments"]], q["cue"]["text"], _speaker(ann, q)) for q in ann["quotes"]]
    rudd = f"Amber Rudd@{text.index('Amber Rudd')}"
    mixed = 'The agency plans to develop a "clearer understanding of the threat,"'
    rudd_short = f"Rudd@{text.index('Rudd will')}"
    wainwright = f"Rob Wainwright@{text.index('Rob Wainwright')}"
    assert got == [
        # split by its cue: one quote, two fragments; "she" -> the last PERSON before the quote
        ("direct", ["We will not stand by,", "Companies must do more."], "said", rudd),
        # the name in the cue clause; the cue is the verb group
        ("direct", ["Terrorists have sought to misuse your platforms,"], "will tell", rudd_short),
        # cue before the quote; nested single quotes stay inside; an indefinite description is nominal
        ("direct", ["He told me ‘never again,’ and left."], "said", "A spokesman"),
        # "he" -> the last named PERSON; the next quote has no cue and is not a continuation
        ("direct", ["One in particular is Telegram,"], "told", wainwright),
        # opens inside a sentence, cue after: mixed, from the start of the sentence to the closing mark
        ("mixed", [mixed], "told", "a White House official"),
        # "the Europol chief" names the person titled so before
        ("direct", ["It is too early,"], "said", wainwright),
        # "they" is not resolved: unknown, with a note for the reviewer
        ("direct", ["We disagree,"], "said", "unknown"),
    ]
    assert ann["quotes"][-1]["note"] == "pronoun 'they' not resolved; set the speaker"
    for quote in ann["quotes"]:
        assert quote["origin"] == "suggestion" and quote["source"] == "quotes@1"
        for span in [*quote["fragments"], quote["cue"]]:
            assert text[span["start"] : span["end"]] == span["text"]
    report = validate(news)
    assert report.valid
    assert [i.message for i in report.warnings] == ["7 quotes suggestion(s) await review: q1, q2, q3, q4, q5, q6, q7"]
    again = suggest_quotes(news, "doc", write=True)
    assert again.suggestions == [] and again.skipped == 7


def test_title_and_boilerplate_quotes_are_never_suggested(news: Path) -> None:
    suggest_quotes(news, "doc", write=True)
    text = raw(news)
    body_start = text.index("Home Secretary")
    boilerplate = text.index('"Subscribe now')
    for quote in load(news)["quotes"]:
        assert body_start <= quote["fragments"][0]["start"] < boilerplate


def test_quote_speaker_mentions_can_be_suggestions_and_are_rejected_with_them(tmp_path: Path, cli) -> None:
    root = make_corpus(tmp_path, LINES)
    assert cli("suggest", "entities", "doc", "--write", "--root", str(root)).returncode == 0
    result = cli("suggest", "quotes", "doc", "--write", "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert "7 quote suggestion(s) from quotes@1 for doc (0 already annotated, 0 outside body skipped); wrote" in (
        result.stdout
    )
    assert "q1  [" in result.stdout and "direct, cue 'said', speaker e" in result.stdout
    result = cli("reject", "doc", "--layer", "entities", "--root", str(root))
    assert result.returncode == 1 and "quote speaker" in result.stderr
    result = cli("reject", "doc", "--layer", "entities", "--cascade", "--root", str(root))
    assert result.returncode == 0, result.stderr
    ann = load(root)
    # quotes with a mention speaker went with their mentions; the others stay
    assert [q["speaker"]["type"] for q in ann["quotes"]] == ["nominal", "nominal", "unknown"]
    assert ann["entities"] == []


@pytest.mark.parametrize(
    ("text", "contents"),
    [
        ("“a” and “b”", ["a", "b"]),
        ('He said "a" then "b"', ["a", "b"]),
        ('“Outer ‘inner’ and "straight" end”', ['Outer ‘inner’ and "straight" end']),
        ("“We don’t,” she said", ["We don’t,"]),
        ("it is ‘quoted’ here, isn’t it", ["quoted"]),
        ("“unclosed and Reuters' sources", []),
        ("«Bonjour», dit-il", ["Bonjour"]),
    ],
)
def test_find_quotes(text: str, contents: list[str]) -> None:
    assert [text[p.open + 1 : p.close] for p in find_quotes(text)] == contents
