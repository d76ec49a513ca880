"""An object of one territory (a form, a workflow) stays there while that
territory uses it: its pages, answers and cases would be left with an object
their coordination can no longer open, and another territory would own it."""

from collections.abc import Callable

from django.core.exceptions import ValidationError


def refuse_moving_while_used(
    instance, *, used_in: Callable[[int | None], bool], message: str
) -> None:
    """Refuse, on the territory field, a saved object's move away from a
    territory where `used_in(territory_id)` says it is in use."""
    if instance.pk is None:
        return
    stored = (
        type(instance)
        ._default_manager.filter(pk=instance.pk)
        .values_list("territory_id", flat=True)
        .first()
    )
    if stored != instance.territory_id and used_in(stored):
        raise ValidationError({"territory": message})
