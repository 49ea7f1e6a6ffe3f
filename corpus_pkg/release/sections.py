"""The prose sections of the dataset card, one function per section."""

from __future__ import annotations

import re
from typing import Any

from ..schema import CorpusConfig
from ..tables.features import CONFIG_NAMES, GOLD_ORIGINS, NUMBER_KINDS, QUOTE_KINDS, SPEAKER_TYPES, STANCE_LABELS
from ..tables.stats import ReleaseStats
from .info import AgreementSummary

CONFIG_DESCRIPTIONS = {
    "documents": "one row per article: metadata, raw text, body text, segments, layer counts",
    "entities": "one row per entity mention: span, label (ClassLabel), registry id and name",
    "quotes": "one row per quote: fragments, joined text, kind, speaker, cue",
    "numbers": "one row per number: span, normalized float value, unit, qualifier, kind",
    "stance": "one row per stance: holder, target, label (favor/against/neutral), evidence fragments",
    "ner": "one row per paragraph: regex tokens with character offsets and BIO tags",
    "full": "one nested row per article with every layer (lossless for gold annotations)",
    "registry": "one row per entity of the registry (entities.json): id, name, label, aliases, Wikidata id",
}


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def structure_section(config: CorpusConfig, stats: ReleaseStats) -> str:
    rows = [[f"`{c}`", *(stats.rows[c][s] for s in stats.splits), CONFIG_DESCRIPTIONS[c]] for c in CONFIG_NAMES]
    empty = [c for c in CONFIG_NAMES if not any(stats.rows[c].values())]
    note = (
        f"\nConfigs without any row in this release are not declared (`datasets` cannot load them): "
        f"{', '.join(empty)}. A split without rows is left out of its config.\n"
        if empty
        else "\nA split without rows is left out of its config (`datasets` cannot load an empty split).\n"
    )
    return (
        "## Dataset structure\n\n"
        + _table(["config", *stats.splits, "one row per / contents"], rows)
        + note
        + "\n```python\nimport datasets\n\n"
        + 'ds = datasets.load_dataset("path/to/this/folder", "entities", split="train")\n'
        + 'print(ds.features["label"].names)\n```\n\n'
        + "Offsets (`start`, `end`) are Python code-point offsets into the raw article text (the `text` column "
        "of `documents`), end-exclusive; every span also stores its surface `text`. Splits are by document "
        "(declared in `corpus.json`; documents not listed are in `train`).\n"
    )


def sources_section(stats: ReleaseStats) -> str:
    rows = [[outlet, n] for outlet, n in sorted(stats.outlets.items(), key=lambda kv: (-kv[1], kv[0]))]
    dates = f"Publication dates range from {stats.dates[0]} to {stats.dates[1]}" if stats.dates else ""
    if dates and stats.undated:
        dates += f" ({stats.undated} article(s) without a known date)"
    elif stats.undated:
        dates = "No article has a known publication date"
    dates += ". " if dates else ""
    langs = ", ".join(f"{lang} ({n})" for lang, n in sorted(stats.languages.items()))
    return (
        "## Sources\n\n"
        f"{sum(stats.outlets.values())} news articles, stored byte-exact as published. {dates}Languages: {langs}.\n\n"
        + _table(["outlet", "articles"], rows)
    )


def annotation_section(config: CorpusConfig, stats: ReleaseStats) -> str:
    rows = [
        [layer, *(stats.origins[layer][o] for o in GOLD_ORIGINS), stats.suggestions[layer]]
        for layer in ("entities", "quotes", "numbers", "stance")
    ]
    return (
        "## Annotation process\n\n"
        "Annotators mark entity mentions (linked to a shared registry with Wikidata ids), quotes with "
        "their speaker and cue, numbers with a normalized value, and the stance of actors toward declared "
        "targets. Every span is checked against the raw text (`corpus validate`) before a release is built; "
        "an invalid corpus builds nothing. Machine pre-labels (`origin: suggestion`) are excluded from every "
        "config until a person reviews them; the `origin` column says whether a gold item was annotated by "
        "hand (`manual`) or converted from another tool (`imported`).\n\n"
        + _table(["layer", *GOLD_ORIGINS, "suggestions excluded"], rows)
    )


def guidelines_section(text: str | None) -> str:
    if not text:
        return "## Annotation guidelines\n\nNo guidelines file (`annotations/GUIDELINES.md`) was found.\n"
    headings = [m.group(2).strip() for m in re.finditer(r"^(#{2,3})\s+(.+)$", text, flags=re.M)]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip() and not p.lstrip().startswith("#")]
    intro = "\n".join(f"> {line}" for line in paragraphs[0].splitlines()) + "\n\n" if paragraphs else ""
    toc = "".join(f"- {h}\n" for h in headings)
    return (
        "## Annotation guidelines\n\n"
        "The full guidelines ship with this release as "
        "[metadata/GUIDELINES.md](metadata/GUIDELINES.md). They begin:\n\n"
        + intro
        + ("Sections:\n\n" + toc if toc else "")
    )


def statistics_section(config: CorpusConfig, stats: ReleaseStats) -> str:
    layer_rows = [[c, *(stats.rows[c][s] for s in stats.splits), sum(stats.rows[c].values())] for c in CONFIG_NAMES]
    label_desc = {lab.name: lab.description for lab in config.entity_labels}
    entity_rows = [
        [f"`{name}`", stats.entity_labels[name], len(stats.entity_ids[name]), label_desc[name]]
        for name in config.entity_label_names
    ]
    stance_rows = [[f"`{t}`", *(stats.stance[t, lab] for lab in STANCE_LABELS)] for t in config.stance_target_ids]
    return (
        "## Statistics\n\n### Rows per config and split\n\n"
        + _table(["config", *stats.splits, "total"], layer_rows)
        + f"\nThe `ner` config has {stats.tokens} tokens.\n\n### Entity labels\n\n"
        + _table(["label", "mentions", "linked entities", "definition"], entity_rows)
        + "\n### Quotes\n\n"
        + _table(["kind", "quotes"], [[k, stats.quote_kinds[k]] for k in QUOTE_KINDS])
        + "\n"
        + _table(["speaker type", "quotes"], [[k, stats.speaker_types[k]] for k in SPEAKER_TYPES])
        + "\n### Numbers\n\n"
        + _table(["kind", "numbers"], [[k, stats.number_kinds[k]] for k in NUMBER_KINDS if stats.number_kinds[k]])
        + "\n### Stance\n\n"
        + _table(["target", *STANCE_LABELS], stance_rows)
    )


def agreement_section(text: str | None, measured: AgreementSummary | None = None) -> str:
    """The agreement ``measured`` at build time from the stored passes, then ``docs/agreement.md``."""
    parts = ["## Inter-annotator agreement\n"]
    if measured is not None and measured.markdown:
        parts.append(
            "Measured at build time from the annotators' independent passes (`passes/`), as `corpus agree` "
            "computes it; pass A is the reference.\n\n" + measured.markdown
        )
    if text:
        body = re.sub(r"^(#+)", r"\1##", text.strip(), flags=re.M)
        parts.append("From `docs/agreement.md`:\n\n" + body + "\n")
    if len(parts) == 1:
        parts.append(
            "No agreement study is recorded for this release (no two annotators' passes in `passes/`, and "
            "no `docs/agreement.md` in the corpus root).\n"
        )
    return "\n".join(parts)


def limitations_section(stats: ReleaseStats) -> str:
    n_docs = sum(stats.docs_per_split.values())
    lines = [
        "## Limitations",
        "",
        f"- Small: {n_docs} article(s) on one topic and period; do not expect models trained on it to generalize.",
        "- Entity labels follow OntoNotes-style types; nested mentions are allowed in `entities` but the "
        "`ner` view keeps only one mention per token (longest first).",
        "- `ner` tokens come from a documented regular expression, not a linguistic tokenizer; a mention that "
        "does not start and end on token boundaries is left out of the BIO tags and listed in "
        "`documents.ner_skipped` (never widened).",
        f"- Unreviewed machine suggestions excluded: {sum(stats.suggestions.values())}.",
        f"- Mentions skipped in `ner`: {len(stats.ner_skipped)}.",
    ]
    for doc_id, mention_id, reason in stats.ner_skipped[:20]:
        lines.append(f"  - `{doc_id}` `{mention_id}`: {reason}")
    if len(stats.ner_skipped) > 20:
        lines.append(f"  - ... {len(stats.ner_skipped) - 20} more (see `documents.ner_skipped`)")
    return "\n".join(lines) + "\n"


def licensing_section(config: CorpusConfig, with_text: bool) -> str:
    """What is licensed how: our annotations vs. the third-party article text."""
    if not with_text:
        return (
            "## Licensing\n\n"
            f"This is a **text-free** release: it holds our annotations (offsets, labels, links, metadata) and "
            f"each article's sha256, and no article text. All of it is licensed under **{config.license}**.\n"
        )
    return (
        "## Licensing\n\n"
        "This release holds two kinds of content under different terms:\n\n"
        f"- **Annotations** (offsets, labels, entity links, quotes' structure, numbers, stance, the registry, the "
        f"guidelines and this card): licensed under **{config.license}**.\n"
        f"- **Article text** (`documents.text`, `documents.body`, `full.text`, every span's `text`, `ner.tokens`): "
        f"{config.rights.text}\n\n"
        "The YAML header therefore says `license: other`. To share the annotations without the text, build a "
        "text-free release (`corpus build --no-text`); users restore the text from their own copies with "
        "`corpus rehydrate`.\n"
    )


def text_free_section(with_text: bool) -> str:
    if with_text:
        return ""
    return (
        "## Text-free release\n\n"
        "Every column that copies article text is null: `text`, `body`, span `text`s, `ner.tokens`, and the "
        "display columns `quotes.speaker`, `quotes.cue`, `stance.holder`, `stance.evidence_text`. Offsets, "
        "labels, ids, registry names and bibliographic metadata stay; a span's length is `end - start`. "
        "`documents.raw_sha256` pins the exact bytes of each article. With your own copies of the articles "
        "as `<doc_id>.txt`:\n\n"
        "```bash\ncorpus rehydrate path/to/this/release --raw my_articles/ --out full-release/\n```\n\n"
        "checks every article's sha256 (missing or different articles are listed by name, exit code 1) and "
        "writes the full release; its Parquet files equal those of the original full build.\n"
    )


def stance_targets_section(config: CorpusConfig) -> str:
    if not config.stance_targets:
        return ""
    rows = [[f"`{t.id}`", t.description] for t in config.stance_targets]
    return (
        "## Stance targets\n\nStance is annotated toward these propositions (the `target` ClassLabel of "
        "`stance`, in this order):\n\n" + _table(["target", "definition"], rows)
    )


def personal_information_section(config: CorpusConfig) -> str:
    text = config.rai.personal_sensitive_information or "Not assessed."
    return "## Personal and sensitive information\n\n" + text + "\n"


def bias_and_risks_section(config: CorpusConfig) -> str:
    rai = config.rai
    parts = [("Biases", rai.data_biases), ("Intended uses", rai.data_use_cases), ("Limitations", rai.data_limitations)]
    body = "".join(f"**{name}.** {text}\n\n" for name, text in parts if text)
    return "## Bias, risks and intended use\n\n" + (body or "Not assessed.\n\n")


def citation_section(entry: str) -> str:
    return "## Citation\n\n```bibtex\n" + entry + "\n```\n"


def maintainers_section(config: CorpusConfig) -> str:
    lines = []
    for agent in config.maintainers:
        contact = ", ".join(x for x in (agent.email, agent.url) if x)
        lines.append(f"- {agent.name}" + (f" ({contact})" if contact else ""))
    people = "\n".join(lines) + "\n\n" if lines else "No maintainers are listed in corpus.json.\n\n"
    plan = config.rai.data_release_maintenance_plan
    return "## Maintainers and contact\n\n" + people + (f"{plan}\n" if plan else "")
