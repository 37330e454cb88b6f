"""What the git history says about records: their stories (`itsm log`) and audits."""
