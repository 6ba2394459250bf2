"""The calibra error hierarchy, shared by the compiled core and the Python layer.

The classes are created by the compiled module, one per C++ class of
``calibra/error.hpp``, so an exception thrown in C++ arrives in Python as the
matching class with the same message::

    Error                 base of everything below
    ├── ParseError        the input cannot be read as its format (JSON, CSV)
    ├── ValidationError   the input parses but breaks a rule of the model
    ├── InvalidArgument   an option or argument is wrong (also a ValueError)
    └── DegenerateError   a statistic is undefined for this data

and one warning, ``DataWarning`` (a UserWarning), for data that is read but
deserves a second look: self ratings mixed with external ones, a rater
column with no ratings left out.

Every message starts with a stable bracketed id such as
``[calibra.invalid_argument.agreement]``; the same id, without brackets and
without the ``calibra.`` prefix, is in the exception's ``id`` attribute.
"""

from __future__ import annotations

from calibra._core import DegenerateError, Error, InvalidArgument, ParseError, ValidationError

__all__ = ["DataWarning", "DegenerateError", "Error", "InvalidArgument", "ParseError", "ValidationError"]


class DataWarning(UserWarning):
    """Data was read, but not all of it as given: self ratings mixed with
    external ones, raters without ratings left out."""


def invalid_argument(subsystem: str, message: str) -> InvalidArgument:
    """An InvalidArgument raised by the Python layer, formatted like the C++ ones."""
    error_id = f"invalid_argument.{subsystem}"
    error = InvalidArgument(f"[calibra.{error_id}] {message}")
    error.id = error_id
    return error
