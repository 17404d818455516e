"""Create the Curator and Editor groups with their permissions.

Curators create and edit records and drafts; Editors also publish and withdraw. Both
may view history. Nobody in these groups may delete users' work wholesale: deleting
documents and records stays with superusers.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITABLE = [
    "document", "documentagent", "workcited", "mention", "mentionproposal",
    "entity", "person", "place", "organization", "event", "eventplace",
    "eventparticipant", "namevariant", "repository",
]  # fmt: skip
# Links and proposals may be removed by curators; records and documents may not.
DELETABLE_LINKS = [
    "documentagent", "workcited", "mention", "mentionproposal", "eventplace",
    "eventparticipant", "namevariant",
]  # fmt: skip
HISTORY = [
    "historicaldocument", "historicaldocumentagent", "historicalworkcited",
    "historicalmention", "historicalentity", "historicalperson", "historicalplace",
    "historicalorganization", "historicalevent", "historicaleventplace",
    "historicaleventparticipant", "historicalnamevariant", "historicalrepository",
]  # fmt: skip


def codenames() -> list[str]:
    names = [f"{action}_{model}" for model in EDITABLE for action in ("add", "change", "view")]
    names += [f"delete_{model}" for model in DELETABLE_LINKS]
    names += [f"view_{model}" for model in HISTORY]
    return names


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curator_perms = list(
        Permission.objects.filter(content_type__app_label="sources", codename__in=codenames())
    )
    curator, _ = Group.objects.get_or_create(name="Curator")
    curator.permissions.set(curator_perms)
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(
        [
            *curator_perms,
            Permission.objects.get(content_type__app_label="sources", codename="publish_document"),
        ]
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Curator", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0002_curation_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
