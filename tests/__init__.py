"""keyguard's tests, one package so a helper is imported by its name (tests.builders,
tests.engine.harness) from any test, benchmark or shell at the repo root, without sys.path edits."""
