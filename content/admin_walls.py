"""The territory wall in front of Wagtail's generic admin views.

Wagtail's generic edit, delete, history… views check model permissions only,
so a coordinator of one territory could open another territory's object by
its URL. These views also ask the model's permission policy about the object.
"""

from django.apps import apps
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import router, transaction
from django.db.models import ProtectedError, Q, QuerySet, RestrictedError
from django.db.models.deletion import Collector
from django.http import Http404, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import DraftStateMixin, Page, Revision, Workflow
from wagtail.permissions import policy_registry
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from content.database_ids import as_storable_id
from content.permissions import territories_granting

# The views of a snippet viewset that act on one object.
SNIPPET_OBJECT_VIEWS = [
    "edit_view_class",
    "delete_view_class",
    "copy_view_class",
    "history_view_class",
    "usage_view_class",
    "inspect_view_class",
    "unpublish_view_class",
    "lock_view_class",
    "unlock_view_class",
    "preview_on_edit_view_class",
    "revisions_view_class",
    "revisions_revert_view_class",
    "revisions_compare_view_class",
    "revisions_unschedule_view_class",
    "workflow_history_view_class",
    "workflow_history_detail_view_class",
]


class TerritoryWallMixin:
    """Answer 404 when the user's territories do not grant this view's action."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        action = getattr(self, "permission_required", None)
        if not isinstance(action, str):
            action = "view"
        policy = policy_registry.get_by_type(type(obj))
        if not policy.user_has_permission_for_instance(self.request.user, action, obj):
            raise Http404
        return obj


def wall_object_views(viewset, attributes: list[str]) -> None:
    """Put the territory wall in front of each of a viewset's object views."""
    for attribute in attributes:
        view_class = getattr(viewset, attribute)
        if issubclass(view_class, TerritoryWallMixin):
            continue  # built on a view this loop already walled
        walled = type(view_class.__name__, (TerritoryWallMixin, view_class), {})
        setattr(viewset, attribute, walled)


class RefuseDeletingWhatIsInUse:
    """Say why an object still in use cannot be deleted, instead of a server
    error: a form answered or shown on a page, a workflow with cases…

    Wagtail asks its reference index first, which knows the pages using an
    object but not the submissions, cases and events that protect it.
    """

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except (ProtectedError, RestrictedError) as error:
            messages.error(self.request, _still_used(self.object, error))
            return HttpResponseRedirect(self.get_success_url())


def why_not_deleted(objects) -> str:
    """Why deleting these objects would fail (the first one still in use), or
    "" when it would not; nothing is deleted to find out."""
    for obj in objects:
        collector = Collector(using=router.db_for_write(type(obj)))
        try:
            collector.collect([obj])
        except (ProtectedError, RestrictedError) as error:
            return _still_used(obj, error)
    return ""


def _still_used(obj, error: ProtectedError | RestrictedError) -> str:
    found = getattr(error, "protected_objects", None) or getattr(
        error, "restricted_objects", ()
    )
    uses = sorted({str(capfirst(type(u)._meta.verbose_name_plural)) for u in found})
    return _("“%(object)s” cannot be deleted while these still use it: %(uses)s.") % {
        "object": obj,
        "uses": ", ".join(uses),
    }


class ScheduledRevisionsInOneQuery:
    """Wagtail's status column asks each row of a listing of drafts and
    publications for its scheduled revision, one query a row: this reads
    those of the whole page at once."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context.get("object_list") or ())
        if rows:
            content_type = ContentType.objects.get_for_model(
                self.model, for_concrete_model=False
            )
            scheduled = {}
            for revision in Revision.objects.filter(
                content_type=content_type,
                object_id__in=[str(row.pk) for row in rows],
                approved_go_live_at__isnull=False,
            ).order_by("-pk"):
                # The lowest id is kept, as Wagtail's own lookup returns it.
                scheduled[revision.object_id] = revision
            for row in rows:
                row.__dict__["scheduled_revision"] = scheduled.get(str(row.pk))
        return context


class WalledSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose listing and object views stop at the walls.

    Lists the objects of the territories where the user may view them, and
    the shared ones (no territory) when `shared_with_everyone` is set.
    """

    shared_with_everyone = False
    list_select_related: tuple[str, ...] = ("territory",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        wall_object_views(self, SNIPPET_OBJECT_VIEWS)
        self.delete_view_class = type(
            self.delete_view_class.__name__,
            (RefuseDeletingWhatIsInUse, self.delete_view_class),
            {},
        )
        index = self.index_view_class
        if issubclass(self.model, DraftStateMixin) and not issubclass(
            index, ScheduledRevisionsInOneQuery
        ):
            self.index_view_class = type(
                index.__name__, (ScheduledRevisionsInOneQuery, index), {}
            )

    @cached_property
    def chooser_viewset(self):
        """Wagtail's default chooser lists every row: this one, the listing's."""
        chooser = super().chooser_viewset
        if type(chooser) is not SnippetChooserViewSet:
            return chooser  # a chooser of its own, with its own walls
        for attribute, view_class in walled_chooser_views(
            self.get_queryset, chooser
        ).items():
            setattr(chooser, attribute, view_class)
        return chooser

    def get_queryset(self, request) -> QuerySet:
        walls = Q(territory__in=territories_granting(request.user, "view"))
        if self.shared_with_everyone:
            walls |= Q(territory__isnull=True)
        return self.model.objects.filter(walls).select_related(
            *self.list_select_related
        )


def walled_chooser_views(choosable, chooser) -> dict[str, type]:
    """The views of a snippet chooser (viewset) offering only `choosable(request)`.

    Asked for an id that is not one ("abc") or one beyond what a database
    stores, the chosen views answer as for an id of nothing (404, or no
    item), instead of failing in the database with a server error.
    """

    class Listed:
        def get_object_list(self):
            return choosable(self.request)

    class Chosen:
        def get_object(self, pk):
            found = as_storable_id(pk)
            if found is None:
                raise ObjectDoesNotExist
            return choosable(self.request).get(pk=found)

    class ChosenMultiple:
        def get_objects(self, pks):
            found = [as_storable_id(pk) for pk in pks]
            return choosable(self.request).filter(
                pk__in=[pk for pk in found if pk is not None]
            )

    views = {}
    for attribute, mixin in [
        ("choose_view_class", Listed),
        ("choose_results_view_class", Listed),
        ("chosen_view_class", Chosen),
        ("chosen_multiple_view_class", ChosenMultiple),
    ]:
        view_class = getattr(chooser, attribute)
        views[attribute] = type(view_class.__name__, (mixin, view_class), {})
    return views


class ChoosableSnippetChooserViewSet(SnippetChooserViewSet):
    """A snippet chooser offering only what `choosable` gives the request."""

    def choosable(self, request) -> QuerySet:
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for attribute, view_class in walled_chooser_views(self.choosable, self).items():
            setattr(self, attribute, view_class)


def _only_for(may_use):
    """A view for the users `may_use` admits; 404 for the others, as for a
    view that is not there."""

    def decorator(view):
        def walled(request, *args, **kwargs):
            if not may_use(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return walled

    return decorator


# Wagtail views that read across every territory (the site history lists the
# objects and editors of all of them): for superusers only.
superusers_only = _only_for(lambda user: user.is_superuser)


class MediaInCollectionsWalls:
    """Wagtail's admin API lists every document and image, whatever the
    collection: this one, those the user may choose or change, as the
    admin's own listings and choosers do."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(self.model)
        visible = policy.instances_user_has_any_permission_for(
            self.request.user, ["choose", "change"]
        )
        return super().get_queryset().filter(pk__in=visible.values("pk"))


def walled_media_endpoint(endpoint_class):
    """An admin API endpoint of documents or images, inside the walls."""
    return type(endpoint_class.__name__, (MediaInCollectionsWalls, endpoint_class), {})


def user_may_see(user, obj) -> bool:
    """Whether the admin shows this object to the user anywhere: a page they
    may explore, a document or image they may choose, an object they may view."""
    if user.is_superuser:
        return True
    if isinstance(obj, Page):
        explorable = policy_registry.get_by_type(Page).explorable_instances(user)
        return explorable.filter(pk=obj.pk).exists()
    policy = policy_registry.get_by_type(type(obj))
    return policy.user_has_any_permission_for_instance(
        user, ["view", "choose", "change"], obj
    )


class BulkActionNamesOnlyWhatIsSeen:
    """Wagtail's bulk action confirmation lists, by title, the selected
    objects the user may not act on: whatever id is asked for, another
    territory's too. Those the user may not see are left out of that list."""

    def get_actionable_objects(self):
        objects, context = super().get_actionable_objects()
        context["items_with_no_access"] = [
            item
            for item in context.get("items_with_no_access", ())
            if user_may_see(self.request.user, item)
        ]
        return objects, context


def walled_bulk_action(request, app_label, model_name, action):
    """Wagtail's bulk action view, with `BulkActionNamesOnlyWhatIsSeen`.

    Ids that are not ones ("abc", or beyond what a database stores) name
    nothing: 404, rather than a server error in the database.
    """
    if any(
        pk != "all" and as_storable_id(pk) is None for pk in request.GET.getlist("id")
    ):
        raise Http404
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    action_class = bulk_action_registry.get_bulk_action_class(
        app_label, model_name, action
    )
    if action_class is None:
        raise Http404
    walled = type(
        action_class.__name__, (BulkActionNamesOnlyWhatIsSeen, action_class), {}
    )
    return walled(request, model).dispatch(request)


# Wagtail's task chooser lists every territory's approval tasks and their
# workflows: only those who may build Wagtail workflows use it.
workflow_builders_only = _only_for(
    lambda user: policy_registry.get_by_type(Workflow).user_has_any_permission(
        user, ["add", "change"]
    )
)
