"""The Textual user interface: the only part of quizgame that imports textual."""
