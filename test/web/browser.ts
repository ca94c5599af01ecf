/**
 * Real Chromium for the dashboard's tests: Debian's `chromium` (or GITWAVE_CHROMIUM) driven by
 * playwright-core, headless, with nothing reaching the network. Screenshots go to
 * test-artifacts/screenshots/ (gitignored) so a person can look at every page a test saw.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.GITWAVE_CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOTS = resolve(new URL('../../test-artifacts/screenshots', import.meta.url).pathname);

/** Why the browser tests cannot run here, or undefined when they can. */
export function missingChromium(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set GITWAVE_CHROMIUM)`;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
  });
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
