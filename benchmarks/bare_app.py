"""The floor for a Textual first screen: a header, one line of text and a footer.

Launched by the benchmarks exactly as quizgame is (same python, same terminal size), so
the ratio quizgame / bare app shows what quizgame adds on top of Textual itself.
"""
from textual.app import App
from textual.widgets import Footer, Header, Static


class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Static("Ready.")
        yield Footer()


if __name__ == "__main__":
    Bare().run()
