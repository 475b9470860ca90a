from pathlib import Path

import pytest

from gidsbot.errors import ConfigError
from gidsbot.settings import SETTINGS, Settings, load_settings, settings_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_table_is_the_declaration():
    """The README's table of settings is generated from the one declaration (python -m gidsbot.settings)."""
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- settings:", 1)[1].split("-->\n", 1)[1]
    assert table.split("\n<!-- /settings -->", 1)[0] == settings_table()
    assert all(f"`{s.env}`" in text for s in SETTINGS)


def test_the_crawler_takes_its_defaults_from_the_declaration():
    from ingest.fetch import Policy
    from ingest.sites import CrawlConfig

    config, policy, settings = CrawlConfig("x", ("https://example.org/",)), Policy("ua"), Settings()
    assert (config.max_pages, config.max_depth, config.delay, config.timeout) == (
        settings.max_pages,
        settings.max_depth,
        settings.crawl_delay,
        settings.timeout,
    )
    assert (config.retries, config.max_bytes, config.user_agent) == (
        settings.retries,
        settings.max_bytes,
        settings.user_agent,
    )
    assert (policy.timeout, policy.retries, policy.max_bytes) == (
        settings.timeout,
        settings.retries,
        settings.max_bytes,
    )


def test_options_win_over_environment_over_defaults():
    env = {"GIDSBOT_TOP_K": "7", "GIDSBOT_INDEX": "/srv/idx"}
    assert load_settings(environ={}).top_k == 8
    assert load_settings(environ=env).top_k == 7
    assert load_settings(environ=env, top_k=3).top_k == 3
    assert load_settings(environ=env).index == Path("/srv/idx")


def test_bad_values_get_a_sentence():
    with pytest.raises(ConfigError, match="GIDSBOT_TOP_K='many' is not a valid int"):
        load_settings(environ={"GIDSBOT_TOP_K": "many"})
    with pytest.raises(ConfigError, match="at least 1"):
        load_settings(environ={"GIDSBOT_TOP_K": "0"})
