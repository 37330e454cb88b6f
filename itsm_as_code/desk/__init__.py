"""The service desk's front door: issue forms from the catalogue, GitHub issues and e-mails
into records, answers back to the requester, and later updates mirrored to the issue."""
