import type { ValidationIssue } from '../../domain/errors';
import type {
  ProviderAction,
  ProviderDefinition,
  ProviderParameter,
  ProviderServiceType,
} from '../../domain/providers/provider-definition';
import type { ProviderPlugin } from '../../ports/provider-plugins';
import { ClientCredentialsTokens } from '../common/oauth-token';
import { authSchemes } from './auth';
import { verifyHttpCallback } from './callback';
import { parseHttpActions } from './http-actions';
import { httpActionHandler } from './run-http-action';

/** What a provider built on the declarative HTTP provider says about itself. */
export interface HttpProviderOptions {
  id: string;
  name: string;
  description: string;
  serviceTypes: [ProviderServiceType, ...ProviderServiceType[]];
  /** The action names journey steps may use; the `actions` parameter says how each is done. */
  actions: ProviderAction[];
  /** Defaults of the common parameters (baseUrl, authScheme, apiKeyHeader, tokenUrl, scope, actions...). */
  defaults: Partial<Record<string, string | number | boolean>>;
  /** Parameters of this provider besides the common ones (available to transformations as $parameters). */
  extraParameters?: ProviderParameter[];
  /** The callback message (its intent is `fulfillmentOrderEvent`) and its built-in transformation. */
  callback: { messageType: string; description: string; transformation: string };
  allowsMultipleInstances: boolean;
}

function commonParameters(defaults: HttpProviderOptions['defaults']): ProviderParameter[] {
  const withDefault = (parameter: ProviderParameter): ProviderParameter => {
    const value = defaults[parameter.name];
    return value === undefined ? parameter : { ...parameter, default: value };
  };
  const parameters: ProviderParameter[] = [
    {
      name: 'baseUrl',
      description: 'The API root every action path is appended to',
      type: 'url',
      required: true,
    },
    {
      name: 'authScheme',
      description: `How calls authenticate: ${authSchemes.join(' | ')}`,
      type: 'string',
      required: false,
      default: 'none',
    },
    {
      name: 'apiKeyHeader',
      description: 'The header carrying the apiKey secret (authScheme apiKeyHeader)',
      type: 'string',
      required: false,
      default: 'X-API-Key',
    },
    {
      name: 'tokenUrl',
      description: 'The OAuth2 token endpoint (authScheme oauthClientCredentials)',
      type: 'url',
      required: false,
    },
    { name: 'scope', description: 'The OAuth2 scope asked for (optional)', type: 'string', required: false },
    {
      name: 'actions',
      description:
        'JSON text: per action name {method, path, when?, skippedDetail?, request?, idempotencyHeader?, response} (docs/providers.md)',
      type: 'string',
      required: true,
    },
    {
      name: 'callbackSignatureHeader',
      description: 'The header of callbacks holding the HMAC-SHA256 of the body keyed with callbackSecret',
      type: 'string',
      required: false,
      default: 'X-Signature',
    },
    {
      name: 'callbackDeliveryIdHeader',
      description: "The header of callbacks naming the delivery (absent: the body's hash tells duplicates)",
      type: 'string',
      required: false,
    },
  ];
  return parameters.map(withDefault);
}

const secrets = [
  { name: 'username', description: 'Basic auth user name', required: false },
  { name: 'password', description: 'Basic auth password', required: false },
  { name: 'token', description: 'The static bearer token (authScheme bearer)', required: false },
  { name: 'apiKey', description: 'The API key (authScheme apiKeyHeader)', required: false },
  {
    name: 'clientId',
    description: 'The OAuth2 client id (authScheme oauthClientCredentials)',
    required: false,
  },
  { name: 'clientSecret', description: 'The OAuth2 client secret', required: false },
  { name: 'callbackSecret', description: 'The HMAC-SHA256 key of callbacks', required: false },
];

/** Tokens of every instance of every declarative HTTP provider, kept until they expire. */
const tokens = new ClientCredentialsTokens();

/**
 * A provider whose actions are data: the definition lists the action names, each instance's
 * `actions` parameter (JSON text, checked when the instance is saved) says how each is sent and how
 * the answer becomes effects, and callbacks are HMAC-signed webhooks whose transformation yields a
 * fulfillment order event.
 */
export function httpProviderPlugin(options: HttpProviderOptions): ProviderPlugin {
  const actionNames = options.actions.map((action) => action.name);
  const definition: ProviderDefinition = {
    id: options.id,
    name: options.name,
    description: options.description,
    serviceType: options.serviceTypes[0],
    serviceTypes: options.serviceTypes,
    parameters: [...commonParameters(options.defaults), ...(options.extraParameters ?? [])],
    secrets,
    messageTypes: [
      {
        name: options.callback.messageType,
        description: options.callback.description,
        intent: 'fulfillmentOrderEvent',
      },
    ],
    actions: options.actions,
    inbound: { webhook: true, polling: false, fileDrop: false },
    allowsMultipleInstances: options.allowsMultipleInstances,
    transformations: { [options.callback.messageType]: options.callback.transformation },
  };
  const handler = httpActionHandler(tokens, actionNames);
  return {
    definition,
    verifyWebhook: (connection, request) =>
      verifyHttpCallback(connection, request, options.callback.messageType),
    actions: Object.fromEntries(actionNames.map((name) => [name, handler])),
    checkParameters: (parameters) => checkHttpParameters(parameters, actionNames),
  };
}

function checkHttpParameters(
  parameters: Readonly<Record<string, string | number | boolean>>,
  actionNames: readonly string[]
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const scheme = parameters.authScheme ?? 'none';
  if (!(authSchemes as readonly unknown[]).includes(scheme)) {
    issues.push({ path: '/parameters/authScheme', message: `must be one of ${authSchemes.join(', ')}` });
  }
  if (scheme === 'oauthClientCredentials' && (parameters.tokenUrl ?? '') === '') {
    issues.push({
      path: '/parameters/tokenUrl',
      message: 'is required with authScheme oauthClientCredentials',
    });
  }
  issues.push(...parseHttpActions(parameters.actions, actionNames).issues);
  return issues;
}
