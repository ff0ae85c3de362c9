"""One error shape for every route: `{"error": what, "detail": why}` with its HTTP status."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI


class ApiProblem(Exception):
    """Raised by a route to answer `status` with an ErrorOut body."""

    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(f"{error}: {detail}")
        self.status, self.error, self.detail = status, error, detail


def install_problem_handler(api: NinjaAPI) -> None:
    # ninja's stub types the handler's argument as "the class or an instance"; it is an instance.
    def answer(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, ApiProblem)
        return api.create_response(
            request, {"error": exc.error, "detail": exc.detail}, status=exc.status
        )

    api.add_exception_handler(ApiProblem, answer)
