from tests.dues.conftest import client_for, other_manager  # noqa: F401
