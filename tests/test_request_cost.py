"""What a request or a scan costs does not grow with work it does not need (issue 23).

- the routing servicer walks the pack's policies once per resource type, not per Analyze,
  and walks them again after Configure, which may change their levels;
- an action set is spelled out only as far as a message shows it;
- what a statement grants is worked out once per document text and context, and every
  IAM rule that judges the same document shares it;
- `keyguard scan` of an export never imports the engine stack (pulumi, grpc, pulumi-policy),
  nor detect-secrets and `requests` for values none of its plugins could find anything in.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf import empty_pb2
from pulumi_policy import EnforcementLevel

from policypack import crossguard, routing
from policypack.evaluate import evaluate
from policypack.examples import R
from policypack.iam import actions as db
from policypack.iam import grants
from policypack.iam.document import parse_cached
from policypack.registry import BY_NAME, PACK_NAME
from policypack.tokens.aws import ROLE_POLICY
from tests.engine.harness import ENGINE_ENV, Res, Unknown, pb, reconcile

ROOT = Path(__file__).resolve().parent.parent


# -- the routing servicer's index by type ----------------------------------------------------

@pytest.fixture
def servicer(monkeypatch):
    for k, v in ENGINE_ENV.items():
        monkeypatch.setenv(k, v)
    s = routing.servicer_class()(PACK_NAME, "0.0.1", crossguard.build_policies(), EnforcementLevel.ADVISORY)

    def configure(config=None):
        info = s.GetAnalyzerInfo(empty_pb2.Empty(), None)
        req = pb.ConfigureAnalyzerRequest()
        for name, msg in reconcile(info.policies, config).items():
            req.policyConfig[name].CopyFrom(msg)
        s.Configure(req, None)
    s.configure = configure
    configure()
    return s


_BYPASS = Res("aws:kms/key:Key", "k", {"bypassPolicyLockoutSafetyCheck": True, "enableKeyRotation": True})
_SECRET = Res("aws:secretsmanager/secret:Secret", "s", {"kmsKeyId": Unknown(), "recoveryWindowInDays": 7})


def _violations(servicer, res: Res, policy: str):
    resp = servicer.Analyze(res.analyze_request(), None)
    return [d for d in resp.diagnostics if d.policyName == policy]


def test_the_pack_is_walked_once_per_type_not_per_request(servicer, monkeypatch):
    from policypack.rules.base import Rule

    asked = []
    real = Rule.applies_to
    monkeypatch.setattr(Rule, "applies_to", lambda self, t: asked.append((self.name, t)) or real(self, t))
    for _ in range(50):
        servicer.Analyze(_BYPASS.analyze_request(), None)
        servicer.Analyze(_SECRET.analyze_request(), None)
    resource_rules = sum(1 for p in servicer._policies() if BY_NAME[p.name].kind == "resource")
    assert len(asked) == 2 * resource_rules  # one walk for Key, one for Secret


def test_configure_changes_what_a_type_is_routed_to(servicer):
    policy = "kms-key-no-lockout-bypass"
    assert [d.enforcementLevel for d in _violations(servicer, _BYPASS, policy)] == [pb.MANDATORY]
    servicer.configure({policy: "disabled"})
    assert _violations(servicer, _BYPASS, policy) == []
    servicer.configure({policy: "advisory"})
    assert [d.enforcementLevel for d in _violations(servicer, _BYPASS, policy)] == [pb.ADVISORY]


# -- action sets: spelled out only as far as a message shows ---------------------------------

def _names_by_full_sort(acts, limit=6):
    shown = sorted(db.display(a) for a in acts)
    head = ", ".join(shown[:limit])
    return head if len(shown) <= limit else f"{head} and {len(shown) - limit} more"


@pytest.mark.parametrize("patterns", [
    ("*",),
    ("s3:*", "iam:Pass*"),
    ("kms:Decrypt", "kms:Encrypt"),
    ("secretsmanager:GetSecretValue", "newservice:DoThing", "aaa:NotInTheDatabase", "zzz:Neither"),
    ("ec2:Describe*", "Ec2:NotAnAction", "ec2:AAAFirst"),
    ("s3:*", "aaa:NotInTheDatabase", "s3:AAAA", "zzz:Neither"),  # a large set with strangers on both ends
    ("iam:*", "s3:*", "kms:*"),
])
def test_names_match_a_full_sort(patterns):
    acts = db.expand_all(patterns)
    assert grants.names(acts) == _names_by_full_sort(acts)
    assert grants.names(acts, limit=1) == _names_by_full_sort(acts, limit=1)


def test_a_star_grant_is_named_without_spelling_out_every_action(monkeypatch):
    every = db.expand_all(("*",))
    assert len(every) > 10000
    spelled = []
    monkeypatch.setattr(db, "display", lambda a: spelled.append(a) or a)
    message = grants.names(every)
    assert spelled == []  # every action of `*` is in the database: ranked, not spelled out
    assert message.endswith(f"and {len(every) - 6} more")


# -- document judgements shared across rules --------------------------------------------------

_DOC = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:*", "secretsmanager:Get*", "kms:Decrypt", "ecr:GetAuthorizationToken", "iam:CreateAccessKey"], "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}]})

_IAM_RULES = ("iam-policy-sensitive-actions-scoped", "iam-policy-no-data-exfiltration",
              "iam-policy-no-credentials-exposure", "iam-policy-no-privilege-escalation")


def test_what_a_statement_grants_is_worked_out_once_for_every_rule(monkeypatch):
    parse_cached(_DOC, "identity").memo.clear()  # a fresh start for this text
    calls = []
    real = grants._on
    monkeypatch.setattr(grants, "_on", lambda *a: calls.append(a[1]) or real(*a))
    res = [R(ROLE_POLICY, "p", {"policy": _DOC}).build()]
    per_rule = []
    for name in _IAM_RULES:
        before = len(calls)
        results = evaluate(res, [BY_NAME[name]])
        assert {r.status.value for r in results} == {"fail"}, name
        per_rule.append(len(calls) - before)
    assert per_rule[0] > 0
    assert per_rule[1:] == [0] * (len(_IAM_RULES) - 1)


def test_the_same_text_judged_again_gives_the_same_findings():
    res = [R(ROLE_POLICY, "p", {"policy": _DOC}).build()]
    rules = [BY_NAME[n] for n in _IAM_RULES]
    first = [(r.policy, r.status, r.message) for r in evaluate(res, rules)]
    parse_cached(_DOC, "identity").memo.clear()
    again = [(r.policy, r.status, r.message) for r in evaluate(res, rules)]
    assert first == again and first


def test_the_bare_default_context_keeps_nothing():
    doc = parse_cached(_DOC, "identity")
    for s in doc.statements:
        grants.unscoped_actions(s)
        grants.star_actions(s)
    assert grants._BARE.memo is None


# -- the scanner leaves the engine stack alone ------------------------------------------------

_PROBE = ("import sys; from policypack.cli import main; code = main(sys.argv[1:]); "
          "print(sorted({m.split('.')[0] for m in sys.modules} & {'pulumi', 'pulumi_policy', 'grpc', "
          "'detect_secrets', 'requests'}))")


def test_scanning_an_export_imports_no_engine_stack_nor_detect_secrets(tmp_path):
    # Nor detect-secrets (and the `requests` it imports) once its plugins' patterns are cached
    # (secrets/plugin_screen.py) when no value of the export could hold what they find.
    out = tmp_path / "report.json"
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "KEYGUARD_CACHE_DIR": str(tmp_path / "cache")}
    args = [sys.executable, "-c", _PROBE, "scan", str(ROOT / "tests" / "data" / "stack-export.json"),
            "--format", "json", "--output", str(out)]
    first, again = (subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
                    for _ in range(2))
    assert first.stdout.strip().splitlines()[-1] == "['detect_secrets', 'requests']", first.stderr
    assert again.stdout.strip().splitlines()[-1] == "[]", again.stderr
    assert json.loads(out.read_text())["schema"]


# -- the cyclic collector does not walk what lives until a scan's process ends ------------------

_GC_PROBE = """
import gc, json, sys
gens = []
gc.callbacks.append(lambda phase, info: phase == "start" and gens.append(info["generation"]))
from policypack.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, gc.isenabled(), gc.get_freeze_count(), sorted(set(gens))]))
"""


def test_the_keyguard_process_leaves_startup_and_scan_objects_to_the_end(tmp_path):
    export = ROOT / "tests" / "data" / "stack-export.json"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", _GC_PROBE, "scan", str(export), "--format", "json", "--output",
                           str(tmp_path / "r.json")], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    code, enabled, frozen, gens = json.loads(proc.stdout.strip().splitlines()[-1])
    assert code in (0, 1) and enabled, proc.stderr
    assert frozen > 10_000  # modules, rules, results: left out of every later collection
    assert 2 not in gens  # no collection of the oldest generation while the scan ran


def test_an_in_process_scan_leaves_the_callers_collector_alone(tmp_path):
    import gc

    from policypack.cli import run

    frozen = gc.get_freeze_count()
    code = run(["scan", str(ROOT / "tests" / "data" / "stack-export.json"), "--format", "json",
                "--output", str(tmp_path / "r.json")])
    assert code in (0, 1)
    assert gc.isenabled() and gc.get_freeze_count() == frozen


# -- first-use tables are loaded when Configure comes, not by the first requests ----------------

_WARM = """
import os, sys, json
from tests.engine.harness import ENGINE_ENV, pb
os.environ.update(ENGINE_ENV)
from pulumi_policy import EnforcementLevel
from policypack import crossguard, routing, warmup
from policypack.iam import actions, risk
from policypack.secrets import formats
from policypack.registry import PACK_NAME

def loaded():
    return [f.cache_info().currsize for f in (actions._index, risk.escalation_methods, formats._plugins)]

s = routing.servicer_class()(PACK_NAME, "0.0.1", crossguard.build_policies(), EnforcementLevel.ADVISORY)
before = loaded()
s.Configure(pb.ConfigureAnalyzerRequest(), None)
warmup.start().join(120)
print(json.dumps([before, loaded()]))
"""


def test_configure_loads_first_use_tables_in_the_background():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", _WARM], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    # Nothing but our line on stdout: the pack's stdout is the engine's channel.
    assert json.loads(proc.stdout) == [[0, 0, 0], [1, 1, 1]]
