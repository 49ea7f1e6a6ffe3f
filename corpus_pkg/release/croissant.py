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

from .info import ReleaseInfo

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
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": name,
                "name": name,
                "description": f"The {name} config.",
                "field": [_field(name, column, feat, file_set, column, []) for column, feat in feats.items()],
            }
        )
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": config.name,
        "description": config.description or config.pretty_name or config.name,
        "conformsTo": CONFORMS_TO,
        "citeAs": f"{config.pretty_name or config.name}, version {version}.",
        "license": _LICENSES.get(config.license.lower(), config.license),
        "version": version,
        "inLanguage": list(config.language),
        "keywords": ["news", "named entities", "quotation attribution", "stance", "numbers"],
        "distribution": distribution,
        "recordSet": record_sets,
    }


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _field(record_set: str, column: str, feat: Any, file_set: str, name: str, path: list[str]) -> dict[str, Any]:
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
    elif isinstance(inner, Value):
        out["dataType"] = _DTYPES.get(inner.dtype, "sc:Text")
    elif isinstance(inner, (List, LargeList)):
        out["description"] = "List of lists"
        out["dataType"] = "sc:Text"
    out["source"] = source
    if isinstance(inner, dict):
        out["subField"] = [_field(record_set, column, sub, file_set, key, [*path, key]) for key, sub in inner.items()]
    return out
