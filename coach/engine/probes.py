"""Spotting answers worth one more question: too few words, an answer that says little concrete, or a
goal or commitment with no number and no date.

All the English word lists are the constants at the top of this module (a later change moves them into
per-locale data files); the functions below only combine them. Everything here is a pure function of the
text: no state, no I/O, regular expressions compiled once at import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from coach.content.schema import ProbeSpec

# --- word lists (English) ---------------------------------------------------------------------------
# Phrases are matched whole-word and case-insensitively; a space inside a phrase matches any run of spaces.

# Words that stand in for content the answer does not give.
PLACEHOLDERS = (
    "stuff", "things", "thing", "something", "somethin", "somthing", "sth", "somehow", "whatever", "etc",
    "and so on", "and all that", "blah", "whatnot", "this and that", "everything", "all of it", "lots", "loads",
    "a lot", "the usual", "in general", "generally", "overall", "in most areas", "most of", "some of it", "people",
    "someone", "somebody", "anyone", "anybody", "everyone", "advice", "version of myself", "version of me",
    "the best i can",
)
# Saying that the answer is not known (yet).
DONT_KNOW = (
    "idk", "idek", "dunno", "don't know", "dont know", "do not know", "not sure", "unsure", "no idea", "no clue",
    "who knows", "hard to say", "hard to tell", "can't say", "cant say", "can't remember", "cant remember",
    "haven't really said", "hasn't really said", "n/a", "we'll see", "well see", "hard to pick", "nothing",
    "nothing much", "nothing really", "not much", "not really",
)
# Softening words that leave the answer uncommitted.
HEDGES = (
    "maybe", "mabye", "maybee", "perhaps", "probably", "prolly", "probs", "possibly", "i guess", "i suppose",
    "i think", "hopefully", "kind of", "kinda", "sort of", "sorta", "or something", "somewhat", "try to",
    "tried to", "trying to", "do my best", "look into", "looking into", "look at", "think about", "thinking about",
    "figure out", "figure it out", "sort out", "sort it out", "explore", "consider", "reflect on", "ask around",
    "wing it", "some research", "some reading", "some thinking", "mostly", "mainly",
)
# A time that is no time.
TIME_HEDGES = (
    "sometime", "some time", "someday", "some day", "at some point", "eventually", "soon", "one day", "later",
    "whenever", "sometimes", "occasionally", "at times", "from time to time", "asap", "no rush", "when i can",
    "when i remember", "get round to it", "get around to it", "in the future", "a while ago", "recently", "lately",
    "here and there", "now and then", "a few times", "a couple of times", "when the time is right",
    "when the time comes", "when i'm ready", "when it makes sense",
)
# Change with nothing to say at what or how much ("better", "more", "improve ...").
GENERIC_CHANGE = (
    "better", "more", "less", "improve", "improved", "improving", "improvement", "grow", "growing", "grown",
    "growth", "develop", "developing", "development", "progress", "stronger", "harder", "level up", "work on",
    "working on", "keep going", "keep working", "get further", "further", "same", "different", "differently",
    "easier", "keep practicing", "keep practising", "keep trying", "keep at it", "keep it up", "carry on",
    "affected", "affect", "affects", "impacted", "changed", "change", "help", "help out",
)
# Stock phrases that sound like an answer and name nothing one could do or see.
CLICHES = (
    "comfort zone", "a long way", "trust the process", "step up", "next level", "work smarter", "extra mile",
    "find my feet", "find my voice", "find my way", "get my act together", "on the right track",
    "make a difference", "add value", "make an impact", "stay positive", "be myself", "be yourself",
    "stay motivated", "chill out", "take it easy", "up and down", "ups and downs", "hit the ground running",
    "big picture", "bigger picture", "outside the box", "soft skills", "people skills", "work life balance",
    "work-life balance", "growth mindset", "best practices", "best practice", "give back", "pay it forward",
    "go with the flow", "fake it till i make it", "one step at a time", "day by day", "as we go",
)
# Verbs that make the answer about being a kind of person ("be reliable", "become more strategic"): with no
# action and no date, a trait to have rather than something to do.
TRAIT_VERBS = ("be", "being", "become", "becoming", "stay", "staying", "feel", "feeling", "seem", "get more")
# Asks of a mentor that name no behaviour ("keep pushing me", "support me"); counted as changes.
GENERIC_ASKS = (
    "push me", "pushing me", "challenge me", "challenging me", "motivate me", "motivating me", "support me",
    "supporting me", "encourage me", "encouraging me", "guide me", "guiding me", "be there", "be there for me",
)
# Verdicts and feelings that describe nothing observable.
VERDICTS = (
    "good", "great", "fine", "ok", "okay", "well", "nice", "bad", "awesome", "amazing", "useful", "helpful",
    "supportive", "happier", "happy", "confident", "comfortable", "anxious", "negative", "positive", "rude",
    "smart", "impressed", "obvious", "easy", "hard", "complicated", "stuck", "slowly", "casual", "lighter", "vibes",
    "proactive", "organised", "organized", "motivated", "relax", "worry", "notice", "bold", "honest", "available",
    "overthinking", "overthink", "worrying", "stressing", "stressed", "busy", "chaos", "weird", "meh", "worse",
    "open minded", "open-minded", "professionally", "personally",
)
# Themes that name an area, not something to do in it.
ABSTRACT = (
    "leadership", "leader", "leading", "communication", "confidence", "skills", "skill", "career", "mindset",
    "balance", "visibility", "motivation", "support", "supporting", "guidance", "advice", "time", "life", "impact",
    "structure", "structured", "challenge", "direction", "areas", "area", "aspects", "side", "job", "work", "goals",
    "goal", "ideas", "options", "way", "encouragement", "strategic", "general", "team", "management", "business",
    "myself", "yourself", "anywhere", "apply", "it", "trust", "best", "effort", "journey", "level", "step", "steps",
    "next", "focus", "growing", "learning", "learn", "difference", "himself", "herself", "themselves", "ourselves",
)
# Words that carry no content of their own: function words, pronouns, light verbs, fillers.
STOPWORDS = (
    "a", "an", "the", "and", "or", "but", "so", "to", "of", "in", "on", "at", "for", "with", "about", "from",
    "into", "than", "as", "if", "then", "that", "this", "these", "those", "there", "here", "it's", "its", "is",
    "are", "was", "were", "be", "been", "being", "am", "i", "i'm", "im", "i've", "ive", "i'd", "id", "i'll", "ill",
    "me", "my", "mine", "you", "you're", "youre", "your", "yours", "we", "we're", "our", "us", "they", "them",
    "their", "he", "he's", "him", "his", "she", "she's", "her", "hers", "what", "which", "who", "how", "why",
    "when", "where", "do", "does", "did", "doing", "done", "have", "has", "had", "having", "get", "gets", "getting",
    "got", "go", "going", "goes", "make", "making", "made", "want", "wants", "wanted", "need", "needs", "like",
    "just", "also", "still", "yet", "even", "all", "some", "any", "much", "many", "most", "very", "can", "could",
    "would", "should", "will", "may", "might", "must", "not", "no", "yes", "yeah", "yep", "nope", "up", "out",
    "off", "over", "around", "again", "already", "now", "too", "keep", "keeps", "kept", "try", "tries", "trying",
    "feel", "feels", "feeling", "felt", "think", "thinking", "know", "knows", "knowing", "become", "becoming",
    "seems", "seem", "say", "said", "says", "mean", "able", "well", "really", "actually", "basically", "literally",
    "kind", "sort", "bit", "lot", "one", "ones", "other", "others", "else", "such", "a bit", "a little", "own",
    "each", "every", "both", "way", "ways", "thing", "um", "umm", "uh", "hmm", "ah", "oh", "wouldn't", "won't",
    "wont", "don't", "dont", "can't", "cant", "isn't", "isnt", "doesn't", "doesnt", "didn't", "didnt", "haven't",
    "havent", "hasn't", "hasnt", "there's", "that's", "thats", "what's", "whats", "let", "lets", "let's", "ever",
    "far", "since", "until", "while", "because", "cause", "cos", "whole", "quite", "rather", "enough", "honestly",
    "pretty", "super", "totally", "definitely", "defintely", "lol", "haha", "tbh", "fr", "wasn't", "wasnt",
    "weren't", "werent", "aren't", "arent", "couldn't", "couldnt", "shouldn't", "shouldnt", "hadn't", "right",
    "especially", "esp", "ideally", "specifically", "back", "down", "away", "along", "through", "before", "after",
    "during", "instead", "without", "put", "puts", "putting",
)
# Remarks that point elsewhere instead of answering ("like i said", "same as above").
FILLERS = (
    "like i said", "as i said", "as i mentioned", "like i mentioned", "same as above", "see above", "as above",
    "same as before", "same as last time", "as before", "to be honest", "if that makes sense", "you know", "i mean",
    "or whatever", "turns out", "turn out", "turned out",
)
# Verbs of a concrete action someone can be seen doing. Endings -s, -es, -ed, -d and -ing are added, so some
# entries are stems ("prepar" for "preparing") and irregular forms are listed as they are.
ACTION_VERBS = (
    "ask", "run", "ran", "write", "wrote", "written", "writing", "send", "sent", "book", "schedule", "present",
    "publish", "ship", "hire", "hiring", "review", "draft", "call", "email", "message", "meet", "met", "shadow",
    "read", "practise", "practice", "practis", "practic", "prepar", "prepare", "delegate", "delegat", "finish",
    "launch", "submit", "interview", "share", "shar", "block", "pair", "demo", "record", "lead", "led", "facilitat",
    "facilitate", "teach", "taught", "pitch", "plan", "organis", "organiz", "document", "tell", "told", "talk",
    "speak", "spoke", "raise", "rais", "decline", "declin", "rehearse", "rehears", "list", "track", "measure",
    "measur", "log", "join", "attend", "volunteer", "switch", "cancel", "reply", "respond", "summarise", "summaris",
    "prioritise", "prioritis", "refactor", "test", "deploy", "fix", "migrate", "migrat", "build", "built", "design",
    "hand", "handover", "push", "pushed", "cut", "sign", "pass", "move", "moving", "stop", "quit", "leave", "left",
    "turn", "turned", "use", "using", "used", "demoed", "interrupt", "answer", "vote", "show", "bring", "brought",
    "give", "gave", "given", "fill", "applied", "promot", "promote", "negotiat", "roleplay", "mock", "enrol",
    "enroll", "sign up", "set up", "catch up", "write down", "note", "journal", "count", "cover", "covered",
    "coach", "mentor", "explain", "agree", "decide", "decid", "choose", "chose", "invite", "invit", "introduce",
    "introduc",
)

# A comparison that says how much ("better than anyone", "more than twice") is not a vague "better".
COMPARED = ("better than", "more than", "less than", "fewer than")
# After these, the words up to the end of the clause name the area to change, not an action taken in it
# ("get better at public speaking": "speaking" is not something done).
AREA_OPENERS = ("better at", "better in", "better with", "improve", "improve my", "improve on", "work on",
                "more confident in", "more confident with", "improving", "get better", "be better")
# Nouns for a piece of work someone does: count as actions ("promotion", "the migration").
ACTION_NOUNS = (
    "promotion", "delegation", "migration", "presentation", "application", "submission", "negotiation",
    "documentation", "deployment", "onboarding", "handover", "handoff", "proposal", "postmortem", "retrospective",
    "retro", "talk", "demo", "interview", "review", "rollout", "launch", "refactoring",
)
# Numbers, months and time words for `has_number_or_date` (regular-expression fragments).
NUMBER_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty",
    "thirty", "once", "twice", "half", "dozen", "hundred",
)
MONTHS = (
    "jan(uary)?", "feb(ruary)?", "mar(ch)?", "apr(il)?", "may", "june?", "july?", "aug(ust)?", "sep(t(ember)?)?",
    "oct(ober)?", "nov(ember)?", "dec(ember)?",
)
TIME_WORDS = (
    "day", "days", "week", "weeks", "weekly", "month", "months", "monthly", "quarter", "quarterly", "year", "years",
    "yearly", "annually", "tomorrow", "today", "tonight", "yesterday", "mornings?", "afternoons?", "evenings?",
    "weekends?", "fortnight(ly)?", "spring", "summer", "autumn", "winter", "christmas", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "q[1-4]", "h[12]", "deadline", "eoy", "end of", "by",
    "before", "until", "within",
)
# A number or a date that pins an answer down, for `is_vague` (regular-expression fragments). Stricter than
# the lists above: "one" ("the new one"), "may" (the verb), "march" as "mar", and "by" / "before" alone do not
# count.
ANCHORS = (
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "thirty",
    "once", "twice", "half", "dozen", "hundred", "jan(uary)?", "feb(ruary)?", "march", "apr(il)?", "june?",
    "july?", "aug(ust)?", "sept?(ember)?", "oct(ober)?", "nov(ember)?", "dec(ember)?", "mon(day)?",
    "tue(s(day)?)?", "wed(nesday)?", "thu(rs(day)?)?", "fri(day)?", "sat(urday)?", "sun(day)?", "mornings?",
    "afternoons?", "evenings?", "weekends?", "tomorrow", "tonight", "daily", "weekly", "monthly", "quarterly",
    "yearly", "annually", "fortnightly", "q[1-4]", "h[12]", "eoy", "eom", "spring", "summer", "autumn", "fall",
    "winter", "fortnight", "sprint", "review cycle", "end of (the )?\\w+", "by end", "in (a|the) (week|month)",
    "(this|next|last|every|each|per|a|the) (day|week|sprint|month|quarter|year|cycle|session|meeting|review|"
    "planning|standup|retro)",
)
# Words that may come before a trait verb at the start ("to be reliable", "she wants to be ...").
TRAIT_SUBJECTS = ("to", "i", "i'd", "i'll", "want", "wants", "like", "just", "and", "he", "she", "they", "he's",
                  "she's", "they're")

# --- compiled patterns ------------------------------------------------------------------------------

_MEASURABLE = re.compile(rf"\d|\b({'|'.join(NUMBER_WORDS + MONTHS + TIME_WORDS)})\b|%", re.IGNORECASE)
_ANCHOR = re.compile(rf"\d|\b({'|'.join(ANCHORS)})\b", re.IGNORECASE)


_POSSESSIVE = "(?:my|his|her|their|our|your)"  # "find my feet" also matches "find her feet"
_REFLEXIVE = "(?:myself|himself|herself|themselves|ourselves|yourself)"


def _phrases(words: Iterable[str], ending: str = "") -> re.Pattern[str]:
    """One pattern matching any of `words` as whole words, each optionally followed by `ending` (a
    pattern); longer phrases are tried first, and "my" / "myself" in a phrase match any person's."""
    alts = sorted({w.lower() for w in words}, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alts)
    body = re.sub(r"\bmyself\b", _REFLEXIVE, re.sub(r"\bmy\b", _POSSESSIVE, body))
    return re.compile(rf"(?<![\w'])(?:{body}){ending}(?![\w'])", re.IGNORECASE)


_FILLER = _phrases(FILLERS)
_COMPARED = _phrases(COMPARED)
_AREA = re.compile(_phrases(AREA_OPENERS).pattern + r"([^,.;:!?—–-]*)", re.IGNORECASE)
_UNSPECIFIC = _phrases(PLACEHOLDERS + DONT_KNOW + HEDGES + TIME_HEDGES + CLICHES)
_CHANGE = _phrases(GENERIC_CHANGE + GENERIC_ASKS, ending="(?:s|es|ed|d|ing)?")
# The trait verb opens the answer, perhaps after a subject or "to" ("to be reliable", "she wants to be ...").
_TRAIT = re.compile(rf"^\W*(?:{_phrases(TRAIT_SUBJECTS).pattern}\s+)*{_phrases(TRAIT_VERBS).pattern}", re.IGNORECASE)
_VERDICT = _phrases(VERDICTS)
_ACTION = _phrases(ACTION_VERBS, ending="(?:s|es|ed|d|ing|ting|ning|ped|ged|med|ned)?")
_ACTION_NOUN = _phrases(ACTION_NOUNS, ending="s?")
_NOT_CONTENT = frozenset(w.lower() for w in STOPWORDS + ABSTRACT)
_WORD = re.compile(r"[a-z0-9]+(?:['/][a-z0-9]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@dataclass(frozen=True)
class Reading:
    """What `is_vague` weighed: the vague signals and the concrete content it found in an answer."""

    unspecific: int  # placeholders, don't-knows, hedges and non-times
    change: int  # "better", "more", "improve" ... with nothing to say at what or how much
    verdicts: int  # "good", "great", "confident" ...: judgements with nothing observable
    content: tuple[str, ...]  # words naming something (not function words, themes or verdicts)
    actions: int  # concrete action verbs among them
    anchored: bool  # a number or a date
    trait: bool  # it opens with "be ...", "become ...", "feel ...": a way to be, not a thing to do

    @property
    def concrete(self) -> bool:
        """Enough concrete content to act on: a number or date with something named, an action on an
        object, or a description naming several things."""
        named = len(self.content)
        if self.anchored and named >= 1:
            return True
        if self.unspecific + self.change >= named:  # as much hedging as content
            return False
        if self.actions >= 1 and named >= 2:
            return True
        return named >= 3 and named > self.unspecific + self.change + self.verdicts


def read(text: str) -> Reading:
    """The signals `is_vague` judges `text` by (for tests and for explaining a decision)."""
    t = text.translate(_APOSTROPHES).lower()
    t = _COMPARED.sub(" ", _FILLER.sub(" ", t))
    trait = _TRAIT.match(_UNSPECIFIC.sub(" ", t).strip(" ,.")) is not None
    area = frozenset(w for m in _AREA.finditer(t) for w in _WORD.findall(m.group(1)))
    anchored = _ANCHOR.search(t) is not None
    unspecific = len(_UNSPECIFIC.findall(t))
    t = _UNSPECIFIC.sub(" ", t)
    change = len(_CHANGE.findall(t))
    t = _CHANGE.sub(" ", t)
    verdicts = len(_VERDICT.findall(t))
    t = _VERDICT.sub(" ", t)
    content = tuple(w for w in _WORD.findall(t) if w not in _NOT_CONTENT and len(w) > 1)
    actions = sum(1 for w in content if w not in area and (_ACTION.fullmatch(w) or _ACTION_NOUN.fullmatch(w)))
    return Reading(unspecific=unspecific, change=change, verdicts=verdicts, content=content,
                   actions=actions, anchored=anchored, trait=trait)


def word_count(text: str) -> int:
    """The number of whitespace-separated words."""
    return len(text.split())


def is_vague(text: str) -> bool:
    """The answer as a whole says little one could act on.

    Vague: nothing concrete is named ("good", "it's going well", "same as above really", "time",
    "leadership"), or a vague signal — a placeholder ("stuff", "things", "somehow"), a don't-know
    ("idk", "not sure"), a hedge ("maybe", "probably"), a non-time ("sometime soon"), a change with nothing
    to say at what or how much ("better", "more", "improve") — comes with too little concrete content
    around it. Not vague: the same words inside an answer that names a concrete action on an object,
    something with a number or a date, or several concrete things ("Run two retros by March and get better
    at facilitation", "probably ask Dana for the lead role on the billing project").

    Known limits: it reads words, not meaning, and the lists cannot hold every idiom. Vague answers in
    unlisted words pass as concrete ("wisdom and experience", "get the ball rolling", "in due course");
    concrete answers in words the lists treat as themes, verdicts or traits read as vague ("honest
    feedback", "be on time for our sessions", "improve the onboarding docs"); a "more"/"better" on a concrete
    action with no amount is accepted ("speak up more in design reviews"); English only.
    """
    r = read(text)
    if not r.content or (r.trait and r.actions == 0 and not r.anchored):
        return True
    if r.concrete:
        return False
    if len(r.content) == 1 and r.actions == 0:  # one thing named, and nothing about what to do with it
        return True
    return r.unspecific + r.change + r.verdicts > 0


def has_number_or_date(text: str) -> bool:
    """A digit, a number word, a month, a weekday or a time word ("weekly", "by", "end of")."""
    return _MEASURABLE.search(text) is not None


WORRY = re.compile(
    r"\b(?:(?<!no )(?<!not )(?<!don't )(?<!dont )worr(?:y|ied|ies|ying)"
    r"|afraid|scared|fear(?:s|ful)?|nervous|anxi(?:ous|ety)|stress(?:ed|ful)?"
    r"|overwhelm(?:ed|ing)?|struggl(?:e|es|ed|ing)|frustrat(?:ed|ing)|upset|hurt|insecure|imposter|impostor"
    r"|burn(?:ed|t)?[ -]?out|exhausted|lonely|alone in|embarrass(?:ed|ing)|ashamed|doubt(?:s|ing)?"
    r"|not (?:good|smart|experienced) enough|out of my depth|intimidat(?:ed|ing)|dread(?:ing)?|uneasy"
    r"|(?:hard|tough|difficult) for me|i(?:'m| am) not sure (?:i|if i)\b|dismissive|ignored"
    r"|let (?:me|them|him|her) down)",
    re.IGNORECASE,
)


def sounds_worried(text: str) -> bool:
    """The answer voices a worry, a fear or a hurt — it is met with warmth, not a brisk "Noted."."""
    return WORRY.search(text) is not None


ADVICE_REQUEST = re.compile(
    r"\b(?:just\s+)?tell me(?:\s+what\s+to\s+do|\s+what\s+you\s+(?:think|would\s+do))?\s*[.!?]*$"
    r"|\bwhat (?:should|would) (?:i|you) do\b|\bwhat do you (?:think|suggest|recommend)\b"
    r"|\b(?:any|your|some|give me|i want|i need) (?:advice|tips|suggestions|ideas)\b|\byou tell me\b"
    r"|\bno idea,? (?:you|what do you)\b|\bwhat'?s the (?:answer|right thing to do)\b",
    re.IGNORECASE,
)


def asks_for_advice(text: str) -> bool:
    """The user asks the coach to tell them ("just tell me", "what should I do?", "any advice?")."""
    return ADVICE_REQUEST.search(text.strip()) is not None


def detect(spec: ProbeSpec, text: str, already: list[str]) -> list[str]:
    """The probe kinds that apply to `text`, in asking order, without those already asked."""
    kinds: list[str] = []
    if spec.few_words and word_count(text) < spec.few_words:
        kinds.append("few_words")
    if spec.vague and is_vague(text):
        kinds.append("vague")
    if spec.needs_number_or_date and not has_number_or_date(text):
        kinds.append("measurable")
    return [k for k in kinds if k not in already]
