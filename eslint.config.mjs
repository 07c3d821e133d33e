import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const sdkImports = {
  patterns: [
    {
      group: ['@azure/*', 'durable-functions', 'durable-functions/*'],
      message: 'Azure SDKs belong in shared/adapters (and functions/); keep the domain and app layers pure.',
    },
  ],
};

/**
 * Who may import what (docs/architecture.md): domain imports only domain; app imports domain, ports,
 * schemas and, in a wiring.ts only, adapters; adapters, ports and schemas never import app; entry
 * points import app and http only. import/no-restricted-paths checks the resolved file, so a path
 * spelled any way is caught.
 */
const layerZones = [
  {
    target: './shared/domain',
    from: ['./shared', './functions', './infra', './test'],
    except: ['./domain'],
    message: 'shared/domain holds pure rules: it imports only shared/domain.',
  },
  {
    target: ['./shared/adapters', './shared/ports', './shared/schemas', './shared/providers'],
    from: './shared/app',
    message: 'adapters, ports and schemas do not import app: put the type in ports/ or domain/.',
  },
  {
    target: './shared',
    from: ['./functions', './infra', './test'],
    message: 'shared/ does not import entry points, the local host or tests.',
  },
];

const entryPointImports = {
  patterns: [
    {
      regex: '^(?!\\.|@azure/functions$|durable-functions$)',
      message: 'functions/ import only shared/app, shared/http, @azure/functions and durable-functions.',
    },
  ],
};

const processEnv = [
  {
    object: 'process',
    property: 'env',
    message: 'Read settings through shared/config.ts: it validates the environment once.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', '**/dist/**', 'node_modules/**', '.data/**', 'coverage/**', '*.mjs', '*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['shared/domain/**/*.ts', 'shared/app/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', sdkImports] },
  },
  {
    files: ['functions/**/*.ts', 'shared/**/*.ts'],
    plugins: { import: importPlugin },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
    },
    rules: {
      'import/no-restricted-paths': ['error', { zones: layerZones }],
      // No import circles among the app's modules (a circle makes load order decide what is undefined).
      'import/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // The environment is read in shared/config.ts only; the local host and the script that starts
    // openiom on it are programs of their own, and tests set up the environment of the code they run.
    files: ['**/*.ts'],
    ignores: ['shared/config.ts', 'infra/local/**', 'infra/local-openiom/**', 'test/**'],
    rules: { 'no-restricted-properties': ['error', ...processEnv] },
  },
  {
    // Use cases get adapters as ports; only a feature's wiring.ts builds them.
    files: ['shared/app/**/*.ts'],
    ignores: ['shared/app/**/wiring.ts'],
    plugins: { import: importPlugin },
    rules: {
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            ...layerZones,
            {
              target: './shared/app',
              from: ['./shared/adapters', './shared/providers'],
              message: "shared/app imports adapters and provider plug-ins only in a feature's wiring.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/**/*.ts'],
    plugins: { import: importPlugin },
    rules: {
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './functions',
              from: ['./shared', './infra', './test'],
              except: ['./app', './http'],
              message: 'functions/ import only shared/app and shared/http.',
            },
          ],
        },
      ],
      'no-restricted-imports': ['error', entryPointImports],
    },
  },

  {
    // The local host is a package of its own that runs any function app: it imports nothing of
    // openiom's, and has no import circles either.
    files: ['infra/local/**/*.ts'],
    ignores: ['infra/local/dist/**'],
    plugins: { import: importPlugin },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
    },
    rules: {
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './infra/local',
              from: ['./shared', './functions', './test', './infra/local-openiom'],
              message: 'infra/local hosts any function app: it imports nothing from openiom.',
            },
          ],
        },
      ],
      'import/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['test/**/*.ts', 'infra/local/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  }
);
