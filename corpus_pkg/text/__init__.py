"""Text primitives shared by every stage: the tokenizer, offset-unit conversion, text search and the
number parser. Imports nothing else from the package except ``schema``."""
