"""Staff users and what their browser would post back from an admin form, for the
review, locking and publication tests."""

from __future__ import annotations

import itertools

from django.contrib.auth.models import Group, User
from django.test import Client

_names = itertools.count(1)


def staff_client(group: str) -> Client:
    """A logged-in Curator or Editor (``client.user`` is the user)."""
    user = User.objects.create_user(
        f"{group.lower()}{next(_names)}", password="a-long-staff-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    client.user = User.objects.get(pk=user.pk)  # fresh permission cache
    return client


def posted(response, **changes) -> dict:
    """The data a browser posts back from the admin form in ``response`` unchanged
    (every field, every inline row, the hidden version mark), with ``changes``."""
    context = response.context
    data: dict = {}
    forms = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        for field in formset.management_form:
            data[field.html_name] = field.value()
        forms.extend(formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value
    if context.get("lock_token"):
        data["_lock"] = context["lock_token"]
    data.update(changes)
    return data
