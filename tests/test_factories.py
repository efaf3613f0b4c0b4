"""Every model of the project has a factory_boy factory, and each factory builds a valid saved row."""

import importlib
import pkgutil

import factory
import pytest
from django.apps import apps

import tests

PROJECT_APPS = {"people", "audit", "publishing", "monitoring", "disclosures", "recruitment", "cases", "surveillance"}
# Written only through services that compute derived state; they have a factory *function* instead.
FUNCTION_FACTORIES = {"audit.auditevent"}


def _factories() -> dict[str, type[factory.django.DjangoModelFactory]]:
    found = {}
    modules = ["tests.factories"] + [
        f"tests.{m.name}.factories" for m in pkgutil.iter_modules(tests.__path__) if m.ispkg
    ]
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory) and value._meta.model:
                model = value._meta.get_model_class()
                found.setdefault(model._meta.label_lower, value)
    return found


FACTORIES = _factories()
MODELS = sorted(
    m._meta.label_lower for m in apps.get_models() if m._meta.app_label in PROJECT_APPS and not m._meta.proxy
)


def test_every_model_has_a_factory():
    missing = [m for m in MODELS if m not in FACTORIES and m not in FUNCTION_FACTORIES]
    assert not missing, f"models without a factory: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(FACTORIES))
def test_factory_builds_a_row(label):
    obj = FACTORIES[label]()
    assert obj.pk is not None
