"""How far ahead of the run's now a time of what happened may lie (`time-future`): the
clocks of the machine that wrote a record and of the one that checks it never agree to
the second. Its own module, so the command's help and the kept result read it without
importing the rules."""

from __future__ import annotations

from datetime import timedelta

from itsm_as_code.timefmt import format_duration

TOLERANCE = timedelta(minutes=5)
ALLOWED = format_duration(int(TOLERANCE.total_seconds()))
