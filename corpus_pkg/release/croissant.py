"""``croissant.json``: Croissant 1.1 JSON-LD metadata of a release.

Written directly as JSON (no runtime dependency on ``mlcroissant``; the tests validate the output
with it). Every Parquet file is a ``FileObject`` with its sha256; each config is a ``FileSet``
(``data/<config>/*.parquet``) feeding one ``RecordSet`` whose fields mirror the HF ``Features``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from datasets import ClassLabel, LargeList, List, Value

from ..schema import Agent
from ..tables.features import (
    EVIDENCE_TYPES,
    GOLD_ORIGINS,
    HOLDER_TYPES,
    NUMBER_KINDS,
    QUALIFIERS,
    QUOTE_KINDS,
    SEGMENT_KINDS,
    SPEAKER_TYPES,
    STANCE_LABELS,
)
from .citation import bibtex
from .info import ReleaseInfo
from .sections import CONFIG_DESCRIPTIONS

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
PARQUET = "application/x-parquet"

#: The JSON-LD context of Croissant 1.x documents.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

_DTYPES = {
    "string": "sc:Text",
    "large_string": "sc:Text",
    "int64": "cr:Int64",
    "int32": "cr:Int32",
    "float64": "cr:Float64",
    "float32": "cr:Float32",
    "bool": "sc:Boolean",
    "date32": "sc:Date",
}

_LICENSES = {
    "cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc-by-nc-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "mit": "https://opensource.org/licenses/MIT",
}


def croissant_jsonld(info: ReleaseInfo) -> dict[str, Any]:
    """The Croissant document of a release (whose Parquet files must exist)."""
    config, version, data_files = info.config, info.version, info.data_files
    enumerations = _Enumerations(info)
    distribution: list[dict[str, Any]] = []
    record_sets = []
    for name, feats in info.features.items():
        if not data_files.get(name):
            continue  # no rows in this release: no files, no record set
        for paths in data_files[name].values():
            for rel in paths:
                distribution.append(
                    {
                        "@type": "cr:FileObject",
                        "@id": rel,
                        "name": rel,
                        "contentSize": f"{info.file_size(rel)} B",
                        "contentUrl": rel,
                        "encodingFormat": PARQUET,
                        "sha256": info.file_sha256(rel),
                    }
                )
        file_set = f"{name}-parquet"
        distribution.append(
            {
                "@type": "cr:FileSet",
                "@id": file_set,
                "name": file_set,
                "description": f"Parquet shards of the {name} config (one or more per split).",
                "encodingFormat": PARQUET,
                "includes": f"data/{name}/*.parquet",
            }
        )
        fields = [_field(name, column, feat, file_set, column, [], enumerations) for column, feat in feats.items()]
        record_set: dict[str, Any] = {
            "@type": "cr:RecordSet",
            "@id": name,
            "name": name,
            "description": CONFIG_DESCRIPTIONS.get(name, f"The {name} config."),
        }
        if name in _KEYS:
            record_set["key"] = {"@id": f"{name}/{_KEYS[name]}"}
        record_set["field"] = _link(name, fields, data_files)
        record_sets.append(record_set)
    out: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": config.name,
        "description": _description(info),
        "conformsTo": CONFORMS_TO,
        "citeAs": bibtex(config, version),
        "license": _license(info),
        "version": version,
        "inLanguage": list(config.language),
        "keywords": ["news", "named entities", "quotation attribution", "stance", "numbers"],
    }
    if config.homepage:
        out["url"] = config.homepage
    if config.date_published:
        out["datePublished"] = config.date_published.isoformat()
    if config.creators:
        out["creator"] = [_agent(a) for a in config.creators]
    if config.publisher:
        out["publisher"] = _agent(config.publisher)
    if config.maintainers:
        out["maintainer"] = [_agent(a) for a in config.maintainers]
    if info.with_text:
        out["copyrightNotice"] = config.rights.text
    out.update(_rai(info))
    out["distribution"] = distribution
    out["recordSet"] = record_sets + enumerations.record_sets()
    return out


#: Record sets with a key column, and the columns of other record sets that point to it.
_KEYS = {"documents": "doc_id", "registry": "entity_id"}
_REFERENCES = {
    "doc_id": ("documents", "doc_id"),
    "entity_id": ("registry", "entity_id"),
    "speaker_entity_id": ("registry", "entity_id"),
    "holder_entity_id": ("registry", "entity_id"),
}


def _link(record_set: str, fields: list[dict[str, Any]], data_files: dict[str, Any]) -> list[dict[str, Any]]:
    """Add ``references`` from the top-level id columns to the record set that holds the ids."""
    for field in fields:
        target = _REFERENCES.get(field["name"])
        if target and target[0] != record_set and data_files.get(target[0]):
            field["references"] = {"field": {"@id": f"{target[0]}/{target[1]}"}}
    return fields


def _agent(agent: Agent) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": f"sc:{agent.type}", "name": agent.name}
    if agent.email:
        out["email"] = agent.email
    if agent.url:
        out["url"] = agent.url
    return out


def _license(info: ReleaseInfo) -> str:
    return _LICENSES.get(info.config.license.lower(), info.config.license)


def _description(info: ReleaseInfo) -> str:
    config = info.config
    text = config.description or config.pretty_name or config.name
    if info.with_text:
        rights = (
            f" Licensing: the annotations are under {config.license}; the article text is not: {config.rights.text}"
        )
    else:
        rights = (
            f" This is a text-free release: offsets and each article's sha256, no article text; everything in "
            f"it is under {config.license}. `corpus rehydrate` restores the text from your own copies."
        )
    return text + rights


def _rai(info: ReleaseInfo) -> dict[str, Any]:
    """Croissant RAI 1.0 properties, from corpus.json (``rai``), the data and the agreement study."""
    rai = info.config.rai
    timeframe: Any = list(info.dates) if info.dates else rai.data_collection_timeframe
    values = {
        "rai:dataCollection": rai.data_collection,
        "rai:dataCollectionTimeframe": timeframe,
        "rai:dataAnnotationProtocol": info.annotation_protocol,
        "rai:dataAnnotationPlatform": rai.data_annotation_platform,
        "rai:annotationsPerItem": info.annotations_per_item,
        "rai:dataAnnotationAnalysis": info.annotation_analysis,
        "rai:personalSensitiveInformation": rai.personal_sensitive_information,
        "rai:dataBiases": rai.data_biases,
        "rai:dataLimitations": rai.data_limitations,
        "rai:dataUseCases": rai.data_use_cases,
        "rai:dataReleaseMaintenancePlan": rai.data_release_maintenance_plan,
    }
    return {key: value for key, value in values.items() if value}


class _Enumerations:
    """One record set per label set (``sc:Enumeration``: index and name, the names inline), which the
    ClassLabel columns reference, so label names are machine-readable."""

    def __init__(self, info: ReleaseInfo) -> None:
        feats = info.features
        self.known: dict[tuple[str, ...], str] = {
            tuple(feats["entities"]["label"].names): "entity_labels",
            tuple(feats["stance"]["target"].names): "stance_targets",
            tuple(feats["ner"]["ner_tags"].feature.names): "ner_tags",
            GOLD_ORIGINS: "origins",
            SEGMENT_KINDS: "segment_kinds",
            QUOTE_KINDS: "quote_kinds",
            NUMBER_KINDS: "number_kinds",
            QUALIFIERS: "qualifiers",
            STANCE_LABELS: "stance_labels",
            SPEAKER_TYPES: "speaker_types",
            HOLDER_TYPES: "holder_types",
            EVIDENCE_TYPES: "evidence_types",
        }
        self.used: dict[str, tuple[str, ...]] = {}

    def index_field(self, names: list[str], fallback: str) -> str:
        """The ``@id`` of the index field of the enumeration of ``names`` (registered on first use)."""
        key = tuple(names)
        name = self.known.setdefault(key, f"{fallback}_labels")
        self.used[name] = key
        return f"{name}/index"

    def record_sets(self) -> list[dict[str, Any]]:
        return [
            {
                "@type": "cr:RecordSet",
                "@id": name,
                "name": name,
                "description": "Label set: the integer stored in a column (index) and its name.",
                "dataType": "sc:Enumeration",
                "key": {"@id": f"{name}/index"},
                "field": [
                    {"@type": "cr:Field", "@id": f"{name}/index", "name": "index", "dataType": "cr:Int64"},
                    {"@type": "cr:Field", "@id": f"{name}/name", "name": "name", "dataType": "sc:Text"},
                ],
                "data": [{f"{name}/index": i, f"{name}/name": label} for i, label in enumerate(names)],
            }
            for name, names in self.used.items()
        ]


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _field(
    record_set: str,
    column: str,
    feat: Any,
    file_set: str,
    name: str,
    path: list[str],
    enumerations: _Enumerations,
) -> dict[str, Any]:
    field_id = "/".join([record_set, column, *path])
    source: dict[str, Any] = {"fileSet": {"@id": file_set}, "extract": {"column": column}}
    if path:
        source["transform"] = {"jsonPath": ".".join(path)}
    out: dict[str, Any] = {"@type": "cr:Field", "@id": field_id, "name": name}
    inner = feat
    if isinstance(inner, (List, LargeList)):
        out["cr:isArray"] = True
        out["cr:arrayShape"] = "-1"
        inner = inner.feature
    if isinstance(inner, ClassLabel):
        out["dataType"] = "cr:Int64"
        out["description"] = "Class label index: " + ", ".join(f"{i}={n}" for i, n in enumerate(inner.names))
        out["references"] = {"field": {"@id": enumerations.index_field(inner.names, "_".join([column, *path]))}}
    elif isinstance(inner, Value):
        out["dataType"] = _DTYPES.get(inner.dtype, "sc:Text")
    elif isinstance(inner, (List, LargeList)):
        out["description"] = "List of lists"
        out["dataType"] = "sc:Text"
    out["source"] = source
    if isinstance(inner, dict):
        out["subField"] = [
            _field(record_set, column, sub, file_set, key, [*path, key], enumerations) for key, sub in inner.items()
        ]
    return out
