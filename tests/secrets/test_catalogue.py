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
    src = inspect.getsource(cls)
    marked = set()
    for group in re.findall(r"additional_secret_outputs=\[([^\]]*)\]", src):
        marked |= set(re.findall(r'"([^"]+)"', group))
    for snake in re.findall(r'__props__\.__dict__\["(\w+)"\] = None if \w+ is None else pulumi\.Output\.secret', src):
        parts = snake.split("_")
        marked.add(parts[0] + "".join(p.title() for p in parts[1:]))
    return marked


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
