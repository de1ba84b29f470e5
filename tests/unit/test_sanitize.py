from hrd_tui.sanitize import for_display


def test_escape_sequences_cannot_reach_the_terminal() -> None:
    hostile = "A\x1b]52;c;ZXZpbA==\x07B\x1b]0;pwned\x07C\x1b[2JD\x9b31mE\x7f"
    shown = for_display(hostile)
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown and "\x7f" not in shown
    assert shown.startswith("A]52;c;ZXZpbA==B")


def test_bidi_overrides_are_made_visible_and_newlines_kept_unless_asked() -> None:
    assert for_display("abc\u202edcba") == "abc<RLO>dcba"
    assert for_display("line1\nline2\tx") == "line1\nline2\tx"
    assert for_display("line1\nline2", single_line=True) == "line1 line2"


def test_markup_is_left_as_text() -> None:
    assert for_display("[bold red]X[/]") == "[bold red]X[/]"


def test_plural_says_one_thing_in_the_singular() -> None:
    """'1 contacts' (issue 22): the count and the word agree, one helper for every count."""
    from hrd_tui.sanitize import plural

    assert [plural(n, "contact") for n in (0, 1, 2, 1200)] == [
        "0 contacts",
        "1 contact",
        "2 contacts",
        "1,200 contacts",
    ]
    assert plural(1, "person", "people") == "1 person" and plural(3, "person", "people") == "3 people"
