"""One lifecycle step from the command line: `itsm update`, `itsm ack`, `itsm resolve`, ...

A step on a record with a timeline (incident, service request, maintenance) is one new
timeline entry, written as an update file beside the record (authoring/updates.py); what
the entry does to the record's fields is model/steps.py's. A step on a problem or a known
error, and a link on an incident, is an edit of the record file that keeps everything it
does not change (authoring/edit.py). Either way the record after the step is checked
against the repository and against the base revision's lifecycle rules before anything
is written, and nothing is written when it would be invalid.

`request.py` holds what the command line asks for, `verbs.py` what each verb does by
default, `run.py` the whole step.
"""
