// The Azure home of openiom (docs/deploy.md): one Flex Consumption function app and the services it
// talks to, every one reached with one user-assigned managed identity — no connection string or key
// in the app settings. `azd up` deploys it (azure.yaml at the repository root).
//
// test/unit/azure-templates.test.ts reads this file as text and checks it against the code (settings
// in shared/config.ts, containers in shared/adapters/cosmos/containers.ts, queue and topic names in
// shared/ports/binding-names.ts, the roles the SDK calls need). Keep to its conventions: one app
// setting per line as `{ name: '...', value: ... }`, one resource per Cosmos container with
// `paths: ['/key']` on one line, and role assignments that name the role through a `roles.*` id.

targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('azd environment name; every resource name derives from it.')
param environmentName string

@description('Region of every resource (one that offers Flex Consumption).')
param location string = resourceGroup().location

@description('Most instances the app scales out to (Flex Consumption allows up to 1000).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each instance: 2048 MB is about one core, 4096 MB about two.')
@allowed([2048, 4096])
param instanceMemoryMB int = 2048

@description('Throughput limit of the Cosmos database (shared by its containers), autoscaled from a tenth of it.')
@minValue(1000)
param cosmosMaxThroughput int = 4000

@description('Service Bus tier: Standard is shared capacity; Premium gives dedicated messaging units.')
@allowed(['Standard', 'Premium'])
param serviceBusSku string = 'Standard'

@description('Durable task hub partitions (control queues): at most this many instances run orchestrations at once.')
@minValue(1)
@maxValue(16)
param durablePartitionCount int = 4

@secure()
@description('SMTP_URL with its credentials (smtp://user:pass@host:port); stored in Key Vault. Empty: emails stay queued.')
param smtpUrl string = ''

@description('Sender address of outgoing emails (SMTP_FROM).')
param smtpFrom string = 'orders@openiom.local'

@description('Object id of the user running azd, granted Key Vault Secrets Officer so they can set provider secrets. Empty: none.')
param principalId string = ''

@description('Application (client) id of an Entra ID app registration that signs users in to the console (App Service authentication). Empty: no sign-in in front of the console; the API keeps its function keys either way.')
param consoleSignInClientId string = ''

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-openiom-${token}'
var deploymentContainerName = 'app-package-${take(token, 12)}'
var cosmosDatabaseName = 'openiom'
var smtpUrlSecretName = 'smtp-url'

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  // Cosmos DB data plane (not Azure RBAC): Cosmos DB Built-in Data Contributor.
  cosmosDataContributor: '00000000-0000-0000-0000-000000000002'
}

// ---------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-openiom-${token}'
  location: location
  tags: tags
}

// ---------------------------------------------------------------------------------------------
// Monitoring: Application Insights on a Log Analytics workspace, ingestion by Entra ID only
// ---------------------------------------------------------------------------------------------

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-openiom-${token}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-openiom-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

// ---------------------------------------------------------------------------------------------
// Storage: AzureWebJobsStorage (host, queue and blob triggers, the Durable task hub), the app's
// own queues, blobs and tables, and the deployment package. Shared keys are off.
// Queues and blob containers the triggers use are created by the host and the app at run time.
// ---------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stopeniom${take(token, 15)}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
}

// ---------------------------------------------------------------------------------------------
// Cosmos DB for NoSQL: the database and every container with its partition key, TTL and indexing.
// Local (key) auth is off: the app signs in with the managed identity (data-plane RBAC), which may
// not create containers, so they are all declared here.
// ---------------------------------------------------------------------------------------------

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: 'cosmos-openiom-${token}'
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }]
    disableLocalAuth: true
  }
}

resource cosmosDatabase 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmos
  name: cosmosDatabaseName
  properties: {
    resource: { id: cosmosDatabaseName }
    options: { autoscaleSettings: { maxThroughput: cosmosMaxThroughput } }
  }
}

// Every path indexed (queries filter on many fields: status, dates, type); the ETag never is.
var indexingPolicy = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: [{ path: '/*' }]
  excludedPaths: [{ path: '/"_etag"/?' }]
}

resource ordersContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: cosmosDatabase
  name: 'orders'
  properties: {
    resource: {
      id: 'orders'
      partitionKey: { paths: ['/orderId'], kind: 'Hash' }
      indexingPolicy: indexingPolicy
    }
  }
}

resource inventoryContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: cosmosDatabase
  name: 'inventory'
  properties: {
    resource: {
      id: 'inventory'
      partitionKey: { paths: ['/sku'], kind: 'Hash' }
      indexingPolicy: indexingPolicy
    }
  }
}

resource catalogContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: cosmosDatabase
  name: 'catalog'
  properties: {
    resource: {
      id: 'catalog'
      partitionKey: { paths: ['/key'], kind: 'Hash' }
      indexingPolicy: indexingPolicy
    }
  }
}

resource configContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: cosmosDatabase
  name: 'config'
  properties: {
    resource: {
      id: 'config'
      partitionKey: { paths: ['/kind'], kind: 'Hash' }
      indexingPolicy: indexingPolicy
    }
  }
}

// TTL on, nothing expires unless a document carries its own `ttl` (idempotency records do).
resource intakeContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: cosmosDatabase
  name: 'intake'
  properties: {
    resource: {
      id: 'intake'
      partitionKey: { paths: ['/key'], kind: 'Hash' }
      defaultTtl: -1
      indexingPolicy: indexingPolicy
    }
  }
}

resource jobsContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: cosmosDatabase
  name: 'jobs'
  properties: {
    resource: {
      id: 'jobs'
      partitionKey: { paths: ['/kind'], kind: 'Hash' }
      indexingPolicy: indexingPolicy
    }
  }
}

resource meterContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: cosmosDatabase
  name: 'meter'
  properties: {
    resource: {
      id: 'meter'
      partitionKey: { paths: ['/month'], kind: 'Hash' }
      indexingPolicy: indexingPolicy
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Service Bus: the business-events topic with its catch-all subscription, and the intake queue.
// ---------------------------------------------------------------------------------------------

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: 'sb-openiom-${token}'
  location: location
  tags: tags
  sku: { name: serviceBusSku, tier: serviceBusSku }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

// Duplicate detection: a business event's id is its message id, so a re-published event after a
// retried activity is dropped.
resource businessEventsTopic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = {
  parent: serviceBus
  name: 'business-events'
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    defaultMessageTimeToLive: 'P14D'
  }
}

resource businessEventsAll 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = {
  parent: businessEventsTopic
  name: 'all'
  properties: {
    maxDeliveryCount: 10
    deadLetteringOnMessageExpiration: true
  }
}

// Orders may arrive here as well as over HTTP; after maxDeliveryCount failed tries a message is dead-lettered.
resource serviceBusIntakeQueue 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: serviceBus
  name: 'order-intake-sb'
  properties: {
    maxDeliveryCount: 5
    deadLetteringOnMessageExpiration: true
    lockDuration: 'PT1M'
  }
}

// ---------------------------------------------------------------------------------------------
// Key Vault: secrets the app reads as Key Vault references (RBAC authorization, no access policies).
// ---------------------------------------------------------------------------------------------

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${take(token, 20)}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource smtpUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(smtpUrl)) {
  parent: keyVault
  name: smtpUrlSecretName
  properties: { value: smtpUrl }
}

// ---------------------------------------------------------------------------------------------
// Role assignments of the app's identity: what each SDK call and trigger needs, nothing more.
// ---------------------------------------------------------------------------------------------

// Host storage, blob triggers, the deployment package, archives and reports.
resource storageBlobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, appIdentity.id, roles.storageBlobDataOwner)
  properties: {
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

// Queue triggers and sends, the Durable control and work-item queues.
resource storageQueueRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, appIdentity.id, roles.storageQueueDataContributor)
  properties: {
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

// The Durable history and instances tables, and the app's own tables.
resource storageTableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, appIdentity.id, roles.storageTableDataContributor)
  properties: {
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

// Business events to the topic; resubmitted orders to the intake queue.
resource serviceBusSenderRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: serviceBus
  name: guid(serviceBus.id, appIdentity.id, roles.serviceBusDataSender)
  properties: {
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
  }
}

// The intake queue's trigger.
resource serviceBusReceiverRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: serviceBus
  name: guid(serviceBus.id, appIdentity.id, roles.serviceBusDataReceiver)
  properties: {
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
  }
}

// Key Vault references in app settings are resolved with this identity (keyVaultReferenceIdentity).
resource keyVaultSecretsUserRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, appIdentity.id, roles.keyVaultSecretsUser)
  properties: {
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

// The deploying user may set secrets (docs/deploy.md: provider secrets).
resource keyVaultOfficerRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  scope: keyVault
  name: guid(keyVault.id, principalId, roles.keyVaultSecretsOfficer)
  properties: {
    // No principalType: azd may run as a user or as a service principal (CI).
    principalId: principalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

// Telemetry ingestion with Entra ID (the component has local auth off).
resource monitoringPublisherRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, appIdentity.id, roles.monitoringMetricsPublisher)
  properties: {
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// Cosmos data plane: read and write items in every container of the account.
resource cosmosDataRole 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmos
  name: guid(cosmos.id, appIdentity.id, roles.cosmosDataContributor)
  properties: {
    principalId: appIdentity.properties.principalId
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${roles.cosmosDataContributor}'
    scope: cosmos.id
  }
}

// ---------------------------------------------------------------------------------------------
// The function app on Flex Consumption
// ---------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-openiom-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

// Settings the host and the app read (shared/config.ts lists the app's). Flex Consumption sets the
// runtime in functionAppConfig, so FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are not here.
var baseAppSettings = [
  { name: 'AzureWebJobsStorage__accountName', value: storage.name }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: appIdentity.properties.clientId }
  { name: 'COSMOS_ENDPOINT', value: cosmos.properties.documentEndpoint }
  { name: 'COSMOS_DATABASE', value: cosmosDatabaseName }
  { name: 'SERVICEBUS_CONNECTION__fullyQualifiedNamespace', value: '${serviceBus.name}.servicebus.windows.net' }
  { name: 'SERVICEBUS_CONNECTION__credential', value: 'managedidentity' }
  { name: 'SERVICEBUS_CONNECTION__clientId', value: appIdentity.properties.clientId }
  { name: 'AZURE_CLIENT_ID', value: appIdentity.properties.clientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${appIdentity.properties.clientId};Authorization=AAD' }
  { name: 'AzureFunctionsJobHost__extensions__durableTask__storageProvider__partitionCount', value: string(durablePartitionCount) }
  { name: 'SMTP_FROM', value: smtpFrom }
]

// A Key Vault reference, resolved by the platform with keyVaultReferenceIdentity; set only when the
// secret exists, since an unresolved reference would reach the app as text.
var smtpAppSettings = empty(smtpUrl)
  ? []
  : [
      { name: 'SMTP_URL', value: '@Microsoft.KeyVault(SecretUri=${keyVault.properties.vaultUri}secrets/${smtpUrlSecretName}/)' }
    ]

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${appIdentity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: appIdentity.id
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: concat(baseAppSettings, smtpAppSettings)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: appIdentity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'node', version: '20' }
    }
  }
  dependsOn: [
    storageBlobRole
    storageQueueRole
    storageTableRole
    serviceBusSenderRole
    serviceBusReceiverRole
    keyVaultSecretsUserRole
    monitoringPublisherRole
    cosmosDataRole
    ordersContainer
    inventoryContainer
    catalogContainer
    configContainer
    intakeContainer
    jobsContainer
    meterContainer
    deploymentContainer
  ]
}

// App Service authentication in front of the console: a browser without a session is sent to the
// Entra ID sign-in. The API paths are left out, since storefronts, webhooks and integrators call
// them with function keys and cannot follow a login redirect. Without a client secret the platform
// uses the ID-token flow, so the app registration must issue ID tokens.
resource consoleSignIn 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(consoleSignInClientId)) {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: ['/api/*', '/runtime/*']
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: consoleSignInClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: { allowedAudiences: [consoleSignInClientId] }
      }
    }
    login: { tokenStore: { enabled: true } }
    httpSettings: { requireHttps: true }
  }
}

// azd reads these into the environment (azd env get-values).
output AZURE_LOCATION string = location
output AZURE_FUNCTION_APP_NAME string = functionApp.name
output SERVICE_API_NAME string = functionApp.name
output SERVICE_API_URI string = 'https://${functionApp.properties.defaultHostName}'
output AZURE_KEY_VAULT_NAME string = keyVault.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.properties.vaultUri
output AZURE_COSMOS_ENDPOINT string = cosmos.properties.documentEndpoint
output AZURE_STORAGE_ACCOUNT_NAME string = storage.name
output AZURE_SERVICEBUS_NAMESPACE string = '${serviceBus.name}.servicebus.windows.net'
