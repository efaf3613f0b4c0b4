import pytest


@pytest.fixture(autouse=True)
def private_storage(tmp_path, settings):
    """Evidence written by a test goes to a temporary folder, never to the checkout's private storage.
    (Django resets default_storage when STORAGES changes.)"""
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path
