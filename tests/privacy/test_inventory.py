"""Every foreign key to the user is either exported or excluded with a reason.

A new model that points at a user fails here until ``privacy/inventory.py``
says what the subject access export does with it.
"""

from django.apps import apps
from django.conf import settings

from privacy.inventory import EXCLUDED, EXPORTED, exported_by_label


def _user_foreign_keys() -> set[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is user_model
    }


def test_every_foreign_key_to_the_user_is_exported_or_excluded_with_a_reason():
    exported = {f"{entry.label}.{name}" for entry in EXPORTED for name in entry.user_fields()}
    undecided = sorted(_user_foreign_keys() - exported - set(EXCLUDED))
    assert not undecided, (
        "Say in privacy/inventory.py whether the subject access export includes these "
        "(add the field to an Exported entry's via) or leaves them out (EXCLUDED, with the "
        "reason): " + ", ".join(undecided)
    )


def test_exclusions_give_reasons_and_name_real_foreign_keys():
    real = _user_foreign_keys()
    for key, reason in EXCLUDED.items():
        assert key in real, f"{key} is not a foreign key to the user"
        assert len(reason) > 20, f"{key} needs a reason"


def test_each_model_is_exported_once():
    assert len(exported_by_label()) == len(EXPORTED)
