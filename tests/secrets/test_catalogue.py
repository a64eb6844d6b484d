"""The catalogues against the installed pulumi-aws SDK: property names exist, and the
outputs called unmarked really are not marked secret by pulumi-aws."""
import importlib
import inspect
import re

import pytest

from policypack.secrets import SECRET_ATTRIBUTES, UNMARKED_SECRET_OUTPUTS


def _snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _resource_source(token):
    pkg, rest = token.split(":", 1)
    module, cls = rest.split(":")
    mod = importlib.import_module(f"pulumi_{pkg}.{module.split('/')[0]}.{_snake(module.split('/')[1])}")
    return getattr(mod, cls)


def _marked_secret(cls):
    return _marked_in_source(inspect.getsource(cls))


AWS_ATTRS = [(t, p) for t, props in SECRET_ATTRIBUTES.items() if t.startswith("aws:") for p in props]
UNMARKED = [(t, p) for t, entries in UNMARKED_SECRET_OUTPUTS.items() for p, _ in entries]


@pytest.mark.parametrize("token,prop", AWS_ATTRS, ids=[f"{t}.{p}" for t, p in AWS_ATTRS])
def test_secret_attribute_exists(token, prop):
    cls = _resource_source(token)
    assert hasattr(cls, _snake(prop)), f"{token} has no output {prop}"


@pytest.mark.parametrize("token,prop", UNMARKED, ids=[f"{t}.{p}" for t, p in UNMARKED])
def test_unmarked_output_is_not_marked_by_pulumi_aws(token, prop):
    cls = _resource_source(token)
    assert hasattr(cls, _snake(prop))
    assert prop not in _marked_secret(cls), f"pulumi-aws now marks {token}.{prop}; drop it from the catalogue"


def test_the_api_key_itself_is_marked_so_only_its_copy_is_listed():
    assert "value" in _marked_secret(_resource_source("aws:apigateway/apiKey:ApiKey"))


def _marked_in_source(src):
    marked = set()
    for group in re.findall(r"additional_secret_outputs=\[([^\]]*)\]", src):
        marked |= set(re.findall(r'"([^"]+)"', group))
    for snake in re.findall(r'__props__\.__dict__\["(\w+)"\] = None if \w+ is None else pulumi\.Output\.secret', src):
        parts = snake.split("_")
        marked.add(parts[0] + "".join(p.title() for p in parts[1:]))
    return marked


def _every_marked_secret_output(package="aws"):
    """(type, output) for every output the installed pulumi-<package> marks secret, read from the
    SDK's sources (importing every module would take minutes)."""
    import importlib
    import os

    root = os.path.dirname(importlib.import_module(f"pulumi_{package}").__file__)
    found = set()
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".py") or name.startswith(("_", "get_")):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as fh:
                src = fh.read()
            token = re.search(r'@pulumi\.type_token\("([^"]+)"\)\nclass \w+\(pulumi\.(?:Custom|Provider)', src) \
                or re.search(r'super\(\w+, __self__\).__init__\(\s*\'(' + package + r':[^\']+|' + package + r')\'', src)
            if token:
                tok = token.group(1)
                tok = f"pulumi:providers:{package}" if tok == package else tok
                found |= {(tok, prop) for prop in _marked_in_source(src)}
    return found


def test_every_output_pulumi_aws_marks_secret_is_catalogued():
    from policypack.secrets.catalogue import NOT_SECRET_MATERIAL

    marked = _every_marked_secret_output()
    assert len(marked) > 100  # the scan of the SDK found them (79 resource types in pulumi-aws 7.51)
    missing = sorted(f"{t}.{p}" for t, p in marked
                     if not p.endswith("Wo")  # write-only: never stored, never an output
                     and p not in SECRET_ATTRIBUTES.get(t, ()) and (t, p) not in NOT_SECRET_MATERIAL)
    assert missing == [], "add these to SECRET_ATTRIBUTES (or, with a reason, to NOT_SECRET_MATERIAL)"


def test_the_appsync_api_key_is_secret_material():
    assert SECRET_ATTRIBUTES["aws:appsync/apiKey:ApiKey"] == ("key",)


def test_not_secret_material_entries_are_still_marked_by_pulumi_aws():
    from policypack.secrets.catalogue import NOT_SECRET_MATERIAL

    aws = {(t, p) for t, p in NOT_SECRET_MATERIAL if t.startswith("aws:") or t == "pulumi:providers:aws"}
    stale = sorted(f"{t}.{p}" for t, p in aws - _every_marked_secret_output())
    assert stale == []
