"""Type tokens of the two Azure providers keyguard judges: azure-native and the classic `azure`.

Each resource kind is named once per provider; the rules route on both and read each
provider's own property spelling (see the PropertyCheck paths in the azure rules).
The tokens were read from pulumi-azure-native 3.29.0 and pulumi-azure 6.40.1.
"""

# -- azure-native -------------------------------------------------------------------------
NATIVE_VAULT = "azure-native:keyvault:Vault"
NATIVE_KEY = "azure-native:keyvault:Key"
NATIVE_SECRET = "azure-native:keyvault:Secret"
NATIVE_COGNITIVE_ACCOUNT = "azure-native:cognitiveservices:Account"
NATIVE_WEB_APP = "azure-native:web:WebApp"
NATIVE_WEB_APP_SLOT = "azure-native:web:WebAppSlot"
NATIVE_APP_SETTINGS = "azure-native:web:WebAppApplicationSettings"
NATIVE_APP_SETTINGS_SLOT = "azure-native:web:WebAppApplicationSettingsSlot"
NATIVE_CONNECTION_STRINGS = "azure-native:web:WebAppConnectionStrings"
NATIVE_CONNECTION_STRINGS_SLOT = "azure-native:web:WebAppConnectionStringsSlot"
NATIVE_CONTAINER_APP = "azure-native:app:ContainerApp"
NATIVE_ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
NATIVE_STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
NATIVE_SQL_SERVER = "azure-native:sql:Server"
NATIVE_PROVIDER = "pulumi:providers:azure-native"

# -- classic azure ------------------------------------------------------------------------
CLASSIC_VAULT = "azure:keyvault/keyVault:KeyVault"
CLASSIC_KEY = "azure:keyvault/key:Key"
CLASSIC_SECRET = "azure:keyvault/secret:Secret"
CLASSIC_COGNITIVE_ACCOUNT = "azure:cognitive/account:Account"
CLASSIC_AI_SERVICES = "azure:cognitive/aIServices:AIServices"
CLASSIC_ROLE_ASSIGNMENT = "azure:authorization/assignment:Assignment"
CLASSIC_CONTAINER_APP = "azure:containerapp/app:App"
CLASSIC_STORAGE_ACCOUNT = "azure:storage/account:Account"
CLASSIC_PROVIDER = "pulumi:providers:azure"
# App Service apps whose `appSettings` is a map and `connectionStrings` a list of {name, type, value}.
CLASSIC_LINUX_WEB_APP = "azure:appservice/linuxWebApp:LinuxWebApp"
CLASSIC_WINDOWS_WEB_APP = "azure:appservice/windowsWebApp:WindowsWebApp"
CLASSIC_LINUX_FUNCTION_APP = "azure:appservice/linuxFunctionApp:LinuxFunctionApp"
CLASSIC_WINDOWS_FUNCTION_APP = "azure:appservice/windowsFunctionApp:WindowsFunctionApp"
CLASSIC_LINUX_WEB_APP_SLOT = "azure:appservice/linuxWebAppSlot:LinuxWebAppSlot"
CLASSIC_WINDOWS_WEB_APP_SLOT = "azure:appservice/windowsWebAppSlot:WindowsWebAppSlot"
CLASSIC_LINUX_FUNCTION_APP_SLOT = "azure:appservice/linuxFunctionAppSlot:LinuxFunctionAppSlot"
CLASSIC_WINDOWS_FUNCTION_APP_SLOT = "azure:appservice/windowsFunctionAppSlot:WindowsFunctionAppSlot"
# The deprecated app kinds that older programs (and pulumi/examples) still write.
CLASSIC_APP_SERVICE = "azure:appservice/appService:AppService"
CLASSIC_FUNCTION_APP = "azure:appservice/functionApp:FunctionApp"
CLASSIC_APP_SLOT = "azure:appservice/slot:Slot"
CLASSIC_FUNCTION_APP_SLOT = "azure:appservice/functionAppSlot:FunctionAppSlot"

CLASSIC_APPS = (CLASSIC_LINUX_WEB_APP, CLASSIC_WINDOWS_WEB_APP, CLASSIC_LINUX_FUNCTION_APP,
                CLASSIC_WINDOWS_FUNCTION_APP, CLASSIC_LINUX_WEB_APP_SLOT, CLASSIC_WINDOWS_WEB_APP_SLOT,
                CLASSIC_LINUX_FUNCTION_APP_SLOT, CLASSIC_WINDOWS_FUNCTION_APP_SLOT, CLASSIC_APP_SERVICE,
                CLASSIC_FUNCTION_APP, CLASSIC_APP_SLOT, CLASSIC_FUNCTION_APP_SLOT)

# Both spellings of a role assignment, for the rule that judges it whichever provider wrote it.
ROLE_ASSIGNMENTS = (NATIVE_ROLE_ASSIGNMENT, CLASSIC_ROLE_ASSIGNMENT)
