"""Which stage has which joint document: the builders, and the text key of each one's name.

A builder takes a `coach.app.partnership.Pair` (both sides' shared stages and the people) and
returns the document; its texts live in its own `prompts/<locale>/<namespace>.yaml`.
"""

from __future__ import annotations

from coach.app import partnership
from coach.app.joint_agreement import agreement
from coach.app.joint_feedback import two_way_feedback
from coach.app.joint_gratitude import thank_you_exchange
from coach.app.joint_moving_on import joint_decision
from coach.app.partnership import JointBuilder, Pair, Texts
from coach.models import Artifact

DOCUMENTS: dict[str, JointBuilder] = {
    **partnership.JOINT_DOCUMENTS,
    "commitment": agreement,
    "feedback": two_way_feedback,
    "gratitude": thank_you_exchange,
    "moving_on": joint_decision,
}
TITLES: dict[str, str] = {  # stage -> the full text key of its joint document's name
    **{stage: f"partnership.{key}" for stage, key in partnership.JOINT_TITLES.items()},
    "commitment": "joint_agreement.name",
    "feedback": "joint_feedback.name",
    "gratitude": "joint_gratitude.name",
    "moving_on": "joint_moving_on.name",
}


def build(pair: Pair, stage: str) -> Artifact | None:
    """The joint document of `stage` from both sides' shared stages, if the stage has one."""
    builder = DOCUMENTS.get(stage)
    return builder(pair) if builder is not None else None


def title(texts: Texts, stage: str) -> str:
    namespace, _, key = TITLES[stage].partition(".")
    return texts.under(namespace).say(key)
