"""Editors submit, Moderators publish: the "Moderators approval" workflow end to end."""

import ast
import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import GroupPagePermission, Revision, Workflow, WorkflowPage, WorkflowState

from cms.editorial import WORKFLOW_NAME, ensure_editorial_setup
from cms.models import BulletinPage
from cms.tasks import publish_scheduled_pages


def test_editors_may_add_and_edit_but_not_publish(editor, moderator, index, make_bulletin):
    bulletin = make_bulletin()
    editor_perms = bulletin.permissions_for_user(editor)
    assert index.permissions_for_user(editor).can_add_subpage()
    assert editor_perms.can_edit()
    assert not editor_perms.can_publish()
    assert bulletin.permissions_for_user(moderator).can_publish()


def test_workflow_is_assigned_to_the_home_page_tree(editorial, index, make_bulletin):
    workflow = make_bulletin(live=False).get_workflow()
    assert workflow is not None
    assert workflow.name == WORKFLOW_NAME
    assert [t.specific.groups.get().name for t in workflow.tasks] == ["Moderators"]


def test_bulletin_goes_from_draft_to_submitted_to_published(editor, moderator, index, make_bulletin):
    bulletin = make_bulletin(live=False, title="待审核公告")
    bulletin.save_revision(user=editor)
    assert not bulletin.live

    state = bulletin.get_workflow().start(bulletin, editor)
    bulletin.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not bulletin.live
    task_state = state.current_task_state
    assert task_state.task.specific.get_actions(bulletin, editor) == []  # editors cannot approve
    assert "approve" in [name for name, *_ in task_state.task.specific.get_actions(bulletin, moderator)]

    task_state.approve(user=moderator)
    bulletin.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert bulletin.live
    assert BulletinPage.objects.live().filter(pk=bulletin.pk).exists()


def test_rejected_bulletin_stays_unpublished(editor, moderator, make_bulletin):
    bulletin = make_bulletin(live=False)
    bulletin.save_revision(user=editor)
    state = bulletin.get_workflow().start(bulletin, editor)
    state.current_task_state.reject(user=moderator)
    bulletin.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not bulletin.live


def test_editorial_setup_is_idempotent(editorial):
    counts = (GroupPagePermission.objects.count(), Workflow.objects.count(), WorkflowPage.objects.count())
    ensure_editorial_setup(editorial)
    assert (GroupPagePermission.objects.count(), Workflow.objects.count(), WorkflowPage.objects.count()) == counts


@pytest.mark.parametrize(("hours_later", "goes_live"), [(2, True), (0.5, False)])
def test_scheduled_bulletin_goes_live_only_once_its_go_live_time_has_passed(make_bulletin, hours_later, goes_live):
    bulletin = make_bulletin(live=False)
    now = timezone.now()
    bulletin.go_live_at = now + datetime.timedelta(hours=1)
    bulletin.save_revision().publish()  # a future go-live date schedules the revision instead of publishing it
    bulletin.refresh_from_db()
    assert not bulletin.live
    assert Revision.objects.filter(approved_go_live_at__isnull=False).count() == 1

    with mock.patch("django.utils.timezone.now", return_value=now + datetime.timedelta(hours=hours_later)):
        call_command("publish_scheduled", verbosity=0)
    bulletin.refresh_from_db()
    assert bulletin.live is goes_live


def test_beat_task_runs_the_publish_command(make_bulletin):
    bulletin = make_bulletin(live=False)
    bulletin.go_live_at = timezone.now() + datetime.timedelta(minutes=5)
    bulletin.save_revision().publish()
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(minutes=10)):
        publish_scheduled_pages.delay()
    bulletin.refresh_from_db()
    assert bulletin.live
    assert "cms.tasks.publish_scheduled_pages" in [entry["task"] for entry in production_beat_schedule().values()]


def production_beat_schedule() -> dict:
    """CELERY_BEAT_SCHEDULE as production settings define it (they cannot be imported without their env)."""
    source = (Path(settings.BASE_DIR) / "marketplace" / "settings" / "production.py").read_text()
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "CELERY_BEAT_SCHEDULE":
            assert isinstance(node.value, ast.Dict)
            # Schedules may be calls (crontab(...)): read only the literal parts, names and task paths.
            return {
                ast.literal_eval(key): {"task": ast.literal_eval(entry.values[entry.keys.index(task)])}  # type: ignore[arg-type]
                for key, entry in zip(node.value.keys, node.value.values, strict=True)
                if isinstance(entry, ast.Dict)
                for task in entry.keys
                if isinstance(task, ast.Constant) and task.value == "task"
            }
    raise AssertionError("CELERY_BEAT_SCHEDULE missing from production settings")
