from pathlib import Path

import pytest

from gidsbot.errors import ConfigError
from gidsbot.settings import SETTINGS, load_settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_documents_every_setting():
    text = README.read_text(encoding="utf-8")
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in text]
    assert not missing


def test_options_win_over_environment_over_defaults():
    env = {"GIDSBOT_TOP_K": "7", "GIDSBOT_INDEX": "/srv/idx"}
    assert load_settings(environ={}).top_k == 5
    assert load_settings(environ=env).top_k == 7
    assert load_settings(environ=env, top_k=3).top_k == 3
    assert load_settings(environ=env).index == Path("/srv/idx")


def test_bad_values_get_a_sentence():
    with pytest.raises(ConfigError, match="GIDSBOT_TOP_K='many' is not a valid int"):
        load_settings(environ={"GIDSBOT_TOP_K": "many"})
    with pytest.raises(ConfigError, match="at least 1"):
        load_settings(environ={"GIDSBOT_TOP_K": "0"})


def test_settings_fields_match_the_documented_list():
    """Guards against a setting added to one of the two lists (SETTINGS, Settings) and not the other."""
    import dataclasses

    from gidsbot.settings import Settings

    fields = {f.name: f.default for f in dataclasses.fields(Settings)}
    assert list(fields) == [s.name for s in SETTINGS]
    for setting in SETTINGS:
        assert fields[setting.name] == (Path(setting.default) if setting.name == "index" else setting.default)
