import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { OUT_OF_BOX_AGGREGATIONS } from '../../../shared/domain/states/aggregate-line-event';
import { outOfBoxConfig } from '../../../shared/domain/states/out-of-box';
import { renderStateTables } from '../../../shared/domain/states/render-tables';

const DOC = path.join(__dirname, '../../../docs/state-framework.md');
const START = '<!-- generated:state-tables:start -->';
const END = '<!-- generated:state-tables:end -->';

/**
 * The rendered tables as Prettier (with the repo's settings) leaves them in the doc. Prettier runs in
 * a child process because its API loads plugins with a dynamic import, which Jest's CommonJS
 * runtime refuses.
 */
function expectedSection(): string {
  const raw = renderStateTables(outOfBoxConfig(), OUT_OF_BOX_AGGREGATIONS);
  const bin = require.resolve('prettier/bin/prettier.cjs');
  return execFileSync(process.execPath, [bin, '--stdin-filepath', DOC], {
    input: raw,
    encoding: 'utf8',
  }).trim();
}

function splitDoc(text: string): { before: string; section: string; after: string } {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DOC} lacks the ${START} … ${END} markers`);
  return {
    before: text.slice(0, start + START.length),
    section: text.slice(start + START.length, end).trim(),
    after: text.slice(end),
  };
}

describe('docs/state-framework.md', () => {
  it('shows exactly the out-of-box configuration the code seeds', () => {
    const expected = expectedSection();
    const doc = splitDoc(fs.readFileSync(DOC, 'utf8'));
    if (process.env.UPDATE_STATE_DOC === '1' && doc.section !== expected) {
      fs.writeFileSync(DOC, `${doc.before}\n\n${expected}\n\n${doc.after}`);
      return;
    }
    expect(doc.section).toBe(expected);
  });
});
