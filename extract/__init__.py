"""minutes-extract: turn council minutes, agendas, reports and strategies into a queryable archive."""

__version__ = "0.1.0"
