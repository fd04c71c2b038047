"""The package version (also in pyproject.toml); its own module so that the cache can read it during import."""

__version__ = "0.1.0"
