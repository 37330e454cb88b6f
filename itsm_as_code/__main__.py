"""`python -m itsm_as_code` runs the `itsm` command line."""

from itsm_as_code.cli.main import main

main()
