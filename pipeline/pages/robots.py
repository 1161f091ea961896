"""robots.txt rules for one host, parsed with the standard library's robotparser."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.robotparser import RobotFileParser


@dataclass(frozen=True)
class RobotsRules:
    """What one host's robots.txt allows; built from the file or from its fetch status."""

    parser: RobotFileParser | None
    """Parsed rules; None when the status alone decides."""
    allow_all: bool = False
    """No usable rules (404 and other 4xx): everything is allowed."""

    @classmethod
    def from_response(cls, status: int | None, body: str) -> RobotsRules:
        """Rules from a robots.txt fetch: 2xx parsed; 401/403 and 5xx or none forbid all."""
        if status is not None and 200 <= status < 300:
            parser = RobotFileParser()
            parser.parse(body.splitlines())
            return cls(parser)
        if status is not None and 400 <= status < 500 and status not in (401, 403):
            return cls(None, allow_all=True)
        # 401/403 (as robotparser reads them), a server error or no answer: keep off the
        # host until the rules can be read again, as the big crawlers do.
        return cls(None, allow_all=False)

    def allows(self, agent: str, url: str) -> bool:
        """True when ``agent`` may fetch ``url``."""
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float | None:
        """The host's Crawl-delay for ``agent`` in seconds, if it sets one."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None
