"""Screen flows driven by key presses through Textual's pilot, on the mini bank."""
from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList, Static

from quizgame.ui.widgets.picklist import PickList, PickRow

from quizgame.core.players import MAX_NAME_LENGTH
from quizgame.ui.widgets.bars import TopicBars

from .helpers import (
    NOW, answer_events, answer_mc, next_item, paste, play_mc_round, screen_name, screen_text, seed_events, toasts,
    wait_for, wait_screen, wait_text,
)

SIZE = (80, 24)
HOSTILE = "[@click=app.quit]x"
MARKUP = "[bold]y"


def plain(content) -> str:
    """The plain text of an Option prompt or a Static's content (Content, Text or str)."""
    return getattr(content, "plain", str(content))


def player_names(app) -> list[str]:
    players = app.screen.query_one("#players", PickList)
    return [plain(row.visual) for row in players.query(PickRow) if row.key != "__new__"]


async def type_name(pilot, name: str) -> None:
    box = pilot.app.screen.query_one("#new-name", Input)
    await wait_for(pilot, lambda: box.display and box.has_focus, "the name box")
    await pilot.press(*name)
    await wait_for(pilot, lambda: box.value == name, f"{name!r} typed in the name box")
    await pilot.press("enter")


# -- players -----------------------------------------------------------------------------


async def test_new_player_by_typing_a_name(store, app_for):
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        # No players yet: the name box opens by itself. "q", "n" and "l" are keys of the
        # title screen, but inside the name box they are letters of the name.
        await type_name(pilot, "quinn lol")
        await wait_screen(pilot, "MapScreen")
        assert store.players() == ["quinn lol"]
        assert app.screen.player == "quinn lol"
        assert "quinn lol" in screen_text(app)
        await pilot.press("escape")
        await wait_screen(pilot, "TitleScreen")
        assert player_names(app) == ["quinn lol"]


REFUSED = [
    ("", "type", "empty"),
    ("   ", "type", "empty"),
    ("x" * (MAX_NAME_LENGTH + 1), "paste", f"at most {MAX_NAME_LENGTH} characters"),
    ("Ana\x07Bel", "paste", "control characters"),
    ("\u202eAna", "paste", "control characters"),
]


async def test_refused_names_show_why_and_create_nothing(store, app_for):
    """Empty, blank, 33 characters, a bell, a bidi override: each refused with its reason."""
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("n")
        box = app.screen.query_one("#new-name", Input)
        error = app.screen.query_one("#name-error", Static)
        await wait_for(pilot, lambda: box.has_focus, "the name box")
        for name, how, message in REFUSED:
            box.value = ""
            if how == "type":
                await pilot.press(*name)
            else:
                await paste(pilot, name)
            assert box.value == name
            await pilot.press("enter")
            await wait_for(pilot, lambda: message in plain(error.content), f"the error for {name!r}")
            assert message in screen_text(app)
            assert screen_name(app) == "TitleScreen"
            assert store.players() == ["Ana"]
            error.update("")
        # 32 characters are fine: the error goes and the player is created.
        box.value = ""
        await paste(pilot, "y" * MAX_NAME_LENGTH)
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        assert store.players() == ["Ana", "y" * MAX_NAME_LENGTH]
        await pilot.press("escape")
        await wait_screen(pilot, "TitleScreen")
        assert plain(app.screen.query_one("#name-error", Static).content) == ""


async def test_markup_in_names_is_shown_literally_and_never_run(store, app_for):
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await type_name(pilot, HOSTILE)
        await wait_screen(pilot, "MapScreen")
        bar = app.screen.query_one("#player-bar", Static)
        assert plain(bar.content).startswith(HOSTILE)
        assert HOSTILE in screen_text(app)
        # Clicking the name would run app.quit if it were read as markup.
        await pilot.click("#player-bar", offset=(2, 0))
        await pilot.pause()
        assert app.is_running and app.return_code is None

        await pilot.press("escape")
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("n")
        await paste(pilot, MARKUP)  # typed keys were tried with the first name; a paste is quicker
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        assert plain(app.screen.query_one("#player-bar", Static).content).startswith(MARKUP)
        assert MARKUP in screen_text(app)

        await pilot.press("escape")
        await wait_screen(pilot, "TitleScreen")
        assert store.players() == [HOSTILE, MARKUP]
        assert player_names(app) == [HOSTILE, MARKUP]
        text = screen_text(app)
        assert HOSTILE in text and MARKUP in text

        # Enter on the hostile name opens its map; the app keeps running.
        players = app.screen.query_one("#players", PickList)
        assert players.highlighted_key == f"p:{MARKUP}"  # the player who just played
        players.highlighted = 0
        await pilot.click("#players", offset=(4, 1))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        if screen_name(app) == "MapScreen":  # a click on an option selects it
            await pilot.press("escape")
            await wait_screen(pilot, "TitleScreen")
        players = app.screen.query_one("#players", PickList)
        players.highlighted = 0
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        assert app.is_running and app.return_code is None
        assert app.screen.player == HOSTILE
        assert HOSTILE in screen_text(app)


# -- rounds ------------------------------------------------------------------------------


async def test_mc_round_by_keys_reaches_the_summary_and_saves_every_answer(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("enter")  # Enter on "All unlocked sections" plays multiple choice
        await wait_screen(pilot, "RoundScreen")
        plan = app.screen.session.plan
        assert plan.mode == "mc" and len(plan.items) == 4  # only Basics is open: 4 questions
        # Mix the ways to answer: digits, and arrows + Enter on the options.
        first = await answer_mc(pilot, correct=True)
        await next_item(pilot)
        item = app.screen.session.current
        # Nothing is highlighted until an arrow is pressed; the first "down" lands on option 1.
        await pilot.press(*["down"] * ((item.choice.correct + 1) % 4 + 1), "enter")
        await wait_for(pilot, lambda: app.screen.judgement is not None, "the verdict after arrows + Enter")
        assert app.screen.judgement.grade.verdict == "wrong"
        await next_item(pilot)
        rest = await play_mc_round(pilot, [True, False])
        await wait_screen(pilot, "SummaryScreen")
        assert "Round complete" in screen_text(app)

    played = [first, item.question.id, *rest]
    assert played == [i.question.id for i in plan.items]
    history = store.history("Ana", "mini")
    answers = [e for e in history if e["type"] == "answer"]
    assert [e["question"] for e in answers] == played
    assert [e["verdict"] for e in answers] == ["correct", "wrong", "correct", "wrong"]
    assert all(e["round"] == plan.id and e["kind"] == "mc" for e in answers)
    assert history[-1]["type"] == "round" and history[-1]["answered"] == 4 and history[-1]["correct"] == 2
    assert len(history) == 5


async def test_recall_round_grades_typed_answers(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("r")
        await wait_screen(pilot, "RoundScreen")
        screen = app.screen
        answer = screen.query_one("#answer", Input)
        assert answer.has_focus and not screen.query_one("#choices").display

        # 1: the reference answer itself (pasted: typing 90 keys is slow) is graded correct.
        first = screen.session.current.question
        await paste(pilot, first.answer)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.judgement is not None, "the first verdict")
        assert screen.judgement.grade.verdict == "correct"
        assert "Correct" in screen_text(app)
        await next_item(pilot)

        # 2: nonsense, typed key by key, is graded wrong; digits and y/n are letters here.
        second = screen.session.current.question
        await pilot.press(*"yak 42 n")
        assert answer.value == "yak 42 n"
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.judgement is not None, "the second verdict")
        assert screen.judgement.grade.verdict == "wrong"
        await next_item(pilot)

        # An empty answer is not judged.
        await pilot.press("enter")
        await pilot.pause()
        assert screen.judgement is None
        for _ in range(2):
            await paste(pilot, "no idea")
            await pilot.press("enter")
            await wait_for(pilot, lambda: screen.judgement is not None, "a verdict")
            await next_item(pilot)
        await wait_screen(pilot, "SummaryScreen")

    answers = answer_events(store, "Ana")
    assert [e["question"] for e in answers[:2]] == [first.id, second.id]
    assert answers[0]["text"] == first.answer and answers[0]["verdict"] == "correct"
    assert answers[1]["text"] == "yak 42 n" and answers[1]["verdict"] == "wrong"
    assert all(e["kind"] == "recall" for e in answers) and len(answers) == 4


async def test_override_a_wrong_verdict_with_y(store, app_for):
    store.add_player("Ana")
    app = app_for(store, start={"player": "Ana", "mode": "recall", "section": "basics", "size": 2, "seed": 1})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "RoundScreen")
        screen = app.screen
        question = screen.session.current.question
        await pilot.press(*"no clue", "enter")
        await wait_for(pilot, lambda: screen.judgement is not None, "the verdict")
        assert screen.judgement.grade.verdict == "wrong"
        before = store.progress("Ana", "mini")
        assert before.questions[question.id].correct == 0
        # Only the override that changes the verdict is offered.
        bindings = screen.active_bindings
        assert "y" in bindings and bindings["y"].enabled
        assert "n" not in bindings or not bindings["n"].enabled
        await pilot.press("n")
        await pilot.pause()
        assert store.progress("Ana", "mini").overrides == 0
        await pilot.press("y")
        await wait_for(pilot, lambda: screen.overridden, "the override")
        assert "your verdict" in screen_text(app)
        after = store.progress("Ana", "mini")
        history = store.history("Ana", "mini")
        assert history[-1]["type"] == "override" and history[-1]["verdict"] == "correct"
        assert history[-1]["answer"] == history[-2]["id"]
        assert after.overrides == 1
        assert after.points > before.points
        assert after.questions[question.id].correct == 1 and after.streak == 1
        # A second override is not offered.
        await pilot.press("n")
        await pilot.pause()
        assert store.progress("Ana", "mini").overrides == 1
        assert screen.session.points == after.points


async def test_override_a_right_verdict_with_n(store, app_for):
    store.add_player("Ana")
    app = app_for(store, start={"player": "Ana", "mode": "recall", "section": "basics", "size": 1, "seed": 2})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "RoundScreen")
        screen = app.screen
        await paste(pilot, screen.session.current.question.answer)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.judgement is not None, "the verdict")
        assert screen.judgement.grade.verdict == "correct"
        assert store.progress("Ana", "mini").points > 0
        await pilot.press("y")  # not offered: already right
        await pilot.pause()
        assert not screen.overridden
        await pilot.press("n")
        await wait_for(pilot, lambda: screen.overridden, "the override")
        progress = store.progress("Ana", "mini")
        assert progress.points == 0 and progress.overrides == 1 and progress.streak == 0
        await next_item(pilot)
        await wait_screen(pilot, "SummaryScreen")
        assert store.history("Ana", "mini")[-1]["correct"] == 0


async def test_cloze_by_typed_term_and_by_digit(store, app_for):
    store.add_player("Ana")
    app = app_for(store, start={"player": "Ana", "mode": "cloze", "section": "basics", "size": 3, "seed": 1})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "RoundScreen")
        screen = app.screen
        # 1: type the missing term.
        item = screen.session.current
        assert item.kind == "cloze" and "_____" in plain(screen.query_one("#cloze-text", Static).content)
        await pilot.press(*item.cloze.term, "enter")
        await wait_for(pilot, lambda: screen.judgement is not None, "the typed cloze verdict")
        assert screen.judgement.picked is None
        assert screen.judgement.grade.verdict == "correct"
        assert "Missing term" in screen_text(app)
        await next_item(pilot)
        # 2: a lone digit in the empty box picks that choice.
        item = screen.session.current
        await pilot.press(str(item.cloze.correct + 1))
        await wait_for(pilot, lambda: screen.judgement is not None, "the digit cloze verdict")
        assert screen.judgement.picked == item.cloze.correct
        assert screen.judgement.grade.verdict == "correct"
        await next_item(pilot)
        # 3: a wrong digit.
        item = screen.session.current
        wrong = (item.cloze.correct + 1) % len(item.cloze.choices)
        await pilot.press(str(wrong + 1))
        await wait_for(pilot, lambda: screen.judgement is not None, "the wrong digit verdict")
        assert screen.judgement.grade.verdict == "wrong"
        await next_item(pilot)
        await wait_screen(pilot, "SummaryScreen")
    answers = answer_events(store, "Ana")
    assert [e["verdict"] for e in answers] == ["correct", "correct", "wrong"]
    assert all(e["kind"] == "cloze" for e in answers)


async def test_escape_mid_round_keeps_saved_answers(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("m")
        await wait_screen(pilot, "RoundScreen")
        played = [await answer_mc(pilot, True)]
        await next_item(pilot)
        played.append(await answer_mc(pilot, True))
        await pilot.press("escape")
        await wait_screen(pilot, "MapScreen")
        await wait_for(pilot, lambda: any("2 answers are saved" in m for m in toasts(app)), "the 'Round left' toast")
        assert "Round left" in screen_text(app)
        # The map shows the saved points.
        progress = store.progress("Ana", "mini")
        assert f"{progress.points:,} points" in screen_text(app)
        # Two basics right is not yet 70%: Middle stays locked.
        assert app.screen.query_one("#sections", OptionList).get_option("middle").disabled
    assert [e["question"] for e in answer_events(store, "Ana")] == played
    assert [e["type"] for e in store.history("Ana", "mini")] == ["answer", "answer"]  # no round event
    assert progress.answers == 2 and progress.rounds == []


async def test_start_opens_straight_into_a_round(store, app_for):
    store.add_player("Ana")
    app = app_for(store, start={"player": "Ana", "mode": "mc", "section": "basics", "size": 2, "seed": 1})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "RoundScreen")
        plan = app.screen.session.plan
        assert (plan.mode, plan.section, len(plan.items)) == ("mc", "basics", 2)
        await play_mc_round(pilot, [True, True])
        await wait_screen(pilot, "SummaryScreen")
        await pilot.press("m")
        await wait_screen(pilot, "MapScreen")
        assert app.screen.player == "Ana"
        await pilot.press("escape")
        await wait_screen(pilot, "TitleScreen")


async def test_notices_appear_as_notifications(store, app_for):
    notices = ["Save file /s/players/ana/progress-mini.json is not valid JSON. It was moved to /s/x.damaged",
               "Skipped a broken bank: [red]odd[/red].toml"]
    app = app_for(store, notices=notices)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        shown = list(app._notifications)
        assert [n.message for n in shown] == notices
        assert all(n.severity == "warning" and n.title == "Saves" for n in shown)
        await wait_for(pilot, lambda: toasts(app) == notices, "both notices as toasts")
        await wait_text(pilot, "Save file /s/players")
        await wait_text(pilot, "[red]odd[/red]")  # shown literally, not as markup


async def test_escape_on_title_and_screens_navigate_back(store, app_for):
    seed_events(store)
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        for key, name in [("s", "StatsScreen"), ("l", "LeaderboardScreen")]:
            await pilot.press(key)
            await wait_screen(pilot, name)
            await pilot.press("escape")
            await wait_screen(pilot, "MapScreen")
        assert app.screen.check_action("next_bank", ())  # one bank: b still shows, and says so
        await pilot.press("escape")
        await wait_screen(pilot, "TitleScreen")
        assert app.return_code is None
        await pilot.press("q")
        assert app.return_code == 0  # q on the title screen quits


# -- leaderboard, stats, unlocks --------------------------------------------------------------


def board_players(app) -> list[str]:
    table = app.screen.query_one("#board", DataTable)
    return [plain(table.get_row_at(i)[1]).strip() for i in range(table.row_count)]


async def test_leaderboard_ranks_by_points_and_refreshes(store, app_for):
    seed_events(store)
    store.add_player(HOSTILE)
    app = app_for(store)
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("l")
        await wait_screen(pilot, "LeaderboardScreen")
        everyone = store.everyone("mini")
        assert board_players(app) == ["Ana", "Ben", HOSTILE]
        assert everyone["Ana"].points > everyone["Ben"].points > everyone[HOSTILE].points == 0
        table = app.screen.query_one("#board", DataTable)
        assert plain(table.get_row_at(0)[2]).strip() == f"{everyone['Ana'].points:,}"
        assert HOSTILE in screen_text(app)

        # Another process (here: a direct store write) puts the newcomer on top.
        for n in range(6):
            store.record_answer(HOSTILE, "mini", {
                "type": "answer", "id": f"x{n}", "question": "b-lr", "section": "basics", "tier": 0, "kind": "mc",
                "mode": "mc", "round": "rx", "verdict": "correct", "score": 1.0, "at": "2026-11-26T11:00:00+00:00",
                "text": "x"})
        assert board_players(app) == ["Ana", "Ben", HOSTILE]  # not yet re-read
        await pilot.press("r")
        await wait_for(pilot, lambda: board_players(app)[0] == HOSTILE, "the refreshed board")
        assert board_players(app) == [HOSTILE, "Ana", "Ben"]
        assert plain(table.get_row_at(0)[0]).strip() == "1"
        await pilot.press("escape")
        await wait_screen(pilot, "TitleScreen")


async def test_leaderboard_with_no_players(store, app_for):
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("escape")  # leave the name box first: "l" would be typed into it
        await pilot.press("l")
        await wait_screen(pilot, "LeaderboardScreen")
        await wait_text(pilot, "No players yet.")


async def test_stats_show_topic_bars_and_sparkline_after_rounds(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=(80, 40), notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("s")
        await wait_screen(pilot, "StatsScreen")
        assert not app.screen.query(TopicBars)
        assert "none finished yet" in screen_text(app)
        await pilot.press("escape")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("m")
        await wait_screen(pilot, "RoundScreen")
        await play_mc_round(pilot, [True, False, True, False])
        await wait_screen(pilot, "SummaryScreen")
        # A second, better round, finished in another game process.
        store.record_round("Ana", "mini", {"type": "round", "id": "other", "section": "all", "mode": "mc",
                                           "points": 900, "answered": 4, "correct": 4,
                                           "at": "2026-11-26T11:00:00+00:00"})
        await pilot.press("s")
        await wait_screen(pilot, "StatsScreen")
        bars = app.screen.query_one("#topic-bars", TopicBars)
        topics = {name for name, _, _ in bars.rows}
        assert topics == {"regularization", "activation-functions", "training", "optimization"}
        assert len(bars.query(Static)) == 4
        spark = str(app.screen.query_one("#rounds-sparkline", Static).render())
        rounds = store.progress("Ana", "mini").rounds
        assert len(rounds) == 2 and rounds[1]["points"] > rounds[0]["points"]
        # One bar per round, scaled from zero: the better round draws the full block.
        bars = "".join(c for c in spark if c in "▁▂▃▄▅▆▇█")
        assert len(bars) == 2 and bars[1] == "█"
        text = screen_text(app)
        assert "regularization" in text and "last 2" in text


async def test_unlocking_the_second_section(store, app_for):
    """Two basics mastered days ago, a third recalled three days ago: reviewing it today opens Middle."""
    from datetime import timedelta

    store.add_player("Ana")

    def recall(n, qid, days_ago):
        at = (NOW - timedelta(days=days_ago)).isoformat(timespec="seconds")
        store.record_answer("Ana", "mini", {
            "type": "answer", "id": f"old-{n}", "question": qid, "section": "basics", "tier": 0, "kind": "recall",
            "mode": "recall", "round": "old", "verdict": "correct", "score": 1.0, "at": at, "text": "typed",
            "seconds": 40.0, "picked": False})

    for n, (qid, days_ago) in enumerate([("b-dropout", 9), ("b-relu", 9), ("b-dropout", 6), ("b-relu", 6),
                                         ("b-epoch", 3)]):
        recall(n, qid, days_ago)
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        sections = app.screen.query_one("#sections", OptionList)
        assert sections.get_option("middle").disabled and sections.get_option("hard").disabled
        assert "1 due today" in screen_text(app)
        await pilot.press("v")
        await wait_screen(pilot, "RoundScreen")
        assert [(i.question.id, i.kind) for i in app.screen.session.plan.items] == [("b-epoch", "recall")]
        answer = app.screen.query_one("#answer", Input)
        answer.value = "one full pass over the whole training dataset"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.judgement is not None, "the recall verdict")
        await next_item(pilot)
        await wait_screen(pilot, "SummaryScreen")
        unlocks = [plain(w.content) for w in app.screen.query(".unlock")]
        assert len(unlocks) == 1 and "Unlocked: Middle" in unlocks[0]
        assert "All caught up" in screen_text(app)
        assert any(n.title == "Section unlocked" and "Middle" in n.message for n in app._notifications)
        await pilot.press("m")
        await wait_screen(pilot, "MapScreen")
        sections = app.screen.query_one("#sections", OptionList)
        assert not sections.get_option("middle").disabled
        assert sections.get_option("hard").disabled
        # The new section can be played from the map.
        sections.highlighted = sections.get_option_index("middle")
        await pilot.press("m")
        await wait_screen(pilot, "RoundScreen")
        assert {i.question.section for i in app.screen.session.plan.items} == {"middle"}


async def test_summary_enter_plays_again_and_keys_open_screens(store, app_for):
    store.add_player("Ana")
    app = app_for(store, start={"player": "Ana", "mode": "recall", "section": "basics", "size": 1, "seed": 1})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "RoundScreen")
        await pilot.press(*"x", "enter")
        await wait_for(pilot, lambda: app.screen.judgement is not None, "the verdict")
        await next_item(pilot)
        await wait_screen(pilot, "SummaryScreen")
        for key, name in [("s", "StatsScreen"), ("l", "LeaderboardScreen")]:
            await pilot.press(key)
            await wait_screen(pilot, name)
            await pilot.press("escape")
            await wait_screen(pilot, "SummaryScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "RoundScreen")
        plan = app.screen.session.plan
        assert (plan.mode, plan.section, len(plan.items)) == ("recall", "basics", 1)


async def test_flow_on_disk_store(disk_store, app_for):
    """The same flow on TinyDB saves in a temporary folder: the answers are on disk."""
    app = app_for(disk_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await type_name(pilot, "Ana")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("m")
        await wait_screen(pilot, "RoundScreen")
        await answer_mc(pilot, True)
        await pilot.press("escape")
        await wait_screen(pilot, "MapScreen")
    from quizgame.store.tinydb_store import TinyDBStore

    reopened = TinyDBStore(disk_store.folder)
    assert reopened.players() == ["Ana"]
    assert reopened.progress("Ana", "mini").answers == 1


async def test_a_name_taken_in_another_case_is_refused(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("n")
        await paste(pilot, "ANA")
        await pilot.press("enter")
        error = app.screen.query_one("#name-error", Static)
        await wait_for(pilot, lambda: "already a player called Ana" in plain(error.content), "the taken-name error")
        assert screen_name(app) == "TitleScreen" and store.players() == ["Ana"]
        # Escape closes the box and clears the message.
        await pilot.press("escape")
        await wait_for(pilot, lambda: plain(error.content) == "", "the error to clear")
        assert not app.screen.query_one("#new-name", Input).display


async def test_weak_topics_round_for_a_new_player(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("w")
        await wait_screen(pilot, "RoundScreen")
        plan = app.screen.session.plan
        # Nothing answered yet: every item is asked as multiple choice, from open sections only.
        assert plan.mode == "weak" and plan.items
        assert {i.kind for i in plan.items} == {"mc"}
        assert {i.question.section for i in plan.items} == {"basics"}


async def test_b_switches_bank_only_with_two_banks(store, mini_bank, tmp_path):
    import shutil

    from quizgame.core.bank import load_bank

    from .helpers import MINI, make_app

    shutil.copytree(MINI, tmp_path / "second")
    second = load_bank(tmp_path / "second")
    store.add_player("Ana")
    app = make_app(store, bank=mini_bank)
    app.banks = [mini_bank, second]
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        assert app.screen.check_action("next_bank", ())
        assert "b switches bank" in screen_text(app)
        await pilot.press("b")
        await wait_for(pilot, lambda: app.bank is second, "the second bank")
        await wait_text(pilot, "Bank: second")
        await pilot.press("m")
        await wait_screen(pilot, "RoundScreen")
        await answer_mc(pilot, True)
        await pilot.press("escape")
        await wait_screen(pilot, "MapScreen")
    # The answer went to the second bank's progress, not the first's.
    assert store.progress("Ana", "second").answers == 1
    assert store.progress("Ana", "mini").answers == 0


def one_term_bank(folder):
    """A bank that load_bank accepts, where every answer's key term is the same word,
    so each cloze item can offer only one choice."""
    import json

    from quizgame.core.bank import load_bank

    folder.mkdir()
    questions = [{
        "id": f"q{i}", "prompt": f"Question number {i} about models?",
        "answer": f"Case {i}: the model shows overfitting on the data.", "option": f"Option {i} overfits",
        "distractors": ["Wrong one a", "Wrong one b", "Wrong one c"], "topics": ["t"],
        "ideas": [{"label": "over", "terms": ["overfitting"], "required": True}],
    } for i in range(4)]
    (folder / "1-s.json").write_text(json.dumps(
        {"section": {"id": "s", "title": "S", "order": 1}, "questions": questions}))
    return load_bank(folder)


async def test_cloze_digit_beyond_the_choices_does_not_crash(store, tmp_path):
    from .helpers import make_app

    bank = one_term_bank(tmp_path / "tiny")
    store.add_player("Ana")
    app = make_app(store, bank=bank, start={"player": "Ana", "mode": "cloze", "section": None, "size": 2, "seed": 1})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "RoundScreen")
        item = app.screen.session.current
        assert len(item.cloze.choices) == 1
        await pilot.press("3")
        await pilot.pause()
        # Expected: the digit is ignored (or treated as typed text), and the round goes on.
        assert app.screen.judgement is None or app.screen.judgement.picked is None
        assert app.is_running and app.return_code is None
