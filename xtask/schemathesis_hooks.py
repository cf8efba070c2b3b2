"""Loaded by `cargo xtask test` into schemathesis (SCHEMATHESIS_HOOKS).

A tus PATCH carries its chunk as `application/offset+octet-stream`; schemathesis knows no
serializer for that media type, though the body is plain bytes like `application/octet-stream`.
"""

import schemathesis

schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
