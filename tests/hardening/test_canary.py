"""The canary test (issue 13): a unique value planted in every string property of every
resource of every rule's examples (inside JSON documents too) and in every secret-bearing
attribute never appears in any message, path, report format, engine answer or log line."""
from __future__ import annotations

import io
import itertools
import json
import os
import re
from typing import Any, List

import pytest

from policypack.cli import run
from policypack.evaluate import evaluate
from policypack.model import UNKNOWN, Resource
from policypack.registry import RULES
from policypack.report import FORMATS, build, render
from policypack.secrets import SECRET_ATTRIBUTES

_counter = itertools.count()
CANARY = re.compile(r"cnry\d{5}")


def _canary() -> str:
    # Token-like, so that the secret rules judge it, and unique, so that any echo is seen.
    return f"cnry{next(_counter):05d}Xq7Lm2Vt9Rb4Kd"


def _plant(value: Any) -> Any:
    if value is UNKNOWN or value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        try:
            doc = json.loads(value)
        except ValueError:
            return _canary()
        if isinstance(doc, (dict, list)):
            return json.dumps(_plant(doc))  # a policy document: plant inside it
        return _canary()
    if isinstance(value, dict):
        return {k: _plant(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plant(v) for v in value]
    return value


def _planted_resources() -> List[Resource]:
    out, seen = [], set()
    for rule in RULES:
        for ex in rule.examples:
            for r in ex.resources:
                res = r.build()
                if res.urn in seen:
                    res = Resource(res.type, f"{res.name}{len(seen)}", f"{res.urn}{len(seen)}", res.props,
                                   id=res.id, parent=res.parent, dependencies=res.dependencies,
                                   property_dependencies=res.property_dependencies,
                                   additional_secret_outputs=res.additional_secret_outputs)
                seen.add(res.urn)
                props = _plant(dict(res.props))
                for attr in SECRET_ATTRIBUTES.get(res.type, ()):
                    props[attr] = _canary()
                out.append(Resource(res.type, res.name, res.urn, props, id=res.id, parent=res.parent,
                                    dependencies=res.dependencies, property_dependencies=res.property_dependencies,
                                    additional_secret_outputs=res.additional_secret_outputs))
    return out


@pytest.fixture(scope="module")
def planted():
    resources = _planted_resources()
    text = json.dumps([r.props for r in resources], default=str)
    assert len(set(CANARY.findall(text))) > 300, "the canaries were planted"
    return resources


def _assert_no_canary(where: str, text: str) -> None:
    found = CANARY.findall(text)
    assert not found, f"{where} echoes planted values: {sorted(set(found))[:5]}"


def test_canary_never_in_a_message_or_path(planted):
    results = evaluate(planted, RULES)
    assert any(r.status.value == "fail" for r in results)
    for r in results:
        _assert_no_canary(f"{r.policy} message", r.message)
        _assert_no_canary(f"{r.policy} path", r.path)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_canary_never_in_any_report_format(planted, fmt):
    report = build(evaluate(planted, RULES), sources=["planted"])
    _assert_no_canary(fmt, render(fmt, report))


def test_canary_never_in_the_scanners_output_or_log_lines(planted, tmp_path):
    export = {"version": 3, "deployment": {"manifest": {}, "resources": [
        {"urn": r.urn, "type": r.type, "custom": True, "id": r.id if isinstance(r.id, str) else None,
         "inputs": r.props, "outputs": r.props, "parent": r.parent, "dependencies": list(r.dependencies),
         "propertyDependencies": {k: list(v) for k, v in r.property_dependencies.items()}}
        for r in planted]}}
    f = tmp_path / "planted.json"
    f.write_text(json.dumps(export, default=lambda v: "04da6b54-80e4-46f7-96ec-b56ff0331ba9"))
    for fmt in sorted(FORMATS):
        out, err = io.StringIO(), io.StringIO()
        code = run(["scan", str(f), "--format", fmt], stdout=out, stderr=err)
        assert code in (0, 1), err.getvalue()
        _assert_no_canary(f"scan --format {fmt} stdout", out.getvalue())
        _assert_no_canary(f"scan --format {fmt} stderr", err.getvalue())


def test_canary_never_in_an_engine_answer(planted):
    from tests.engine.harness import ENGINE_ENV, Res, pb
    from pulumi_policy import EnforcementLevel

    from policypack import crossguard, routing
    from policypack.registry import PACK_NAME

    os.environ.update(ENGINE_ENV)
    for cls in (routing.servicer_class(),):
        servicer = cls(PACK_NAME, "0.0.1", crossguard.build_policies(), EnforcementLevel.MANDATORY)
        engine = [Res(r.type, r.name, dict(r.props), urn=r.urn) for r in planted]
        for res in engine:
            req = res.analyze_request()
            for d in servicer.Analyze(req, None).diagnostics:
                _assert_no_canary(f"Analyze {d.policyName}", d.message)
        stack = servicer.AnalyzeStack(pb.AnalyzeStackRequest(resources=[r.stack_resource() for r in engine]), None)
        assert stack.diagnostics
        for d in stack.diagnostics:
            _assert_no_canary(f"AnalyzeStack {d.policyName}", d.message)
