"""What every renderer shows the same way: resource names, severity and status order."""
from __future__ import annotations

SEVERITY_ORDER = ("critical", "high", "medium", "low")
# When a policy says several things about one resource, the worst one leads.
STATUS_RANK = {"fail": 0, "unknown": 1, "waived": 2, "pass": 3, "not_applicable": 4}


def resource_name(urn: str) -> str:
    """A URN's last segment, the name people gave the resource; stack-level results have none."""
    return urn.rsplit("::", 1)[-1] if urn else "(stack)"
