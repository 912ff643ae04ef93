"""Editorial roles and the moderation workflow, set up idempotently.

Editors write and submit pages for moderation; only Moderators publish. Both reach the Wagtail
admin through the "Can access Wagtail admin" permission, never through Django's `is_staff`, so
neither group can enter the Django admin at /admin/.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

EDITORS = "Editors"
MODERATORS = "Moderators"
WORKFLOW_NAME = "Moderators approval"
TASK_NAME = "Moderators approval"

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
MODERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# Uploading and choosing images and PDF attachments for bulletins.
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)
# Never granted to Editors, on any page: publishing is the Moderators' decision.
EDITOR_FORBIDDEN_PAGE_PERMISSIONS = ("publish_page", "bulk_delete_page", "unlock_page")


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_page_permissions(group: Group, page: Page, codenames: tuple[str, ...]) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", codename)
        )


def _grant_media_permissions(group: Group) -> None:
    collection = Collection.get_first_root_node()
    for app_label, codename in MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )


def ensure_moderation_workflow(moderators: Group, home: Page) -> Workflow:
    """The "Moderators approval" workflow (one GroupApprovalTask for Moderators) on the home page tree."""
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    if set(task.groups.all()) != {moderators}:
        task.groups.set([moderators])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count())
    assignment = WorkflowPage.objects.filter(page=home).first()
    if assignment is None:
        WorkflowPage.objects.create(page=home, workflow=workflow)
    elif assignment.workflow_id != workflow.pk:
        assignment.workflow = workflow
        assignment.save(update_fields=["workflow"])
    return workflow


@transaction.atomic
def ensure_editorial_setup(home: Page) -> Workflow:
    """Groups, their admin/page/media permissions, and the workflow over `home` and its descendants."""
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    access_admin = _permission("wagtailadmin", "access_admin")
    for group in (editors, moderators):
        group.permissions.add(access_admin)
        _grant_media_permissions(group)
    _grant_page_permissions(editors, home, EDITOR_PAGE_PERMISSIONS)
    _grant_page_permissions(moderators, home, MODERATOR_PAGE_PERMISSIONS)
    GroupPagePermission.objects.filter(
        group=editors, permission__codename__in=EDITOR_FORBIDDEN_PAGE_PERMISSIONS
    ).delete()
    return ensure_moderation_workflow(moderators, home)
