"""Build the spaCy pipeline from ``models/config.cfg``.

The pipeline is ``spacy.blank("en")`` plus rule components only: no
downloaded model is needed, so ingest runs anywhere the package installs. The
config names the components (spaCy factories defined in modules under
``extract/nlp/``) and the JSONL pattern files they read, so rules change by
editing data, not code.

Loading takes a few hundred milliseconds (pattern files, PhraseMatchers,
compiling the rules' regular expressions, which :mod:`extract.rx.compiled`
keeps between runs), so :func:`load_nlp` caches one pipeline per process and
config path; forked worker processes inherit it.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from ..rx.compiled import compiled_patterns

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
DEFAULT_CONFIG = MODELS_DIR / "config.cfg"

# Modules of this package that hold no spaCy factory and need not be imported to build the pipeline.
_NOT_COMPONENTS = frozenset({"pipeline"})


def resolve_model_path(path: str | Path, models_dir: Path = MODELS_DIR) -> Path:
    """A pattern path from the config: absolute as given, else relative to ``models/``."""
    p = Path(path)
    return p if p.is_absolute() else models_dir / p


def _register_components() -> None:
    """Import every module of ``extract.nlp`` so its ``@Language.factory`` runs.

    Components live one family per module; importing them all means a new
    family only has to add its module and its config section.
    """
    package = importlib.import_module("extract.nlp")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_") or info.name in _NOT_COMPONENTS:
            continue
        importlib.import_module(f"extract.nlp.{info.name}")


def build_nlp(config_path: Path | str = DEFAULT_CONFIG) -> Language:
    """Build a fresh pipeline from a config file (uncached; see :func:`load_nlp`)."""
    config_path = Path(config_path)
    if not config_path.is_file():
        raise FileNotFoundError(
            f"spaCy config not found: {config_path} (expected models/config.cfg in the checkout)"
        )
    # the rules compile some 700 patterns: served from the previous load's compiled code when unchanged
    with compiled_patterns():
        _register_components()
        config = spacy.util.load_config(
            config_path, overrides={"paths.models": str(config_path.parent)}, interpolate=False
        )
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
        nlp.initialize()
    return nlp


@lru_cache(maxsize=4)
def load_nlp(config_path: str | None = None) -> Language:
    """The pipeline for ``config_path`` (default ``models/config.cfg``), built once per process."""
    return build_nlp(config_path or DEFAULT_CONFIG)
