"""(Copied from the team's shared tools, ../shared/tools/bare_key_app.py, so a fresh clone can run it.)

The floor for key -> screen latency: a bare Textual app whose keys replace a Static's text.

Key 1 shows a 19-line "FEEDBACK" block (about the size of an answer's feedback); key 2 shows
"Question next of 10". Time a key press to the new text on screen, in the same terminal and the
same run as the game, and compare the medians.
"""
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

TEXT = "\n".join(f"line {i}: the reference answer explains softmax(QK^T/sqrt(d_k)) V weighting of values"
                 for i in range(18))


class BareKeyApp(App):
    BINDINGS = [("1", "one", "One"), ("2", "two", "Two"), ("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Question 1 of 10: waiting", id="s")
        yield Footer()

    def action_one(self) -> None:
        self.query_one("#s", Static).update("FEEDBACK Correct +100\n" + TEXT)

    def action_two(self) -> None:
        self.query_one("#s", Static).update("Question next of 10: waiting")


if __name__ == "__main__":
    BareKeyApp().run()
