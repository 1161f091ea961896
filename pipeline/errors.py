"""One root exception for the domain, with the few kinds a caller handles differently."""

from __future__ import annotations


class WirestreamError(Exception):
    """Root of every error wirestream raises on purpose."""


class ConfigError(WirestreamError):
    """A setting, feed list or data file is wrong; the message names the file and the problem."""


class FeedError(WirestreamError):
    """A feed could not be fetched or parsed. ``retry`` says whether trying later may help.

    ``retry_after`` is the wait in seconds the server asked for (HTTP Retry-After), if any.
    """

    def __init__(
        self,
        message: str,
        *,
        retry: bool = True,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.retry = retry
        self.status = status
        self.retry_after = retry_after


class ExtractionError(WirestreamError):
    """An article could not be processed by the extraction stage."""
