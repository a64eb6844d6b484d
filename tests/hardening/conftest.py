"""Print how many examples each fuzz target ran (`make fuzz` shows the totals)."""


def pytest_terminal_summary(terminalreporter):
    from .test_fuzz import EXAMPLES, TOTALS

    if not TOTALS:
        return
    terminalreporter.section(f"fuzz totals (KEYGUARD_FUZZ_EXAMPLES={EXAMPLES})")
    for target, count in sorted(TOTALS.items()):
        terminalreporter.write_line(f"{count:>8}  {target}")
    terminalreporter.write_line(f"{sum(TOTALS.values()):>8}  examples in all, over {len(TOTALS)} targets")
