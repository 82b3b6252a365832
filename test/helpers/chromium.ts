/**
 * Browser journeys run in a real headless Chromium: Debian's `chromium` package, driven by
 * playwright-core. We never download a browser (no `playwright install`): CI installs the distro
 * package, and `CHROMIUM_PATH` points at another build.
 *
 * Where Chromium is missing, a developer's `npm test` skips only the browser tests and says so
 * loudly; under `CI=true` the same test fails, so a missing browser can never pass unnoticed.
 */
import assert from 'node:assert/strict';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = new URL('../artifacts/', import.meta.url);

// A wait for a page, field or navigation that takes this long means the journey is broken; fail
// fast instead of after Playwright's 30 s default.
const STEP_TIMEOUT_MS = 5_000;

// An iPhone-sized screen with touch: customers mostly reach the bank from a partner's phone app.
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

export interface JourneyOptions {
  /** Emulate a phone (390×844 CSS px, touch) instead of a desktop window. */
  phone?: boolean;
}

/**
 * Registers a `node:test` test that gets a fresh page in its own browser context (own cookies).
 * The browser is launched once per test file and closed after its last test.
 *
 * @example
 * browserTest('customer signs in', { phone: true }, async (page) => {
 *   await page.goto(url);
 *   await page.getByLabel('Username').fill('alice');
 * });
 */
export function browserTest(name: string, options: JourneyOptions, fn: (page: Page) => Promise<void>): void {
  if (!isExecutable(executablePath)) {
    registerWithoutChromium(name);
    return;
  }
  launchOncePerFile();
  test(name, async () => {
    // The test server's certificates chain to a dev CA minted for this run, which Chromium's
    // trust store cannot know; TLS itself is covered by the openid-client flow tests.
    const context = await browser!.newContext({ ignoreHTTPSErrors: true, ...(options.phone ? PHONE : {}) });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    try {
      await fn(await context.newPage());
    } finally {
      await context.close();
    }
  });
}

/**
 * Writes a full-page PNG of what the customer sees to `test/artifacts/<name>.png`, for review,
 * and fails the test if axe-core finds a WCAG 2.1 A or AA violation on the page as it stands:
 * every page a journey stops to look at is checked for accessibility too.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  // Playwright creates the folder (and any folders in `name`) itself.
  await page.screenshot({ path: fileURLToPath(new URL(`${name}.png`, artifacts)), fullPage: true });
  await assertAccessible(page, name);
}

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// axe-core's minified build: the page parses less than half the bytes of the full one.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Fails with each axe-core violation (rule, impact, the elements) of the page as it stands. */
export async function assertAccessible(page: Page, name: string): Promise<void> {
  // Injected once and run in the page itself, since our pages have no frames. @axe-core/playwright
  // injected the full build twice and gathered every passing element: 0.72 s a check against 0.29.
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async (tags) => {
    const { axe } = globalThis as unknown as { axe: typeof import('axe-core') };
    // Violations in full; of the other results, which no check reads, axe keeps one element each.
    const { violations } = await axe.run({ runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help}; at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  }, WCAG_AA);
  assert.deepEqual(found, [], `${name}: accessibility violations`);
}

let browser: Browser | undefined;
let hooksRegistered = false;

// Runs while the file registers its tests, so the hooks belong to the file, not to one test.
function launchOncePerFile(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  before(async () => {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      // Without the sandbox (Playwright then passes --no-sandbox): Chromium cannot start its
      // sandbox as root inside a container, which is how CI runs.
      chromiumSandbox: false,
      // Hermetic: no name but localhost resolves, so a journey that leaves the bank (to a
      // partner's redirect URI) fails at once instead of querying DNS or reaching the internet.
      args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost'],
    });
  });
  after(() => browser?.close());
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function registerWithoutChromium(name: string): void {
  const reason = `Chromium not found at ${executablePath}; install Debian's chromium package (or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') {
    test(name, () => {
      throw new Error(`browser test cannot run under CI=true: ${reason}`);
    });
    return;
  }
  warnSkippedOnce(reason);
  test(name, { skip: `BROWSER TEST SKIPPED: ${reason}` });
}

let warned = false;

function warnSkippedOnce(reason: string): void {
  if (warned) return;
  warned = true;
  const bar = '!'.repeat(100);
  process.stderr.write(`\n${bar}\n!!! BROWSER TESTS SKIPPED: ${reason} !!!\n!!! Under CI=true these tests fail instead. !!!\n${bar}\n\n`);
}
