"""The TUI's own chrome in Spanish: every text it uses is in prompts/en/tui.yaml and prompts/es/tui.yaml,
every key's description is translated, and an app started with locale "es" shows Spanish (and none
of the English) in its footer, a dialog, the help screen and the command palette."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Markdown
from tui_helpers import Backend, add_people, screen_text, seed_history, settle, settle_dialog

import coach.tui
from coach.content.prompts import placeholders
from coach.tui.app import CoachApp
from coach.tui.i18n import binding_name, own_bindings, shipped_catalog, ui_texts
from coach.tui.screens.chat import ChatScreen
from coach.tui.screens.finished import FinishedStageScreen
from coach.tui.screens.forms import NewProfileScreen
from coach.tui.screens.help import HelpScreen
from coach.tui.screens.home import HomeScreen

TUI = Path(coach.tui.__file__).parent
CATALOG = shipped_catalog()


def has_word(word: str, text: str) -> bool:
    return re.search(rf"\b{re.escape(word)}\b", text) is not None


def tui_keys(locale: str) -> set[str]:
    return {k for k in CATALOG.keys(locale) if k.startswith("tui.")}


def used_keys() -> set[str]:
    """Every literal key the TUI's code passes to t(...) / has(...)."""
    found: set[str] = set()
    for path in TUI.rglob("*.py"):
        for m in re.finditer(r"""\b(?:t|has)\(f?["']([a-z_]+(?:\.[a-z_]+)+)["']""", path.read_text()):
            found.add(f"tui.{m.group(1)}")
    return found


def binding_classes() -> list[type]:
    """Every coach class that declares key bindings."""
    import coach.tui.demo.app
    import coach.tui.screens.opening
    import coach.tui.serve_app
    import coach.tui.widgets.answer_bar  # noqa: F401 (imported for their classes)

    seen: list[type] = []
    stack: list[type] = list(DOMNode.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        declared = "BINDINGS" in cls.__dict__ and "LOCALIZED_FOR" not in cls.__dict__
        if cls.__module__.startswith("coach.tui") and declared:
            seen.append(cls)
    return seen


def test_spanish_has_every_english_text_with_the_same_placeholders() -> None:
    en, es = tui_keys("en"), tui_keys("es")
    assert en - es == set(), sorted(en - es)
    assert es - en == set(), sorted(es - en)
    for key in en:
        source = CATALOG.entry(key, "en").phrasings("default")[0]
        translated = CATALOG.entry(key, "es").phrasings("default")[0]
        assert placeholders(source) == placeholders(translated), key


def test_every_key_the_code_uses_exists() -> None:
    used = used_keys()
    assert len(used) > 100, len(used)
    missing = sorted(k for k in used if k not in tui_keys("en"))
    assert not missing, missing


def test_every_key_description_has_a_translation() -> None:
    classes = binding_classes()
    names = {cls.__name__ for cls in classes}
    assert {"CoachApp", "HomeScreen", "ChatScreen", "DocumentsScreen", "AnswerBar", "DemoApp"} <= names, names
    untranslated = []
    for cls in classes:
        for area, binding in own_bindings(cls):
            assert not binding.description and not binding.tooltip, (cls, binding)  # the words are tui.yaml's
            if binding.show and not all(CATALOG.has(f"tui.keys.{area}.{binding_name(binding)}", locale) and
                                        f"tui.keys.{area}.{binding_name(binding)}" in CATALOG.keys(locale)
                                        for locale in ("en", "es")):
                untranslated.append(f"{cls.__name__}: {binding.key} {binding.action}")
        for locale in ("en", "es"):
            for binding in ui_texts(locale).localized(cls).BINDINGS:
                assert isinstance(binding, Binding)
                if binding.show or binding.action.split("(")[0] not in ("digit", "open_number", "help_quit"):
                    assert binding.description, (locale, cls, binding)
    assert not untranslated, untranslated


def test_a_localized_class_keeps_its_name_and_keys() -> None:
    es = ui_texts("es")
    made = es.localized(ChatScreen)
    assert made is es.localized(ChatScreen) and made.__name__ == "ChatScreen" and issubclass(made, ChatScreen)
    assert es.localized(made) is made
    by_id = {b.id: b for b in made.BINDINGS if isinstance(b, Binding)}
    assert by_id["chat.back"].key == "ctrl+b,f2" and by_id["chat.back"].action == "back"
    assert by_id["chat.back"].description == "Atrás"
    assert by_id["chat.back"].tooltip == "Deshacer la última respuesta y volver a preguntar (/back)"
    assert ui_texts("es_MX").locale == "es" and ui_texts("fr").locale == "en"


ENGLISH_HOME_KEYS = ("New profile", "New relationship", "Documents", "Help", "palette")


async def test_the_home_screen_and_its_footer_in_spanish(backend: Backend,
                                                         app_factory: Callable[..., CoachApp]) -> None:
    seed_history(backend)
    app = app_factory(locale="es")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and type(app).__name__ == "CoachApp"
        text = screen_text(app)
        for spanish in ("Nuevo perfil", "Nueva relación", "Documentos", "Ayuda", "Perfiles", "Relaciones",
                        "Compromisos abiertos", "Etapas con Sam", "Estado", "terminada", "en curso"):
            assert spanish in text, spanish
        footer = text.splitlines()[-1]
        for english in ENGLISH_HOME_KEYS:
            assert not has_word(english, footer), (english, footer)
        for english in ("Profiles", "Relationships", "Open commitments", "Stages with", "Status", "done"):
            assert not has_word(english, text), english


async def test_the_first_run_dialog_in_spanish(backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    app = app_factory(locale="es")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_dialog(pilot)
        assert isinstance(app.screen, NewProfileScreen)
        text = screen_text(app)
        for spanish in ("Te damos la bienvenida a coach", "Tu nombre", "Crear", "Cancelar", "mentee"):
            assert spanish in text, spanish
        for english in ("Welcome", "Your name", "Create", "Cancel", "The other person"):
            assert not has_word(english, text), english
        await pilot.click("#create")
        await pilot.pause()
        assert "Falta tu nombre" in screen_text(app)


async def test_a_finished_stage_dialog_in_spanish(backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    seed_history(backend)
    app = app_factory(locale="es")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle_dialog(pilot)
        assert isinstance(app.screen, FinishedStageScreen)
        text = screen_text(app)
        assert "Tour: etapa terminada" in text and "dejó 2 documentos" in text, text
        assert "Ver sus documentos (d)" in text and "Empezar de nuevo (s)" in text
        for english in ("finished", "documents", "Start again", "Cancel"):
            assert not has_word(english, text), english


async def test_the_help_screen_in_spanish(backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    add_people(backend)
    app = app_factory(locale="es")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause(0.2)
        assert isinstance(app.screen, HelpScreen)
        source = app.screen.query_one(Markdown).source
        assert source.startswith("# Teclas y comandos") and "**En todas partes**" in source
        assert "`Ctrl+B` / `F2`" in source and "paleta de comandos" in source
        for english in ("Keys and commands", "Everywhere", "undo the last answer", "command palette"):
            assert english not in source, english


async def test_the_chat_footer_and_answer_bar_in_spanish(backend: Backend,
                                                         app_factory: Callable[..., CoachApp]) -> None:
    add_people(backend)
    app = app_factory(locale="es")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, ChatScreen)
        text = screen_text(app)
        footer = text.splitlines()[-1]
        for spanish in ("Atrás", "Pasar", "Ayuda", "Resumen", "Guardar", "Inicio", "Salir", "paleta"):
            assert spanish in footer, (spanish, footer)
        for english in ("Back", "Skip", "Help", "Summary", "Export", "Home"):
            assert not has_word(english, footer), (english, footer)
        assert "Ana (mentee) con Sam" in text


async def test_the_command_palette_in_spanish(backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    add_people(backend)
    app = app_factory(locale="es")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Continuar", "Nuevo perfil", "Documentos", "Teclas y comandos", "Tema", "Salir"} <= set(titles), titles
        assert not {"Continue", "New profile", "Keys and commands", "Theme", "Quit"} & set(titles), titles


@pytest.mark.parametrize("locale", ["en", "es"])
def test_the_answer_hints_in_each_language(locale: str) -> None:
    from coach.engine.turns import Question
    from coach.tui.widgets.answer_bar import hint_for

    lines = Question(step="ask_goal", slot="goal", type="text", multiline=True, skippable=True)
    expected = {"en": "Ctrl+S to send · Enter adds a line · Ctrl+N to skip",
                "es": "Ctrl+S para enviar · Enter añade una línea · Ctrl+N para pasar"}
    assert hint_for(lines, ui=ui_texts(locale)) == expected[locale]


def test_the_date_preview_is_written_out_in_the_language() -> None:
    from datetime import date

    from coach.tui.widgets.answer_bar import date_preview

    assert date_preview("2026-12-04", date(2026, 11, 27), ui_texts("en")) == "→ Friday 4 December 2026"
    assert date_preview("2026-12-04", date(2026, 11, 27), ui_texts("es")) == "→ viernes 4 de diciembre de 2026"


async def test_the_documents_footer_fits_80_columns_in_spanish(backend: Backend,
                                                               app_factory: Callable[..., CoachApp]) -> None:
    seed_history(backend)
    app = app_factory(locale="es")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        text = screen_text(app)
        assert "Documentos con Sam" in text and "Encaje · 20 nov 2026" in text
        footer = text.splitlines()[-1]
        for key in ("o Ver", "c Copiar", "e Exportar", "s Compartir", "i Importar", "esc Cerrar", "^q Salir",
                    "^p paleta"):
            assert key in footer, (key, footer)


def test_the_texts_are_read_from_the_shipped_prompts_folder() -> None:
    from coach.content.library import data_root
    from coach.tui.i18n import shipped_catalog

    shipped = {p.parent.name for p in data_root("prompts").glob("*/tui.yaml")}
    assert shipped >= {"en", "es"}
    assert set(shipped_catalog().locales()) == shipped


async def test_the_demo_chrome_in_spanish() -> None:
    from coach.content.library import FlowLibrary
    from coach.tui.demo.app import DemoApp, DemoBar
    from coach.tui.demo.personas import PersonaSet

    app = DemoApp(PersonaSet.load().get("priya"), FlowLibrary.load(), speed=300.0, locale="es")
    async with app.run_test(size=(160, 30)) as pilot:  # the demo's keys do not fit 80 columns in English either
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, ChatScreen) and app.screen.query(DemoBar):
                break
        await pilot.press("space")
        await pilot.pause(0.1)
        assert app.title == "coach demo" and isinstance(app.screen, ChatScreen)
        text = screen_text(app)
        assert "en pausa" in text and "reiniciar" in text, text
        footer = text.splitlines()[-1]
        assert "Pausa/Seguir" in footer and "Tomar el control" in footer, footer
        assert not has_word("Take over", footer) and not has_word("Reset", footer), footer
    app.data.close()


async def test_the_served_app_in_spanish(tmp_path: Path) -> None:
    from coach.content.library import FlowLibrary
    from coach.tui.serve_app import SERVED_KEYMAP, ServeApp

    app = ServeApp(FlowLibrary.load, tmp_path / "data", locale="es")
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(200):  # the first-run form opens by itself
            await pilot.pause(0.05)
            if isinstance(app.screen, NewProfileScreen):
                break
        await pilot.pause(0.2)
        assert "Te damos la bienvenida a coach" in screen_text(app)
        footer = screen_text(app).splitlines()[-1]
        assert "f10 paleta" in footer and not has_word("palette", footer), footer
        app.action_keys()
        await pilot.pause(0.2)
        assert isinstance(app.screen, HelpScreen)
        source = app.screen.query_one(Markdown).source
        assert "# Teclas y comandos" in source and "`F8`" in source and "Ctrl" not in source
        assert SERVED_KEYMAP["chat.back"] == "f2" and "`F2`" in source
    app.data.close()


async def test_the_header_icon_tooltip_in_spanish(backend: Backend, app_factory: Callable[..., CoachApp]) -> None:
    add_people(backend)
    app = app_factory(locale="es")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        icons = list(app.screen.query("HeaderIcon"))
        assert icons and all(icon.tooltip == "Abrir la paleta de comandos" for icon in icons)


async def test_the_app_takes_texts_from_another_catalog(backend: Backend,
                                                        app_factory: Callable[..., CoachApp]) -> None:
    """A catalog made in the test (a pseudo-locale: accented, longer) is what the app shows."""
    from coach.content.prompts import PromptCatalog, PromptEntry
    from coach.tui.i18n import UiTexts

    def stretched(text: str) -> str:
        return "⟦" + text.translate(str.maketrans("aeiouAEIOU", "àéîõüÀÉÎÕÜ")) + "⟧"

    pseudo = PromptCatalog(entries={"en": CATALOG.entries["en"], "qps": {
        key: PromptEntry({"default": [stretched(e.phrasings("default")[0])]}, e.file, e.loc)
        for key, e in CATALOG.entries["en"].items()}})
    add_people(backend)
    app = app_factory(texts=UiTexts(pseudo, "qps"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "⟦Prõfîlés⟧" in text and "⟦Néw prõfîlé⟧" in text, text


async def test_the_stage_table_widens_for_longer_words(backend: Backend,
                                                       app_factory: Callable[..., CoachApp]) -> None:
    """In the pseudo-locale (every text ~40% longer) no column header or status is cut."""
    seed_history(backend)
    app = app_factory(locale="qps-ploc")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        ui = ui_texts("qps-ploc")
        for key in ("stages.stage", "stages.status", "stages.last", "stage_states.done", "stage_states.in_progress"):
            assert ui.t(key) in text, (key, text)
