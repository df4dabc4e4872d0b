"""The real clamd of the unit tests, for the health check of the virus scanner."""

from tests.unit.conftest import clamd_socket as clamd_socket  # re-exported as a fixture
