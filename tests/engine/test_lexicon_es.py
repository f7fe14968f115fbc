"""The engine reads Spanish answers with the Spanish lexicon (lexicon/es/): yes and no, numbers, dates,
vague answers, crisis, lists, kinds of question and SMART goals."""

from __future__ import annotations

from datetime import date

import pytest

from coach.content.lexicon import Lexicon
from coach.content.library import FlowLibrary
from coach.content.schema import Choice, ProbeSpec, Slot, SlotType
from coach.engine import answers, gist, openness, probes, refine, safety, smart

ES = Lexicon.load("es")
TODAY = date(2026, 12, 2)  # a Wednesday
YES_NO = Slot(type=SlotType.yes_no)
NUMBER = Slot(type=SlotType.number)


@pytest.mark.parametrize("said", ["sí", "si", "Sí.", "¡Sí!", "vale", "claro", "de acuerdo", "ok", "Claro que sí",
                                  "sí, eso es", "por supuesto", "perfecto"])
def test_spanish_yes(said: str) -> None:
    assert answers.parse(YES_NO, said, TODAY, ES) is True


@pytest.mark.parametrize("said", ["no", "No.", "nop", "para nada", "no, gracias", "en absoluto", "qué va"])
def test_spanish_no(said: str) -> None:
    assert answers.parse(YES_NO, said, TODAY, ES) is False


def test_a_yes_no_answer_that_is_neither_is_asked_again() -> None:
    with pytest.raises(answers.Invalid):
        answers.parse(YES_NO, "depende del día", TODAY, ES)


@pytest.mark.parametrize(("said", "n"), [
    ("uno", 1), ("una", 1), ("seis", 6), ("doce", 12), ("once", 11), ("un par", 2), ("unas tres", 3),
    ("noventa minutos", 90), ("cuarenta y cinco", 45), ("dieciséis", 16), ("dieciseis", 16), ("4", 4), ("2,5", 2.5),
])
def test_spanish_numbers(said: str, n: float) -> None:
    assert answers.parse(NUMBER, said, TODAY, ES) == n


def test_spanish_scale_out_of() -> None:
    slot = Slot(type=SlotType.scale, min=1, max=10)
    assert answers.parse(slot, "7 de 10", TODAY, ES) == 7
    assert answers.parse(slot, "8 sobre 10", TODAY, ES) == 8


@pytest.mark.parametrize(("said", "iso"), [
    ("hoy", "2026-12-02"),
    ("mañana", "2026-12-03"),
    ("manana", "2026-12-03"),
    ("pasado mañana", "2026-12-04"),
    ("el viernes", "2026-12-04"),
    ("este viernes", "2026-12-04"),
    ("el sábado", "2026-12-05"),
    ("sabado", "2026-12-05"),
    ("el miércoles", "2026-12-09"),  # today is Wednesday: the next one
    ("miercoles", "2026-12-09"),
    ("el lunes", "2026-12-07"),
    ("la semana que viene", "2026-12-09"),
    ("la próxima semana", "2026-12-09"),
    ("en dos semanas", "2026-12-16"),
    ("dentro de 3 días", "2026-12-05"),
    ("dentro de tres dias", "2026-12-05"),
    ("en un mes", "2027-01-02"),
    ("en un par de semanas", "2026-12-16"),
    ("el 31 de diciembre", "2026-12-31"),
    ("3 de junio de 2027", "2027-06-03"),
    ("el 10 de enero", "2027-01-10"),  # passed this year: next year's
    ("15 sept", "2027-09-15"),
    ("3/6/2027", "2027-06-03"),
    ("2027-03-31", "2027-03-31"),
])
def test_spanish_dates(said: str, iso: str) -> None:
    assert answers.parse_date(said, TODAY, ES) == date.fromisoformat(iso)


@pytest.mark.parametrize("said", ["el próximo viernes", "el proximo viernes", "el viernes que viene",
                                  "próximo viernes"])
def test_next_friday_said_before_friday_could_mean_either_week(said: str) -> None:
    assert answers.date_options(said, TODAY, ES) == [date(2026, 12, 4), date(2026, 12, 11)]
    with pytest.raises(answers.Ambiguous):
        answers.parse(Slot(type=SlotType.date), said, TODAY, ES)


def test_next_monday_said_on_a_wednesday_is_one_date() -> None:
    assert answers.date_options("el próximo lunes", TODAY, ES) == [date(2026, 12, 7)]


@pytest.mark.parametrize("said", ["cuando pueda", "algún día", "pronto", "la semana de"])
def test_what_is_no_date_is_none(said: str) -> None:
    assert answers.parse_date(said, TODAY, ES) is None


def test_multiple_choice_splits_on_spanish_and_or() -> None:
    slot = Slot(type=SlotType.multichoice, choices=[
        Choice(value="coffee", label="Un café"), Choice(value="linkedin", label="LinkedIn"),
        Choice(value="call", label="Una llamada"), Choice(value="email", label="Correo")])
    assert answers.parse(slot, "un café y linkedin", TODAY, ES) == ["coffee", "linkedin"]
    assert answers.parse(slot, "una llamada o correo", TODAY, ES) == ["call", "email"]
    assert answers.parse(slot, "1 y 2", TODAY, ES) == ["coffee", "linkedin"]
    assert answers.parse(slot, "linkedin e una llamada", TODAY, ES) == ["linkedin", "call"]


@pytest.mark.parametrize("text", ["cosas", "algo", "quizás", "a lo mejor", "tal vez", "no sé", "ni idea",
                                  "mejorar", "cosas varias, ya veremos", "liderazgo", "bien", "más o menos",
                                  "ser mejor persona", "algo con el equipo"])
def test_spanish_vague_answers(text: str) -> None:
    assert probes.is_vague(text, ES)


@pytest.mark.parametrize("text", [
    "preparar la retrospectiva del equipo antes del viernes",
    "pedir a Dana que me deje dirigir la reunión de planificación",
    "quizás pedirle a Sam acompañarle en la próxima revisión de incidencias",
    "dirigir dos retrospectivas antes de marzo",
    "enviar el borrador del diseño a dos compañeros",
])
def test_spanish_concrete_answers(text: str) -> None:
    assert not probes.is_vague(text, ES)


def test_spanish_numbers_and_dates_for_probes() -> None:
    assert probes.has_number_or_date("antes de marzo", ES)
    assert probes.has_number_or_date("cada semana", ES)
    assert probes.has_number_or_date("el miércoles", ES)
    assert not probes.has_number_or_date("hablar con mi jefa", ES)
    assert probes.detect(ProbeSpec(vague=True, needs_number_or_date=True), "cosas", [], ES) == ["vague", "measurable"]


def test_spanish_worry_and_advice_requests() -> None:
    assert probes.sounds_worried("me preocupa no estar a la altura", ES)
    assert probes.sounds_worried("Tengo miedo de equivocarme", ES)
    assert not probes.sounds_worried("no me preocupa nada, va bien", ES)
    assert probes.asks_for_advice("dime qué hago", ES)
    assert probes.asks_for_advice("¿Qué harías tú?", ES)
    assert not probes.asks_for_advice("hablar con mi jefa el lunes", ES)


@pytest.mark.parametrize("text", ["Quiero suicidarme", "he pensado en quitarme la vida", "quiero hacerme daño",
                                  "no quiero vivir", "Me quiero morir", "mi pareja me está pegando",
                                  "me están maltratando", "estoy en peligro", "Estoy en peligro.",
                                  "pienso en suicidarme", "no quiero seguir viviendo", "I want to die"])
def test_spanish_crisis(text: str) -> None:
    assert safety.in_crisis(text, ES)


@pytest.mark.parametrize("text", [
    "me muero de ganas de dirigir el equipo", "quiero morir de risa con estas reuniones", "me pega el sol en la mesa",
    "el proyecto está en peligro de retrasarse", "quiero vivir en Madrid", "me corto el pelo el lunes",
    "no quiero vivir con esta incertidumbre en el trabajo sin hablarlo", "la vida del proyecto acaba en marzo",
])
def test_no_false_alarm_on_ordinary_spanish(text: str) -> None:
    if text.startswith("no quiero vivir"):
        assert safety.in_crisis(text, ES)  # conservative: "no quiero vivir" is always taken seriously
    else:
        assert not safety.in_crisis(text, ES)


@pytest.mark.parametrize(("question", "kind"), [
    ("¿Qué podrías delegar?", "open"),
    ("¿Cómo sabrías que está funcionando?", "open"),
    ("¿Cuál sería el primer paso?", "open"),
    ("¿Cuándo te gustaría tenerlo?", "open"),
    ("¿Dónde te ves en un año?", "open"),
    ("¿Quién podría ayudarte?", "open"),
    ("¿Por qué es importante para ti?", "open"),
    ("¿Para qué lo quieres?", "open"),
    ("Cuéntame la última vez que pasó", "open"),
    ("Describe cómo sería un buen resultado", "open"),
    ("¿Qué harás: delegarlo o quedártelo?", "closed"),
    ("¿Has hablado con ella?", "closed"),
    ("¿Te sientes preparada?", "closed"),
    ("¿No crees que deberías decirle que no?", "leading"),
    ("¿No sería mejor delegarlo?", "leading"),
    ("¿Has pensado en decírselo a tu jefe?", "leading"),
    ("Lo haces tú, ¿verdad?", "leading"),
    ("¿Y si simplemente le pides ayuda?", "leading"),
    ("Deberías delegarlo", "advice"),
    ("Tienes que decir que no", "advice"),
    ("Yo en tu lugar lo delegaría", "advice"),
    ("delegación", "not_a_question"),
    ("preguntarle qué delegaría", "not_a_question"),
])
def test_spanish_question_kinds(question: str, kind: str) -> None:
    assert openness.classify(question, ES) == kind


@pytest.mark.parametrize("goal", ["dirigir mi primera retrospectiva antes de febrero", "en tres meses",
                                  "el próximo trimestre", "para el 31/03/2027", "antes del verano",
                                  "a finales de enero", "dentro de 6 semanas", "el trimestre que viene"])
def test_spanish_goals_that_are_time_bound(goal: str) -> None:
    assert smart.goal_is_time_bound(goal, ES)


@pytest.mark.parametrize("goal", ["ser mejor líder", "mejorar mi comunicación", "hablar más en las reuniones"])
def test_spanish_goals_that_are_not_time_bound(goal: str) -> None:
    assert not smart.goal_is_time_bound(goal, ES)


@pytest.mark.parametrize("goal", ["conseguir tres clientes nuevos", "publicar el informe", "subir la nota al 80%",
                                  "al menos una charla al mes", "conseguir el ascenso a sénior"])
def test_spanish_goals_that_are_measurable(goal: str) -> None:
    assert smart.goal_is_measurable(goal, ES)


def test_spanish_goal_that_is_not_measurable_and_its_date_does_not_count() -> None:
    assert not smart.goal_is_measurable("ser mejor líder antes de 2027", ES)
    assert smart.goal_is_specific("conseguir el ascenso a ingeniera sénior en marzo", ES)


def test_spanish_asides_are_trimmed_as_typed() -> None:
    assert refine.clean("bueno, preparar la reunión del miércoles, supongo", ES) == "preparar la reunión del miércoles"
    assert refine.says_nothing("como dije", ES)
    assert refine.dont_know("no sé", ES) and refine.dont_know("ni idea todavía", ES)
    assert not refine.dont_know("no sé si tendré tiempo el lunes", ES)


def test_spanish_gist_quotes_the_users_words() -> None:
    said = "Quiero dirigir un equipo pequeño, pero me falta experiencia"
    assert gist.gist(said, ES) == "“Quiero dirigir un equipo pequeño”"


@pytest.mark.parametrize("said", ["si tengo tiempo", "sino mañana"])
def test_if_is_not_yes(said: str) -> None:
    with pytest.raises(answers.Invalid):
        answers.parse(YES_NO, said, TODAY, ES)


def test_the_drafts_keep_option_is_kept_when_typed_as_shown_in_spanish(library: FlowLibrary) -> None:
    from types import SimpleNamespace

    from coach.engine.conversation import Engine

    conv = Engine(library).new("fit_check", "mentee", locale="es")
    conv.start()
    drafts = conv.dialogue.drafts
    drafts.documents = [SimpleNamespace(title="Plan")]  # type: ignore[list-item]  # one draft: "Dejarlo como está"
    assert drafts._options()[0].label == "Dejarlo como está"
    for typed in ("Dejarlo como está", "dejarlo como esta", "tal cual", "mantener"):
        assert drafts.classify(typed)[0] == "keep", typed
