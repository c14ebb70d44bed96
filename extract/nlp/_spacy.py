"""Import spaCy without its command-line interface, which ingest never uses.

``import spacy`` imports ``spacy.cli`` for one name, ``spacy.info``; the CLI
brings typer, weasel, requests, httpx and about 350 modules in all: some
0.15 s of CPU, a third of the import, in every batch. :func:`import_spacy`
imports spaCy with a stand-in for ``spacy.cli.info`` whose ``info`` imports
the real one when first called. The stand-in leaves ``sys.modules`` as soon as
spaCy has loaded, so a later ``import spacy.cli`` imports the real package as
usual; and if a spaCy release needs more of its CLI while it loads, spaCy is
simply imported the ordinary way.
"""

from __future__ import annotations

import sys
import types
from typing import Any


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, imported from spaCy's CLI when first called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def import_spacy() -> types.ModuleType:
    """The ``spacy`` module, imported without ``spacy.cli`` if nothing has imported it yet."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    package = types.ModuleType("spacy.cli")
    package.__path__ = []  # a package to the import system, with nothing in it
    info = types.ModuleType("spacy.cli.info")
    info.info = _info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": package, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy
    except (ImportError, AttributeError):
        pass  # this spaCy wants more of its CLI while loading: imported the ordinary way below
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        # spaCy 3.8 imports only ``from .cli.info import info``, which binds no ``spacy.cli``; a
        # release that wrote ``from . import cli`` would hold the stand-in package under that name
        loaded = sys.modules.get("spacy")
        if loaded is not None and getattr(loaded, "cli", None) is package:
            del loaded.cli
    import spacy

    return spacy
