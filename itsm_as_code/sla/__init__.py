"""Service level management: working-time calendars, SLA clocks and the KPI report.

Everything here is computed from the records and a `now` passed in by the caller; no
module below the command line reads the wall clock.
"""
