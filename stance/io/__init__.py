"""Reading inputs (files, directories, stdin) and writing outputs (JSONL, CSV, BRAT, CoNLL)."""

from stance.io.readers import content_hash, read_inputs
from stance.io.writers import WRITERS, Writer, open_writer

__all__ = ["WRITERS", "Writer", "content_hash", "open_writer", "read_inputs"]
