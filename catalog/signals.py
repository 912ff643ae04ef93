"""Signals other apps may listen to without catalog knowing them (search keeps its index fresh with these).

`post_save` / `post_delete` of Service and Provider cover single writes; bulk writes that bypass
`save()` (the CSV/XLSX import) send `services_bulk_changed` inside their transaction instead.
"""

from django.dispatch import Signal

# kwargs: service_ids: list[int]
services_bulk_changed = Signal()
