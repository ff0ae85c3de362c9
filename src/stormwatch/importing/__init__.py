"""Reading mention files (canonical JSONL, mapped CSV, gzipped or not) and writing JSONL."""

from stormwatch.importing.export import write_jsonl
from stormwatch.importing.fields import FIELDS, MappingError, parse_defaults, parse_mapping
from stormwatch.importing.readers import FORMATS, MentionReader, detect_format, open_reader
from stormwatch.importing.results import ImportFileError, ReadResult

__all__ = [
    "FIELDS",
    "FORMATS",
    "ImportFileError",
    "MappingError",
    "MentionReader",
    "ReadResult",
    "detect_format",
    "open_reader",
    "parse_defaults",
    "parse_mapping",
    "write_jsonl",
]
