import pytest


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path, monkeypatch):
    """No command in these tests may touch the repository's saves/ or the user's cache."""
    monkeypatch.setenv("QUIZGAME_SAVE_DIR", str(tmp_path / "env-saves"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
