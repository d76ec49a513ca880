"""A workflow's states and transitions as plain data, and the checks before publishing.

The graph is read from the StreamField's raw data (ids, not objects), so
reading it never queries the database; the rules that need the database
(forms and workflows referred to exist) are checked in `graph_errors`.
"""

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from workflows.blocks import RESIDENT, Channel, StateKind


@dataclass(frozen=True)
class State:
    name: str
    label: str
    kind: str
    deadline_days: int | None
    colour: str
    index: int  # position of its block in the StreamField

    @property
    def is_final(self) -> bool:
        return self.kind in StateKind.final


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    source: str | None  # a state name, None when the reference matches no state
    target: str | None
    source_text: str
    target_text: str
    allowed: tuple[str, ...]
    form_id: int | None
    effects: tuple[dict[str, Any], ...]
    index: int


@dataclass
class Graph:
    states: dict[str, State] = field(default_factory=dict)
    transitions: list[Transition] = field(default_factory=list)

    @property
    def initial(self) -> State | None:
        return next(
            (s for s in self.states.values() if s.kind == StateKind.INITIAL), None
        )

    def state(self, name: str) -> State:
        """The state of that name, or a stand-in for a name the graph lost."""
        return self.states.get(name) or State(
            name, name, StateKind.IN_PROGRESS, None, "slate", -1
        )

    def transitions_from(self, state_name: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == state_name]

    def transition(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)


def _resolve(reference: str, states: dict[str, State]) -> str | None:
    """A state named by its machine name or its label, whatever the case."""
    wanted = reference.strip().casefold()
    for state in states.values():
        if wanted in (state.name.casefold(), state.label.casefold()):
            return state.name
    return None


def graph_from_data(raw_blocks: list[dict[str, Any]]) -> Graph:
    """Build the graph from a StreamField's raw data."""
    graph = Graph()
    for index, block in enumerate(raw_blocks):
        if block["type"] != "state":
            continue
        value = block["value"]
        name = value.get("name") or value["label"]
        graph.states[name] = State(
            name=name,
            label=value["label"],
            kind=value.get("kind") or StateKind.IN_PROGRESS,
            deadline_days=value.get("deadline_days"),
            colour=value.get("colour") or "slate",
            index=index,
        )
    for index, block in enumerate(raw_blocks):
        if block["type"] != "transition":
            continue
        value = block["value"]
        graph.transitions.append(
            Transition(
                name=value.get("name") or value["label"],
                label=value["label"],
                source=_resolve(value.get("source", ""), graph.states),
                target=_resolve(value.get("target", ""), graph.states),
                source_text=value.get("source", ""),
                target_text=value.get("target", ""),
                allowed=tuple(value.get("allowed") or ()),
                form_id=value.get("form"),
                effects=tuple(value.get("effects") or ()),
                index=index,
            )
        )
    return graph


class GraphErrors:
    """Errors gathered per block and field, turned into Wagtail's block errors."""

    def __init__(self) -> None:
        self.by_block: dict[int, dict[str, list[str]]] = {}
        self.general: list[str] = []

    def add(self, index: int, field_name: str, message: str) -> None:
        self.by_block.setdefault(index, {}).setdefault(field_name, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_block or self.general)

    def as_validation_error(self) -> StreamBlockValidationError:
        return StreamBlockValidationError(
            block_errors={
                index: StructBlockValidationError(
                    block_errors={
                        name: ValidationError(" ".join(messages))
                        for name, messages in fields.items()
                    }
                )
                for index, fields in self.by_block.items()
            },
            non_block_errors=self.general,
        )


def _check_states(graph: Graph, errors: GraphErrors) -> None:
    initials = [s for s in graph.states.values() if s.kind == StateKind.INITIAL]
    if not initials:
        errors.general.append(_("Mark one state as initial: every case starts there."))
    for extra in initials[1:]:
        errors.add(
            extra.index,
            "kind",
            _("Only one state can be initial; “%(first)s” already is.")
            % {"first": initials[0].label},
        )
    if not any(s.is_final for s in graph.states.values()):
        errors.general.append(_("Add at least one final state, where cases end."))
    reachable = _reachable(graph)
    for state in graph.states.values():
        leaving = graph.transitions_from(state.name)
        if state.is_final:
            continue
        if not leaving:
            errors.add(
                state.index,
                "kind",
                _("No transition leaves “%(state)s”: add one, or make it final.")
                % {"state": state.label},
            )
        if initials and state.name not in reachable:
            errors.add(
                state.index,
                "label",
                _("No transition leads to “%(state)s” from the initial state.")
                % {"state": state.label},
            )
    for state in graph.states.values():
        if state.is_final and initials and state.name not in reachable:
            errors.add(
                state.index,
                "label",
                _("No transition leads to “%(state)s” from the initial state.")
                % {"state": state.label},
            )


def _reachable(graph: Graph) -> set[str]:
    start = graph.initial
    if start is None:
        return set()
    seen = {start.name}
    queue = deque([start.name])
    while queue:
        for transition in graph.transitions_from(queue.popleft()):
            if transition.target and transition.target not in seen:
                seen.add(transition.target)
                queue.append(transition.target)
    return seen


def _check_transitions(graph: Graph, errors: GraphErrors) -> None:
    for transition in graph.transitions:
        for attribute, text in (
            ("source", transition.source_text),
            ("target", transition.target_text),
        ):
            if getattr(transition, attribute) is None:
                errors.add(
                    transition.index,
                    attribute,
                    _("There is no state named “%(name)s”.") % {"name": text},
                )
        source = graph.states.get(transition.source or "")
        if source is not None and source.is_final:
            errors.add(
                transition.index,
                "source",
                _("“%(state)s” is a final state: no transition may leave it.")
                % {"state": source.label},
            )
        if not transition.allowed:
            errors.add(
                transition.index, "allowed", _("Say who may take this transition.")
            )


def _check_references(graph: Graph, errors: GraphErrors, territory_id: int | None):
    from forms_library.models import FormDefinition
    from workflows.models import MessageTemplate, WorkflowDefinition

    form_ids = {t.form_id for t in graph.transitions if t.form_id}
    forms = {f.pk: f for f in FormDefinition.objects.filter(pk__in=form_ids)}
    workflow_ids = {
        effect["value"]["workflow"]
        for t in graph.transitions
        for effect in t.effects
        if effect["type"] == "open_case"
    }
    workflows = {
        w.pk: w for w in WorkflowDefinition.objects.filter(pk__in=workflow_ids)
    }
    templates = {
        t.pk: t
        for t in MessageTemplate.objects.filter(
            pk__in={
                effect["value"].get("template")
                for t in graph.transitions
                for effect in t.effects
                if effect["type"] == "notify"
            }
            - {None}
        )
    }
    for transition in graph.transitions:
        if transition.form_id:
            _check_form(transition, forms.get(transition.form_id), errors, territory_id)
        for effect in transition.effects:
            template_id = effect["value"].get("template")
            if effect["type"] != "notify" or not template_id:
                continue
            template = templates.get(template_id)
            if template is None or template.territory_id not in (None, territory_id):
                errors.add(
                    transition.index,
                    "effects",
                    _("Choose a message template of this territory, or a shared one."),
                )
        for effect in transition.effects:
            if effect["type"] != "open_case":
                continue
            linked = workflows.get(effect["value"]["workflow"])
            if linked is None or not linked.live:
                errors.add(
                    transition.index,
                    "effects",
                    _("The workflow of the linked case must exist and be published."),
                )
            elif territory_id and linked.territory_id != territory_id:
                errors.add(
                    transition.index,
                    "effects",
                    _("The linked case must open in a workflow of this territory."),
                )


def _check_form(transition, form, errors: GraphErrors, territory_id) -> None:
    if form is None or not form.live:
        errors.add(
            transition.index,
            "form",
            _("This form must exist and be published."),
        )
        return
    if territory_id and form.territory_id not in (None, territory_id):
        errors.add(transition.index, "form", _("Choose a form of this territory."))
    if any(child.block_type == "file" for child in form.fields):
        errors.add(
            transition.index,
            "form",
            _(
                "A transition form cannot ask for files: attach files to the case "
                "instead."
            ),
        )


def graph_errors(
    raw_blocks: list[dict[str, Any]],
    *,
    territory_id: int | None,
    workflow_id: int | None = None,
) -> StreamBlockValidationError | None:
    """What stops this graph from being published, each error on its block.

    With the workflow's id, its messages to the person are also checked
    against the forms of the pages already bound to it.
    """
    graph = graph_from_data(raw_blocks)
    errors = GraphErrors()
    _check_states(graph, errors)
    _check_transitions(graph, errors)
    _check_references(graph, errors, territory_id)
    if workflow_id is not None:
        _check_bound_pages(graph, errors, workflow_id)
    return errors.as_validation_error() if errors else None


def _check_bound_pages(graph: Graph, errors: GraphErrors, workflow_id: int) -> None:
    from forms_library.bindings import question_kinds
    from forms_library.models import IntakeFormPage

    pages = IntakeFormPage.objects.filter(workflow_id=workflow_id).select_related(
        "form_definition"
    )
    for page in pages:
        kinds = question_kinds(page.form_definition.fields)
        out_of_reach = messages_out_of_reach(graph, kinds)
        for transition in out_of_reach["email"]:
            errors.add(
                transition.index,
                "effects",
                _(
                    "The page “%(page)s” shows a form that asks no email address: "
                    "by email, this message would reach nobody. Choose the channel "
                    "“As the person chose in the form”, or add an email question "
                    "to the form."
                )
                % {"page": page.title},
            )
        for transition in out_of_reach["any"]:
            errors.add(
                transition.index,
                "effects",
                _(
                    "The page “%(page)s” shows a form that asks neither an email "
                    "address nor a phone number: this message would reach nobody."
                )
                % {"page": page.title},
            )


def graph_error_messages(error: StreamBlockValidationError) -> list[str]:
    """The plain messages of a graph's errors, for places without blocks to mark."""
    messages = [str(e.message) for e in error.non_block_errors.as_data()]
    for block_error in error.block_errors.values():
        for field_error in block_error.block_errors.values():
            messages.extend(field_error.messages)
    return messages


def messages_out_of_reach(graph: Graph, question_kinds: set[str]) -> dict[str, list]:
    """The transitions whose message to the person could never reach someone
    who fills a form asking these kinds of question, by the reason:
    "email" (sent by email, and no email question) or "any" (neither an
    email nor a phone question, whatever the channel)."""
    out_of_reach: dict[str, list] = {"email": [], "any": []}
    for transition in graph.transitions:
        for effect in transition.effects:
            value = effect.get("value") or {}
            if effect.get("type") != "notify" or value.get("recipient") != RESIDENT:
                continue
            if not question_kinds & {"email", "phone"}:
                reason = "any"
            elif (value.get("channel") or Channel.EMAIL) == Channel.EMAIL:
                reason = "email" if "email" not in question_kinds else None
            else:
                reason = None
            if reason and transition not in out_of_reach[reason]:
                out_of_reach[reason].append(transition)
    return out_of_reach
