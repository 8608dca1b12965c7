"""The OpenAPI description of this API's REST extensions (routes beyond Memos' proto).

They are plain JSON routes (:mod:`memos.rpc.api_routes`), so there is no descriptor to build
them from; :func:`memos.rpc.openapi.openapi_document` adds these paths and schemas to the
document built from the proto. Keep them in step with the routes (a unit test checks the paths
and verbs against the attachment service's).
"""

from __future__ import annotations

from typing import Any, Final

_ERROR: Final = {"$ref": "#/components/schemas/google.rpc.Status"}
_ATTACHMENT: Final = {"$ref": "#/components/schemas/Attachment"}
_TAG: Final = "AttachmentService"


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _errors(**described: str) -> dict[str, Any]:
    responses = {
        status: {"description": text, "content": _json(_ERROR)}
        for status, text in described.items()
    }
    responses["default"] = {"description": "An error", "content": _json(_ERROR)}
    return responses


EXTENSION_SCHEMAS: Final[dict[str, Any]] = {
    "AttachmentUploadRequest": {
        "type": "object",
        "required": ["filename", "size"],
        "properties": {
            "filename": {
                "type": "string",
                "description": "The attachment's filename (same rules as CreateAttachment).",
            },
            "type": {
                "type": "string",
                "description": (
                    "MIME type without parameters; derived from the filename's extension when "
                    "empty (else application/octet-stream)."
                ),
            },
            "size": {
                "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string"}],
                "description": (
                    "Exact size in bytes (a number, or a decimal string as int64 JSON); at most "
                    "MEMOS_DIRECT_UPLOAD_MAX_BYTES (1 GiB by default)."
                ),
            },
        },
        "additionalProperties": False,
    },
    "AttachmentUpload": {
        "type": "object",
        "required": ["uploadId", "url", "fields", "method", "expiresAt"],
        "properties": {
            "uploadId": {"type": "string", "description": "Names the upload when finalizing."},
            "url": {"type": "string", "format": "uri", "description": "Where to POST the form."},
            "fields": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": (
                    "Form fields to send as they are, before the file part (named `file`, "
                    "last), as multipart/form-data."
                ),
            },
            "method": {"type": "string", "enum": ["POST"]},
            "expiresAt": {
                "type": "string",
                "format": "date-time",
                "description": "The form is refused after this time (15 minutes).",
            },
        },
    },
    "AttachmentUploadFinalizeRequest": {
        "type": "object",
        "properties": {
            "memo": {
                "type": "string",
                "example": "memos/abc123",
                "description": "A memo to link the new attachment to.",
            }
        },
        "additionalProperties": False,
    },
}

EXTENSION_PATHS: Final[dict[str, Any]] = {
    "/api/v1/attachment-uploads": {
        "post": {
            "operationId": "AttachmentService_StartAttachmentUpload",
            "tags": [_TAG],
            "summary": "StartAttachmentUpload (extension: direct upload to S3)",
            "description": (
                "For files larger than CreateAttachment takes inline (4 MiB). Answers a presigned "
                "S3 form upload whose policy pins the key, content type, exact size and filename. "
                "Post the form, then call finalize. Uploads not finalized are deleted by the "
                "bucket after a day."
            ),
            "parameters": [],
            "requestBody": {
                "required": True,
                "content": _json({"$ref": "#/components/schemas/AttachmentUploadRequest"}),
            },
            "responses": {
                "200": {
                    "description": "OK",
                    "content": _json({"$ref": "#/components/schemas/AttachmentUpload"}),
                },
                **_errors(
                    **{
                        "400": "Bad filename or type, or size over the limit",
                        "401": "Not signed in",
                    }
                ),
            },
        }
    },
    "/api/v1/attachment-uploads/{uploadId}/finalize": {
        "post": {
            "operationId": "AttachmentService_FinalizeAttachmentUpload",
            "tags": [_TAG],
            "summary": "FinalizeAttachmentUpload (extension: direct upload to S3)",
            "description": (
                "Checks the uploaded object (present, exactly the declared size, within the "
                "limit, of the declared type) and makes it an attachment, answered as "
                "GetAttachment answers. Repeating a successful finalize answers the same "
                "attachment."
            ),
            "parameters": [
                {
                    "name": "uploadId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "requestBody": {
                "required": False,
                "content": _json({"$ref": "#/components/schemas/AttachmentUploadFinalizeRequest"}),
            },
            "responses": {
                "200": {"description": "OK", "content": _json(_ATTACHMENT)},
                **_errors(
                    **{
                        "400": (
                            "The object is not what was declared (size, type) or over the "
                            "limit; it is deleted"
                        ),
                        "401": "Not signed in",
                        "404": (
                            "Nothing uploaded under this id for the caller (or expired), or "
                            "the memo named does not exist"
                        ),
                    }
                ),
            },
        }
    },
}
