"""Deletes that ask first: a confirmation page that names what else the delete removes."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import ValidationError
from django.db import router
from django.shortcuts import redirect, render


def deletion_consequences(obj) -> list[str]:
    """What else deleting `obj` removes, as "4 goal measurements", counted by Django's own
    cascade collector (the one the delete follows), so the page cannot promise less."""
    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    consequences = []
    for model, rows in collector.model_objs.items():
        # Rows of a many-to-many table are links, not things a person made.
        count = len(rows) - (1 if model is type(obj) else 0)
        if count and not model._meta.auto_created:
            name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            consequences.append(f"{count} {name}")
    return consequences


def confirm_then_delete(
    request,
    obj,
    *,
    name: str,
    delete: Callable[[], None],
    done: str,
    message: str,
    verb: str = "Delete",
    also: tuple[str, ...] = (),
):
    """GET: a page asking to confirm the delete of `name`, listing its consequences (the
    cascade's, and `also`: what the service removes besides).
    POST: delete, say `message`, and go to `done` (also where "Cancel" leads). A delete the
    service refuses says why there, and removes nothing."""
    if request.method == "POST":
        try:
            delete()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, message)
        return redirect(done)
    context = {
        "name": name,
        "verb": verb,
        "consequences": [*deletion_consequences(obj), *also],
        "cancel": done,
    }
    return render(request, "confirm_delete.html", context)
