export * from './config-bundle';
export * from './config-diff';
export * from './config-references';
export * from './config-secrets';
