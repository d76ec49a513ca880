"""Whether a workflow bound on an intake page can reach the person who fills
its form: a message by email needs an email question, any message an email
or a phone question. Otherwise the team would believe the person was told.

Checked where each side is chosen or published: the page's binding, the form
and the workflow (`workflows.graph`).
"""

from django.utils.translation import gettext as _


def unreachable_by_binding(workflow, definition) -> list[str]:
    """Why this workflow's messages could reach nobody who fills this form."""
    out_of_reach = _out_of_reach(workflow, question_kinds(definition.fields))
    errors = []
    if out_of_reach["email"]:
        errors.append(
            _(
                "This workflow writes to the person by email (%(transitions)s) "
                "and this form asks no email address: add an email question to "
                "the form, or choose the channel “As the person chose in the "
                "form”."
            )
            % {"transitions": _quoted_labels(out_of_reach["email"])}
        )
    if out_of_reach["any"]:
        errors.append(
            _(
                "This workflow writes to the person (%(transitions)s) and this "
                "form asks neither an email address nor a phone number: add one "
                "of them to the form."
            )
            % {"transitions": _quoted_labels(out_of_reach["any"])}
        )
    return errors


def unreachable_on_pages_showing(definition, fields) -> list[str]:
    """Why publishing the form with these questions would leave the messages
    of a workflow bound on a page showing it reaching nobody."""
    from forms_library.models import IntakeFormPage

    kinds = question_kinds(fields)
    messages = []
    pages = IntakeFormPage.objects.filter(
        form_definition=definition, workflow__isnull=False
    ).select_related("workflow")
    for page in pages:
        out_of_reach = _out_of_reach(page.workflow, kinds)
        if out_of_reach["email"]:
            messages.append(
                _(
                    "The page “%(page)s” shows this form, and its workflow writes "
                    "to the person by email: keep an email question."
                )
                % {"page": page.title}
            )
        if out_of_reach["any"]:
            messages.append(
                _(
                    "The page “%(page)s” shows this form, and its workflow writes "
                    "to the person: keep an email or a phone question."
                )
                % {"page": page.title}
            )
    return messages


def _out_of_reach(workflow, kinds: set[str]) -> dict[str, list]:
    # Imported here: workflows builds on the forms library, not the reverse.
    from workflows.graph import messages_out_of_reach

    return messages_out_of_reach(workflow.graph_data(), kinds)


def question_kinds(fields) -> set[str]:
    """The kinds of question a form's fields ask (email, phone…)."""
    return {child.block_type for child in fields}


def _quoted_labels(transitions) -> str:
    return ", ".join(
        _("“%(label)s”") % {"label": transition.label} for transition in transitions
    )
