"""Home: pick or create a profile and a relationship, see where each stage stands, open one,
and read the documents the relationship has so far."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Label, OptionList, Static
from textual.widgets.option_list import Option

from coach.tui.i18n import texts_of
from coach.tui.look import HomeLook
from coach.tui.screens.base import StyledOnce, coach_app, service_call
from coach.tui.text import one_line
from coach.tui.widgets.commitments import CommitmentList
from coach.tui.widgets.footer import KeyFooter
from coach.tui.widgets.header import CoachHeader
from coach.tui.widgets.marks import OFF, ON
from coach.tui.widgets.stages import StageTable

if TYPE_CHECKING:
    from coach.app.views import HomeView, StageStatus
    from coach.models import Relationship
    from coach.tui.screens.forms import ProfileForm


def chosen(on: bool) -> tuple[str, str]:
    """The mark before a profile or relationship: ● the one shown, ○ the others."""
    return (f"{ON} ", "$accent") if on else (f"{OFF} ", "$text-muted")


class HomeScreen(StyledOnce, Screen[None]):
    KEYS_AREA = "home"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Not in the footer (no room at 80 columns): the hint under the stages names it when it applies.
        Binding("c", "continue", show=False),
        Binding("n", "new_profile"),
        Binding("a", "new_relationship"),
        Binding("d", "documents"),
        Binding("b", "brief", show=False),
        Binding("p", "prepare", show=False),  # no room in the footer at 80 columns: in the Keys panel and help
        Binding("f1", "help"),
        *(Binding(str(n), f"open_number({n})", show=False) for n in range(1, 10)),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: HomeView | None = None  # the service's, once loaded
        self.look: HomeLook | None = None  # what is drawn: the view's, or before it the last run's (coach.tui.paint)
        self.queued: Callable[[], object] | None = None  # a key pressed before the view came: run once it has
        self.offered_profile = False  # the first-run dialog opens by itself once, not after Esc
        self.told: set[str] = set()  # problems with the data (set aside, missing) already shown
        self.ui = texts_of(self)
        self.title = self.ui.t("home.title")
        self.sub_title = self.ui.t("home.sub_title")

    def compose(self) -> ComposeResult:
        t = self.ui.t
        yield CoachHeader()
        with Horizontal(id="home"):
            with Vertical(id="people"):
                yield Label(t("home.profiles"), classes="section-title", markup=False)
                yield OptionList(id="profiles")
                yield Label(t("home.relationships"), classes="section-title", markup=False)
                yield OptionList(id="relationships")
            with Vertical(id="overview"):
                yield Label(t("home.loading"), id="stages-title", classes="section-title", markup=False)
                yield StageTable(id="stages")
                yield Static("", id="continue-hint")
                with Horizontal(id="commitments-head"):
                    yield Label(t("home.commitments"), classes="section-title", markup=False)
                    yield Label("", id="commitments-count", classes="section-title muted", markup=False)
                yield Static("", id="commitments-hint")
                yield self.ui.localized(CommitmentList)(id="commitments")
        yield KeyFooter()

    def on_screen_resume(self) -> None:
        view = self.view
        if view is None:  # first time: draw the screen, then load (imports, flows, store) behind it
            paint = coach_app(self).paint
            painted = paint.read() if paint is not None and self.look is None else None
            if painted is not None:  # the last run's look, for the same data: the first frame shows it
                self.ui.days.update(painted.days)
                self.draw(painted.look)
                if not painted.look.profiles:  # a first run: its dialog over the first frame, then load behind it
                    self.call_after_refresh(self._welcome_then_load, painted.look)
                    return
            self.call_after_refresh(self.refresh_view)
            return
        self.refresh_view(view.profile.id if view.profile else None,
                          view.relationship.id if view.relationship else None)

    # --- loading and showing ----------------------------------------------------------------

    @work(exclusive=True, group="home")
    async def refresh_view(self, profile_id: str | None = None, relationship_id: str | None = None) -> None:
        app = coach_app(self)
        paint = app.paint
        try:
            service = await app.data.open()
            key = await app.data.call(paint.key) if paint is not None else None
            view = await app.data.call(service.home_view, profile_id, relationship_id, app.start_role)
        except Exception as error:  # the data folder cannot be used: say why and stop
            app.fail(str(error))
            return
        await self.show_view(view)
        look = self.look
        if paint is not None and look is not None and not view.problems and look.is_default(app.start_role):
            app.data.submit(paint.save, look, key, service.today(), self.ui.day)  # for the next launch's first frame
        app.set_timer(1.0, app.idle_gc.start)  # after the first frame, off the startup path
        queued, self.queued = self.queued, None
        if self.offer_first_profile(self.look):
            return
        if app.start_flow and view.relationship is not None:
            flow, app.start_flow = app.start_flow, None
            self.open_stage(flow)
        elif queued is not None:
            queued()

    def _welcome_then_load(self, look: HomeLook) -> None:
        self.offer_first_profile(look)
        self.call_after_refresh(self.refresh_view)

    def offer_first_profile(self, look: HomeLook | None) -> bool:
        """Open the first-run dialog if there is no profile yet (once: not again after Esc)."""
        if look is None or look.profiles or self.offered_profile:
            return False
        self.offered_profile = True
        self.action_new_profile(first_run=True)
        return True

    def later(self, action: Callable[[], object]) -> bool:
        """Whether the view is still loading: then `action` (a key pressed meanwhile, on what the
        first frame shows) is kept to run once it is shown."""
        if self.view is not None:
            return False
        self.queued = action
        return True

    async def show_view(self, view: HomeView) -> None:
        """Show the service's view (drawn again only where it differs from what is on screen)."""
        t = self.ui.t
        self.view = view
        for problem in view.problems:  # a damaged file costs only itself: say what was set aside, once
            if problem not in self.told:
                self.told.add(problem)
                self.notify(problem, title=t("common.could_not_read"), severity="warning", timeout=30, markup=False)
        look = HomeLook.of(view)
        if look != self.look:
            self.draw(look)

    def draw(self, look: HomeLook) -> None:
        t = self.ui.t
        self.look = look
        profiles = self.query_one("#profiles", OptionList)
        with profiles.prevent(OptionList.OptionHighlighted):
            profiles.set_options(
                Option(Content.assemble(chosen(p.id == look.profile), one_line(p.name, 22),
                                        (f" {t('roles.' + p.role)}", "$text-muted")), id=p.id)
                for p in look.profiles
            )
            if look.profile is not None:
                profiles.highlighted = profiles.get_option_index(look.profile)
        rels = self.query_one("#relationships", OptionList)
        with rels.prevent(OptionList.OptionHighlighted):
            rels.set_options(
                Option(Content.assemble(chosen(r.id == look.relationship), (f"{t('home.with')} ", "$text-muted"),
                                        one_line(r.other_name, 20)),
                       id=r.id)
                for r in look.relationships
            )
            if look.relationship is not None:
                rels.highlighted = rels.get_option_index(look.relationship)
        title = self.query_one("#stages-title", Label)
        other = look.other_name
        if other is not None:
            title.update(Content(t("home.stages_with", name=one_line(other, 40))))
        elif look.profile is not None:
            title.update(Content(t("home.no_relationship")))
        else:
            title.update(Content(t("home.no_profile")))
        self.query_one(StageTable).show(look.stages)
        hint = self.query_one("#continue-hint", Static)
        resumable = look.resumable
        if look.prepare is not None:  # a meeting is near: the check-in before it comes first
            near = t("home.prepare_hint", date=self.ui.day(look.prepare[1]))
            hint.update(Content.assemble(("p", "bold $accent"), f" {near}", ("  b", "bold $accent"),
                                         f" {t('home.brief_hint')}"))
        elif resumable is not None:
            line = (t("home.continue_hint_last", title=resumable.title, date=self.ui.day(resumable.last))
                    if resumable.last else t("home.continue_hint", title=resumable.title))
            hint.update(Content.assemble(("c", "bold $accent"), f" {line}"))
        elif look.stages:
            hint.update(Content.assemble(("Enter", "bold $accent"), f" {t('home.open_hint')}"))
        else:
            hint.update("")
        commitments = self.query_one(CommitmentList)
        same = [c.id for c in commitments.commitments] == [c.id for c in look.commitments]
        commitments.show(look.commitments, keep_page=same)
        if self.focused is None or (isinstance(self.focused, OptionList) and not look.relationships):
            self.query_one(StageTable).focus()

    @on(OptionList.OptionHighlighted, "#profiles")
    def _profile_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.view and self.view.profile and event.option.id != self.view.profile.id:
            self.refresh_view(event.option.id)

    @on(OptionList.OptionHighlighted, "#relationships")
    def _relationship_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        view = self.view
        if view and view.profile and (view.relationship is None or event.option.id != view.relationship.id):
            self.refresh_view(view.profile.id, event.option.id)

    @on(OptionList.OptionSelected, "#profiles, #relationships")
    def _picked(self) -> None:
        self.query_one(StageTable).focus()

    @on(CommitmentList.Paged)
    def _commitments_paged(self) -> None:
        commitments = self.query_one(CommitmentList)
        self.query_one("#commitments-count", Label).update(commitments.counted())
        self.query_one("#commitments-hint", Static).update(commitments.keys_hint())

    @on(CommitmentList.Close)
    def _close_commitment(self, event: CommitmentList.Close) -> None:
        if self.later(lambda: self._close_commitment(event)):
            return
        self.close_commitment(event.commitment.relationship_id, event.commitment.id, event.status)

    @work(group="commitments")
    async def close_commitment(self, relationship_id: str | None, commitment_id: str, status: str) -> None:
        """Mark a commitment done or dropped (on the data thread); it leaves the list once saved."""
        app, t = coach_app(self), self.ui.t
        closed = await service_call(self, t("home.could_not_close"), t("common.could_not_save"),
                                    app.data.service.close_commitment, relationship_id, commitment_id, status)
        if closed is None:
            return
        self.query_one(CommitmentList).remove_commitment(commitment_id)
        if self.view is not None:
            self.view = dataclasses.replace(self.view, commitments=[c for c in self.view.commitments
                                                                    if c.id != commitment_id])
        self.notify(t(f"home.closed_{status}", text=one_line(closed.text, 60)), markup=False)

    @on(DataTable.RowSelected, "#stages")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        flow_id = event.row_key.value
        if flow_id and not self.later(lambda: self.open_stage(flow_id)):
            self.open_stage(flow_id)

    # --- opening a stage ----------------------------------------------------------------------

    @work(exclusive=True, group="open")
    async def open_stage(self, flow_id: str) -> None:
        """Open the stage: resume it, start it, or (finished before) ask what to do first."""
        view = self.view
        if view is None or view.profile is None:
            self.notify(self.ui.t("home.profile_first"), markup=False)
            return
        if view.relationship is None:
            self.notify(self.ui.t("home.relationship_first"), markup=False)
            return
        status = next((s for s in view.stages if s.flow_id == flow_id), None)
        from coach.tui.screens import opening  # the chat and the engine load with the first stage opened

        finished = status is not None and status.state == "done" and status.done_id is not None
        if finished and status and not await opening.start_again(self, status, view.relationship):
            return
        await opening.open_chat(self, view.profile, view.relationship, flow_id, view.stages)

    def stage_at(self, n: int) -> StageStatus | None:
        stages = self.view.stages if self.view else []
        return stages[n - 1] if 1 <= n <= len(stages) else None

    def action_open_number(self, n: int) -> None:
        if self.later(lambda: self.action_open_number(n)):
            return
        stage = self.stage_at(n)
        if stage is not None:
            self.open_stage(stage.flow_id)

    def action_prepare(self) -> None:
        if self.later(self.action_prepare):
            return
        offer = self.view.prepare if self.view else None
        if offer is None:
            self.notify(self.ui.t("home.no_meeting_near"), markup=False)
            return
        self.open_stage(offer[0])

    def action_continue(self) -> None:
        if self.later(self.action_continue):
            return
        stage = self.view.resumable if self.view else None
        if stage is None:
            self.notify(self.ui.t("home.nothing_in_progress"), markup=False)
            return
        self.open_stage(stage.flow_id)

    # --- documents -------------------------------------------------------------------------------

    def chosen_relationship(self) -> Relationship | None:
        """The relationship shown; None (and the user told what to add first) if there is none yet."""
        view = self.view
        if view is None or view.relationship is None:
            self.notify(self.ui.t("home.relationship_first" if view and view.profile else "home.profile_first"),
                        markup=False)
            return None
        return view.relationship

    def action_documents(self) -> None:
        if self.later(self.action_documents):
            return
        if (relationship := self.chosen_relationship()) is not None:
            self.show_documents(relationship)

    def action_brief(self) -> None:
        if self.later(self.action_brief):
            return
        if (relationship := self.chosen_relationship()) is not None:
            self.show_brief(relationship)

    @work(exclusive=True, group="open")
    async def show_brief(self, relationship: Relationship) -> None:
        from coach.tui.screens import opening

        await opening.show_brief(self, relationship)

    @work(exclusive=True, group="open")
    async def show_documents(self, relationship: Relationship) -> None:
        from coach.tui.screens import opening

        await opening.show_documents(self, relationship)

    # --- creating profiles and relationships --------------------------------------------------

    def action_new_profile(self, first_run: bool = False) -> None:
        from coach.tui.screens.forms import NewProfileScreen  # the forms load when first opened

        self.offered_profile = True  # (one open: not a second one when the view comes)
        role = coach_app(self).start_role or "mentee"
        welcome = first_run or (self.view is not None and not self.view.profiles)
        self.app.push_screen(self.ui.localized(NewProfileScreen)(role=role, first_run=welcome), self._profile_made)

    def _profile_made(self, form: ProfileForm | None) -> None:
        if form is not None:
            self.create_profile(form)

    @work(group="create")
    async def create_profile(self, form: ProfileForm) -> None:
        app = coach_app(self)
        try:
            service = await app.data.open()  # the first-run dialog may be answered before it is loaded
            profile = await app.data.call(service.add_profile, form.name, form.role)
            rel = await app.data.call(service.add_relationship, profile, form.other_name)
        except Exception as error:
            self.notify(str(error), title=self.ui.t("common.could_not_save"), severity="error", markup=False)
            return
        self.refresh_view(profile.id, rel.id)

    def action_new_relationship(self) -> None:
        if self.later(self.action_new_relationship):
            return
        view = self.view
        if view is None or view.profile is None:
            self.action_new_profile()
            return
        from coach.tui.screens.forms import NewRelationshipScreen

        self.app.push_screen(self.ui.localized(NewRelationshipScreen)(view.profile.name), self._relationship_made)

    def _relationship_made(self, other_name: str | None) -> None:
        if other_name is not None:
            self.create_relationship(other_name)

    @work(group="create")
    async def create_relationship(self, other_name: str) -> None:
        view = self.view
        if view is None or view.profile is None:
            return
        app = coach_app(self)
        try:
            rel = await app.data.call(app.data.service.add_relationship, view.profile, other_name)
        except Exception as error:
            self.notify(str(error), title=self.ui.t("common.could_not_save"), severity="error", markup=False)
            return
        self.refresh_view(view.profile.id, rel.id)

    def action_help(self) -> None:
        coach_app(self).action_keys()

    def palette_commands(self) -> Iterator[SystemCommand]:
        t = self.ui.t
        for name, action in (("continue", self.action_continue), ("new_profile", self.action_new_profile),
                             ("new_relationship", self.action_new_relationship),
                             ("documents", self.action_documents)):
            yield SystemCommand(t(f"palette.home.{name}"), t(f"palette.home.{name}_help"), action)
        for stage in self.view.stages if self.view else []:
            state = t(f"stage_states.{stage.state.replace(' ', '_')}")
            yield SystemCommand(
                t("palette.home.open_stage", title=stage.title), t("palette.home.open_stage_help", state=state),
                lambda flow=stage.flow_id: self.open_stage(flow),
            )
