"""The release's tables: validated documents in, Parquet files out, shard by shard.

The shard plan, the rows of each config, their Hugging Face features, and the Parquet files each
shard writes. The release folder around these tables (card, Croissant, checksums) is assembled by
:mod:`corpus_pkg.release`.
"""
