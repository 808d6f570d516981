"""The REST transport GitHub's and GitLab's clients share (timeouts, bounded retries, pagination, one-line errors
that never contain the token), and the one routine that keeps a single sticky comment up to date on either."""

from __future__ import annotations

import email.utils
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, TypedDict, TypeVar
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from docsync import __version__
from docsync.errors import DocsyncError

logger = logging.getLogger(__name__)

TIMEOUT = (5.0, 30.0)  # (connect, read) seconds: a hung API must not hang the CI job
# A read timeout restarts with every byte: a body trickled one byte every 10 s never hit it (issue 13).
REQUEST_BUDGET = 30.0  # seconds for one request, its whole body included, however it trickles in
API_BUDGET = 60.0  # seconds `docsync ci` gives the API in all (retries and waits included), then goes on without
MAX_PAGES = 100  # of up to 100 comments each: a server whose `rel="next"` never ends ran 4,088 requests
MAX_BODY_BYTES = 16 * 1024 * 1024  # one answer; a page of 100 comments is at most ~6.5 MB
_CHUNK = 64 * 1024
USER_AGENT = f"docsync/{__version__}"
RATE_LIMIT_WAIT = 60.0  # GitHub's advice when a rate limit gives no time: "wait at least one minute"
_WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
_MESSAGE_LIMIT = 200
# A token goes into an HTTP header: anything outside visible ASCII would make requests raise an error that
# quotes the header, token included.
_TOKEN_CHARACTERS = re.compile(r"[\x21-\x7e]+")
_Client = TypeVar("_Client", bound="RestClient")


class ApiError(DocsyncError):
    """The GitHub or GitLab API failed or refused: a one-line message that never contains the token."""


class PermissionDenied(ApiError):
    """The token may not do this (no token, 403, 404 on a write): a pull request from a fork, a read-only token."""


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on a pull request (GitHub's issue comment) or a merge request (GitLab's note)."""

    id: int
    body: str


class Thread(Protocol):
    """The comments of one pull or merge request."""

    def find(self, marker: str) -> Comment | None: ...

    def create(self, body: str) -> Comment: ...

    def update(self, comment_id: int, body: str) -> Comment: ...


def keep_sticky(thread: Thread, marker: str, body: str | None, resolved: str) -> None:
    """Keep ONE comment (found by `marker`) up to date: created on the first finding, edited after, and set to
    `resolved` once there is nothing to say (`body` None); never created when there was nothing to say."""
    existing = thread.find(marker)
    if body is None:
        if existing is not None and resolved not in existing.body:
            thread.update(existing.id, f"{marker}\n{resolved}\n")
        return
    if existing is None:
        thread.create(body)
    elif existing.body != body:
        thread.update(existing.id, body)


class Transport(TypedDict, total=False):
    """`RestClient`'s keyword arguments, which its subclasses pass on unchanged."""

    session: requests.Session | None
    sleep: Callable[[float], None]
    max_attempts: int
    max_wait: float
    clock: Callable[[], float]
    timeout: tuple[float, float]
    request_budget: float
    budget: float | None
    max_pages: int
    timer: Callable[[], float]


@dataclass(frozen=True, slots=True)
class _Retry:
    """A failed attempt worth repeating: why it failed, and how long to wait before the next one."""

    reason: str
    wait: float


class RestClient:
    """The transport shared by the GitHub and GitLab clients; subclasses say how to authenticate and paginate."""

    service: ClassVar[str] = "REST"
    target: ClassVar[str] = "resource"  # what a write changes, for messages: "pull request", "merge request"
    token_hint: ClassVar[str] = "check the token"
    write_hint: ClassVar[str] = "use a token that may write"
    read_only_cause: ClassVar[str] = "read-only token"  # the usual reason a write is refused
    follow_redirects: ClassVar[bool] = True

    def __init__(
        self,
        api_url: str,
        token: str | None,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 5,
        max_wait: float = 60.0,
        clock: Callable[[], float] = time.time,
        timeout: tuple[float, float] = TIMEOUT,
        request_budget: float = REQUEST_BUDGET,
        budget: float | None = None,
        max_pages: int = MAX_PAGES,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        """`budget`: seconds for all of this client's requests (None: no limit beyond each request's own
        `request_budget`); `clock` is wall time (for rate-limit resets), `timer` measures the budgets."""
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.api_url = api_url.rstrip("/")
        self._token = _checked_token(token, self.service)
        self._session = session if session is not None else requests.Session()
        self._owns_session = session is None
        self._sleep, self._clock, self._timer = sleep, clock, timer
        self._max_attempts, self._max_wait, self._timeout = max_attempts, max_wait, timeout
        self._request_budget, self._budget, self._max_pages = request_budget, budget, max_pages
        self._deadline = timer() + budget if budget is not None else None

    def __enter__(self: _Client) -> _Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP session, unless the caller passed its own."""
        if self._owns_session:
            self._session.close()

    def _headers(self) -> dict[str, str]:
        """Headers for every request; subclasses add their service's own, and the token when there is one."""
        return {"User-Agent": USER_AGENT}

    def _next_url(self, response: requests.Response, url: str) -> str | None:
        """The next page's URL: GitHub (and GitLab) announce it in a `Link: <...>; rel="next"` header."""
        return response.links.get("next", {}).get("url") or None

    def _pages(self, url: str) -> Iterator[list[Any]]:
        """Each page of a list endpoint, lazily, so a search can stop at the page that holds its match."""
        seen: set[str] = set()
        next_url: str | None = url
        while next_url is not None and next_url not in seen:  # a server that loops its links must not loop us
            if len(seen) == self._max_pages:  # nor one whose links never end
                raise self._error(
                    ApiError,
                    f"GET {urlsplit(url).path} has more than {self._max_pages} pages; stopped reading",
                    "a thread that long, or pagination that never ends: docsync goes on without it",
                )
            seen.add(next_url)
            if not _same_origin(next_url, self.api_url):
                raise self._error(ApiError, f"refusing to follow a page link to another host ({next_url[:80]})")
            response = self._request("GET", next_url)
            page = self._json(response)
            if not isinstance(page, list):
                raise self._error(ApiError, f"unexpected answer to GET {urlsplit(next_url).path} (not a list)")
            yield page
            next_url = self._next_url(response, next_url)

    def _json(self, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise self._error(ApiError, f"unexpected answer to {_where(response)} (not JSON)") from None

    def _record(self, item: object) -> tuple[int, str]:
        """The id and body of a comment or note, checked (GitHub's and GitLab's records share these two keys)."""
        if isinstance(item, dict):
            number, body = item.get("id"), item.get("body")
            if isinstance(number, int) and isinstance(body, str | None):
                return number, body or ""
        raise self._error(ApiError, f"unexpected answer from the {self.service} API (a comment without id or body)")

    def _request(self, method: str, url: str, body: Mapping[str, object] | None = None) -> requests.Response:
        """One API call, repeated on transient failures (at most `max_attempts` times, `max_wait` s per wait).

        Raises:
            ApiError: the call failed for good; PermissionDenied when the token may not do it.
        """
        path = urlsplit(url).path
        attempt = 1
        while True:
            self._check_budget(method, path, 0.0)
            outcome = self._attempt(method, url, body, attempt)
            if isinstance(outcome, requests.Response):
                return outcome
            if outcome.wait > self._max_wait:
                raise self._too_long(method, path, outcome)
            self._check_budget(method, path, outcome.wait, outcome.reason)
            if attempt >= self._max_attempts:
                raise self._error(
                    ApiError,
                    f"{method} {path} failed after {attempt} attempts ({outcome.reason})",
                    f"the {self.service} API may be down or rate-limiting: re-run the job later",
                )
            logger.info(
                "%s API: %s on %s %s; retrying in %g s", self.service, outcome.reason, method, path, outcome.wait
            )
            self._sleep(outcome.wait)
            attempt += 1

    def _check_budget(self, method: str, path: str, wait: float, reason: str | None = None) -> None:
        """ApiError when the client's budget has no room for `wait` more seconds (and then a request)."""
        if self._deadline is None or self._timer() + wait < self._deadline:
            return
        why = f" ({reason})" if reason else ""
        raise self._error(
            ApiError,
            f"{method} {path}: out of the {self._budget:g} s docsync gives the {self.service} API{why}",
            f"the {self.service} API is slow or misbehaving: docsync goes on without it",
        )

    def _attempt(
        self, method: str, url: str, body: Mapping[str, object] | None, attempt: int
    ) -> requests.Response | _Retry:
        deadline = self._timer() + self._request_budget
        deadline = min(deadline, self._deadline) if self._deadline is not None else deadline
        left = max(deadline - self._timer(), 0.001)
        try:
            response = self._session.request(
                method,
                url,
                json=body,
                headers=self._headers(),
                timeout=(min(self._timeout[0], left), min(self._timeout[1], left)),
                allow_redirects=self.follow_redirects,
                stream=True,  # the body is read by `_read_body`, against the deadline
            )
            _read_body(response, deadline, self._timer, min(self._request_budget, left))
        except requests.RequestException as error:
            return self._transport_failure(method, url, error, attempt)
        status = response.status_code
        if 200 <= status < 300:
            return response
        if status >= 500:
            return _Retry(f"{status} {response.reason or 'server error'}".strip(), _backoff(attempt, self._max_wait))
        wait = self._rate_limit_wait(response)
        if wait is not None:
            return _Retry(f"{status} rate limited", wait)
        raise self._refusal(response, method, urlsplit(url).path)

    def _transport_failure(self, method: str, url: str, error: requests.RequestException, attempt: int) -> _Retry:
        path = urlsplit(url).path
        if isinstance(error, _AnswerCut):
            reason = str(error)
        elif isinstance(error, requests.Timeout):
            reason = f"no answer within {self._timeout[1]:g} s" if _may_have_arrived(error) else "connect timed out"
        elif isinstance(error, requests.ConnectionError):
            host = urlsplit(url).netloc.rpartition("@")[2]
            reason = f"connection to {host} lost" if _may_have_arrived(error) else f"cannot connect to {host}"
        else:  # an invalid URL or the like: repeating it cannot help
            raise self._error(ApiError, f"{method} {path} failed ({type(error).__name__})", "check the API URL")
        # Repeating a POST the server may have received could create a second comment.
        if method == "POST" and _may_have_arrived(error):
            raise self._error(
                ApiError,
                f"{method} {path} failed ({reason}); the {self.service} API may have received it",
                "re-run the job: docsync finds its own comment by its marker and edits it",
            )
        return _Retry(reason, _backoff(attempt, self._max_wait))

    def _rate_limit_wait(self, response: requests.Response) -> float | None:
        """Seconds to wait when the answer is a rate limit (429, or GitHub's 403 flavours), else None."""
        headers = response.headers
        remaining = headers.get("X-RateLimit-Remaining", headers.get("RateLimit-Remaining"))
        secondary = response.status_code == 403 and (
            "rate limit" in response.text.lower() or "Retry-After" in headers or remaining == "0"
        )
        if response.status_code != 429 and not secondary:
            return None
        retry_after = _seconds_until(headers.get("Retry-After", ""), self._clock())
        if retry_after is not None:
            return retry_after
        reset = headers.get("X-RateLimit-Reset", headers.get("RateLimit-Reset", ""))
        if reset.strip().isdigit():
            return max(float(reset) - self._clock(), 1.0)  # at least a second: our clock may run ahead of theirs
        return RATE_LIMIT_WAIT

    def _refusal(self, response: requests.Response, method: str, path: str) -> ApiError:
        """The error for a 4xx that repeating cannot fix."""
        # Blank the token out before cutting the text short, so no piece of it survives.
        detail = self._clean(_server_message(response))[:_MESSAGE_LIMIT]
        status, said = response.status_code, f": {detail}" if detail else ""
        if status == 401 and self._token is None:
            return self._error(
                PermissionDenied, f"{method} {path} needs a token and none was given (401)", self.token_hint
            )
        if status == 401:
            return self._error(ApiError, f"the token was rejected (401){said}", self.token_hint)
        if status == 403 and method not in _WRITES:
            return self._error(
                PermissionDenied, f"the token cannot read this {self.target} (403{said})", self.token_hint
            )
        if status in (403, 404) and method in _WRITES:
            also = ", or it does not exist" if status == 404 else ""
            message = f"the token cannot write to this {self.target}{also} ({self.read_only_cause}; {status}{said})"
            return self._error(PermissionDenied, message, self.write_hint)
        if status == 404:
            return self._error(
                ApiError,
                f"{method} {path} was not found (404)",
                f"check the {self.service} API URL, the project and the {self.target} number",
            )
        if status in (400, 422):
            return self._error(
                ApiError, f"{method} {path} was rejected ({status}){said}", "please report this docsync bug"
            )
        return self._error(ApiError, f"{method} {path} failed ({status}){said}", f"check the {self.service} API URL")

    def _too_long(self, method: str, path: str, retry: _Retry) -> ApiError:
        """Only a rate limit asks for more than `max_wait`: backoff waits are capped at it."""
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(self._clock() + retry.wait))
        return self._error(
            ApiError,
            f"rate limit hit on {method} {path}: retry after {when} (in {retry.wait:.0f} s, longer than docsync waits)",
            "re-run the job after that time",
        )

    def _error(self, kind: type[ApiError], message: str, hint: str | None = None) -> ApiError:
        """The one way errors are made here: prefixed, on one line, and with the token blanked out."""
        return kind(self._clean(f"{self.service} API: {message}"), self._clean(hint) if hint else None)

    def _clean(self, text: str) -> str:
        text = " ".join(text.split())
        return text.replace(self._token, "***") if self._token else text


class _AnswerCut(requests.RequestException):
    """docsync stopped reading an answer: it did not arrive in full within the request's budget, or grew too large."""


def _read_body(response: requests.Response, deadline: float, timer: Callable[[], float], seconds: float) -> None:
    """Read the whole body now, as pieces arrive (`read1`: each read returns what one arrived), and give up
    at `deadline`; then `response.content`, `.text` and `.json()` use what was read."""
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := response.raw.read1(_CHUNK, decode_content=True):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise _AnswerCut(f"an answer larger than {MAX_BODY_BYTES // (1024 * 1024)} MB")
            if timer() > deadline:
                raise _AnswerCut(f"no complete answer within {seconds:.3g} s")
    except requests.RequestException:  # ours (an OSError too: first)
        response.close()
        raise
    except urllib3.exceptions.ReadTimeoutError as error:
        response.close()
        raise requests.ReadTimeout(error) from None
    except (urllib3.exceptions.HTTPError, OSError) as error:  # a connection lost, a body that does not decode
        response.close()
        raise requests.ConnectionError(error) from None
    response._content = b"".join(chunks)
    response._content_consumed = True  # type: ignore[attr-defined]
    response.close()  # the connection goes back to the pool: the body was read to its end


def _checked_token(token: str | None, service: str) -> str | None:
    """The token without the whitespace secrets often end with; None when empty."""
    token = (token or "").strip()
    if not token:
        return None
    if not _TOKEN_CHARACTERS.fullmatch(token):
        raise ApiError(f"{service} API: the token contains spaces or control characters", "check the secret's value")
    return token


def _backoff(attempt: int, limit: float) -> float:
    """1, 2, 4, 8… seconds after the 1st, 2nd, 3rd, 4th… failed attempt, but never more than `limit`."""
    return float(min(2 ** (attempt - 1), limit))


def _may_have_arrived(error: requests.RequestException) -> bool:
    """Whether the server may have received the request: only a failure to connect proves it did not."""
    if isinstance(error, requests.ConnectTimeout):
        return False
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return not isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError)


def _seconds_until(retry_after: str, now: float) -> float | None:
    """A `Retry-After` value (seconds, or an HTTP date) as seconds from `now`; None when absent or unreadable."""
    value = retry_after.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(email.utils.parsedate_to_datetime(value).timestamp() - now, 0.0)
    except (TypeError, ValueError):
        return None


def _server_message(response: requests.Response) -> str:
    """What the server said went wrong, on one short line (GitHub's `message`/`errors`, GitLab's `message`/`error`)."""
    try:
        data = response.json()
    except ValueError:
        text = response.text.strip()
        return text if len(text) < 500 and "<" not in text else ""  # not an HTML error page
    if not isinstance(data, dict):
        return ""
    parts = [_flatten(data.get(key)) for key in ("message", "error", "error_description")]
    errors = data.get("errors")
    if isinstance(errors, list):
        parts += [_flatten(e.get("message") or e.get("code")) if isinstance(e, dict) else _flatten(e) for e in errors]
    return ": ".join(part for part in parts if part)


def _flatten(value: object) -> str:
    """GitLab's `{"note": ["is too long"]}` → `note is too long`; strings as they are."""
    if isinstance(value, dict):
        return "; ".join(f"{key} {_flatten(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(_flatten(item) for item in value)
    return "" if value is None else str(value)


def _where(response: requests.Response) -> str:
    return f"{response.request.method} {urlsplit(response.request.url or '').path}"


def _same_origin(url: str, base: str) -> bool:
    first, second = urlsplit(url), urlsplit(base)
    return (first.scheme, first.netloc) == (second.scheme, second.netloc)
