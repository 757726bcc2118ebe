"""The rule pages (``docs/rules/*.md``), shipped in the wheel as ``flake8_dbsec.rule_docs``.

One copy only: ``pyproject.toml`` maps this folder into the package; this
file makes it a regular package so ``importlib.resources`` finds the pages in
every install mode (wheel, editable) and on Python 3.9.
"""
