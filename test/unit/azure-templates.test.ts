import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { IDENTITY_FORM_OF, SETTING_NAMES } from '../../shared/config';
import { CONTAINERS } from '../../shared/adapters/cosmos/containers';
import {
  businessEventsAllSubscription,
  businessEventsTopicName,
  serviceBusIntakeQueueName,
} from '../../shared/ports/binding-names';

/*
 * No Bicep compiler runs here, so this test reads infra/azure/main.bicep as text and checks that it
 * agrees with the code: every setting the app reads is set (or deliberately left to its default),
 * every Cosmos container is declared with the code's partition key and TTL, every Service Bus queue,
 * topic and subscription exists, and the identity the app signs in as holds every role its SDK
 * calls and triggers need. The template's conventions it relies on are stated at its top.
 */

const root = join(__dirname, '..', '..');
const bicepPath = join(root, 'infra', 'azure', 'main.bicep');

/** Built-in role ids, from the Azure RBAC and Cosmos DB documentation: a wrong GUID in the template fails. */
const BUILT_IN_ROLES = {
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  'Azure Service Bus Data Sender': '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  'Azure Service Bus Data Receiver': '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
  'Cosmos DB Built-in Data Contributor': '00000000-0000-0000-0000-000000000002',
} as const;
type RoleName = keyof typeof BUILT_IN_ROLES;

/** Settings of shared/config.ts the template leaves unset on purpose, and why. */
const DELIBERATELY_UNSET: Readonly<Record<string, string>> = {
  AzureWebJobsStorage: 'identity form AzureWebJobsStorage__accountName instead: no account key in settings',
  COSMOS_KEY: 'Cosmos local auth is off; AZURE_CLIENT_ID signs in through data-plane RBAC',
  SERVICEBUS_CONNECTION: 'identity form SERVICEBUS_CONNECTION__fullyQualifiedNamespace instead',
  OPENIOM_FUNCTIONS_KEY: 'Azure checks function keys itself; the local host needs this one',
  OPENIOM_MAX_BODY_BYTES: 'default 1 MiB, the same as host.json maxRequestBodySize',
  OPENIOM_MAX_ORDER_LINES: 'default 1000 (IOM limit)',
  SMTP_URL:
    'a Key Vault reference, set only when the deployment is given an SMTP URL (else emails stay queued)',
  OPENIOM_ATP_DAYS: 'default 7 days',
  OPENIOM_HOLD_RECHECK_SCHEDULE: 'default daily at 02:00 UTC',
  OPENIOM_HOLD_CANCEL_AFTER_DAYS: 'default: never cancel held lines',
  OPENIOM_PLAN_TIME_LIMIT_SECONDS: 'default 2 s',
  OPENIOM_ALERTS_SCHEDULE: 'default every minute',
  OPENIOM_TRACES:
    'spans go to Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING), not a local file',
  OPENIOM_DATA_DIR: 'the local span file is not written in Azure',
};

interface BicepResource {
  symbol: string;
  type: string;
  body: string;
  /** The top-level `name:` expression, quotes removed when it is a literal. */
  name: string;
}

/** Every `resource sym 'type@api' = {...}` with its body, by brace matching (strings hold no braces here). */
function parseResources(bicep: string): BicepResource[] {
  const resources: BicepResource[] = [];
  const header = /^resource (\w+) '([^'@]+)@[^']+' = (?:if \(.*\) )?\{$/gm;
  for (let match = header.exec(bicep); match !== null; match = header.exec(bicep)) {
    const open = match.index + match[0].length - 1;
    let depth = 0;
    let end = open;
    for (; end < bicep.length; end++) {
      if (bicep[end] === '{') depth++;
      else if (bicep[end] === '}' && --depth === 0) break;
    }
    const body = bicep.slice(open + 1, end);
    const name = /^ {2}name: (.+)$/m.exec(body)?.[1]?.trim() ?? '';
    resources.push({ symbol: match[1]!, type: match[2]!, body, name: name.replace(/^'(.*)'$/, '$1') });
  }
  return resources;
}

/** `{ name: 'X', value: ... }` lines: the app settings. */
function parseAppSettings(bicep: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const match of bicep.matchAll(/^\s*\{ name: '([\w.]+)', value: (.+) \}$/gm)) {
    settings.set(match[1]!, match[2]!.trim());
  }
  return settings;
}

/** The `var roles = { key: 'guid' ... }` map. */
function parseRoleIds(bicep: string): Map<string, string> {
  const block = /^var roles = \{([\s\S]*?)^\}/m.exec(bicep)?.[1] ?? '';
  return new Map([...block.matchAll(/^\s*(\w+): '([0-9a-f-]{36})'$/gm)].map((m) => [m[1]!, m[2]!] as const));
}

interface CodeFacts {
  settings: readonly string[];
  identityFormOf: Readonly<Record<string, string>>;
  containers: Readonly<Record<string, { partitionKeyPath: string; defaultTtl?: number }>>;
  serviceBusQueues: readonly string[];
  topics: readonly { name: string; subscriptions: readonly string[] }[];
  /** `connection` settings named by trigger and output bindings in functions/. */
  bindingConnections: readonly string[];
  usesDurable: boolean;
  serviceBusTriggers: boolean;
}

function codeFacts(): CodeFacts {
  const topology = JSON.parse(
    readFileSync(join(root, 'infra', 'local', 'services', 'service-bus', 'topology.json'), 'utf8')
  ) as { queues: { name: string }[]; topics: { name: string; subscriptions: { name: string }[] }[] };
  const entryPoints = readdirSync(join(root, 'functions'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(join(root, 'functions', file), 'utf8'))
    .join('\n');
  const topics = new Map<string, Set<string>>([
    [businessEventsTopicName, new Set([businessEventsAllSubscription])],
  ]);
  for (const topic of topology.topics) {
    const subscriptions = topics.get(topic.name) ?? new Set<string>();
    topic.subscriptions.forEach((s) => subscriptions.add(s.name));
    topics.set(topic.name, subscriptions);
  }
  return {
    settings: SETTING_NAMES,
    identityFormOf: IDENTITY_FORM_OF,
    containers: CONTAINERS,
    serviceBusQueues: [...new Set([serviceBusIntakeQueueName, ...topology.queues.map((q) => q.name)])],
    topics: [...topics].map(([name, subs]) => ({ name, subscriptions: [...subs] })),
    bindingConnections: [...new Set([...entryPoints.matchAll(/connection: '(\w+)'/g)].map((m) => m[1]!))],
    usesDurable: /df\.app\.orchestration\(/.test(entryPoints),
    serviceBusTriggers: /app\.serviceBus(Queue|Topic)\(/.test(entryPoints),
  };
}

/** Every disagreement between the template and the code, as sentences; empty when they agree. */
function templateMismatches(bicep: string, code: CodeFacts): string[] {
  const problems: string[] = [];
  const resources = parseResources(bicep);
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const bySymbol = new Map(resources.map((r) => [r.symbol, r]));
  const settings = parseAppSettings(bicep);

  // Settings: each one the app reads is set, set in its identity form, or deliberately left out.
  for (const name of code.settings) {
    if (settings.has(name)) continue;
    const identityForm = code.identityFormOf[name];
    if (identityForm !== undefined && settings.has(identityForm)) continue;
    if (name in DELIBERATELY_UNSET) continue;
    problems.push(`setting ${name} (read by shared/config.ts) is not set`);
  }
  for (const name of settings.keys()) {
    if (/^(COSMOS|OPENIOM|SMTP)_/.test(name) && !code.settings.includes(name)) {
      problems.push(`setting ${name} is set but shared/config.ts does not read it`);
    }
  }
  for (const [name, value] of settings) {
    if (/AccountKey=|SharedAccessKey=|AccountEndpoint=.*AccountKey/i.test(value)) {
      problems.push(`setting ${name} holds a key`);
    }
  }

  // Binding connections: identity-based, with the credential and the identity's client id.
  const identities = ofType('Microsoft.ManagedIdentity/userAssignedIdentities');
  const clientIdOf = (value: string | undefined) =>
    identities.find((identity) => value === `${identity.symbol}.properties.clientId`);
  const appIdentity = clientIdOf(settings.get('AZURE_CLIENT_ID'));
  if (appIdentity === undefined)
    problems.push('AZURE_CLIENT_ID is not the client id of a user-assigned identity');
  for (const connection of code.bindingConnections) {
    const address =
      settings.get(`${connection}__accountName`) ?? settings.get(`${connection}__fullyQualifiedNamespace`);
    if (address === undefined)
      problems.push(`binding connection ${connection} has no identity-based address`);
    if (settings.get(`${connection}__credential`) !== "'managedidentity'") {
      problems.push(`binding connection ${connection}__credential is not 'managedidentity'`);
    }
    if (clientIdOf(settings.get(`${connection}__clientId`)) !== appIdentity) {
      problems.push(`binding connection ${connection}__clientId is not the app's identity`);
    }
  }
  const storageAccounts = ofType('Microsoft.Storage/storageAccounts');
  const storageAccount = storageAccounts.find(
    (s) => settings.get('AzureWebJobsStorage__accountName') === `${s.symbol}.name`
  );
  // Storage queues and blob containers are created by the host and the app at run time; the account must exist.
  if (storageAccount === undefined)
    problems.push('AzureWebJobsStorage__accountName names no storage account of the template');
  const serviceBusNamespace = ofType('Microsoft.ServiceBus/namespaces')[0];
  if (serviceBusNamespace === undefined) problems.push('no Service Bus namespace');

  // Cosmos containers: same partition key and TTL, with an indexing policy.
  const declared = new Map(
    ofType('Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers').map((c) => [c.name, c])
  );
  for (const [name, spec] of Object.entries(code.containers)) {
    const container = declared.get(name);
    if (container === undefined) {
      problems.push(`Cosmos container ${name} is not declared`);
      continue;
    }
    const paths = /paths: \[([^\]]*)\]/
      .exec(container.body)?.[1]
      ?.match(/'[^']*'/g)
      ?.map((p) => p.slice(1, -1));
    if (paths?.length !== 1 || paths[0] !== spec.partitionKeyPath) {
      problems.push(
        `Cosmos container ${name}: partition key ${JSON.stringify(paths)} in the template, ${spec.partitionKeyPath} in the code`
      );
    }
    const ttl = /defaultTtl: (-?\d+)/.exec(container.body)?.[1];
    const expectedTtl = spec.defaultTtl === undefined ? undefined : String(spec.defaultTtl);
    if (ttl !== expectedTtl) {
      problems.push(
        `Cosmos container ${name}: defaultTtl ${ttl ?? 'unset'} in the template, ${expectedTtl ?? 'unset'} in the code`
      );
    }
    if (!/indexingPolicy:/.test(container.body))
      problems.push(`Cosmos container ${name} has no indexing policy`);
  }
  for (const name of declared.keys()) {
    if (!(name in code.containers))
      problems.push(`Cosmos container ${name} is declared but the code has none of that name`);
  }

  // Service Bus queues, topics and subscriptions.
  const queues = new Set(ofType('Microsoft.ServiceBus/namespaces/queues').map((q) => q.name));
  for (const queue of code.serviceBusQueues) {
    if (!queues.has(queue)) problems.push(`Service Bus queue ${queue} is not declared`);
  }
  const topics = ofType('Microsoft.ServiceBus/namespaces/topics');
  const subscriptions = ofType('Microsoft.ServiceBus/namespaces/topics/subscriptions');
  for (const topic of code.topics) {
    const declaredTopic = topics.find((t) => t.name === topic.name);
    if (declaredTopic === undefined) {
      problems.push(`Service Bus topic ${topic.name} is not declared`);
      continue;
    }
    for (const subscription of topic.subscriptions) {
      const found = subscriptions.some(
        (s) => s.name === subscription && new RegExp(`parent: ${declaredTopic.symbol}$`, 'm').test(s.body)
      );
      if (!found) problems.push(`Service Bus subscription ${topic.name}/${subscription} is not declared`);
    }
  }

  // Roles the app's identity needs, on the resource each SDK call reaches.
  const roleIds = parseRoleIds(bicep);
  for (const [key, id] of roleIds) {
    const known = Object.entries(BUILT_IN_ROLES).find(([, builtIn]) => builtIn === id);
    if (known === undefined && key !== 'keyVaultSecretsOfficer')
      problems.push(`roles.${key} = ${id} is not a role this app needs`);
  }
  const granted = [
    ...ofType('Microsoft.Authorization/roleAssignments'),
    ...ofType('Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments'),
  ].map((assignment) => ({
    principal: /^ {4}principalId: (.+)$/m.exec(assignment.body)?.[1]?.trim(),
    roleId: roleIds.get(/roleDefinitionId: .*roles\.(\w+)/.exec(assignment.body)?.[1] ?? ''),
    scope: /^ {2}(?:scope|parent): (\w+)$/m.exec(assignment.body)?.[1],
  }));
  const needed: { role: RoleName; on: string | undefined; why: string }[] = [];
  if (code.bindingConnections.includes('AzureWebJobsStorage') || code.usesDurable) {
    needed.push(
      {
        role: 'Storage Blob Data Owner',
        on: storageAccount?.symbol,
        why: 'host, blob triggers, deployment package',
      },
      {
        role: 'Storage Queue Data Contributor',
        on: storageAccount?.symbol,
        why: 'queue triggers, Durable queues',
      },
      {
        role: 'Storage Table Data Contributor',
        on: storageAccount?.symbol,
        why: 'Durable history and instances',
      }
    );
  }
  needed.push({
    role: 'Azure Service Bus Data Sender',
    on: serviceBusNamespace?.symbol,
    why: 'business events, resubmits',
  });
  if (code.serviceBusTriggers) {
    needed.push({
      role: 'Azure Service Bus Data Receiver',
      on: serviceBusNamespace?.symbol,
      why: 'Service Bus trigger',
    });
  }
  needed.push({
    role: 'Cosmos DB Built-in Data Contributor',
    on: ofType('Microsoft.DocumentDB/databaseAccounts')[0]?.symbol,
    why: 'every repository',
  });
  if ([...settings.values()].some((v) => v.includes('@Microsoft.KeyVault('))) {
    needed.push({
      role: 'Key Vault Secrets User',
      on: ofType('Microsoft.KeyVault/vaults')[0]?.symbol,
      why: 'Key Vault references',
    });
  }
  if (/Authorization=AAD/.test(settings.get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING') ?? '')) {
    needed.push({
      role: 'Monitoring Metrics Publisher',
      on: ofType('Microsoft.Insights/components')[0]?.symbol,
      why: 'telemetry with Entra ID',
    });
  }
  const principal = appIdentity === undefined ? undefined : `${appIdentity.symbol}.properties.principalId`;
  for (const need of needed) {
    const ok = granted.some(
      (g) => g.principal === principal && g.roleId === BUILT_IN_ROLES[need.role] && g.scope === need.on
    );
    if (!ok)
      problems.push(
        `the app's identity lacks ${need.role} on ${need.on ?? '(missing resource)'} (${need.why})`
      );
  }

  // The function app runs as that identity and resolves Key Vault references with it.
  const site = ofType('Microsoft.Web/sites')[0];
  if (site === undefined) problems.push('no function app');
  else if (appIdentity !== undefined) {
    if (!site.body.includes(`'\${${appIdentity.symbol}.id}': {}`))
      problems.push('the function app does not run as the app identity');
    if (!site.body.includes(`keyVaultReferenceIdentity: ${appIdentity.symbol}.id`)) {
      problems.push('Key Vault references are not resolved with the app identity');
    }
    if (!/functionAppConfig:/.test(site.body) || !/appSettings:/.test(site.body)) {
      problems.push('the function app has no Flex Consumption functionAppConfig or no appSettings');
    }
  }
  if (!bySymbol.has(site?.body.match(/serverFarmId: (\w+)\.id/)?.[1] ?? ''))
    problems.push('the function app has no plan');
  return problems;
}

describe('infra/azure/main.bicep agrees with the code', () => {
  const bicep = readFileSync(bicepPath, 'utf8');
  const code = codeFacts();

  it('finds what it checks (the parser reads this template)', () => {
    expect(parseResources(bicep).length).toBeGreaterThan(20);
    expect(parseAppSettings(bicep).get('COSMOS_DATABASE')).toBe('cosmosDatabaseName');
    expect([...code.bindingConnections].sort()).toEqual(['AzureWebJobsStorage', 'SERVICEBUS_CONNECTION']);
    expect(code.usesDurable).toBe(true);
  });

  it('sets every setting, declares every container, queue and topic, and grants every role', () => {
    expect(templateMismatches(bicep, code)).toEqual([]);
  });

  it('lists only real settings as deliberately unset', () => {
    for (const name of Object.keys(DELIBERATELY_UNSET)) expect(SETTING_NAMES).toContain(name);
  });

  it('reports a container the template lacks', () => {
    const withoutOrders = bicep.replace(/^resource ordersContainer [\s\S]*?^\}$/m, '');
    expect(withoutOrders).not.toBe(bicep);
    expect(templateMismatches(withoutOrders, code)).toEqual(['Cosmos container orders is not declared']);
  });

  it('reports a partition key or TTL that differs from the code', () => {
    const changed = bicep
      .replace("paths: ['/sku']", "paths: ['/id']")
      .replace('defaultTtl: -1', 'defaultTtl: 3600');
    expect(templateMismatches(changed, code)).toEqual([
      'Cosmos container inventory: partition key ["/id"] in the template, /sku in the code',
      'Cosmos container intake: defaultTtl 3600 in the template, -1 in the code',
    ]);
  });

  it('reports a missing setting, queue, subscription and role', () => {
    const broken = bicep
      .replace(/^ {2}\{ name: 'COSMOS_ENDPOINT'.*$/m, '')
      .replace("name: 'order-intake-sb'", "name: 'orders-in'")
      .replace(/^ {2}name: 'all'$/m, "  name: 'audit'")
      .replace(
        /roleDefinitionId: (.*)roles\.serviceBusDataReceiver\)/,
        'roleDefinitionId: $1roles.serviceBusDataSender)'
      );
    expect(templateMismatches(broken, code)).toEqual([
      'setting COSMOS_ENDPOINT (read by shared/config.ts) is not set',
      'Service Bus queue order-intake-sb is not declared',
      'Service Bus subscription business-events/all is not declared',
      "the app's identity lacks Azure Service Bus Data Receiver on serviceBus (Service Bus trigger)",
    ]);
  });

  it('reports a binding connection that is not identity-based', () => {
    const keyed = bicep.replace(
      /^ {2}\{ name: 'SERVICEBUS_CONNECTION__credential'.*$/m,
      "  { name: 'SERVICEBUS_CONNECTION', value: 'Endpoint=sb://x/;SharedAccessKey=abc' }"
    );
    expect(templateMismatches(keyed, code)).toEqual([
      'setting SERVICEBUS_CONNECTION holds a key',
      "binding connection SERVICEBUS_CONNECTION__credential is not 'managedidentity'",
    ]);
  });

  it('signs browsers in to the console but leaves the API and the host runtime to their keys', () => {
    const signIn = parseResources(bicep).find((r) => r.type === 'Microsoft.Web/sites/config');
    expect(signIn?.name).toBe('authsettingsV2');
    const excluded = /excludedPaths: \[([^\]]*)\]/.exec(signIn?.body ?? '')?.[1] ?? '';
    const paths = [...excluded.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    const hostJson = JSON.parse(readFileSync(join(root, 'host.json'), 'utf8'));
    // Every API route is registered under /api (shared/http/route.ts) and the console at the root.
    expect(hostJson.extensions.http.routePrefix).toBe('');
    expect(paths.sort()).toEqual(['/api/*', '/runtime/*']);
    expect(signIn?.body).toMatch(/unauthenticatedClientAction: 'RedirectToLoginPage'/);
  });
});
