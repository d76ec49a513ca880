"""Use cases that change territories and the access that goes with them."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.users.models import UserProfile

from content.models import TerritoryGroup, TerritoryPage, TerritoryRole

# Page permissions each role holds on its territory's subtree.
ROLE_PAGE_PERMISSIONS: dict[str, list[str]] = {
    TerritoryRole.COORDINATION: ["add", "change", "publish", "lock", "unlock"],
    TerritoryRole.INTERVENTION: [],
    TerritoryRole.PARTNERS: [],
    # Approving in Wagtail's moderation workflow publishes the page, which
    # Wagtail 8 checks against the approver's own publish permission.
    TerritoryRole.STEERING_COMMITTEE: ["publish"],
}

# Model permissions each role holds (objects stay scoped to the territory).
ROLE_MODEL_PERMISSIONS: dict[str, list[str]] = {
    TerritoryRole.COORDINATION: [
        "forms_library.add_formdefinition",
        "forms_library.change_formdefinition",
        "forms_library.publish_formdefinition",
        "forms_library.lock_formdefinition",
        "forms_library.unlock_formdefinition",
        "forms_library.view_formdefinition",
        "forms_library.view_submission",
        "workflows.add_workflowdefinition",
        "workflows.change_workflowdefinition",
        "workflows.publish_workflowdefinition",
        "workflows.lock_workflowdefinition",
        "workflows.unlock_workflowdefinition",
        "workflows.view_workflowdefinition",
        "workflows.view_case",
        "workflows.add_messagetemplate",
        "workflows.change_messagetemplate",
        "workflows.view_messagetemplate",
        "content.add_partnerorganisation",
        "content.change_partnerorganisation",
        "content.view_partnerorganisation",
        "data_protection.add_dataincident",
        "data_protection.change_dataincident",
        "data_protection.delete_dataincident",
        "data_protection.view_dataincident",
    ],
    TerritoryRole.INTERVENTION: [
        "forms_library.view_formdefinition",
        "forms_library.view_submission",
        "workflows.view_workflowdefinition",
        "workflows.view_case",
        "content.view_partnerorganisation",
    ],
    TerritoryRole.PARTNERS: ["workflows.view_case"],
    TerritoryRole.STEERING_COMMITTEE: ["workflows.view_case"],
}

# Image and document permissions each role holds on its territory's collection.
ROLE_COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    TerritoryRole.COORDINATION: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    TerritoryRole.INTERVENTION: [
        "wagtaildocs.choose_document",
    ],
    TerritoryRole.PARTNERS: [],
    TerritoryRole.STEERING_COMMITTEE: [],
}


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _group_name(territory: TerritoryPage, role: TerritoryRole) -> str:
    # Group names are stored once, in the site's first language.
    with translation.override(settings.LANGUAGE_CODE):
        return f"{territory.code} · {role.label}"


@transaction.atomic
def territory_set_up_groups(*, territory: TerritoryPage) -> list[TerritoryGroup]:
    """Give a territory its role groups, admin access, page and media permissions.

    Safe to call again: it completes what is missing and changes nothing else.
    """
    collection = _territory_collection(territory=territory)
    access_admin = _permission("wagtailadmin.access_admin")
    territory_groups = []
    for role in TerritoryRole:
        territory_group = TerritoryGroup.objects.filter(
            territory=territory, role=role
        ).first()
        if territory_group is None:
            territory_group = TerritoryGroup.objects.create(
                territory=territory, role=role, group=_new_group(territory, role)
            )
        group = territory_group.group
        group.permissions.add(
            access_admin, *(_permission(p) for p in ROLE_MODEL_PERMISSIONS[role])
        )
        for permission_type in ROLE_PAGE_PERMISSIONS[role]:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=territory,
                permission=_permission(f"wagtailcore.{permission_type}_page"),
            )
        for dotted in ROLE_COLLECTION_PERMISSIONS[role]:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission(dotted)
            )
        territory_groups.append(territory_group)
    territory_ensure_moderation_workflow(territory=territory)
    return territory_groups


def _new_group(territory: TerritoryPage, role: TerritoryRole) -> Group:
    # A group of that name may remain from a territory that had this code
    # before: never adopt it (and its members), make another.
    name = _group_name(territory, role)
    if Group.objects.filter(name=name).exists():
        name = f"{name} ({territory.pk})"
    return Group.objects.create(name=name)


def _territory_collection(*, territory: TerritoryPage) -> Collection:
    if territory.collection_id:
        return territory.collection
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    collection = root.add_child(name=territory.title)
    TerritoryPage.objects.filter(pk=territory.pk).update(collection=collection)
    territory.collection = collection
    return collection


def territory_add_member(
    *, territory: TerritoryPage, user, role: TerritoryRole
) -> None:
    """Make a person a member of one of the territory's role groups."""
    territory_group = TerritoryGroup.objects.get(territory=territory, role=role)
    user.groups.add(territory_group.group)
    member_time_zone_default(user=user)


def member_time_zone_default(*, user) -> None:
    """A member who has not chosen a time zone reads the admin's dates in
    their territories' (a Québec coordinator's deadlines in Québec time),
    when those territories share one; they may choose another in their
    account. Called wherever groups are given: here and in the user admin."""
    profile = UserProfile.get_for_user(user)
    if profile.current_time_zone:
        return
    zones = set(
        TerritoryPage.objects.filter(territory_groups__group__user=user)
        .values_list("time_zone", flat=True)
        .distinct()
    )
    if len(zones) == 1:
        profile.current_time_zone = zones.pop()
        profile.save(update_fields=["current_time_zone"])


# Name of each territory's moderation workflow, in the site's first language
# (like group names): "Validation par le comité de pilotage – <territory>".
MODERATION_WORKFLOW_NAME = "Validation par le comité de pilotage – {territory}"
MODERATION_TASK_NAME = "Avis du comité de pilotage – {territory}"


@transaction.atomic
def territory_ensure_moderation_workflow(*, territory: TerritoryPage) -> Workflow:
    """Pages of the territory (its plans and actions) are approved by its committee.

    Ensures a Wagtail workflow with one group approval task for the
    territory's steering-committee group, assigned to the territory page so
    every page under it goes through it when submitted for moderation.
    Safe to call again: an existing assignment is kept and completed.
    """
    committee = TerritoryGroup.objects.get(
        territory=territory, role=TerritoryRole.STEERING_COMMITTEE
    ).group
    assignment = (
        WorkflowPage.objects.filter(page=territory).select_related("workflow").first()
    )
    if assignment is not None and _approved_by(assignment.workflow, committee):
        return assignment.workflow
    names = {"territory": territory.title}
    workflow = Workflow.objects.create(
        name=MODERATION_WORKFLOW_NAME.format(**names)[:255]
    )
    task = GroupApprovalTask.objects.create(
        name=MODERATION_TASK_NAME.format(**names)[:255]
    )
    task.groups.set([committee])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(
        page=territory, defaults={"workflow": workflow}
    )
    return workflow


def _approved_by(workflow: Workflow, group: Group) -> bool:
    return (
        GroupApprovalTask.objects.filter(
            workflow_tasks__workflow=workflow, groups=group, active=True
        ).exists()
        and workflow.active
    )
