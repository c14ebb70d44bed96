"""spaCy is imported without its command-line interface, and still whole when that is asked for.

Each case runs in a fresh interpreter: the import is what is tested.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, pythonpath: Path | None = None) -> dict:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), str(ROOT)])
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_pipeline_loads_without_spacys_command_line_interface():
    res = _run("""
        import json, sys
        from extract.nlp.pipeline import load_nlp
        nlp = load_nlp()
        loaded = sorted(m for m in ("spacy.cli", "spacy.cli.info", "typer", "weasel", "requests") if m in sys.modules)
        names = [t.text for t in nlp("Cllr Smith agreed.")]
        import spacy
        info = spacy.info()  # spaCy's own, imported now
        import spacy.cli
        print(json.dumps({"loaded": loaded, "names": names, "version": info["spacy_version"] == spacy.__version__,
                          "app": hasattr(spacy.cli, "app"), "real": "spacy.cli.info" in sys.modules}))
    """)
    assert res["loaded"] == []
    assert res["names"] == ["Cllr", "Smith", "agreed", "."]
    assert res["version"] and res["app"] and res["real"]


def _fake_spacy(root: Path, init: str) -> None:
    """A package named spacy with a CLI that prints when it is imported."""
    pkg = root / "spacy"
    (pkg / "cli").mkdir(parents=True)
    (pkg / "__init__.py").write_text(textwrap.dedent(init))
    (pkg / "cli" / "__init__.py").write_text("import sys\nsys.stderr.write('cli imported')\napp = 'the app'\n")
    (pkg / "cli" / "info.py").write_text("def info():\n    return 'the real info'\n")


CHECK = """
    import json, sys
    import extract.nlp  # imports spaCy (here the fake one)
    import spacy
    before = "spacy.cli" in sys.modules
    print(json.dumps({"cli_before": before, "info": spacy.info(), "app": getattr(spacy, "app", None),
                      "cli_after": "spacy.cli" in sys.modules}))
"""


def test_a_spacy_that_imports_only_info_from_its_cli_gets_it_when_called(tmp_path):
    _fake_spacy(tmp_path, "from .cli.info import info\n")
    res = _run(CHECK, tmp_path)
    assert res == {"cli_before": False, "info": "the real info", "app": None, "cli_after": True}


def test_a_spacy_that_needs_more_of_its_cli_is_imported_the_ordinary_way(tmp_path):
    _fake_spacy(tmp_path, "from .cli.info import info\nfrom .cli import app\n")
    res = _run(CHECK, tmp_path)
    assert res == {"cli_before": True, "info": "the real info", "app": "the app", "cli_after": True}


def test_a_spacy_that_binds_its_cli_package_keeps_no_stand_in(tmp_path):
    _fake_spacy(tmp_path, "from .cli.info import info\nfrom . import cli\n")
    res = _run("""
        import json, sys
        import extract.nlp
        import spacy
        bound = "cli" in vars(spacy)
        import spacy.cli  # the real package now
        print(json.dumps({"bound": bound, "app": spacy.cli.app, "info": spacy.info()}))
    """, tmp_path)
    assert res == {"bound": False, "app": "the app", "info": "the real info"}

