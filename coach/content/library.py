"""Where flows and prompts live, and the loaded set of both."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from coach.content.loader import FlowLoadError, LoadedFlow, load_flow_file
from coach.content.localize import localize
from coach.content.prompts import FALLBACK_LOCALE, PromptCatalog
from coach.content.schema import Flow
from coach.content.yamlsource import SourceError
from coach.places import data_root

__all__ = ["FlowLibrary", "data_root", "display_path", "real_path"]


def real_path(path: Path) -> Path:
    """`path.resolve()`, or the absolute path where that fails (a symlink loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working folder when it is inside it, else
    its absolute path. One file always gets one name, however it was reached (`../x/flows`,
    a symlink, an absolute path), so that what is linted and what is reported always match."""
    full = real_path(path)
    try:
        return str(full.relative_to(real_path(Path.cwd())))
    except (ValueError, OSError):
        return str(full)


@dataclass
class FlowLibrary:
    flows: dict[str, LoadedFlow] = field(default_factory=dict)
    prompts: PromptCatalog = field(default_factory=PromptCatalog)
    errors: list[SourceError] = field(default_factory=list)
    locale: str = FALLBACK_LOCALE  # the language its flows' own texts are in (see `localized`)
    _source: FlowLibrary | None = field(default=None, repr=False, compare=False)
    _views: dict[str, FlowLibrary] = field(default_factory=dict, repr=False, compare=False)

    def localized(self, locale: str) -> FlowLibrary:
        """The same flows with their titles, labels and choice words in `locale` (where it translates
        them; see coach.content.localize), the same prompts and hashes. Made once per locale."""
        source = self._source or self
        if locale == source.locale:
            return source
        view = source._views.get(locale)
        if view is None or view.flows.keys() != source.flows.keys():
            flows = {fid: replace(lf, flow=localize(lf.flow, source.prompts, locale))
                     for fid, lf in source.flows.items()}
            view = source._views[locale] = FlowLibrary(flows, source.prompts, source.errors, locale, source)
        return view

    @classmethod
    def load(cls, flow_dirs: list[Path] | None = None, prompt_dirs: list[Path] | None = None) -> FlowLibrary:
        """Load the shipped flows/prompts plus any extra folders (later folders override by flow id).

        An extra flows folder may hold a sibling `prompts/` folder (or `prompts/` inside it),
        which is loaded too."""
        extra = list(flow_dirs or [])
        fdirs = [data_root("flows"), *extra]
        pdirs = [data_root("prompts"), *(prompt_dirs or [])]
        for d in extra:
            for cand in (d / "prompts", d.parent / "prompts"):
                if cand.is_dir() and real_path(cand) not in {real_path(p) for p in pdirs}:
                    pdirs.append(cand)
        lib = cls(prompts=PromptCatalog.load(pdirs))
        lib.errors.extend(lib.prompts.errors)
        for d in fdirs:
            files = [d] if d.is_file() else sorted(d.glob("*.yaml")) if d.is_dir() else []
            for f in files:
                lib.add_file(f)
        return lib

    def add_file(self, path: Path) -> LoadedFlow | None:
        try:
            loaded = load_flow_file(path, display_path(path))
        except FlowLoadError as e:
            self.errors.extend(e.errors)
            return None
        self.flows[loaded.flow.id] = loaded
        self._views.clear()
        return loaded

    def flow(self, flow_id: str) -> Flow:
        return self.flows[flow_id].flow

    def hash(self, flow_id: str) -> str:
        return self.flows[flow_id].hash

    def stages(self) -> list[Flow]:
        return [lf.flow for lf in self.flows.values() if not lf.flow.subflow]

    def unknown(self, flow_id: str) -> str:
        """The one line that says `flow_id` is not installed, and which are."""
        known = ", ".join(sorted(f.id for f in self.stages())) or "none"
        return f"unknown flow {flow_id!r}; known flows: {known}"
