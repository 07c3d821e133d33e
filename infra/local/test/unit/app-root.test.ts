import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { appEntryFiles, appHostId } from '../../app-root';
import { activityBindingData } from '../../durable/activity-runner';
import { applyLocalSettings } from '../../local-settings';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function appWith(main: string | undefined, files: string[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'host-app-root-'));
  made.push(root);
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: '@scope/My App', main }));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '');
  }
  return root;
}

it('reads package.json main as a glob, as func init writes it, relative to the app root', () => {
  const root = appWith('dist/src/{index.js,functions/*.js}', [
    'dist/src/index.js',
    'dist/src/functions/b.js',
    'dist/src/functions/a.js',
    'dist/src/functions/a.js.map',
    'dist/src/other.js',
  ]);
  expect(appEntryFiles(root).map((f) => path.relative(root, f))).toEqual([
    'dist/src/functions/a.js',
    'dist/src/functions/b.js',
    'dist/src/index.js',
  ]);
  const deep = appWith('dist/**/*.js', ['dist/a.js', 'dist/x/y/b.js']);
  expect(appEntryFiles(deep).map((f) => path.relative(deep, f))).toEqual(['dist/a.js', 'dist/x/y/b.js']);
});

it('says when the entry is missing or matches nothing', () => {
  expect(() => appEntryFiles(appWith('dist/index.js', []))).toThrow(/does not exist; build the app first/);
  expect(() => appEntryFiles(appWith('dist/*.js', []))).toThrow(/No file matches/);
  expect(appEntryFiles(appWith(undefined, ['index.js'])).map((f) => path.basename(f))).toEqual(['index.js']);
});

it('names receipts after the app package', () => {
  expect(appHostId(appWith('index.js', []))).toBe('scope-my-app');
});

it("applies the app's own local.settings.json without overriding the environment", () => {
  const root = appWith('index.js', []);
  writeFileSync(path.join(root, 'local.settings.json'), JSON.stringify({ Values: { A: 'from file', B: 2 } }));
  const env: NodeJS.ProcessEnv = { A: 'from env' };
  expect(applyLocalSettings(root, env)).toBe(path.join(root, 'local.settings.json'));
  expect(env).toEqual({ A: 'from env', B: '2' });
});

it("gives an activity's object input to binding expressions, and nothing for other inputs", () => {
  expect(activityBindingData('{"backupPath":"a/b.txt","n":1}')).toEqual({ backupPath: 'a/b.txt', n: 1 });
  expect(activityBindingData('"x"')).toEqual({});
  expect(activityBindingData('[1]')).toEqual({});
  expect(activityBindingData('not json')).toEqual({});
});
