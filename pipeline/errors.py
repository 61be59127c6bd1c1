"""Errors raised by the I/O stages (configuration, fetching)."""

from parsers.errors import NianbaoError


class ConfigError(NianbaoError):
    """The user's configuration or command line is wrong."""


class FetchError(NianbaoError):
    """A URL could not be fetched (network, HTTP status, size cap, robots)."""


class RawStoreFullError(NianbaoError):
    """A run reached its limit of new bytes in the raw store."""
