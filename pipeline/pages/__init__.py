"""Full text from an article's web page: polite fetching, robots.txt and main-text extraction.

Plain Python over aiohttp; no Kafka here. ``agents/poller.py`` drives it.
"""

from pipeline.pages.extract import main_text
from pipeline.pages.fetcher import PageFetcher, PageLimits, PageText
from pipeline.pages.hosts import HostGate
from pipeline.pages.robots import RobotsRules

__all__ = ["HostGate", "PageFetcher", "PageLimits", "PageText", "RobotsRules", "main_text"]
