"""Pilot tests of the home screen: a relationship's documents, a finished stage opened again, and
the first-run form."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Button, Input, RadioSet
from tui_helpers import TOUR_ANSWERS, Backend, add_people, screen_text, seed_history, settle, settle_dialog, type_text

from coach.tui.app import CoachApp
from coach.tui.screens.artifacts import ArtifactScreen, copied_as
from coach.tui.screens.chat import ChatScreen
from coach.tui.screens.documents import DocumentsScreen
from coach.tui.screens.finished import FinishedStageScreen
from coach.tui.screens.forms import NewProfileScreen
from coach.tui.screens.home import HomeScreen


def finish_tour_again(backend: Backend) -> None:
    """A second finished session of the tour (after `seed_history`): two more documents."""
    profile, rel = backend.service.profiles()[0], backend.service.relationships("p-ana")[0]
    chat = backend.service.open_stage(profile, rel, "tour")
    for answer in ["done", "done", *TOUR_ANSWERS]:  # the review of "a" and "b" first
        backend.service.answer(chat, answer)
    assert chat.done
    backend.service.leave(chat)


# --- the documents of a relationship ---------------------------------------------------------------


async def test_documents_open_copy_and_export(backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    seed_history(backend)
    finish_tour_again(backend)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "d Documents" in screen_text(app)
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DocumentsScreen)
        assert [a.title for a in screen.artifacts] == ["Tour report", "First agenda"] * 2
        assert [a.session_id for a in screen.artifacts] == ["conv0001", "conv0001", "conv0003", "conv0003"]
        assert [g.label() for g in screen.groups] == ["Fit check · 20 Nov 2026"] * 2  # one session each
        text = screen_text(app)
        assert text.index("Fit check · 20 Nov 2026") < text.index("Tour report") < text.index("First agenda")
        assert screen.current is screen.artifacts[0]

        await pilot.press("down")  # the first session's agenda
        await pilot.press("c")
        assert app.clipboard.startswith("# First agenda")
        await pilot.press("down")  # past the second heading: the second session's report
        assert screen.current is screen.artifacts[2]
        await pilot.press("enter")
        await settle(pilot)
        shown = app.screen
        assert isinstance(shown, ArtifactScreen)
        assert [a.session_id for a in shown.artifacts] == ["conv0003", "conv0003"]  # that session's documents
        assert shown.current.title == "Tour report"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen

        await pilot.press("e")
        await settle(pilot)
        folder = backend.export_dir / "sam"
        exported = sorted(p.name for p in folder.iterdir())
        assert exported == [  # as `coach export` lays them out; the second session's beside the first's
            "2026-11-20-fit_check-tour_agenda-2.md", "2026-11-20-fit_check-tour_agenda.md",
            "2026-11-20-fit_check-tour_report-2.md", "2026-11-20-fit_check-tour_report.md",
        ]
        await pilot.press("e")  # again: nothing new, nothing written over
        await settle(pilot)
        assert sorted(p.name for p in folder.iterdir()) == exported
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Documents" in titles


async def test_no_documents_yet_says_so_in_one_line(backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    add_people(backend)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)
        lines = [line.strip() for line in screen_text(app).splitlines() if "No documents" in line]
        assert lines == ["No documents with Sam yet: finishing a stage makes its report or agreement."]
        assert "Export all" not in screen_text(app)  # only Close
        await pilot.press("e")
        await settle(pilot)
        assert not backend.export_dir.exists()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


# --- a finished stage --------------------------------------------------------------------------------


async def test_a_finished_stage_offers_its_documents_or_a_new_start(
    backend: Backend, app_factory: Callable[..., CoachApp]
) -> None:
    seed_history(backend)  # the tour finished (conv0001), the second stage in progress
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle_dialog(pilot)
        assert isinstance(app.screen, FinishedStageScreen)
        text = screen_text(app)
        assert "Tour is finished" in text and "it left 2 documents" in text
        await pilot.press("d")
        await settle(pilot)
        shown = app.screen
        assert isinstance(shown, ArtifactScreen)
        assert [(a.title, a.session_id) for a in shown.artifacts] == [("Tour report", "conv0001"),
                                                                     ("First agenda", "conv0001")]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)

        await pilot.press("1")
        await settle_dialog(pilot)
        await pilot.press("escape")  # cancel: nothing starts
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert len(backend.repo.summaries("r-sam")) == 2

        await pilot.press("1")
        await settle_dialog(pilot)
        await pilot.click("#again")
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.chat.again and chat.chat.id == "conv0003"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("1")  # now in progress again: it opens as before, no question
        await settle(pilot)
        assert isinstance(app.screen, ChatScreen) and app.screen.chat.id == "conv0003"


async def test_a_finished_stage_without_documents(backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    profile, rel = seed_history(backend)
    service = backend.service
    chat = service.open_stage(profile, rel, "second")  # resumes it: the review, then the plan
    for answer in ["done", "done", "meet every month"]:
        service.answer(chat, answer)
    assert chat.done
    service.leave(chat)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle_dialog(pilot)
        assert "it left no documents" in screen_text(app)
        assert app.screen.query_one("#show-documents", Button).disabled
        assert app.focused is not None and app.focused.id == "again"
        await pilot.press("d")  # nothing to see
        await pilot.pause()
        assert isinstance(app.screen, FinishedStageScreen)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ChatScreen) and app.screen.chat.flow_id == "second"


# --- the first run -------------------------------------------------------------------------------------


async def test_the_first_run_form_says_what_is_missing(
    backend: Backend, app_factory: Callable[..., CoachApp]
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewProfileScreen)
        name = form.query_one("#name", Input)
        await pilot.press("enter")  # nothing typed
        assert "Your name is missing" in screen_text(app)
        assert app.focused is name
        await type_text(pilot, "Ana")  # the next keys go into the form
        assert name.value == "Ana"
        assert "missing" not in screen_text(app)
        await pilot.press("enter")
        assert isinstance(app.focused, RadioSet)
        await pilot.press("tab", "enter")  # the other person's name is empty
        other = form.query_one("#other", Input)
        assert "The other person's name is missing" in screen_text(app)
        assert app.focused is other
        await type_text(pilot, "Sam")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert [(p.name, p.role.value) for p in backend.service.profiles()] == [("Ana", "mentee")]


async def test_escape_on_the_first_run_goes_home(backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NewProfileScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)  # and the dialog does not come straight back
        assert "No profile yet: press n to create one" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewProfileScreen)
        await pilot.click("#cancel")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_the_role_reads_without_colour(
    backend: Backend, app_factory: Callable[..., CoachApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "●▌ mentee" in screen_text(app) and "○▌ mentor" in screen_text(app)
        await pilot.press(*"Bo", "enter", "right", "space")
        await pilot.pause()
        assert "○▌ mentee" in screen_text(app) and "●▌ mentor" in screen_text(app)


async def test_a_plain_text_document_is_shown_as_it_is(
    backend: Backend, app_factory: Callable[..., CoachApp]
) -> None:
    from coach.models import Artifact

    add_people(backend)
    note = Artifact(stage="gratitude", kind="thank_you", title="Thank you", format="text",
                    markdown="Thank you, Sam! *Really* — [b]all of it[/b].\n\n- the intros")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(ArtifactScreen([note], "Sam"))
        await settle(pilot)
        text = screen_text(app)
        assert "Thank you, Sam! *Really* — [b]all of it[/b]." in text and "- the intros" in text
        await pilot.press("c")
        assert app.clipboard == note.markdown
        assert copied_as(note) == "as plain text"  # what the notice says
