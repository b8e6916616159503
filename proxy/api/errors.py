"""OpenAI-style error objects. Every failure the client sees goes through here, so none leaks a traceback."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
}


@dataclass
class ApiError(Exception):
    """An error with the HTTP status and OpenAI error fields it should produce."""

    status: int
    message: str
    code: str | None = None
    param: str | None = None
    type: str | None = None
    outcome: str = "client_error"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def error_type(self) -> str:
        if self.type:
            return self.type
        return _TYPES.get(self.status, "api_error" if self.status >= 500 else "invalid_request_error")

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.error_type, "param": self.param, "code": self.code}}

    def response(self, headers: dict[str, str] | None = None) -> Response:
        hdrs = dict(headers or {})
        if self.status == 401:
            hdrs.setdefault("www-authenticate", "Bearer")
        return Response(json.dumps(self.body()), status_code=self.status, media_type="application/json",
                        headers=hdrs)
