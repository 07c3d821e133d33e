import sparticuz from '@sparticuz/chromium';
import { existsSync, mkdirSync } from 'fs';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './host-process';

/** Where the console tests keep a full-page screenshot of each page (gitignored). */
export const consoleArtifacts = path.join(repoRoot, 'test', 'artifacts', 'console');

/**
 * A headless Chromium for the console tests: the system's when it has one, else the one
 * @sparticuz/chromium unpacks, so `npm ci && npm test` needs nothing installed by hand. Started as
 * root on a closed network: no sandbox, and nothing that phones home.
 */
export async function launchConsoleBrowser(): Promise<Browser> {
  mkdirSync(consoleArtifacts, { recursive: true });
  return chromium.launch({
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : await sparticuz.executablePath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/**
 * A page that records every script error and console error (a CSP refusal among them), so a test
 * can fail on them: `errors()` leaves out the failed resources the tests provoke (401, 400, 409).
 */
export async function watchedPage(browser: Browser): Promise<{ page: Page; errors: () => string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const seen: string[] = [];
  page.on('pageerror', (err) => seen.push(err.message));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.push(message.text());
  });
  return {
    page,
    errors: () => seen.splice(0).filter((text) => !/^Failed to load resource/.test(text)),
  };
}

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(consoleArtifacts, `${name}.png`), fullPage: true });
}
