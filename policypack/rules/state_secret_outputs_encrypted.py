"""state-secret-outputs-encrypted: secret outputs are encrypted in the state."""
from __future__ import annotations

from typing import Any, Iterable, List, Mapping, Optional

from ..examples import API_KEY_VALUE, GCP_OAUTH_CLIENT_SECRET, Example, R
from ..model import UNKNOWN, Outcome, Resource, failed, passed, unknown
from ..secrets import UNMARKED_SECRET_OUTPUTS
from ..tokens.aws import SSM_PARAMETER as PARAMETER
from ..tokens.aws import API_KEY, USAGE_PLAN_KEY
from ..tokens.gcp import EVENTARC_CHANNEL, IDP_OAUTH_CONFIG
from .base import Rule


_ADF_SEARCH = "azure:datafactory/linkedServiceAzureSearch:LinkedServiceAzureSearch"


def _add_opts(props: List[str]) -> str:
    return "opts=pulumi.ResourceOptions(additional_secret_outputs=[" + ", ".join(f'"{p}"' for p in props) + "])"


def check_state_outputs(res: Resource, config: Mapping[str, Any]) -> Iterable[Outcome]:
    listed = set(res.additional_secret_outputs)
    missing: List[str] = []
    undecided: Optional[str] = None
    for prop, computed in UNMARKED_SECRET_OUTPUTS.get(res.type, ()):
        if prop in listed:
            continue
        value = res.props.get(prop)
        if value is None and not computed:
            continue
        if res.type == PARAMETER:
            kind = res.props.get("type")
            if kind is UNKNOWN:
                undecided = prop
                continue
            if kind != "SecureString":
                continue
        missing.append(prop)
    if missing:
        yield failed(f"{res.name}: output {', '.join(missing)} holds secret material that the provider does not mark "
                     f"secret, so the state stores it in plaintext; add {_add_opts(sorted(listed | set(missing)))}",
                     path=missing[0])
    elif undecided:
        yield unknown(f"type is not known during preview, so whether {undecided} holds a SecureString is open",
                      path="type")
    else:
        yield passed()


RULE = Rule(
    name="state-secret-outputs-encrypted",
    title="Secret outputs are encrypted in the state",
    description="Some provider outputs hold secret material without being marked secret, so Pulumi writes them "
                "to the state in plaintext: aws.apigateway.UsagePlanKey.value is the API key itself (ApiKey.value "
                "is marked, this copy is not); on Google Cloud, an identity platform OAuth client's clientSecret. Such "
                "a resource must list the output in additional_secret_outputs.",
    severity="high",
    enforcement="mandatory",
    kind="resource",
    check=check_state_outputs,
    resource_types=frozenset(UNMARKED_SECRET_OUTPUTS),
    remediation="Add opts=pulumi.ResourceOptions(additional_secret_outputs=[...]) with the outputs the message "
                "names, e.g. [\"value\"] on every aws.apigateway.UsagePlanKey.",
    url="https://www.pulumi.com/docs/iac/concepts/options/additionalsecretoutputs/",
    controls={"nist-800-53-r5": ["SC-28", "SC-28(1)"], "pci-dss-v4.0.1": ["8.3.2"], "pci-dss-v4.0": ["8.3.2"]},
    examples=(
        Example("usage plan key with value listed",
                [R(USAGE_PLAN_KEY, "att", {"keyId": "k", "usagePlanId": "p", "keyType": "API_KEY"},
                   additional_secret_outputs=["value"])],
                {"att": "pass"}),
        Example("usage plan key without options (preview: value not yet computed)",
                [R(USAGE_PLAN_KEY, "att", {"keyId": UNKNOWN, "usagePlanId": UNKNOWN, "keyType": "API_KEY"})],
                {"att": "fail:value"},
                controls=("nist-800-53-r5:SC-28", "nist-800-53-r5:SC-28(1)", "pci-dss-v4.0.1:8.3.2",
                          "pci-dss-v4.0:8.3.2")),
        Example("usage plan key in plaintext in an export",
                [R(USAGE_PLAN_KEY, "att", {"keyId": "k", "usagePlanId": "p", "value": API_KEY_VALUE})], {"att": "fail:value"}),
        Example("SecureString kept in insecureValue",
                [R(PARAMETER, "p", {"type": "SecureString", "insecureValue": "x"})], {"p": "fail:insecureValue"}),
        Example("String in insecureValue is plain configuration",
                [R(PARAMETER, "p", {"type": "String", "insecureValue": "x"})], {"p": "pass"}),
        Example("parameter type unknown during preview",
                [R(PARAMETER, "p", {"type": UNKNOWN, "insecureValue": "x"})], {"p": "unknown"}),
        Example("BGP peer: AWS generates the auth key when none is given",
                [R("aws:directconnect/bgpPeer:BgpPeer", "bgp", {"asn": 65000})], {"bgp": "fail:bgpAuthKey"}),
        Example("usage plan keys with and without the option",
                [R(USAGE_PLAN_KEY, "bare", {"keyId": "k"}),
                 R(USAGE_PLAN_KEY, "ok", {"keyId": "k"}, additional_secret_outputs=["value"]),
                 R(API_KEY, "key", {"value": API_KEY_VALUE})],
                {"bare": "fail:value", "ok": "pass"}),
        Example("Google: an identity provider's client secret, listed and not",
                [R(IDP_OAUTH_CONFIG, "idp", {"clientId": "c", "clientSecret": GCP_OAUTH_CLIENT_SECRET}),
                 R(IDP_OAUTH_CONFIG, "listed", {"clientId": "c", "clientSecret": GCP_OAUTH_CLIENT_SECRET},
                   additional_secret_outputs=["clientSecret"]),
                 R(IDP_OAUTH_CONFIG, "none", {"clientId": "c"})],
                {"idp": "fail:clientSecret", "listed": "pass", "none": "pass"}),
        Example("Google: an Eventarc channel's activation token is always filled in",
                [R(EVENTARC_CHANNEL, "ch", {"location": "us-central1"})], {"ch": "fail:activationToken"}),
        Example("Azure: the AI Search admin key handed to Data Factory",
                [R(_ADF_SEARCH, "bare", {"url": "https://search-ai.search.windows.net", "searchServiceKey": "x"}),
                 R(_ADF_SEARCH, "listed", {"url": "https://search-ai.search.windows.net", "searchServiceKey": "x"},
                   additional_secret_outputs=["searchServiceKey"])],
                {"bare": "fail:searchServiceKey", "listed": "pass"}),
        Example("direct connect interface with a given auth key, listed",
                [R("aws:directconnect/privateVirtualInterface:PrivateVirtualInterface", "vif", {"bgpAuthKey": "x"},
                   additional_secret_outputs=["bgpAuthKey"])],
                {"vif": "pass"}),
    ),
)
