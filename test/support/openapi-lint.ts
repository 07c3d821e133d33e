import { execFileSync } from 'node:child_process';
import { repoRoot } from './host-process';

export interface LintProblem {
  rule: string;
  severity: 'error' | 'warn';
  message: string;
  at?: string;
}

/**
 * Lints a description (3.x or Swagger 2.0) read from stdin with Redocly's recommended ruleset and
 * prints the problems as JSON. A child process because @redocly/openapi-core is an ES module, which
 * Jest's CommonJS runtime cannot load.
 */
const lintScript = `
import { createConfig, lintFromString } from '@redocly/openapi-core';
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const config = await createConfig({
  extends: ['recommended'],
  rules: {
    // /master-data/imports/{importId} and /master-data/{entity}/bulk overlap only on a literal
    // "imports" entity, and the host (like Azure Functions) prefers the literal segment.
    'no-ambiguous-paths': 'off',
  },
});
const problems = await lintFromString({
  source: Buffer.concat(chunks).toString('utf8'),
  absoluteRef: 'openapi.json',
  config,
});
process.stdout.write(JSON.stringify(problems.map((p) => ({
  rule: p.ruleId,
  severity: p.severity,
  message: p.message,
  at: p.location?.[0]?.pointer,
}))));
`;

/** Redocly's recommended rules over a description: the problems, none when it is clean. */
export function lintOpenApi(document: unknown): LintProblem[] {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', lintScript], {
    cwd: repoRoot,
    input: JSON.stringify(document),
    encoding: 'utf8',
  });
  return JSON.parse(out) as LintProblem[];
}
