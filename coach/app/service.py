"""The application service: every use case of coach, for every client.

The TUI, `coach chat --plain`, `coach run`, `coach demo` and `coach serve` all call this and hold
no use-case logic of their own: profiles and relationships, where each stage stands, opening a
stage (resuming the unfinished one of the same side, or starting one with the review of open
commitments), answering (each input stored before the reply is shown; two windows on one
conversation share one history), documents and exports.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from coach.app import exchange, packets
from coach.app.documents import (
    ChatExports,
    Written,
    all_relationships,
    choose_relationship,
    export_files,
    export_groups,
)
from coach.app.errors import AppError, MissingConversation
from coach.app.packets import Merged, Shared, SharePreview
from coach.app.partnership import Texts
from coach.app.ports import Repository
from coach.app.recall import remembered
from coach.app.room import RoomEvent, kind_of
from coach.app.views import Chat, HomeView, StageState, StageStatus
from coach.content.library import FlowLibrary
from coach.content.messages import message, set_language
from coach.content.schema import Flow
from coach.engine.conversation import Conversation, Engine, EngineError, Exchange
from coach.engine.turns import BotTurn
from coach.export import ExportFile, Format
from coach.models import (
    STAGES,
    Artifact,
    Commitment,
    CommitmentStatus,
    ConversationStatus,
    DataError,
    LogConflict,
    PartnerStage,
    Profile,
    Relationship,
    Role,
    SessionSummary,
    utcnow,
)

RETRIES = 3  # times an answer is tried again on a history another window moved on


def system_timezone() -> str:
    """The IANA name of this computer's time zone (UTC if it cannot be told)."""
    try:
        from tzlocal import get_localzone_name

        return get_localzone_name() or "UTC"
    except Exception:  # an unusual system setting must not stop anyone creating a profile
        return "UTC"


def _local_date(moment: datetime) -> date:
    return moment.astimezone().date() if moment.tzinfo else moment.date()


@dataclass
class CoachService:
    library: FlowLibrary
    repo: Repository
    today: Callable[[], date] = date.today
    now: Callable[[], datetime] = utcnow
    new_id: Callable[[], str] | None = None
    locale: str = "en"  # the language of new conversations and of the texts the app words itself
    locale_chosen: bool = False  # asked for by name (--lang): remembered on the profiles used, else theirs wins
    observer: Callable[[RoomEvent], None] | None = None  # told where each input lands (no content): the room view
    engine: Engine = field(init=False)

    def __post_init__(self) -> None:
        self.engine = Engine(self.library, today=self.today, now=self.now)
        self.library = self.library.localized(self.locale)  # flow titles and labels in the user's language
        set_language(self.locale)  # the one-line errors and notices (coach.content.messages)

    def close(self) -> None:
        self.repo.close()

    # --- people -------------------------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        return self.repo.list_profiles()

    def add_profile(self, name: str, role: Role | str, timezone: str | None = None) -> Profile:
        """A new profile; its time zone (for calendar files) is the system's unless given."""
        if not name.strip():
            raise AppError(message("errors.app.profile_needs_name"))
        zone = timezone or system_timezone()
        return self.repo.save_profile(Profile(name=name.strip(), role=Role(role), timezone=zone, locale=self.locale))

    def speak(self, profile: Profile | None) -> str:
        """The language for `profile` from now on: the one asked for by name (which the profile then
        remembers), else the one the profile remembers, else the service's. The service's own texts
        follow it."""
        if profile is None:
            return self.locale
        if self.locale_chosen:
            if profile.locale != self.locale:
                self.repo.save_profile(profile.model_copy(update={"locale": self.locale}))
            return self.locale
        remembered = profile.locale
        if remembered and remembered != self.locale and remembered in self.library.prompts.locales():
            self.locale = remembered
            self.library = self.engine.library.localized(remembered)
        set_language(self.locale)
        return self.locale

    def relationships(self, profile_id: str) -> list[Relationship]:
        return self.repo.list_relationships(profile_id)

    def add_relationship(self, profile: Profile, other_name: str) -> Relationship:
        other = other_name.strip()
        if not other:
            raise AppError(message("errors.app.relationship_needs_name"))
        mentee, mentor = (profile.name, other) if profile.role == Role.mentee else (other, profile.name)
        return self.repo.save_relationship(
            Relationship(profile_id=profile.id, other_name=other, mentee_name=mentee, mentor_name=mentor))

    @staticmethod
    def context(profile: Profile, relationship: Relationship) -> dict[str, str]:
        """The names the stage texts use ($name, $other_name, $mentee_name, $mentor_name)."""
        return {"name": profile.name, "other_name": relationship.other_name,
                "mentee_name": relationship.mentee_name, "mentor_name": relationship.mentor_name}

    # --- stages -------------------------------------------------------------------------------

    def stages(self, role: Role | str | None = None) -> list[Flow]:
        """The stage flows installed, in the order of the six stages (others after, by id)."""
        order = {s: i for i, s in enumerate(STAGES)}
        flows = [f for f in self.library.stages()
                 if f.offer == "stage" and (role is None or Role(role).value in f.roles)]
        return sorted(flows, key=lambda f: (order.get(f.stage, len(order)), f.id))

    def require_stage(self, flow_id: str) -> Flow:
        if flow_id not in self.library.flows:
            raise AppError(self.library.unknown(flow_id))
        return self.library.flow(flow_id)

    def stage_statuses(self, relationship_id: str) -> list[StageStatus]:
        summaries = self.repo.summaries(relationship_id)
        out = []
        for flow in self.stages():
            mine = [s for s in summaries if s.flow_id == flow.id]
            unfinished = [s for s in mine if s.status != ConversationStatus.done]
            state: StageState = "in progress" if unfinished else "done" if mine else "not started"
            touched = {s.id: self.repo.last_activity(s.id) or s.started_at for s in unfinished or mine[-1:]}
            last = max(touched.values(), default=None)
            resume = max(unfinished, key=lambda s: touched[s.id]).id if unfinished else None
            done = [s.id for s in mine if s.status == ConversationStatus.done]
            out.append(StageStatus(flow.id, flow.title, state, _local_date(last) if last else None, resume,
                                   done[-1] if done else None))
        return out

    def open_commitments(self, relationship_id: str | None) -> list[Commitment]:
        return self.repo.list_open_commitments(relationship_id)

    def close_commitment(self, relationship_id: str | None, commitment_id: str,
                         status: CommitmentStatus | str = CommitmentStatus.done) -> Commitment:
        """Mark an open commitment done (or dropped) from outside a conversation, e.g. from the home
        screen's list; AppError if the relationship has no such commitment or `status` is not a closing one."""
        closing = CommitmentStatus(status)
        if closing not in (CommitmentStatus.done, CommitmentStatus.dropped):
            raise AppError(message("errors.app.not_a_closing_status", status=closing.value))
        try:
            return self.repo.update_commitment(commitment_id, closing, relationship_id=relationship_id)
        except KeyError:
            raise AppError(message("errors.app.no_commitment", id=repr(commitment_id))) from None

    def home_view(self, profile_id: str | None = None, relationship_id: str | None = None,
                  role: Role | str | None = None) -> HomeView:
        """The profiles, and for the chosen profile (default: the first, of `role` if given) and
        relationship (default: its newest), the stages and open commitments."""
        profiles = self.profiles()
        profile = next((p for p in profiles if p.id == profile_id), None)
        if profile is None and role is not None:
            profile = next((p for p in profiles if p.role == Role(role)), None)
        if profile is None and profiles:
            profile = profiles[0]
        self.speak(profile)
        relationships = self.relationships(profile.id) if profile else []
        relationship = next((r for r in relationships if r.id == relationship_id), None)
        if relationship is None and relationships:
            relationship = relationships[-1]
        stages: list[StageStatus] = []
        commitments: list[Commitment] = []
        problems: list[str] = []
        if relationship is not None:
            try:  # a damaged relationship file costs that relationship only, not the whole app
                self.repo.finish_pending(relationship.id)
                stages = self.stage_statuses(relationship.id)
                commitments = self.open_commitments(relationship.id)
                problems = [_sentence(p) for p in self.repo.problems(relationship.id).values()]
            except DataError as error:
                problems = [str(error)]
        prepare = self._prepare_offer(relationship, profile) if relationship is not None and profile else None
        return HomeView(profiles, profile, relationships, relationship, stages, commitments, problems, prepare)

    def _prepare_offer(self, relationship: Relationship, profile: Profile) -> tuple[str, date] | None:
        """The check-in to offer before a meeting (a flow with `offer: before_meeting`) and the
        meeting's date, when one on the agreed rhythm is due within PREPARE_DAYS; else None.
        (For the home view, which has finished what a crash left pending already.)"""
        flows = [f for f in self.library.stages() if f.offer == "before_meeting" and profile.role.value in f.roles]
        if not flows:
            return None
        from coach.app.brief import known

        try:
            documents = self.repo.list_recent_artifacts(relationship.id)
            meeting = known(self, relationship, self.today(), documents).next_meeting  # the other's rhythm counts too
        except DataError:
            return None
        if meeting is None or not 0 <= (meeting - self.today()).days <= PREPARE_DAYS:
            return None
        return flows[0].id, meeting

    # --- opening a stage ------------------------------------------------------------------------

    def last_activity(self, summary: SessionSummary) -> datetime:
        """When a conversation last changed."""
        return self.repo.last_activity(summary.id) or summary.started_at

    def unfinished(self, relationship_id: str | None, flow_id: str, role: Role | str,
                   skip: Collection[str] = ()) -> SessionSummary | None:
        """The most recently touched unfinished conversation of `flow_id` on this side, if any
        (leaving out those in `skip`: set aside or missing their files)."""
        mine = [s for s in self.repo.summaries(relationship_id)
                if s.flow_id == flow_id and s.role == Role(role) and s.status != ConversationStatus.done
                and s.id not in skip]
        return max(mine, key=self.last_activity, default=None)

    def problems(self, relationship_id: str | None) -> dict[str, str]:
        """By id, the conversations of a relationship that were set aside or are missing their files."""
        return self.repo.problems(relationship_id)

    def open_stage(self, profile: Profile, relationship: Relationship, flow_id: str, *,
                   resume: bool = True) -> Chat:
        """Continue the unfinished conversation of this stage (on this person's side), or start
        one, which first reviews the relationship's open commitments."""
        self.require_stage(flow_id)
        self.repo.finish_pending(relationship.id)
        problems = self.repo.problems(relationship.id)
        saved = self.unfinished(relationship.id, flow_id, profile.role, problems) if resume else None
        note = self._latest_problem(relationship.id, flow_id, profile.role, problems) if resume else None
        if saved is not None:
            try:
                return self.resume(saved.id)
            except MissingConversation:  # its file went away since the problems were read
                note = self.repo.problems(relationship.id).get(saved.id)
            except DataError as error:
                where = self.repo.set_aside(saved.id, error)
                if where is None:
                    raise
                reason = getattr(error, "reason", str(error))
                note = message("errors.app.session_set_aside", reason=reason, folder=where)
            except AppError as error:
                chat = self.start(flow_id, profile.role, relationship=relationship, profile=profile)
                chat.note = message("errors.app.session_not_continued", reason=error)
                return chat
        done_before = any(s.flow_id == flow_id and s.status == ConversationStatus.done
                          for s in self.repo.summaries(relationship.id))
        chat = self.start(flow_id, profile.role, relationship=relationship, profile=profile)
        chat.again = done_before
        if note:
            chat.note = message("errors.app.new_conversation", note=_sentence(note))
        return chat

    def _latest_problem(self, relationship_id: str, flow_id: str, role: Role | str,
                        problems: dict[str, str]) -> str | None:
        """What to tell on opening a stage whose latest conversation (on this side) is set aside
        or missing its file: it is not continued, and that is said, never silently."""
        mine = [s for s in self.repo.summaries(relationship_id) if s.flow_id == flow_id and s.role == Role(role)]
        latest = max(mine, key=lambda s: s.started_at, default=None)
        if latest is None or latest.status == ConversationStatus.done:
            return None
        return problems.get(latest.id)

    def start(self, flow_id: str, role: Role | str, *, relationship: Relationship | None = None,
              profile: Profile | None = None, context: dict[str, str] | None = None,
              conversation_id: str | None = None) -> Chat:
        """A new conversation of `flow_id` (with a relationship: its open commitments reviewed first),
        in the language of `profile` (see `speak`)."""
        self.speak(profile)
        flow = self.require_stage(flow_id)
        names = self.context(profile, relationship) if profile and relationship else {}
        try:
            header = self.engine.header(
                flow_id, role, relationship_id=relationship.id if relationship else None,
                context={**names, **(context or {})},
                conversation_id=conversation_id or (self.new_id() if self.new_id else None),
                review=to_review(self.open_commitments(relationship.id), self.today()) if relationship else [],
                timezone=profile.timezone if profile else None, locale=self.locale,
                memory=remembered(self.recent_documents(relationship.id), self.today()) if relationship else {},
            )
        except EngineError as error:
            raise AppError(str(error)) from None
        self.repo.create_conversation(header)
        if self.observer is not None:
            self.observer(RoomEvent(flow_id, None, "start"))
        conv = Conversation(self.engine, header, [])
        return Chat(conv, flow.title, resumed=False, opening=conv.start())

    def resume(self, conversation_id: str) -> Chat:
        """A stored conversation, replayed to where it was (into the flow as it is now)."""
        conv = self._load(conversation_id)
        opening = conv.current()
        return Chat(conv, self.library.flow(conv.header.flow_id).title, resumed=True, opening=opening)

    def _load(self, conversation_id: str) -> Conversation:
        loaded = self.repo.load_conversation(conversation_id)
        if loaded is None:
            raise MissingConversation(message("errors.app.no_conversation", id=repr(conversation_id)))
        try:
            conv = self.engine.open(*loaded)
        except (EngineError, KeyError) as error:
            raise AppError(str(error).strip("'\"")) from None
        for entry in conv.pending:  # the move onto an edited flow, made on opening
            self.repo.append_entry(conv.id, entry)
        conv.pending.clear()
        return conv

    # --- talking ---------------------------------------------------------------------------------

    def answer(self, chat: Chat, text: str) -> BotTurn:
        """What the user typed (an answer or a /command): stored before the reply is returned.

        If another window added to the same conversation meanwhile, the answer goes into that
        shared history when the same question is still open there; otherwise the user is told
        and shown where the conversation is now. Nothing acknowledged is ever overwritten."""
        step, gave_up = chat.conversation.step, self._given_up(chat)
        turn = self._answer(chat, text)
        if self.observer is not None:
            stage = chat.conversation.header.flow_id
            self.observer(RoomEvent(stage, step, kind_of(text)))
            if self._given_up(chat) > gave_up:
                self.observer(RoomEvent(stage, step, "give_up"))
            if turn.done:
                self.observer(RoomEvent(stage, None, "done"))
        return turn

    @staticmethod
    def _given_up(chat: Chat) -> int:
        return sum(1 for a in chat.conversation.answers.values() if a.gave_up)

    def _answer(self, chat: Chat, text: str) -> BotTurn:
        for _ in range(RETRIES):
            conv = chat.conversation
            turn = conv.reply(text, at=self.now(), today=self.today())
            if turn.entry is None:
                return turn
            try:
                self.repo.append_entry(conv.id, turn.entry, done=turn.done)
            except LogConflict:
                answered = turn.entry.prompt
                self._reload(chat)
                if chat.conversation.prompt_tag() == answered:
                    continue
                break
            except BaseException:
                conv.discard_last()
                raise
            if turn.done and chat.relationship_id is not None:
                self._rejoin(chat)
            return turn
        return self._moved_on(chat)

    def _rejoin(self, chat: Chat) -> None:
        """A stage finished: the joint document with the other person's side, rebuilt from this
        side's new conversation (when the other person's packet of the stage is already here)."""
        rel = self.repo.get_relationship(chat.relationship_id) if chat.relationship_id else None
        profile = next((p for p in self.profiles() if rel is not None and p.id == rel.profile_id), None)
        if rel is not None and profile is not None:
            exchange.refresh(self, Texts(self.library.prompts), profile, rel,
                             self.library.flow(chat.conversation.header.flow_id))

    def _reload(self, chat: Chat) -> None:
        fresh = self._load(chat.conversation.id)
        chat.conversation.close()
        chat.conversation = fresh

    def _moved_on(self, chat: Chat) -> BotTurn:
        turn = chat.conversation.current()
        note = chat.conversation.note("common.moved_on_elsewhere")
        return turn.model_copy(update={"messages": [note, *turn.messages]})

    def pause(self, chat: Chat) -> BotTurn:
        return chat.conversation.pause()

    def current(self, chat: Chat) -> BotTurn:
        return chat.conversation.current()

    def transcript(self, chat: Chat) -> list[Exchange]:
        """The whole conversation as it stands, from its beginning (also after a resume)."""
        return chat.conversation.transcript()

    def leave(self, chat: Chat) -> None:
        """The client is done with this conversation (it stays stored as it is)."""
        chat.conversation.close()

    # --- documents -------------------------------------------------------------------------------

    def documents(self, relationship_id: str | None) -> list[Artifact]:
        self.repo.finish_pending(relationship_id)
        return self.repo.list_artifacts(relationship_id)

    def recent_documents(self, relationship_id: str | None) -> list[Artifact]:
        """The documents of the unfinished stages, of the newest finished run of each stage and side,
        and the joint ones (not older runs): what remembering and sharing need, at a cost that does
        not grow with the history."""
        self.repo.finish_pending(relationship_id)
        return self.repo.list_recent_artifacts(relationship_id)

    def chat_documents(self, chat: Chat) -> list[Artifact]:
        """What this conversation produced (after its stage ended)."""
        return [a for a in self.recent_documents(chat.relationship_id) if a.session_id == chat.conversation.id]

    def exports(self, folder: Path, on_written: Written | None = None) -> ChatExports:
        return ChatExports(folder, self.today, on_written, Texts(self.library.prompts, self.locale, "export"))

    def export(self, fmt: Format, relationship: str | None = None,
               skipped: Callable[[Artifact, Exception], None] | None = None, *,
               history: bool = False) -> tuple[int, list[ExportFile]]:
        """What `coach export` writes: the files of every relationship's current documents (or of
        the one `relationship` names; with `history`, earlier runs of the stages too), one folder
        each, and how many documents there were."""
        texts = Texts(self.library.prompts, self.locale, "export")
        groups = export_groups(self.repo, relationship, texts, history=history)
        return sum(len(g.artifacts) for g in groups), export_files(groups, fmt, skipped=skipped, texts=texts)

    def brief(self, relationship: str | None = None) -> str:
        """The brief before the next meeting (see coach.app.brief) as Markdown, for the relationship
        `relationship` names (default: the newest of the first profile); AppError with one line when
        there is no relationship yet or none by that name."""
        from coach.app import brief

        texts = Texts(self.library.prompts, self.locale, "export")
        relationships = all_relationships(self.repo)
        if relationship is not None:
            rel = choose_relationship(relationships, relationship, texts)
        elif relationships:
            first = self.profiles()[0]
            rel = next((r for r in reversed(relationships) if r.profile_id == first.id), relationships[-1])
        else:
            raise AppError(message("errors.app.no_relationship_yet"))
        profile = next((p for p in self.profiles() if p.id == rel.profile_id), None)
        self.speak(profile)
        texts = Texts(self.library.prompts, self.locale, "export")
        gathered = brief.gather(self, rel, profile.role if profile else Role.mentee)
        stage = gathered.suggestion.stage
        title = self.library.flow(stage).title if stage in self.library.flows else stage
        return brief.markdown(gathered, texts, title)

    # --- two people, one partnership: coach share / coach merge (see coach.app.packets) -------------

    def share_preview(self, stage: str, relationship: str | None = None) -> SharePreview:
        """What sharing `stage` would show the other person: numbered items, nothing written yet."""
        return packets.preview(self, stage, relationship)

    def sign_preview(self, stage: str, relationship: str | None = None) -> SharePreview:
        """`coach sign`: the share of a signed stage (commitment) with the agreed text to sign
        (`preview.sign_text`); share it to sign it and write the packet with the signature."""
        return packets.sign_preview(self, stage, relationship)

    def share_drop(self, preview: SharePreview, typed: str) -> set[int]:
        """The item numbers typed to leave out of `preview` (AppError if they are not its numbers)."""
        return packets.parse_drop(self, typed, len(preview.items))

    def share(self, preview: SharePreview, drop: set[int] | None = None, out: Path | None = None, *,
              force: bool = False) -> Shared:
        """Write the packet of `preview` without the items in `drop` (0600; never over a file
        already there unless `force`)."""
        return packets.write(self, preview, drop or set(), out, force=force)

    def packet_file(self, preview: SharePreview, drop: set[int] | None = None) -> tuple[str, bytes, str]:
        """The packet of `preview` as a file's name and bytes (for a download), and the message."""
        return packets.packet_file(self, preview, drop or set())

    def merge_bytes(self, raw: bytes, name: str, relationship: str | None = None) -> Merged:
        """`merge` of an uploaded packet's bytes; `name` (the file's name) is used in messages."""
        return packets.merge_bytes(self, raw, name, relationship)

    def merge(self, path: Path, relationship: str | None = None) -> Merged:
        """Check the other person's packet at `path`, attach it to its relationship and build the
        joint documents; AppError (one line) and nothing stored if anything is wrong."""
        return packets.merge(self, path, relationship)

    def partner_stages(self, relationship_id: str) -> list[PartnerStage]:
        """What the other person of a relationship shared, one record per stage."""
        return self.repo.list_partner_stages(relationship_id)


PREPARE_DAYS = 3  # a meeting this close (or today) brings the check-in before it onto the home screen
REVIEW_MAX = 5  # a stage opens with a short check-in, not a roll call of every promise ever made


def to_review(commitments: list[Commitment], today: date) -> list[Commitment]:
    """The open commitments a new stage asks about, at most REVIEW_MAX: the overdue ones (longest
    overdue first), then those due soonest, then the newest without a date. The others stay open,
    on the home screen, where they can be closed."""
    def order(c: Commitment) -> tuple[int, int, float]:
        if c.due is not None:
            return (0 if c.due < today else 1, c.due.toordinal(), 0.0)
        return (2, 0, -c.created_at.timestamp())
    return sorted(commitments, key=order)[:REVIEW_MAX]


def _sentence(text: str) -> str:
    """A one-line message as a sentence: capitalised, with a full stop."""
    text = text.strip()
    return f"{text[:1].upper()}{text[1:]}{'' if text.endswith('.') else '.'}"
