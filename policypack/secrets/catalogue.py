"""Where secret material lives in a stack: resource types and the properties that hold it.

Two catalogues. `SECRET_ATTRIBUTES` lists properties whose value *is* a secret,
wherever it ends up; the index matches other values against them.
`UNMARKED_SECRET_OUTPUTS` lists the subset that pulumi-aws does not mark secret,
so their value lands in the state in plaintext unless the program lists them in
`additional_secret_outputs`; tests/secrets/test_catalogue.py checks each entry
against the installed pulumi_aws SDK.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from ..model import UNKNOWN
from ..tokens import gcp
from ..tokens import azure as az
from ..tokens.aws import API_KEY, SECRET_VERSION, SSM_PARAMETER, USAGE_PLAN_KEY
from ..tokens.common import STACK_CONFIG


_DIRECT_CONNECT_BGP = (
    "aws:directconnect/bgpPeer:BgpPeer",
    "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface",
    "aws:directconnect/publicVirtualInterface:PublicVirtualInterface",
    "aws:directconnect/transitVirtualInterface:TransitVirtualInterface",
    "aws:directconnect/hostedPrivateVirtualInterface:HostedPrivateVirtualInterface",
    "aws:directconnect/hostedPublicVirtualInterface:HostedPublicVirtualInterface",
    "aws:directconnect/hostedTransitVirtualInterface:HostedTransitVirtualInterface",
)

# --- Google Cloud (pulumi-gcp 10.x) -------------------------------------------------------------
# Every output pulumi-gcp marks secret that is secret material (tests/secrets/test_catalogue_gcp.py
# fails when a release marks one that is neither here nor in NOT_SECRET_MATERIAL), then the
# outputs that hold secret material but that pulumi-gcp leaves unmarked.
_GOOGLE_SECRET_ATTRIBUTES: Dict[str, Tuple[str, ...]] = {
    # The seed's pattern on Google: the generated API key belongs in a SecretVersion, nowhere else.
    gcp.API_KEY: ("keyString",),
    gcp.SECRET_VERSION: ("secretData",),
    gcp.REGIONAL_SECRET_VERSION: ("secretData",),
    # A service-account key file (base64 JSON with the private key).
    gcp.SERVICE_ACCOUNT_KEY: ("privateKey",),
    gcp.SECRET_CIPHERTEXT: ("plaintext",),
    "gcp:activedirectory/domainTrust:DomainTrust": ("trustHandshakeSecret",),
    "gcp:alloydb/user:User": ("password",),
    "gcp:apigee/developerApp:DeveloperApp": ("consumerSecret",),
    "gcp:apigee/keystoresAliasesKeyCertFile:KeystoresAliasesKeyCertFile": ("key", "password"),
    "gcp:chronicle/feed:Feed": ("secret",),
    "gcp:composer/userWorkloadsSecret:UserWorkloadsSecret": ("data",),
    "gcp:compute/backendBucketSignedUrlKey:BackendBucketSignedUrlKey": ("keyValue",),
    "gcp:compute/backendServiceSignedUrlKey:BackendServiceSignedUrlKey": ("keyValue",),
    "gcp:compute/caExternalAccountKey:CaExternalAccountKey": ("b64MacKey", "b64urlMacKey", "macKey"),
    "gcp:compute/regionSslCertificate:RegionSslCertificate": ("privateKey",),
    "gcp:compute/sSLCertificate:SSLCertificate": ("privateKey",),
    "gcp:compute/vPNTunnel:VPNTunnel": ("sharedSecret",),
    "gcp:firebase/appCheckDebugToken:AppCheckDebugToken": ("token",),
    "gcp:firebase/appCheckDeviceCheckConfig:AppCheckDeviceCheckConfig": ("privateKey",),
    "gcp:firebase/appCheckRecaptchaV3Config:AppCheckRecaptchaV3Config": ("siteSecret",),
    "gcp:firestore/userCreds:UserCreds": ("securePassword",),
    "gcp:iam/oauthClientCredential:OauthClientCredential": ("clientSecret",),
    "gcp:iam/workforcePoolProviderScimToken:WorkforcePoolProviderScimToken": ("securityToken",),
    "gcp:netapp/activeDirectory:ActiveDirectory": ("password",),
    "gcp:redis/instance:Instance": ("authString",),
    "gcp:securesourcemanager/hook:Hook": ("sensitiveQueryString",),
    "gcp:sql/databaseInstance:DatabaseInstance": ("rootPassword", "replicaConfiguration"),
    "gcp:sql/sourceRepresentationInstance:SourceRepresentationInstance": ("password",),
    "gcp:sql/sslCert:SslCert": ("privateKey",),
    "gcp:sql/user:User": ("password",),
    "gcp:storage/bucketObject:BucketObject": ("customerEncryption",),
    "gcp:storage/hmacKey:HmacKey": ("secret",),
    gcp.GCP_PROVIDER: ("accessToken",),
}

# Outputs holding secret material that pulumi-gcp (10.2) does not mark secret, read from its
# sources (tests/secrets/test_catalogue.py checks each is still unmarked); `computed` as below.
_GOOGLE_UNMARKED: Dict[str, Tuple[Tuple[str, bool], ...]] = {
    # The client secret of an identity provider's OAuth client, stored as given.
    **{t: (("clientSecret", False),) for t in (
        gcp.IDP_OAUTH_CONFIG,
        "gcp:identityplatform/tenantOauthIdpConfig:TenantOauthIdpConfig",
        "gcp:identityplatform/defaultSupportedIdpConfig:DefaultSupportedIdpConfig",
        "gcp:identityplatform/tenantDefaultSupportedIdpConfig:TenantDefaultSupportedIdpConfig")},
    "gcp:apigee/keystoresAliasesPkcs12:KeystoresAliasesPkcs12": (("password", False),),
    "gcp:oracledatabase/autonomousDatabase:AutonomousDatabase": (("adminPassword", False),),
    # The Google API key Cloud Build puts on the Bitbucket webhook's URL.
    "gcp:cloudbuild/bitbucketServerConfig:BitbucketServerConfig": (("apiKey", False),),
    # Google issues it; whoever holds it can register as the channel's publisher.
    gcp.EVENTARC_CHANNEL: (("activationToken", True),),
}

# -- Azure ---------------------------------------------------------------------------------
# The secret-bearing properties of the Azure resources keyguard knows, in both providers.
# Classic `azure` (pulumi-azure 6.40.1): every entry is an output the SDK marks secret
# (additional_secret_outputs), except where UNMARKED_SECRET_OUTPUTS says otherwise;
# tests/secrets/test_azure_catalogue.py checks both against the installed SDK. azure-native
# (3.29.0) returns no key in a resource's outputs (keys come from list* invokes): only the
# inputs a program writes hold secrets there, so a dotted path names the nested input.
_CLASSIC_FUNCTION_APPS = (az.CLASSIC_LINUX_FUNCTION_APP, az.CLASSIC_WINDOWS_FUNCTION_APP,
                          az.CLASSIC_LINUX_FUNCTION_APP_SLOT, az.CLASSIC_WINDOWS_FUNCTION_APP_SLOT,
                          az.CLASSIC_FUNCTION_APP, az.CLASSIC_FUNCTION_APP_SLOT)
AZURE_SECRET_ATTRIBUTES: Dict[str, Tuple[str, ...]] = {
    az.CLASSIC_SECRET: ("value",),
    az.NATIVE_SECRET: ("properties.value",),
    az.CLASSIC_STORAGE_ACCOUNT: ("primaryAccessKey", "secondaryAccessKey", "primaryConnectionString",
                                 "secondaryConnectionString", "primaryBlobConnectionString",
                                 "secondaryBlobConnectionString"),
    az.CLASSIC_COGNITIVE_ACCOUNT: ("primaryAccessKey", "secondaryAccessKey", "customQuestionAnsweringSearchServiceKey"),
    az.CLASSIC_AI_SERVICES: ("primaryAccessKey", "secondaryAccessKey"),
    # The storage account key a function app is given to reach its content share.
    **{t: ("storageAccountAccessKey",) for t in _CLASSIC_FUNCTION_APPS},
    # Databases, VMs, registries and messaging: passwords, keys and the connection strings
    # that carry them (a connection string that embeds one of these is found by value).
    "azure:mssql/server:Server": ("administratorLoginPassword",),
    "azure:compute/linuxVirtualMachine:LinuxVirtualMachine": ("adminPassword",),
    "azure:compute/windowsVirtualMachine:WindowsVirtualMachine": ("adminPassword",),
    "azure:postgresql/flexibleServer:FlexibleServer": ("administratorPassword",),
    "azure:mysql/flexibleServer:FlexibleServer": ("administratorPassword",),
    "azure:containerservice/registry:Registry": ("adminPassword",),
    "azure:cosmosdb/account:Account": ("primaryKey", "secondaryKey", "primaryReadonlyKey", "secondaryReadonlyKey",
                                       "primarySqlConnectionString", "secondarySqlConnectionString"),
    "azure:redis/cache:Cache": ("primaryAccessKey", "secondaryAccessKey", "primaryConnectionString",
                                "secondaryConnectionString"),
    **{t: ("defaultPrimaryConnectionString", "defaultPrimaryKey", "defaultSecondaryConnectionString",
           "defaultSecondaryKey")
       for t in ("azure:servicebus/namespace:Namespace", "azure:eventhub/eventHubNamespace:EventHubNamespace")},
    "azure:search/service:Service": ("primaryKey", "secondaryKey"),
    az.NATIVE_SQL_SERVER: ("administratorLoginPassword",),
    "azure-native:compute:VirtualMachine": ("osProfile.adminPassword",),
    "azure-native:dbforpostgresql:Server": ("administratorLoginPassword",),
    "azure-native:dbformysql:Server": ("administratorLoginPassword",),
    # An Azure AI Search admin key that Data Factory is handed, stored unmarked.
    "azure:datafactory/linkedServiceAzureSearch:LinkedServiceAzureSearch": ("searchServiceKey",),
    # The providers' own credentials, when a program passes them explicitly.
    az.CLASSIC_PROVIDER: ("clientSecret", "clientCertificatePassword", "oidcToken", "oidcRequestToken"),
    az.NATIVE_PROVIDER: ("clientSecret", "clientCertificatePassword"),
}
# -- end of Azure ---------------------------------------------------------------------------

SECRET_ATTRIBUTES: Dict[str, Tuple[str, ...]] = {
    **AZURE_SECRET_ATTRIBUTES,
    API_KEY: ("value",),
    # The API key again, copied by the provider from the key it attaches.
    USAGE_PLAN_KEY: ("value",),
    SECRET_VERSION: ("secretString", "secretBinary"),
    "aws:iam/accessKey:AccessKey": ("secret", "sesSmtpPasswordV4"),
    "aws:iam/userLoginProfile:UserLoginProfile": ("password",),
    "aws:iam/serviceSpecificCredential:ServiceSpecificCredential": ("servicePassword", "serviceCredentialSecret"),
    "random:index/randomPassword:RandomPassword": ("result",),
    "tls:index/privateKey:PrivateKey": ("privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8"),
    "aws:rds/instance:Instance": ("password",),
    "aws:rds/cluster:Cluster": ("masterPassword",),
    "aws:docdb/cluster:Cluster": ("masterPassword",),
    "aws:redshift/cluster:Cluster": ("masterPassword",),
    "aws:elasticache/replicationGroup:ReplicationGroup": ("authToken",),
    "aws:cognito/userPoolClient:UserPoolClient": ("clientSecret",),
    "aws:lightsail/keyPair:KeyPair": ("privateKey",),
    # A String parameter's value is configuration; only a SecureString's is a secret.
    SSM_PARAMETER: ("value", "insecureValue"),
    "aws:directoryservice/trust:Trust": ("trustPassword",),
    "aws:kms/customKeyStore:CustomKeyStore": ("keyStorePassword",),
    **{t: ("bgpAuthKey",) for t in _DIRECT_CONNECT_BGP},
    # Every other credential-bearing output pulumi-aws marks secret; tests/secrets/test_catalogue.py
    # fails when a release marks one that is neither here nor in NOT_SECRET_MATERIAL.
    "aws:acm/certificate:Certificate": ("privateKey",),
    "aws:amplify/app:App": ("accessToken", "oauthToken", "basicAuthCredentials"),
    "aws:amplify/branch:Branch": ("basicAuthCredentials",),
    "aws:apigateway/domainName:DomainName": ("certificatePrivateKey",),
    "aws:appsync/apiKey:ApiKey": ("key",),
    "aws:bedrock/agentcoreApiKeyCredentialProvider:AgentcoreApiKeyCredentialProvider": ("apiKey",),
    "aws:codebuild/sourceCredential:SourceCredential": ("token",),
    "aws:codebuild/webhook:Webhook": ("secret",),
    "aws:cognito/managedUserPoolClient:ManagedUserPoolClient": ("clientSecret",),
    "aws:cognito/user:User": ("password", "temporaryPassword"),
    "aws:connect/user:User": ("password",),
    "aws:datasync/locationFsxWindows:LocationFsxWindows": ("password",),
    "aws:datasync/locationObjectStorage:LocationObjectStorage": ("secretKey",),
    "aws:datasync/locationSmb:LocationSmb": ("password",),
    "aws:directoryservice/directory:Directory": ("password",),
    "aws:directoryservice/radiusSettings:RadiusSettings": ("sharedSecret",),
    "aws:dms/certificate:Certificate": ("certificateWallet",),
    "aws:dms/endpoint:Endpoint": ("password",),
    "aws:docdb/elasticCluster:ElasticCluster": ("adminUserPassword",),
    "aws:ec2/vpnConnection:VpnConnection": ("tunnel1PresharedKey", "tunnel2PresharedKey",
                                            "customerGatewayConfiguration"),
    "aws:elasticache/user:User": ("passwords",),
    "aws:fsx/ontapFileSystem:OntapFileSystem": ("fsxAdminPassword",),
    "aws:fsx/ontapStorageVirtualMachine:OntapStorageVirtualMachine": ("svmAdminPassword",),
    "aws:grafana/workspaceApiKey:WorkspaceApiKey": ("key",),
    "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken": ("key",),
    "aws:iam/serverCertificate:ServerCertificate": ("privateKey",),
    "aws:iot/certificate:Certificate": ("privateKey",),
    "aws:kms/ciphertext:Ciphertext": ("plaintext",),
    "aws:kms/externalKey:ExternalKey": ("keyMaterialBase64",),
    "aws:kms/replicaExternalKey:ReplicaExternalKey": ("keyMaterialBase64",),
    "aws:kms/grant:Grant": ("grantToken",),
    "aws:lightsail/bucketAccessKey:BucketAccessKey": ("secretAccessKey",),
    "aws:lightsail/database:Database": ("masterPassword",),
    "aws:odb/autonomousDatabase:AutonomousDatabase": ("adminPassword",),
    "aws:pinpoint/admChannel:AdmChannel": ("clientSecret",),
    **{f"aws:pinpoint/{m}:{m[0].upper()}{m[1:]}": ("privateKey", "tokenKey")
       for m in ("apnsChannel", "apnsSandboxChannel", "apnsVoipChannel", "apnsVoipSandboxChannel")},
    "aws:pinpoint/baiduChannel:BaiduChannel": ("apiKey", "secretKey"),
    "aws:pinpoint/gcmChannel:GcmChannel": ("apiKey", "serviceJson"),
    "aws:redshift/hsmConfiguration:HsmConfiguration": ("hsmPartitionPassword",),
    "aws:redshiftserverless/namespace:Namespace": ("adminUserPassword",),
    "aws:s3/objectCopy:ObjectCopy": ("customerKey", "sourceCustomerKey"),
    "aws:sns/platformApplication:PlatformApplication": ("platformCredential",),
    "aws:storagegateway/fileSystemAssociation:FileSystemAssociation": ("password",),
    "aws:storagegateway/gateway:Gateway": ("smbGuestPassword",),
    "aws:timestreaminfluxdb/dbCluster:DbCluster": ("password",),
    "aws:timestreaminfluxdb/dbInstance:DbInstance": ("password",),
    "aws:transfer/certificate:Certificate": ("privateKey",),
    "aws:transfer/hostKey:HostKey": ("hostKeyBody",),
    "aws:transfer/server:Server": ("hostKey",),
    "aws:wafv2/apiKey:ApiKey": ("apiKey",),
    "aws:workmail/user:User": ("password",),
    # The values of a stack's secret config keys, when the engine hands them over
    # (ConfigureStack); see inputs/stackconfig.py.
    STACK_CONFIG: ("secretValues",),
    # The provider's own credentials, when a program passes them explicitly.
    "pulumi:providers:aws": ("secretKey", "token"),
    **_GOOGLE_SECRET_ATTRIBUTES,
    **{t: tuple(p for p, _ in entries) for t, entries in _GOOGLE_UNMARKED.items()},
}

# Outputs pulumi-aws marks secret that are not secret material in themselves, with why.
# Write-only inputs (names ending in "Wo") are never stored in outputs and need no entry.
NOT_SECRET_MATERIAL: Dict[Tuple[str, str], str] = {
    ("aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion", "content"): "configuration data",
    ("aws:bedrock/agentcoreHarness:AgentcoreHarness", "environmentVariables"): "a map of settings",
    ("aws:cloudcontrol/resource:Resource", "schema"): "the resource type's schema",
    ("aws:directoryservice/sharedDirectory:SharedDirectory", "notes"): "free text for the other account",
    ("aws:dms/certificate:Certificate", "certificatePem"): "a public certificate",
    ("aws:glue/connection:Connection", "athenaProperties"): "a map of settings",
    ("aws:glue/connection:Connection", "connectionProperties"): "a map of settings (its PASSWORD entry is "
                                                               "judged where it flows, by name)",
    ("aws:iot/authorizer:Authorizer", "tokenSigningPublicKeys"): "public keys",
    ("aws:iot/caCertificate:CaCertificate", "caCertificatePem"): "a public certificate",
    ("aws:iot/caCertificate:CaCertificate", "verificationCertificatePem"): "a public certificate",
    ("aws:iot/certificate:Certificate", "caPem"): "a public certificate",
    ("aws:iot/certificate:Certificate", "certificatePem"): "a public certificate",
    ("aws:iot/certificate:Certificate", "publicKey"): "a public key",
    ("aws:mwaa/environment:Environment", "airflowConfigurationOptions"): "a map of settings",
    **{(f"aws:pinpoint/{m}:{m[0].upper()}{m[1:]}", p): "an identifier or a public certificate"
       for m in ("apnsChannel", "apnsSandboxChannel", "apnsVoipChannel", "apnsVoipSandboxChannel")
       for p in ("bundleId", "certificate", "teamId", "tokenKeyId")},
    ("aws:pinpoint/admChannel:AdmChannel", "clientId"): "an identifier",
    ("aws:redshiftserverless/namespace:Namespace", "adminUsername"): "a user name",
    ("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "token"): "an Object Lock token",
    ("aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2", "token"): "an Object Lock token",
    ("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "token"): "an Object Lock token",
    ("aws:s3/objectCopy:ObjectCopy", "kmsEncryptionContext"): "an encryption context",
    ("aws:s3/objectCopy:ObjectCopy", "kmsKeyId"): "a key id",
    ("aws:sns/platformApplication:PlatformApplication", "platformPrincipal"): "a certificate or an identifier",
    ("aws:transfer/certificate:Certificate", "certificate"): "a public certificate",
    ("aws:transfer/certificate:Certificate", "certificateChain"): "public certificates",
    ("aws:transfer/server:Server", "postAuthenticationLoginBanner"): "a banner",
    ("aws:transfer/server:Server", "preAuthenticationLoginBanner"): "a banner",
    ("pulumi:providers:aws", "accessKey"): "an access key id (its format is recognised where it flows)",
    # Google Cloud
    ("gcp:compute/caExternalAccountKey:CaExternalAccountKey", "keyId"): "an identifier",
    ("gcp:compute/regionSslCertificate:RegionSslCertificate", "certificate"): "a public certificate",
    ("gcp:compute/sSLCertificate:SSLCertificate", "certificate"): "a public certificate",
    ("gcp:edgecontainer/cluster:Cluster", "clusterCaCertificate"): "a public certificate",
    ("gcp:kms/secretCiphertext:SecretCiphertext", "additionalAuthenticatedData"): "authenticated, not secret, data",
    ("gcp:parametermanager/parameterVersion:ParameterVersion", "parameterData"): "configuration data",
    ("gcp:parametermanager/regionalParameterVersion:RegionalParameterVersion", "parameterData"): "configuration data",
    ("gcp:runtimeconfig/variable:Variable", "text"): "configuration data",
    ("gcp:runtimeconfig/variable:Variable", "value"): "configuration data",
    ("gcp:sql/databaseInstance:DatabaseInstance", "serverCaCerts"): "public certificates",
    ("gcp:sql/sslCert:SslCert", "cert"): "a public certificate",
    ("gcp:sql/sslCert:SslCert", "serverCaCert"): "a public certificate",
    ("gcp:storage/bucketObject:BucketObject", "content"): "an object's body (judged where it flows)",
}


def _is_secure_string(props: Mapping[str, Any]) -> Any:
    kind = props.get("type")
    return UNKNOWN if kind is UNKNOWN else kind == "SecureString"


# (type, property) -> predicate over the resource's props: True, False or UNKNOWN.
CONDITIONS: Dict[Tuple[str, str], Callable[[Mapping[str, Any]], Any]] = {
    (SSM_PARAMETER, "value"): _is_secure_string,
    (SSM_PARAMETER, "insecureValue"): _is_secure_string,
}


def holds_secret(rtype: str, prop: str, props: Mapping[str, Any]) -> Any:
    """Whether `prop` of a resource of type `rtype` holds a secret: True, False or UNKNOWN."""
    if prop not in SECRET_ATTRIBUTES.get(rtype, ()):
        return False
    cond = CONDITIONS.get((rtype, prop))
    return True if cond is None else cond(props)


# Outputs holding secret material that pulumi-aws (7.x) leaves unmarked. `computed`
# ones are filled by the provider even when the program never sets them.
UNMARKED_SECRET_OUTPUTS: Dict[str, Tuple[Tuple[str, bool], ...]] = {
    # The API key itself; ApiKey.value is marked secret, this copy is not.
    USAGE_PLAN_KEY: (("value", True),),
    # insecureValue is meant for plain configuration, so a SecureString put there is stored as is.
    SSM_PARAMETER: (("insecureValue", False),),
    "aws:directoryservice/trust:Trust": (("trustPassword", False),),
    "aws:kms/customKeyStore:CustomKeyStore": (("keyStorePassword", False),),
    # AWS generates a BGP MD5 key when none is given, and the provider records it.
    **{t: (("bgpAuthKey", True),) for t in _DIRECT_CONNECT_BGP},
    **_GOOGLE_UNMARKED,
    # Azure (pulumi-azure 6.40.1): the AI Search admin key Data Factory is given is not marked.
    "azure:datafactory/linkedServiceAzureSearch:LinkedServiceAzureSearch": (("searchServiceKey", False),),
}

# Names that announce a secret ("DB_PASSWORD", "apiKey", "x-api-key", "client_secret")...
_SECRET_NAME = re.compile(
    r"(pass(word|wd|phrase)?|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|"
    r"credential|auth[-_]?key|signing[-_]?key|connection[-_]?string|^key$|[-_]key$|(?-i:(?<=[a-z])Key$))",
    re.IGNORECASE,
)
# ...unless they name a reference to one ("SECRET_ARN", "apiKeyId", "TOKEN_URL").
_REFERENCE_SUFFIX = re.compile(
    r"([-_.]?(arn|id|ids|name|names|alias|region|url|uri|endpoint|path|version|type|header|prefix|"
    r"length|ttl|expiry|expiration|enabled|source))$",
    re.IGNORECASE,
)


# ...or a key that is public by design ("LANGFUSE_PUBLIC_KEY", Stripe's "publishableKey").
_PUBLIC_KEY = re.compile(r"public[-_]?key|publishable", re.IGNORECASE)


# The three patterns as text, for the program runner's child, which imports nothing from keyguard.
NAME_PATTERNS = [_SECRET_NAME.pattern, _REFERENCE_SUFFIX.pattern, _PUBLIC_KEY.pattern]


def secret_like_name(name: Optional[str]) -> bool:
    if not name:
        return False
    last = re.split(r"[.\[\]]", name.strip("]"))[-1] or name
    return bool(_SECRET_NAME.search(last)) and not _REFERENCE_SUFFIX.search(last) and not _PUBLIC_KEY.search(last)


# Secret inputs the program may write: the catalogue's inputs, less the API key, which
# apigateway-api-key-generated judges, and the copies the provider makes of other resources' secrets.
LITERAL_INPUT_EXCLUDED = frozenset({API_KEY, USAGE_PLAN_KEY})

# How `keyguard scan DIR` records that a secret input's value is written in the program: the
# property depends on its own resource, a link no engine makes (it would be a cycle). Only the
# program runner knows (the value is known, computed from no resource and read from no config);
# the engine and stack exports cannot tell a literal from a value read from config, so they
# never carry it.
def written_in_program(res: Any, prop: str) -> bool:
    return res.urn in res.depends_on(prop)
