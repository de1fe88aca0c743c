"""What a reproduce line is: one shell command that can be pasted as it is.

Every :attr:`verify.evidence.Evidence.reproduce` the report prints is a command: a ``python -m
verify.<module> ...`` line, or Python code run by ``python -c "<code>"``. Checkers that build the
code of a call wrap it with :func:`python_command`; :func:`shell_command` turns any reproduce
text (code or command) into the command.
"""

from __future__ import annotations

import shlex

__all__ = ["is_command", "python_command", "shell_command"]

_UNSAFE_IN_DOUBLE_QUOTES = set('"$`\\!')


def python_command(code: str) -> str:
    """``python -c "<code>"``: the code in double quotes when the shell leaves it unchanged
    there (no ``"``, ``$``, backquote, backslash or ``!``), else in single quotes
    (:func:`shlex.quote`). ``shlex.split`` of the result gives back ``code`` exactly.

    Examples
    --------
    >>> python_command("print(1 + 1)")
    'python -c "print(1 + 1)"'
    >>> python_command('print("a")')
    'python -c \\'print("a")\\''
    """
    if not isinstance(code, str) or not code.strip():
        raise ValueError("code must be a non-empty string of Python")
    if _UNSAFE_IN_DOUBLE_QUOTES.isdisjoint(code):
        return f'python -c "{code}"'
    return f"python -c {shlex.quote(code)}"


def is_command(line: str) -> bool:
    """Whether ``line`` is already a shell command: ``python -c <code>`` or ``python -m <module>``
    that :func:`shlex.split` parses."""
    if not line.startswith(("python -c ", "python -m ")):
        return False
    try:
        shlex.split(line)
    except ValueError:
        return False
    return True


def shell_command(reproduce: str) -> str:
    """``reproduce`` as a shell command: a command stays as it is, Python code (``from ...``,
    ``import ...``) is wrapped by :func:`python_command`; an empty string stays empty."""
    text = reproduce.strip()
    if not text or is_command(text):
        return text
    return python_command(text)
