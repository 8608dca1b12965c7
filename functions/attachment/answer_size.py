"""Whether a file fits in one Lambda answer, as the Lambda entry (:mod:`memos.rpc.http_api`) and
the Lambda runtime will write it.

The entry sends a body whose content type it counts as text (``text/*``, JSON, JavaScript, XML)
as a JSON string when the bytes are valid UTF-8, and anything else as base64 (4/3 of the
bytes). The runtime then writes the whole answer as JSON, where a string grows with its
escapes: quotes, backslashes and newlines double, a control byte takes six characters, a
non-ASCII character six (twelve outside the BMP). Lambda refuses answers over 6 MB, so a 4 MiB
text file of CJK or control bytes would fail where a 4 MiB image fits: the file route sends
such a file through S3 instead.
"""

from __future__ import annotations

import json
from typing import Final

from memos.rpc.http_api import TEXT_MIME_TYPES

LAMBDA_ANSWER_LIMIT_BYTES: Final = 6 * 1024 * 1024
# Room for the status, the headers and the JSON around the body.
ANSWER_HEADROOM_BYTES: Final = 64 * 1024


def answer_body_bytes(content_type: str, body: bytes) -> int:
    """How many bytes ``body`` takes in the answer's JSON (the runtime escaping to ASCII, the
    larger of its two ways)."""
    if any(text_type in content_type for text_type in TEXT_MIME_TYPES):
        try:
            return len(json.dumps(body.decode()))
        except UnicodeDecodeError:
            pass
    return 4 * ((len(body) + 2) // 3) + 2  # base64, quoted


def fits_one_answer(content_type: str, body: bytes) -> bool:
    return answer_body_bytes(content_type, body) <= (
        LAMBDA_ANSWER_LIMIT_BYTES - ANSWER_HEADROOM_BYTES
    )
