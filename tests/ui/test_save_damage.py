"""Damage found while the game runs (a save file broken behind its back) is shown in the app."""
from quizgame.core.clock import FixedClock
from quizgame.store.tinydb_store import TinyDBStore

from .helpers import NOW, make_app, toasts, wait_for, wait_screen


async def test_a_save_damaged_while_playing_is_reported(tmp_path):
    store = TinyDBStore(tmp_path / "saves", clock=FixedClock(NOW))
    store.add_player("Ana")
    store.record_round("Ana", "mini", {"type": "round", "id": "r", "section": "all", "mode": "mc", "points": 5,
                                       "answered": 1, "correct": 1, "at": NOW.isoformat()})
    app = make_app(store)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        snapshot = next((tmp_path / "saves" / "players").glob("*/progress-mini.json"))
        snapshot.write_text("{ not json")  # broken behind the game's back
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        await wait_for(pilot, lambda: any("moved to" in t for t in map(str, toasts(app))), "the damage notice")
        backups = list(snapshot.parent.glob("progress-mini.json.damaged-*"))
        assert len(backups) == 1 and backups[0].read_text() == "{ not json"
        assert store.progress("Ana", "mini").rounds  # rebuilt from the log
