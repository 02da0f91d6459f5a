"""Bank text reaches the screen exactly as written: markup, backslashes, emoji, wide and
right-to-left characters and very long answers are shown, never interpreted."""
import json

from quizgame.core.bank import load_bank
from quizgame.store.base import MemoryStore
from quizgame.ui.widgets.feedback import Feedback

from .helpers import answer_mc, make_app, next_item, paste, screen_text, wait_for, wait_screen

HOSTILE_PROMPTS = [
    "What does [@click=app.quit]quit[/] do?",
    "Is [b]bold[/b] or [$accent]accent[/] markup?",
    "Back\\slashes \\[not markup] in C:\\path?",
    "Emoji 🚀 and wide 漢字 characters?",
    "Right-to-left: ما هو الانتباه؟",
]
LONG_ANSWER = ("A very long reference answer [@click=app.quit]x " * 250)[:10_000]


def hostile_bank(folder):
    questions = []
    for n, prompt in enumerate(HOSTILE_PROMPTS):
        questions.append({
            "id": f"h{n}", "prompt": prompt, "answer": LONG_ANSWER if n == 0 else f"Answer {n} [i]stays[/i] plain.",
            "option": f"Option {n} with [b]markup[/b] and \\ slash", "topics": ["hostile"],
            "distractors": [f"Wrong {n}.{k} [@click=app.bell]ring[/]" for k in range(3)],
            "ideas": [{"label": "[b]label[/b]", "terms": ["plain", "stays"], "required": True}],
        })
    folder.mkdir()
    (folder / "1-hostile.json").write_text(json.dumps(
        {"section": {"id": "hostile", "title": "[b]Hostile[/b] 🚀", "order": 1}, "questions": questions}))
    return load_bank(folder)


async def test_hostile_bank_text_is_shown_literally(tmp_path):
    bank = hostile_bank(tmp_path / "bank")
    store = MemoryStore()
    store.add_player("[@click=app.quit]Ana")
    app = make_app(store, bank=bank, start={"player": "[@click=app.quit]Ana", "mode": "mc", "section": None,
                                            "size": 5, "seed": 2})
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_screen(pilot, "RoundScreen")
        seen = []
        for _ in range(5):
            item = app.screen.session.current
            seen.append(item.question.prompt)
            text = screen_text(app)
            assert item.question.prompt in text
            assert item.question.option in text
            await answer_mc(pilot, correct=False)
            assert app.is_running
            await next_item(pilot)
        await wait_screen(pilot, "SummaryScreen")
        assert sorted(seen) == sorted(HOSTILE_PROMPTS)
        assert app.is_running and app.return_code is None


async def test_a_10000_character_answer_scrolls_and_is_shown_whole(tmp_path):
    bank = hostile_bank(tmp_path / "bank")
    store = MemoryStore()
    store.add_player("Ana")
    app = make_app(store, bank=bank, start={"player": "Ana", "mode": "recall", "section": None, "size": 5, "seed": 2})
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, "RoundScreen")
        while app.screen.session.current.question.id != "h0":
            await paste(pilot, "it stays plain")
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.screen.judgement is not None, "the verdict")
            await next_item(pilot)
        await paste(pilot, "[@click=app.quit]typed markup \\ stays plain")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.judgement is not None, "the verdict")
        feedback = app.screen.query_one(Feedback)
        assert feedback.text("reference") == LONG_ANSWER
        assert "[@click=app.quit]typed markup \\ stays plain" in screen_text(app)
        await pilot.press("pagedown", "pagedown")
        assert app.is_running and app.return_code is None
        assert feedback.display
