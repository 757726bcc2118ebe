"""flake8-dbsec: security checks for database code (flake8 plugin + Semgrep pack)."""

__version__ = "0.1.0"
