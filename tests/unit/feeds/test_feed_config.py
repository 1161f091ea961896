"""Feed lists in TOML, YAML and OPML, and every way they can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.feeds.config import FeedSpec, load_feed_list

REPO = Path(__file__).resolve().parents[3]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_toml_with_defaults_and_relative_file_path(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "feeds.toml",
        """
[defaults]
interval = 120
language = "en"

[[feed]]
id = "nnn"
url = "file:feeds/nnn.xml"
name = "Nam News Network"

[[feed]]
id = "bbc.world"
url = "https://feeds.bbci.co.uk/news/world/rss.xml"
interval = 600
language = "en-GB"
enabled = false
""",
    )
    nnn, bbc = load_feed_list(path)
    assert nnn == FeedSpec(
        feed_id="nnn",
        url=(tmp_path / "feeds" / "nnn.xml").as_uri(),
        name="Nam News Network",
        interval=120.0,
        language="en",
    )
    assert bbc.url == "https://feeds.bbci.co.uk/news/world/rss.xml"
    assert (bbc.interval, bbc.language, bbc.enabled, bbc.name) == (600.0, "en-GB", False, None)


def test_absolute_and_parent_relative_file_urls(tmp_path: Path) -> None:
    (tmp_path / "lists").mkdir()
    path = write(
        tmp_path,
        "lists/feeds.toml",
        '[[feed]]\nid = "a"\nurl = "file:../data/a.xml"\n'
        '[[feed]]\nid = "b"\nurl = "file:///srv/feeds/b.xml"\n',
    )
    a, b = load_feed_list(path)
    assert a.url == (tmp_path / "data" / "a.xml").as_uri()
    assert b.url == "file:///srv/feeds/b.xml"


def test_yaml_list(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "feeds.yaml",
        """
defaults:
  interval: 90
feeds:
  - id: world
    url: file:world.xml
    name: World Desk
  - url: https://www.example.org/rss
""",
    )
    world, derived = load_feed_list(path)
    assert world.url == (tmp_path / "world.xml").as_uri()
    assert world.interval == 90.0
    # Without an id, one is derived from the name or the URL.
    assert derived.feed_id == "example.org-rss"


def test_opml_outlines_with_xml_url(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "subscriptions.opml",
        """<?xml version="1.0"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="World">
      <outline type="rss" text="Al Jazeera – English" xmlUrl="https://www.aljazeera.com/xml/rss/all.xml"
               htmlUrl="https://www.aljazeera.com/" language="en"/>
      <outline type="rss" text="News" xmlUrl="https://a.example/rss"/>
      <outline type="rss" title="News" text="News" xmlUrl="https://b.example/rss"/>
    </outline>
    <outline type="link" text="Not a feed" url="https://example.com/"/>
    <outline type="rss" xmlUrl="https://www.example.net/feeds/top.xml"/>
  </body>
</opml>""",
    )
    feeds = load_feed_list(path)
    assert [f.feed_id for f in feeds] == [
        "al-jazeera-english",
        "news",
        "news-2",
        "example.net-feeds-top.xml",
    ]
    assert feeds[0].name == "Al Jazeera – English"
    assert feeds[0].language == "en"
    assert feeds[3].name is None


def test_bundled_sample_list_points_at_existing_files() -> None:
    feeds = load_feed_list(REPO / "wirestream" / "samples" / "feeds.toml")
    assert [f.feed_id for f in feeds] == ["nnn", "levant-wire", "world-desk"]
    for feed in feeds:
        assert feed.url.startswith("file:///")
        assert Path(feed.url.removeprefix("file://")).is_file()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("f.toml", '[[feed]]\nid = "a"\nname = "A"\n', r"feed #1 \(id 'a'\): missing 'url'"),
        ("f.toml", '[[feed]]\nid = "a"\nurl = ""\n', "missing 'url'"),
        (
            "f.toml",
            '[[feed]]\nid = "a"\nurl = "https://a.example/"\n'
            '[[feed]]\nid = "a"\nurl = "https://b.example/"\n',
            r"feed #2 \(id 'a'\): duplicate id 'a' \(also feed #1\)",
        ),
        ("f.toml", '[[feed]]\nid = "a"\nurl = "ftp://a.example/rss"\n', "must start with http"),
        ("f.toml", '[[feed]]\nid = "a"\nurl = "feeds/a.xml"\n', "must start with http"),
        ("f.toml", '[[feed]]\nid = "a"\nurl = "https:///rss"\n', "has no host"),
        ("f.toml", '[[feed]]\nid = "a"\nurl = "file://feeds/a.xml"\n', "names host 'feeds'"),
        ("f.toml", '[[feed]]\nid = "a"\nurl = "https://a.example/"\nintervall = 60\n',
         r"feed #1 \(id 'a'\): unknown key\(s\) 'intervall'"),
        ("f.toml", '[defaults]\nname = "x"\n[[feed]]\nid = "a"\nurl = "https://a.example/"\n',
         r"'defaults': unknown key\(s\) 'name'"),
        ("f.toml", '[[feeds]]\nid = "a"\nurl = "https://a.example/"\n',
         r"the top level: unknown key\(s\) 'feeds'"),
        ("f.toml", '[[feed]]\nid = "Bad Id"\nurl = "https://a.example/"\n', "must be lower-case"),
        ("f.toml", '[[feed]]\nid = "a"\nurl = "https://a.example/"\ninterval = 0\n',
         "'interval' must be positive"),
        ("f.toml", '[[feed]]\nid = "a"\nurl = "https://a.example/"\ninterval = "5m"\n',
         "'interval' must be a number"),
        ("f.toml", '[[feed]]\nid = "a"\nurl = "https://a.example/"\nenabled = "yes"\n',
         "'enabled' must be true or false"),
        ("f.toml", '[[feed]]\nid = "a"\nurl = "https://a.example/"\nname = 3\n',
         "'name' must be a string"),
        ("f.toml", "[[feed]\nid = 1\n", "not valid TOML"),
        ("f.toml", "# nothing here\n", "has no feeds"),
        ("f.yaml", "feeds:\n  - id: a\n    url: [unclosed\n", "not valid YAML"),
        ("f.yaml", "- id: a\n  url: https://a.example/\n", "expected a mapping"),
        ("f.yaml", "feeds:\n  - https://a.example/\n", "feed #1: expected a table"),
        ("f.yaml", "feeds:\n  - id: a\n    url: https://a.example/\n    lang: en\n",
         r"unknown key\(s\) 'lang'"),
        ("f.opml", "<opml><body><outline xmlUrl='x'", "not valid OPML"),
        ("f.opml", "<rss version='2.0'/>", "root element is <rss>"),
        ("f.opml", "<opml><body><outline text='a' xmlUrl='gopher://a/'/></body></opml>",
         r"outline #1 \('a'\): url 'gopher://a/' must start with http"),
        ("f.json", "{}", "unknown feed list format '.json'"),
    ],
)  # fmt: skip
def test_config_errors_name_the_file_and_the_entry(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_feed_list(path)
    assert str(path) in str(caught.value)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the feed list"):
        load_feed_list(tmp_path / "absent.toml")


def test_an_outlet_country_from_the_entry_or_the_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "feeds.toml",
        """
[defaults]
country = "aus"

[[feed]]
id = "abc"
url = "https://www.abc.net.au/news/feed/rss.xml"

[[feed]]
id = "ndtv"
url = "https://feeds.example/ndtv.xml"
country = "IND"
""",
    )
    abc, ndtv = load_feed_list(path)
    assert (abc.country, ndtv.country) == ("AUS", "IND")
    bad = write(
        tmp_path, "bad.toml", '[[feed]]\nurl = "https://x.example/f"\ncountry = "Australia"\n'
    )
    with pytest.raises(ConfigError, match="alpha-3"):
        load_feed_list(bad)


def test_full_text_per_feed_with_auto_by_default(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "feeds.toml",
        """
[defaults]
full_text = "never"

[[feed]]
id = "quiet"
url = "https://a.example/rss"

[[feed]]
id = "summaries"
url = "https://b.example/rss"
full_text = "auto"

[[feed]]
id = "always"
url = "https://c.example/rss"
full_text = true
""",
    )
    quiet, summaries, always = load_feed_list(path)
    assert (quiet.full_text, summaries.full_text, always.full_text) == ("never", "auto", "always")
    assert FeedSpec("x", "https://x.example/").full_text == "auto"
    assert summaries.wants_page(summary="Two sentences only.", content="")
    assert not summaries.wants_page(summary="Short.", content="The full story, much longer.")
    assert always.wants_page(summary="Short.", content="The full story, much longer.")
    assert not quiet.wants_page(summary="Two sentences only.", content="")


def test_full_text_rejects_unknown_modes(tmp_path: Path) -> None:
    path = write(
        tmp_path, "f.toml", '[[feed]]\nid = "a"\nurl = "https://a.example/"\nfull_text = "yes"\n'
    )
    with pytest.raises(ConfigError, match="'full_text' must be auto, always, never"):
        load_feed_list(path)
