"""Two people, one partnership, from the documents view: share a finished stage (leaving an item
out) and add the packet the other person sent, in the terminal app and in `coach serve`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, SelectionList, TextArea
from tui_helpers import screen_text, settle, settle_dialog

from coach.content.library import FlowLibrary
from coach.tui.app import CoachApp
from coach.tui.screens.documents import DocumentsScreen
from coach.tui.screens.sharing import ImportPacketScreen, PickStageScreen, SharePreviewScreen
from coach.tui.serve_app import ServeApp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))
from partnership_helpers import Side, fit_checked, snapshot


@pytest.fixture(scope="module")
def real_library() -> FlowLibrary:
    lib = FlowLibrary.load()
    assert not lib.errors
    return lib


@pytest.fixture
def pair(real_library: FlowLibrary, tmp_path: Path) -> Iterator[tuple[Side, Side]]:
    with fit_checked(real_library, tmp_path) as both:
        yield both


def terminal_app(s: Side, export_dir: Path) -> CoachApp:
    return CoachApp(lambda: s.service, export_dir=export_dir)


def serve_app(s: Side, real_library: FlowLibrary) -> ServeApp:
    app = ServeApp(lambda: real_library, s.folder)
    app.open_service = lambda: s.service  # type: ignore[method-assign]
    return app


def packet(raw: bytes) -> Any:
    return json.loads(raw)


async def open_documents(pilot: Any) -> DocumentsScreen:
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DocumentsScreen), screen
    return screen


async def share_leaving_out_the_first(pilot: Any) -> int:
    """Press s, unselect the first item, share: the number left out."""
    await pilot.press("s")
    await settle_dialog(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SharePreviewScreen)
    assert "Sam Okafor" in screen_text(pilot.app)
    first = screen.preview.items[0].number
    items = screen.query_one(SelectionList)
    assert set(items.selected) == {i.number for i in screen.preview.items}  # every item selected
    items.highlighted = 0
    await pilot.press("space")
    await pilot.press("w")
    await settle(pilot)
    return first


async def test_share_writes_a_packet_into_the_export_folder_without_the_unselected_item(
        pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, _ = pair
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "ana-lima-fit_check.coach").write_text("my notes", encoding="utf-8")  # never written over
    first_slot = ana.service.share_preview("fit_check", ana.relationship.id).items[0].answer
    app = terminal_app(ana, exports)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_documents(pilot)
        await share_leaving_out_the_first(pilot)
        assert isinstance(app.screen, DocumentsScreen)
    assert (exports / "ana-lima-fit_check.coach").read_text(encoding="utf-8") == "my notes"
    written = packet((exports / "ana-lima-fit_check-2.coach").read_bytes())
    assert written["format"] == "coach-packet"
    slots = {a["slot"] for a in written["stages"][0]["answers"]}
    assert first_slot is not None and first_slot.slot not in slots and slots


async def test_import_merges_a_packet_and_the_joint_document_shows(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, sam = pair
    from_sam = sam.service.share(sam.service.share_preview("fit_check"), None, tmp_path / "sam.coach").path
    app = terminal_app(ana, tmp_path / "exports")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_documents(pilot)
        assert "joint" not in screen_text(app).lower()
        await pilot.press("i")
        await settle_dialog(pilot)
        assert isinstance(app.screen, ImportPacketScreen)
        app.screen.query_one(Input).value = str(from_sam)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)
        assert any(a.kind == "joint_fit_report" for a in app.screen.artifacts)
        assert "Joint fit" in screen_text(app) or "joint fit" in screen_text(app).lower()


async def test_a_bad_packet_says_so_in_one_line_and_changes_nothing(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, _ = pair
    bad = tmp_path / "bad.coach"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    before = snapshot(ana.folder)
    app = terminal_app(ana, tmp_path / "exports")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_documents(pilot)
        count = len(screen.artifacts)
        await pilot.press("i")
        await settle_dialog(pilot)
        app.screen.query_one(Input).value = str(bad)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and len(screen.artifacts) == count
        (note,) = [n for n in app._notifications if n.title == "Packet not added"]
        assert note.message and "\n" not in note.message
    assert snapshot(ana.folder) == before


async def test_serve_delivers_the_packet_and_takes_one_pasted(
        pair: tuple[Side, Side], real_library: FlowLibrary) -> None:
    ana, sam = pair
    app = serve_app(ana, real_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_documents(pilot)
        await share_leaving_out_the_first(pilot)
        ((name, raw),) = app.delivered_packets
        assert name.endswith(".coach") and packet(raw)["format"] == "coach-packet"
        assert not list(ana.folder.rglob("*.coach"))  # delivered, not written on the server
        _, text, _ = sam.service.packet_file(sam.service.share_preview("fit_check"), set())
        await pilot.press("i")
        await settle_dialog(pilot)
        app.screen.query_one(TextArea).text = text.decode("utf-8")
        await pilot.click("#add")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)
        assert any(a.kind == "joint_fit_report" for a in app.screen.artifacts)


async def test_serve_merges_a_packet_added_on_the_page_and_shows_its_joint_document(
        pair: tuple[Side, Side], real_library: FlowLibrary) -> None:
    ana, sam = pair
    app = serve_app(ana, real_library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_documents(pilot)
        assert not any(a.kind == "joint_fit_report" for a in screen.artifacts)
        _, raw, _ = sam.service.packet_file(sam.service.share_preview("fit_check"), set())
        inbox = ana.folder / "inbox"
        inbox.mkdir()
        (inbox / "upload.coach").write_bytes(raw)  # what the server's upload route leaves there
        (inbox / "broken.coach").write_bytes(b"{not a packet")
        for _ in range(40):
            await pilot.pause(0.1)
            if not list(inbox.iterdir()):
                break
        await settle(pilot)
        assert not list(inbox.iterdir())
        assert any(a.kind == "joint_fit_report" for a in app.screen.artifacts)


async def test_the_joint_agreement_is_signed_from_the_documents_view(pair: tuple[Side, Side], tmp_path: Path) -> None:
    ana, sam = pair
    ana.play("commitment_mentee_happy")
    sam.play("commitment_mentor_happy")
    ana.service.merge(sam.service.share(sam.service.share_preview("commitment"), None, tmp_path / "sam.coach").path)
    exports = tmp_path / "exports"
    app = terminal_app(ana, exports)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_documents(pilot)
        await pilot.press("s")
        await settle_dialog(pilot)
        picker = app.screen
        assert isinstance(picker, PickStageScreen)
        labels = [str(picker.query_one(OptionList).get_option_at_index(i).prompt)
                  for i in range(picker.query_one(OptionList).option_count)]
        picker.dismiss(labels.index("Sign the agreement (Commitment)"))
        await settle_dialog(pilot)
        assert isinstance(app.screen, SharePreviewScreen)
        assert "## Ana Lima commits to" in app.screen.query_one("#sign-text", TextArea).text
        await pilot.press("w")
        await settle(pilot)
    (signed,) = exports.glob("*commitment*.coach")
    (part,) = packet(signed.read_bytes())["stages"][0]["parts"]
    assert part["kind"] == "signature" and part["data"]["name"] == "Ana Lima"
    (agreement,) = [d for d in ana.service.documents(ana.relationship.id) if d.kind == "joint_agreement"]
    assert "| Mentee | Ana Lima | Signed on" in agreement.markdown
