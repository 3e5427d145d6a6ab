"""Hostile `nlp_model` values in the config file: anything but a pipeline's name stops in one short clean line."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import config


@pytest.mark.parametrize(
    "value",
    [42, ["en_core_web_sm"], {"a": 1}, True, "../../etc/passwd", "/abs/path", "\x1b]0;pwned\x07", "a b", "x" * 9999],
)
def test_a_bad_nlp_model_is_one_clean_line(value: object) -> None:
    with pytest.raises(config.ConfigError) as caught:
        config.nlp_model({"nlp_model": value})
    line = str(caught.value)
    assert "nlp_model" in line and line.isprintable() and len(line) <= config.MAX_MESSAGE


def test_nlp_model_from_a_config_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('nlp_model = "en_core_web_sm"\n', "utf-8")
    assert config.nlp_model(config.load_config(path)) == "en_core_web_sm"
    assert config.nlp_model({}) is None and config.nlp_model({"nlp_model": ""}) is None
