import pytest

from pipeline.normalise import NormaliseConfig
from pipeline.reference import (
    load_rag_ratings,
    load_registry_records,
    load_timescale_words,
    load_vocabulary,
)


@pytest.fixture(scope="session")
def config() -> NormaliseConfig:
    return NormaliseConfig.from_reference(
        load_registry_records(),
        load_vocabulary(),
        load_timescale_words(),
        80.0,
        load_rag_ratings(),
    )
