"""A release folder and its life: ``build`` (validate, shard, write the tables, card, Croissant,
SHA256SUMS, atomically), frozen versions, ``diff`` between releases, and ``publish`` to the Hub.

Modules are imported on use so that ``import corpus_pkg`` does not import ``datasets``.
"""
