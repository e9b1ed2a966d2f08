/**
 * The pages in a real browser (Debian's chromium through playwright-core): sign in, upload through the
 * form, see the dashboard move, retag, switch to Arabic, and check that script payloads in feedback stay
 * inert. Skipped, with a message, where /usr/bin/chromium is not installed; CI installs it (.ci/run).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ADMIN, type TestEnv, newConsultation, postJson, testEnv } from '../helpers';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`browser tests skipped: ${CHROMIUM} is missing (install it with: apt-get update && apt-get install -y chromium)`);
}

/** Feedback that tries every way of running code in a page. */
const PAYLOADS = [
  '<script>alert("script")</script> grants never reach small affiliates',
  '<img src=x onerror=alert("img")> we need training for new editors',
  '[click me](javascript:alert("md")) javascript:alert("bare") harassment keeps women away',
  '"><svg onload=alert("svg")> mentors for every region please',
];

function chat(lines: string[]): string {
  return lines.map((text, i) => `1${i}/07/2022, 22:3${i} - ${i % 2 === 0 ? 'Laila Mansour' : 'Tomás Ferreira'}: ${text}`).join('\n');
}

describe.skipIf(!hasChromium)(`pages in chromium${hasChromium ? '' : ' (skipped: /usr/bin/chromium not installed)'}`, () => {
  let t: TestEnv;
  let server: ServerType;
  let base: string;
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    t = await testEnv();
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = mkdtempSync(join(tmpdir(), 'sfp-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 360, height: 780 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** A page that records every dialog and CSP violation, signed in as `token`. */
  async function open(token = ADMIN): Promise<{ page: Page; dialogs: string[]; violations: string[] }> {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    const violations: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await browser.clearCookies();
    await page.goto(`${base}/signin?lang=en`);
    await page.fill('#token', token);
    await Promise.all([page.waitForURL(`${base}/`), page.click('form[action="/signin"] button[type=submit]')]);
    return { page, dialogs, violations };
  }

  /** Text of a locator, trimmed. */
  const text = async (l: { textContent(): Promise<string | null> }) => ((await l.textContent()) ?? '').trim();
  const stat = (page: Page, id: string) => text(page.locator(`#${id} b`));

  test('sign in, upload through the form, see the dashboard counts change, retag an item', async () => {
    const slug = await newConsultation(t);
    const { page, dialogs } = await open();
    expect(await text(page.locator('body'))).toContain('You are signed in.');

    await page.goto(`${base}/c/${slug}`);
    expect(await stat(page, 'stat-items')).toBe('0');

    await page.goto(`${base}/c/${slug}/upload`);
    await page.setInputFiles('#u-file', { name: 'WhatsApp Chat with Strategy.txt', mimeType: 'text/plain', buffer: Buffer.from(chat(PAYLOADS)) });
    await page.fill('#u-channel', 'WhatsApp group');
    // With JavaScript on, the optional script sends the form itself (to show progress).
    const viaScript = page.waitForRequest((r) => r.method() === 'POST' && r.resourceType() === 'xhr' && r.url().endsWith('/upload'));
    await page.click('#upload-form button[type=submit]');
    await viaScript;
    await page.waitForSelector('#upload-result');
    expect(await text(page.locator('#r-items td'))).toBe('4');
    await t.idle();

    await page.goto(`${base}/c/${slug}`);
    expect(await stat(page, 'stat-items')).toBe('4');
    expect(await stat(page, 'stat-participants')).toBe('2');
    const advocacy = page.locator('tr[data-theme="advocacy"] td.n').first();
    const before = Number(await text(advocacy));

    await page.goto(`${base}/c/${slug}/items?q=harassment`);
    const item = page.locator('article.item').first();
    await item.locator('input[value="advocacy"]').check();
    await Promise.all([page.waitForURL(/items\?q=harassment#item-\d+$/), item.locator('button[type=submit]').click()]);
    expect(await text(page.locator('.flash.ok'))).toBe('Themes saved.');
    expect(await page.locator('article.item input[value="advocacy"]').first().isChecked()).toBe(true);

    await page.goto(`${base}/c/${slug}`);
    expect(Number(await text(advocacy))).toBe(before + 1);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  test('the upload form works with JavaScript turned off', async () => {
    const slug = await newConsultation(t);
    const page = await browser.newPage();
    await browser.clearCookies();
    const cdp = await browser.newCDPSession(page);
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
    await page.goto(`${base}/signin`);
    await page.fill('#token', ADMIN);
    await Promise.all([page.waitForURL(`${base}/`), page.click('form[action="/signin"] button[type=submit]')]);
    await page.goto(`${base}/c/${slug}/upload`);
    await page.setInputFiles('#u-file', { name: 'chat.txt', mimeType: 'text/plain', buffer: Buffer.from(chat(['a plain message about grants for small groups'])) });
    await Promise.all([page.waitForURL(`${base}/c/${slug}/upload`), page.click('#upload-form button[type=submit]')]);
    expect(await text(page.locator('#r-items td'))).toBe('1');
    await page.close();
  });

  test('switching to Arabic lays the page out right to left', async () => {
    const slug = await newConsultation(t);
    const { page } = await open();
    await page.goto(`${base}/c/${slug}`);
    await Promise.all([page.waitForURL(/lang=ar/), page.click('a[hreflang="ar"]')]);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir, getComputedStyle(document.body).direction])).toEqual(['ar', 'rtl', 'rtl']);
    const h1 = await page.locator('h1').boundingBox();
    const tab = await page.locator('.subnav a').first().boundingBox();
    // Right to left: the heading and the first tab start at the right edge of the 360-px viewport.
    expect((h1?.x ?? 0) + (h1?.width ?? 0)).toBeGreaterThan(330);
    expect(tab?.x ?? 0).toBeGreaterThan(180);
    expect(await text(page.locator('.subnav a').first())).toBe('لوحة المعلومات');
    // The choice sticks: the next page is Arabic without ?lang=.
    await page.goto(`${base}/c/${slug}/items`);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.goto(`${base}/c/${slug}?lang=en`);
    await page.close();
  });

  test('script payloads in feedback stay inert on every page that shows them', async () => {
    const slug = await newConsultation(t);
    const up = await t.request(`/api/consultations/${slug}/uploads?channel=WhatsApp%20group`, { method: 'POST', body: chat(PAYLOADS) });
    expect(up.status).toBe(201);
    const poll = await postJson(t, `/api/consultations/${slug}/surveys`, {
      question: '<img src=x onerror=alert("poll")>Which first?',
      participants: 5,
      multiple: false,
      options: [
        { label: '<script>alert("option")</script>', votes: 3 },
        { label: 'javascript:alert("option2")', votes: 2 },
      ],
    });
    expect(poll.status).toBe(201);
    await t.idle();
    const { page, dialogs, violations } = await open();
    const items = await t.ctx.store.listItems({ consultationId: (await t.ctx.store.findConsultation(slug))?.id ?? '', limit: 10 });
    const themes = [...new Set(items.flatMap((i) => i.themes.map((x) => x.key)).filter((k) => k !== ''))];
    const paths = [`/c/${slug}`, `/c/${slug}/items`, `/c/${slug}/items/${items[0]?.id}`, ...themes.map((k) => `/c/${slug}/themes/${k}`)];
    for (const path of paths) {
      await page.goto(`${base}${path}`);
      const found = await page.evaluate(() => ({
        scripts: [...document.scripts].map((s) => s.src).filter((src) => !src.endsWith('/assets/upload.js')),
        images: document.querySelectorAll('img').length,
        handlers: document.querySelectorAll('[onload], [onerror], [onclick], [onmouseover]').length,
        jsLinks: [...document.querySelectorAll('a')].filter((a) => a.href.trim().toLowerCase().startsWith('javascript:')).length,
      }));
      expect({ path, ...found }).toEqual({ path, scripts: [], images: 0, handlers: 0, jsLinks: 0 });
    }
    await page.goto(`${base}/c/${slug}/items`);
    expect(await page.locator('article.item .text').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('<script>alert("script")</script>')]));
    expect(dialogs).toEqual([]);
    expect(violations).toEqual([]);
    await page.close();
  });

  test('vote through the poll page: code, choose, confirm; a second ballot replaces the first; Arabic is right to left', async () => {
    const slug = await newConsultation(t);
    const created = await postJson(t, `/api/consultations/${slug}/polls`, {
      question: '<script>alert("q")</script> Which theme first?',
      options: ['Resource Allocation', 'Community Health', 'Partnerships'],
      multiple: false,
    });
    expect(created.status).toBe(201);
    const pollId = (created.body.poll as { id: string }).id;
    const codes = await postJson(t, `/api/polls/${pollId}/voters`, { count: 1 });
    const code = (codes.body.codes as string[])[0]!;

    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await browser.clearCookies();
    const vote = async (choice: number) => {
      await page.goto(`${base}/p/${pollId}?lang=ar`);
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      await page.fill('#code', code);
      await Promise.all([page.waitForLoadState('load'), page.click('form button[type=submit]')]);
      await page.locator(`input[name="choice"][value="${choice}"]`).check();
      await Promise.all([page.waitForLoadState('load'), page.click('form button[type=submit]')]);
      await Promise.all([page.waitForLoadState('load'), page.locator('form').first().locator('button[type=submit]').click()]);
    };
    await vote(1);
    let results = (await (await t.request(`/api/polls/${pollId}/results`)).json()) as { participants: number; options: { votes: number }[] };
    expect(results.participants).toBe(1);
    expect(results.options.map((o) => o.votes)).toEqual([0, 1, 0]);

    await vote(2);
    results = (await (await t.request(`/api/polls/${pollId}/results`)).json()) as { participants: number; options: { votes: number }[] };
    expect(results.participants).toBe(1);
    expect(results.options.map((o) => o.votes)).toEqual([0, 0, 1]);

    // A wrong code is refused on the page, and the question's markup never ran.
    await page.goto(`${base}/p/${pollId}?lang=en`);
    await page.fill('#code', 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG');
    await Promise.all([page.waitForLoadState('load'), page.click('form button[type=submit]')]);
    expect(await page.locator('#code').count()).toBe(1);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
