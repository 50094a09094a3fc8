"""The params file: every key required, paths relative to it, each mistake one line."""

from pathlib import Path

import pytest
import yaml

from pipeline.config import PARAMS_FILE, PROJECT_DIR, load_config
from pipeline.errors import InputError

PARAMS = yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))


def write_params(folder: Path, edit=None) -> Path:
    params = yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))
    if edit:
        edit(params)
    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump(params), encoding="utf-8")
    return path


def test_the_default_is_the_projects_own_params_file_whatever_the_working_directory(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert PARAMS_FILE == PROJECT_DIR / "params.yaml"
    assert config.plan == PROJECT_DIR / PARAMS["extract"]["plan"]
    assert config.release == PROJECT_DIR / "processed"
    assert config.similarity_threshold == PARAMS["normalise"]["similarity_threshold"]


def test_paths_are_read_relative_to_the_params_file(tmp_path):
    config = load_config(write_params(tmp_path))
    assert config.plan == tmp_path / PARAMS["extract"]["plan"]
    assert (config.release, config.interim) == (tmp_path / "processed", tmp_path / "interim")


def _drop(section, key):
    return lambda params: params[section].pop(key)


def _set(section, key, value):
    return lambda params: params[section].__setitem__(key, value)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_drop("validate", "min_share_of_last_release"), "validate.min_share_of_last_release: is missing"),
        (lambda p: p.pop("normalise"), "needs a section normalise: with similarity_threshold"),
        (_set("normalise", "similarity_treshold", 80), "normalise.similarity_treshold: unknown key"),
        (lambda p: p.update(publish={}), "publish: unknown section"),
        (_set("normalise", "similarity_threshold", "high"), "must be a number, not 'high'"),
        (_set("validate", "max_doubtful_timescale_share", 25), "validate.max_doubtful_timescale_share: must be a share"),
        (_set("normalise", "similarity_threshold", 180), "normalise.similarity_threshold: must be a score"),
        (_set("extract", "plan", ""), "extract.plan: is missing"),
    ],
)  # fmt: skip
def test_a_mistake_in_the_params_file_is_one_line_naming_the_key(tmp_path, edit, message):
    path = write_params(tmp_path, edit)
    with pytest.raises(InputError) as error:
        load_config(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_params_file_that_is_not_yaml_names_the_line(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("extract:\n  plan: [raw\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"params.yaml, line 3: is not valid YAML"):
        load_config(path)


@pytest.mark.parametrize(
    ("names", "period"),
    [
        (["plan-2023-24-q1.pdf"], "2023/24 Q1"),
        (["plan_2023_24.docx"], "2023/24"),
        (["Delivery Plan 2024-25 Q3.txt"], "2024/25 Q3"),
        (["plan.txt"], None),
        (["plan-20231.txt"], None),
    ],
)
def test_a_document_not_named_in_params_takes_its_period_from_its_name(tmp_path, names, period):
    config = load_config()
    assert config.period_of([tmp_path / name for name in names]) == period


def test_the_params_plan_has_the_params_period():
    config = load_config()
    assert config.period_of([config.plan]) == PARAMS["extract"]["period"]
