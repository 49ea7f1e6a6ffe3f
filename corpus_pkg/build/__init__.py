"""Turning validated documents into the release's tables: the shard plan, the rows of each config,
their Hugging Face features, and the Parquet files each shard writes.

The release folder around those tables (card, Croissant, checksums) is :mod:`corpus_pkg.release`.
"""
