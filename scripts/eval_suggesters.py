"""Measure the suggesters against the gold corpus: strip a layer, suggest it again, compare.

Usage: python scripts/eval_suggesters.py [--root .] [--spacy-model PATH|registry-ruler] [--json] [--write-doc]

The corpus is copied to a temporary folder; there every document loses the layer under test
(and the layers that refer to it: quotes and stance for entities, stance for quotes), the
suggester runs with ``--write`` through the public API, and the stored suggestions are compared
with the gold annotations of the original corpus. Matching is exact on code-point offsets.

- entities (``registry``, ``spacy``; ``--spacy-model registry-ruler`` builds a blank English pipeline
  whose ``entity_ruler`` has the registry's names and aliases as patterns, so the row measures the
  spaCy plumbing and tokenizer, not a statistical model): a suggestion is right when a gold mention has its span and
  its registry link. Precision = right / suggested; recall = right / gold mentions that have a
  registry link. ``label`` = share of right suggestions with the gold label.
- quotes: a gold direct quote is *found* when a suggestion has exactly its fragments (and kind
  direct); ``speaker`` = share of found quotes whose speaker is the gold one (a mention compared by
  its registry entity, or by its span when unlinked; a nominal speaker by its span). Precision =
  suggestions whose fragments equal those of any gold quote / suggestions. Quotes run twice: with
  the gold entity mentions in place, and after ``registry`` entities (a machine-only pipeline).

``--write-doc`` rewrites the table between the markers in docs/suggesters.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from corpus_pkg.annotate.suggest import suggest_corpus
from corpus_pkg.corpus import ANNOTATIONS_DIR, CONFIG_FILE, RAW_DIR, REGISTRY_FILE, Corpus
from corpus_pkg.schema import AnnotationFile, Quote

DOC = Path(__file__).resolve().parents[1] / "docs" / "suggesters.md"
BEGIN, END = "<!-- eval:begin -->", "<!-- eval:end -->"
#: Layers removed before a layer is suggested: the layer itself and those that refer to it.
STRIP = {"entities": ("entities", "quotes", "stance"), "quotes": ("quotes", "stance")}


@dataclass
class Score:
    """One row of the table."""

    suggester: str
    layer: str
    gold: int  # gold items scored against (linked mentions, direct quotes)
    suggested: int
    right: int  # suggestions that match a gold item
    found: int  # gold items found
    extra: float | None  # label accuracy (entities) or speaker accuracy (quotes) over found items

    @property
    def precision(self) -> float:
        return self.right / self.suggested if self.suggested else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0


def copy_corpus(root: Path, dest: Path, strip: tuple[str, ...]) -> Path:
    """Copy the corpus files to ``dest`` with the layers ``strip`` emptied in every document."""
    for name in (CONFIG_FILE, REGISTRY_FILE):
        if (root / name).is_file():
            shutil.copy2(root / name, dest / name)
    shutil.copytree(root / RAW_DIR, dest / RAW_DIR)
    (dest / ANNOTATIONS_DIR).mkdir()
    source, target = Corpus.at(root), Corpus.at(dest)
    for doc_id in source.doc_ids():
        ann = source.read_annotations(doc_id)
        target.write_annotations(ann.model_copy(update={layer: [] for layer in strip}))
    return dest


def _gold(root: Path) -> dict[str, AnnotationFile]:
    corpus = Corpus.at(root)
    return {doc_id: corpus.read_annotations(doc_id) for doc_id in corpus.doc_ids()}


def score_entities(gold: dict[str, AnnotationFile], work: Path, name: str) -> Score:
    corpus = Corpus.at(work)
    score = Score(name, "entities", 0, 0, 0, 0, None)
    same_label = 0
    for doc_id, ann in gold.items():
        linked = {(e.start, e.end, e.entity_id): e for e in ann.entities if e.entity_id}
        made = [e for e in corpus.read_annotations(doc_id).entities if e.origin == "suggestion"]
        score.gold += len(linked)
        score.suggested += len(made)
        for e in made:
            match = linked.get((e.start, e.end, e.entity_id))
            if match is not None:
                score.right += 1
                same_label += match.label == e.label
    score.found = score.right  # one suggestion per span, so right suggestions = gold found
    score.extra = same_label / score.right if score.right else None
    return score


def _fragments(quote: Quote) -> tuple[tuple[int, int], ...]:
    return tuple((f.start, f.end) for f in quote.fragments)


def _speaker_key(ann: AnnotationFile, quote: Quote) -> tuple:
    speaker = quote.speaker
    if speaker.type == "mention":
        mention = next((e for e in ann.entities if e.id == speaker.mention_id), None)
        if mention is None:
            return ("missing",)
        return ("entity", mention.entity_id) if mention.entity_id else ("span", mention.start, mention.end)
    if speaker.type == "nominal":
        return ("span", speaker.start, speaker.end)
    return ("unknown",)


def score_quotes(gold: dict[str, AnnotationFile], work: Path, name: str) -> Score:
    corpus = Corpus.at(work)
    score = Score(name, "quotes", 0, 0, 0, 0, None)
    right_speaker = 0
    for doc_id, ann in gold.items():
        made_ann = corpus.read_annotations(doc_id)
        made = {_fragments(q): q for q in made_ann.quotes if q.origin == "suggestion"}
        every_gold = {_fragments(q) for q in ann.quotes}
        direct = [q for q in ann.quotes if q.kind == "direct"]
        score.gold += len(direct)
        score.suggested += len(made)
        score.right += sum(1 for key in made if key in every_gold)
        for quote in direct:
            suggestion = made.get(_fragments(quote))
            if suggestion is None or suggestion.kind != "direct":
                continue
            score.found += 1
            right_speaker += _speaker_key(ann, quote) == _speaker_key(made_ann, suggestion)
    score.extra = right_speaker / score.found if score.found else None
    return score


def registry_ruler(root: Path, dest: Path) -> str:
    """Save a blank English pipeline whose entity_ruler matches the registry names; return its path."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": entity.label, "pattern": name, "id": entity.id}
            for entity in Corpus.at(root).registry.entities
            for name in dict.fromkeys([entity.name, *entity.aliases])
        ]
    )
    nlp.to_disk(dest)
    return str(dest)


def evaluate(root: Path, spacy_model: str | None = None) -> list[Score]:
    """Every suggester's score on the corpus at ``root`` (spacy only with a pipeline)."""
    gold = _gold(root)
    scores = []
    names = ["registry"] + (["spacy"] if spacy_model else [])
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_corpus(root, Path(tmp), STRIP["entities"])
            model = spacy_model
            if name == "spacy" and spacy_model == "registry-ruler":
                model = registry_ruler(root, Path(tmp) / "pipeline")
            suggest_corpus(work, "entities", name, write=True, options={"model": model})
            label = "spacy (registry ruler)" if spacy_model == "registry-ruler" and name == "spacy" else name
            scores.append(score_entities(gold, work, label))
    scores.append(registry_leave_one_out(root, gold))
    with tempfile.TemporaryDirectory() as tmp:
        work = copy_corpus(root, Path(tmp), STRIP["quotes"])
        suggest_corpus(work, "quotes", "quotes", write=True)
        scores.append(score_quotes(gold, work, "quotes"))
    with tempfile.TemporaryDirectory() as tmp:
        work = copy_corpus(root, Path(tmp), STRIP["entities"])
        suggest_corpus(work, "entities", "registry", write=True)
        suggest_corpus(work, "quotes", "quotes", write=True)
        scores.append(score_quotes(gold, work, "registry + quotes"))
    return scores


def registry_leave_one_out(root: Path, gold: dict[str, AnnotationFile]) -> Score:
    """``registry`` on each document with a registry that knows only the names the *other* documents
    use in linked mentions: how the registry does on an article it was not built from."""
    total = Score("registry (leave one out)", "entities", 0, 0, 0, 0, None)
    same_label = 0.0
    registry = Corpus.at(root).registry
    for doc_id in gold:
        seen: dict[str, set[str]] = {}
        for other, ann in gold.items():
            if other != doc_id:
                for e in ann.entities:
                    if e.entity_id:
                        seen.setdefault(e.entity_id, set()).add(e.text)
        known = []
        for entity in registry.entities:
            if entity.id in seen:  # its names as the other documents write them, nothing else
                first, *rest = sorted(seen[entity.id])
                known.append({"id": entity.id, "name": first, "label": entity.label, "aliases": rest})
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_corpus(root, Path(tmp), STRIP["entities"])
            (work / REGISTRY_FILE).write_text(json.dumps({"entities": known}), encoding="utf-8")
            suggest_corpus(work, "entities", "registry", write=True, doc_ids=[doc_id])
            part = score_entities({doc_id: gold[doc_id]}, work, "registry")
        total.gold += part.gold
        total.suggested += part.suggested
        total.right += part.right
        same_label += (part.extra or 0.0) * part.right
    total.found = total.right
    total.extra = same_label / total.right if total.right else None
    return total


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(scores: list[Score]) -> str:
    """The Markdown table of docs/suggesters.md."""
    lines = [
        "| suggester | layer | gold items | suggested | precision | recall | label / speaker |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        lines.append(
            f"| {s.suggester} | {s.layer} | {s.gold} | {s.suggested} | {_pct(s.precision)} | {_pct(s.recall)} "
            f"| {_pct(s.extra)} |"
        )
    return "\n".join(lines) + "\n"


def write_doc(text: str, doc: Path = DOC) -> None:
    page = doc.read_text(encoding="utf-8")
    head, _, rest = page.partition(BEGIN)
    _, _, tail = rest.partition(END)
    doc.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")


def doc_table(doc: Path = DOC) -> str:
    """The table as it stands in docs/suggesters.md."""
    page = doc.read_text(encoding="utf-8")
    return page.partition(BEGIN)[2].partition(END)[0].lstrip("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="Corpus root (default: .)")
    parser.add_argument(
        "--spacy-model", help="Also measure the spacy suggester with this pipeline ('registry-ruler': built here)."
    )
    parser.add_argument("--json", action="store_true", help="Print the scores as JSON.")
    parser.add_argument("--write-doc", action="store_true", help=f"Rewrite the table in {DOC.name}.")
    args = parser.parse_args(argv)
    scores = evaluate(args.root, args.spacy_model)
    if args.json:
        print(json.dumps([{**asdict(s), "precision": s.precision, "recall": s.recall} for s in scores], indent=2))
    else:
        print(table(scores), end="")
    if args.write_doc:
        write_doc(table(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
