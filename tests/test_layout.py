"""One policy, one file: the layout the registry discovers, checked both ways."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

from policypack import registry
from policypack.registry import RULES
from policypack.rules.base import Rule

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "policypack" / "rules"
RULE_FILES = sorted(p for p in RULES_DIR.glob("*.py") if p.stem not in registry.NOT_RULES | {"__init__"})


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_every_registered_rule_lives_in_the_file_its_name_gives(rule):
    path = RULES_DIR / (rule.name.replace("-", "_") + ".py")
    assert path.exists(), f"{rule.name} should live in {path.relative_to(ROOT)}"
    module = sys.modules[registry.module_for(rule.name)]
    assert module.RULE is rule


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.stem for p in RULE_FILES])
def test_every_rule_file_registers_exactly_one_rule(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    built = [n for n in ast.walk(tree)
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "Rule"]
    assert len(built) == 1, f"{path.name} builds {len(built)} Rule objects"
    module = sys.modules[f"policypack.rules.{path.stem}"]
    rules_here = [v for v in vars(module).values() if isinstance(v, Rule)]
    assert rules_here == [module.RULE]
    assert module.RULE in RULES


def test_no_rule_is_built_outside_the_rules_folder():
    offenders = []
    for path in (ROOT / "policypack").rglob("*.py"):
        if path.parent == RULES_DIR:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "Rule"
               for n in ast.walk(tree)):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


def test_rule_files_import_no_other_rule_file():
    """Shared helpers live in named modules; a rule file that imports another is a hidden one."""
    stems = {p.stem for p in RULE_FILES}
    for path in RULE_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for n in ast.walk(tree):
            if isinstance(n, ast.ImportFrom) and n.level == 1 and n.module in stems:
                pytest.fail(f"{path.name} imports rule file {n.module}")


def test_a_file_holding_the_wrong_policy_is_refused(tmp_path):
    """Discovery refuses a file whose policy name does not give its path, naming both."""
    pkg = tmp_path / "policypack"
    subprocess.run(["cp", "-r", str(ROOT / "policypack"), str(pkg)], check=True)
    src = (RULES_DIR / "kms_key_deletion_window.py").read_text(encoding="utf-8")
    (pkg / "rules" / "kms_key_deletion_window.py").unlink()
    (pkg / "rules" / "kms_window.py").write_text(src, encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", "import policypack.registry"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert out.returncode != 0
    assert "policypack.rules.kms_window holds policy 'kms-key-deletion-window'" in out.stderr
