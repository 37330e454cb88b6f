"""IT operations: routines, their check-ins, and the runs that were missed or failed."""
