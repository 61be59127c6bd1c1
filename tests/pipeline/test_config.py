"""Sources config: the minimal form, the crawler table, errors naming key and file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import CrawlerSettings, Source, load_config
from pipeline.errors import ConfigError

MINIMAL = """
[[sources]]
name = "qingshi"
start_urls = ["http://127.0.0.1:8000/xxgk/ndbg/"]
rate = 1.0
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_form_from_the_contract(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL))
    (source,) = config.sources
    assert source == Source("qingshi", ("http://127.0.0.1:8000/xxgk/ndbg/",), rate=1.0)
    assert config.crawler == CrawlerSettings()
    assert config.path == tmp_path / "sources.toml"


def test_defaults_live_in_one_place(tmp_path: Path) -> None:
    text = '[[sources]]\nname = "a"\nstart_urls = ["https://gov.example.cn/"]\n'
    config = load_config(write(tmp_path, text))
    crawler = config.crawler
    assert crawler.rate == 1.0
    assert crawler.per_host_concurrency == 2
    assert crawler.max_bytes == 25 * 1024 * 1024
    assert crawler.max_redirects == 5
    assert config.rate_for(config.sources[0]) == 1.0
    assert config.sources[0].max_depth == 5


def test_full_form(tmp_path: Path) -> None:
    text = """
[crawler]
user_agent = "nianbao/0.1"
contact = "mailto:data@example.org"
rate = 0.5
per_host_concurrency = 1
connect_timeout = 5
read_timeout = 10
response_deadline = 20
url_deadline = 45
max_bytes = 1048576
retries = 2

[[sources]]
name = "qingshi"
start_urls = ["http://127.0.0.1:8000/xxgk/ndbg/", "http://127.0.0.1:8000/zwgk/"]
agency = "青石市人民政府"
allow = ["http://files.example.gov.cn/"]
allow_patterns = ['^https?://cdn\\d\\.example\\.gov\\.cn/']
max_depth = 3
max_pages = 100

[[sources]]
name = "other"
start_urls = ["https://gov.example.cn/ndbg/"]
rate = 2
"""
    config = load_config(write(tmp_path, text))
    assert config.crawler.user_agent_header == "nianbao/0.1 (+mailto:data@example.org)"
    assert config.crawler.robots_agent == "nianbao"
    assert config.crawler.response_deadline == 20.0
    assert config.crawler.max_bytes == 1048576
    first, second = config.sources
    assert first.agency == "青石市人民政府"
    assert first.allow_patterns == ("^https?://cdn\\d\\.example\\.gov\\.cn/",)
    assert (first.max_depth, first.max_pages) == (3, 100)
    assert config.rate_for(first) == 0.5  # the crawler's default
    assert config.rate_for(second) == 2.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            MINIMAL + MINIMAL.replace("qingshi", "b").replace("1.0", "-1"),
            "sources[1].rate must be > 0",
        ),
        (MINIMAL.replace("rate = 1.0", "rate = 0"), "sources[0].rate must be > 0"),
        (MINIMAL.replace("rate = 1.0", 'rate = "fast"'), "sources[0].rate must be a number"),
        (MINIMAL.replace("rate", "rat"), "unknown key sources[0].rat"),
        (MINIMAL.replace('name = "qingshi"', ""), "sources[0].name is missing"),
        (MINIMAL.replace('name = "qingshi"', 'name = "青石"'), "sources[0].name"),
        (MINIMAL + MINIMAL, "sources[1].name 'qingshi' repeats sources[0]"),
        (MINIMAL.replace("start_urls", "start_url"), "unknown key sources[0].start_url"),
        (
            MINIMAL.replace('["http://127.0.0.1:8000/xxgk/ndbg/"]', '"http://127.0.0.1:8000/"'),
            "sources[0].start_urls must be a list of strings",
        ),
        (MINIMAL.replace("http://127.0.0.1:8000", "ftp://x"), "sources[0].start_urls[0]"),
        (MINIMAL.replace('["http://127.0.0.1:8000/xxgk/ndbg/"]', "[]"), "at least one URL"),
        (MINIMAL + "allow_patterns = ['(']\n", "sources[0].allow_patterns[0] is not a valid regex"),
        (MINIMAL + "max_pages = 0\n", "sources[0].max_pages must be >= 1"),
        (MINIMAL + "max_depth = -1\n", "sources[0].max_depth must be >= 0"),
        ("[crawler]\nrate = -2\n" + MINIMAL, "crawler.rate must be > 0"),
        ("[crawler]\nmax_bytes = 0\n" + MINIMAL, "crawler.max_bytes must be >= 1"),
        ("[crawler]\nretries = true\n" + MINIMAL, "crawler.retries must be an integer"),
        ("[crawler]\nspeed = 2\n" + MINIMAL, "unknown key crawler.speed"),
        ("[crawler]\nuser_agent = ''\n" + MINIMAL, "crawler.user_agent must not be empty"),
        ("", "no [[sources]] given"),
        ("sources = []", "sources is empty"),
        ("sources = 3", "sources must be an array of tables"),
        ("[[sources]\nname=", "not valid TOML"),
    ],
)
def test_errors_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in caught.value.reason
    assert caught.value.reason.startswith(str(path))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nope.toml")


def test_settings_reject_bad_values_by_name() -> None:
    with pytest.raises(ValueError, match="per_host_concurrency"):
        CrawlerSettings(per_host_concurrency=0)
    with pytest.raises(ValueError, match="rate"):
        Source("a", ("http://x/",), rate=0)
