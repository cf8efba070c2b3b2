import { test, expect, type Page, type Locator } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { ADA, BOB, apiAs, baseURLOf } from './helpers';

// The demo dashboard (`demo-host/`) embeds the portal mounted (shadow root) and in an iframe.
// Playwright's role queries reach into open shadow roots, so the portal is found by the same
// accessible names as standalone.

async function newCase(info: Parameters<typeof baseURLOf>[0], subject: string): Promise<{ id: string; number: string }> {
  const ada = await apiAs(baseURLOf(info), ADA);
  const res = await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'low', subject, description: 'Opened for an embedding journey.' },
  });
  expect(res.status()).toBe(201);
  return res.json();
}

function portal(page: Page): Locator {
  return page.getByRole('region', { name: 'Bird Premium Support' });
}

function events(page: Page): Locator {
  return page.getByRole('log', { name: 'Events' });
}

test('mounted: signed in by the host\'s token, no sign-in form; opening a case tells the host its id', async ({ page }, info) => {
  const created = await newCase(info, `Mounted journey ${Date.now()}-${info.workerIndex}`);
  await page.goto('/demo-host/mounted/');
  const region = portal(page);
  await expect(region.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveCount(0);
  await expect(region.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  // The portal's routes live under the host's base path.
  await expect(page).toHaveURL(/\/demo-host\/mounted\/accounts\/acc_acme$/);
  await region.getByRole('link', { name: 'Cases' }).first().click();
  await region.getByRole('link', { name: created.number, exact: true }).click();
  await expect(region.getByRole('heading', { level: 1, name: new RegExp(created.number) })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/demo-host/mounted/cases/${created.id}$`));
  await expect(events(page)).toContainText(`case.opened v1 {"case_id":"${created.id}","account_id":"acc_acme"}`);
  await expect(events(page)).toContainText(`navigation v1 {"path":"/cases/${created.id}"}`);
  // The host's <html lang> and title are its own.
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveTitle('Bird Dashboard (demo host)');
});

test('mounted: a reply reaches the host as a typed, versioned case.updated event', async ({ page }, info) => {
  const created = await newCase(info, `Mounted events ${Date.now()}-${info.workerIndex}`);
  await page.goto(`/demo-host/mounted/cases/${created.id}`);
  const region = portal(page);
  await region.getByRole('textbox', { name: 'Reply' }).fill('Sent from inside the dashboard.');
  await region.getByRole('button', { name: 'Send reply' }).click();
  await expect(region.getByText('Your reply was sent.')).toBeVisible();
  await expect(events(page)).toContainText(`case.updated v1 {"case_id":"${created.id}","status":"new"}`);
});

test('mounted: an expired token is renewed through the host and the reply goes through', async ({ page }, info) => {
  const created = await newCase(info, `Token renewal ${Date.now()}-${info.workerIndex}`);
  await page.goto(`/demo-host/mounted/cases/${created.id}`);
  const region = portal(page);
  await expect(page.getByText('Tokens handed over: 1')).toBeVisible();
  const text = `Written while the token expired ${Date.now()}.`;
  await region.getByRole('textbox', { name: 'Reply' }).fill(text);
  await page.getByRole('button', { name: 'Expire the token' }).click();
  await expect(events(page)).toContainText('host.token_expired');
  await region.getByRole('button', { name: 'Send reply' }).click();
  await expect(region.getByText('Your reply was sent.')).toBeVisible();
  await expect(page.getByText('Tokens handed over: 2')).toBeVisible();
  const ada = await apiAs(baseURLOf(info), ADA);
  const detail = await (await ada.get(`/api/v1/cases/${created.id}`)).json();
  expect(detail.timeline.filter((e: { body?: string }) => e.body === text).length).toBe(1);
});

test('mounted: when the host has no new token the session ends, and the draft survives until it hands one over', async ({ page }, info) => {
  const created = await newCase(info, `Token refused ${Date.now()}-${info.workerIndex}`);
  await page.goto(`/demo-host/mounted/cases/${created.id}`);
  const region = portal(page);
  const text = `Kept while signed out ${Date.now()}.`;
  await region.getByRole('textbox', { name: 'Reply' }).fill(text);
  await page.getByLabel('Refuse new tokens').check();
  await page.getByRole('button', { name: 'Expire the token' }).click();
  await region.getByRole('button', { name: 'Send reply' }).click();
  await expect(region.getByRole('alert')).toContainText('Your session has ended');
  await expect(events(page)).toContainText('session.expired v1');
  await page.getByLabel('Refuse new tokens').uncheck();
  await page.getByRole('button', { name: 'Hand over a new token' }).click();
  await expect(region.getByRole('textbox', { name: 'Reply' })).toHaveValue(text);
  await region.getByRole('button', { name: 'Send reply' }).click();
  await expect(region.getByText('Your reply was sent.')).toBeVisible();
});

// Computed styles that decide the portal's layout and look.
const LOOK = ['font-family', 'font-size', 'line-height', 'color', 'letter-spacing', 'text-transform', 'box-sizing',
  'padding-top', 'padding-left', 'margin-top', 'border-top-style', 'background-color', 'border-radius'];

async function looks(locator: Locator): Promise<Record<string, string>> {
  return locator.evaluate((el, props) => {
    const style = getComputedStyle(el);
    return Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
  }, LOOK);
}

test('style isolation: the host\'s CSS leaves the portal as it looks standalone, and the portal leaves the host\'s header alone', async ({ page, browser }, info) => {
  await page.goto('/demo-host/');
  const header = page.locator('header.dash-header');
  const headerBefore = { look: await looks(header), box: await header.boundingBox(), link: await looks(header.getByRole('link', { name: 'Overview' })) };

  await page.goto('/demo-host/mounted/');
  const region = portal(page);
  await expect(region.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  expect({ look: await looks(header), box: await header.boundingBox(), link: await looks(header.getByRole('link', { name: 'Overview' })) }).toEqual(headerBefore);

  const standalone = await browser.newPage({ baseURL: baseURLOf(info) });
  await standalone.goto('/login');
  await standalone.getByLabel('Email').fill(ADA);
  await standalone.getByLabel('Password').fill('portal-demo');
  await standalone.getByRole('button', { name: 'Sign in' }).click();
  await expect(standalone.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  const pairs: [Locator, Locator][] = [
    [region.getByRole('heading', { level: 1, name: 'Acme Mail' }), standalone.getByRole('heading', { level: 1, name: 'Acme Mail' })],
    [region.getByRole('link', { name: 'Cases' }).first(), standalone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' })],
    [region.getByRole('heading', { level: 2, name: 'Case summary' }), standalone.getByRole('heading', { level: 2, name: 'Case summary' })],
    [region.getByText('Plan: Premium Email'), standalone.getByText('Plan: Premium Email')],
    [region.getByLabel('Language'), standalone.getByLabel('Language')],
  ];
  for (const [embedded, own] of pairs) expect(await looks(embedded)).toEqual(await looks(own));
  await standalone.close();
});

// What the page holds that a view must give back when it goes. Each init script below runs in
// the page before any of its own scripts and writes into one ledger on `window`.
type Listener = { target: EventTarget; type: string; fn: unknown; capture: boolean };
type Ledger = {
  listeners: Listener[];
  pending: { timeouts: Set<number>; intervals: Set<number>; idleCallbacks: Set<number>; animationFrames: Set<number> };
  observed: Map<object, { kind: string; targets: Set<unknown> }>;
  /** How many of each were ever made, to show the counting sees the portal at work. */
  ever: Record<string, number>;
};
type Held = {
  listeners: Record<string, number>;
  timeouts: number; intervals: number; idleCallbacks: number; animationFrames: number;
  observing: Record<string, number>;
};
declare global {
  interface Window { __ledger: Ledger; host: { mount: () => Promise<void>; unmount: () => void } }
}

function openLedger() {
  window.__ledger = {
    listeners: [],
    pending: { timeouts: new Set(), intervals: new Set(), idleCallbacks: new Set(), animationFrames: new Set() },
    observed: new Map(),
    ever: { listeners: 0, timeouts: 0, intervals: 0, idleCallbacks: 0, animationFrames: 0, observers: 0 },
  };
}

/** A listener is held until removed, or until it has fired once or its signal aborted when so added. */
function countListeners() {
  const ledger = window.__ledger;
  const { addEventListener: add, removeEventListener: remove } = EventTarget.prototype;
  const capture = (opts?: boolean | EventListenerOptions) => (typeof opts === 'boolean' ? opts : !!opts?.capture);
  const find = (l: Listener) => ledger.listeners.findIndex((x) => x.target === l.target && x.type === l.type && x.fn === l.fn && x.capture === l.capture);
  const forget = (l: Listener) => { const i = find(l); if (i >= 0) ledger.listeners.splice(i, 1); };
  EventTarget.prototype.addEventListener = function (type: string, fn: EventListenerOrEventListenerObject | null, opts?: boolean | AddEventListenerOptions) {
    const l = { target: this, type, fn, capture: capture(opts) };
    const options = typeof opts === 'object' ? opts : {};
    if (fn && find(l) < 0 && !options.signal?.aborted) {
      ledger.listeners.push(l);
      ledger.ever.listeners += 1;
      if (options.once) add.call(this, type, () => forget(l), { once: true, capture: l.capture });
      if (options.signal) add.call(options.signal, 'abort', () => forget(l), { once: true });
    }
    return add.call(this, type, fn, opts);
  };
  EventTarget.prototype.removeEventListener = function (type: string, fn: EventListenerOrEventListenerObject | null, opts?: boolean | EventListenerOptions) {
    forget({ target: this, type, fn, capture: capture(opts) });
    return remove.call(this, type, fn, opts);
  };
}

/** Timeouts, idle callbacks and animation frames are pending until they run or are cancelled; intervals until cleared. */
function countCallbacks() {
  const ledger = window.__ledger;
  const w = window as unknown as Record<string, (...a: unknown[]) => number>;
  const track = (schedule: string, cancel: string, kind: keyof Ledger['pending'], repeats: boolean) => {
    const original = w[schedule].bind(window), cancelOriginal = w[cancel].bind(window);
    const pending = ledger.pending[kind];
    w[schedule] = (fn: unknown, ...rest: unknown[]) => {
      if (typeof fn !== 'function') return original(fn, ...rest);
      let id = 0;
      const run = repeats ? fn : (...a: unknown[]) => { pending.delete(id); return fn(...a); };
      id = original(run, ...rest);
      pending.add(id);
      ledger.ever[kind] += 1;
      return id;
    };
    w[cancel] = (id: number) => { pending.delete(id); return cancelOriginal(id); };
  };
  track('setTimeout', 'clearTimeout', 'timeouts', false);
  track('setInterval', 'clearInterval', 'intervals', true);
  track('requestIdleCallback', 'cancelIdleCallback', 'idleCallbacks', false);
  track('requestAnimationFrame', 'cancelAnimationFrame', 'animationFrames', false);
}

/** Each observed target is held until unobserved, or until its observer disconnects. */
function countObservers() {
  const ledger = window.__ledger;
  for (const kind of ['MutationObserver', 'ResizeObserver', 'IntersectionObserver'] as const) {
    const proto = window[kind].prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    const { observe, disconnect, unobserve } = proto;
    const targets = (o: object) => (ledger.observed.get(o) ?? ledger.observed.set(o, { kind, targets: new Set() }).get(o)!).targets;
    proto.observe = function (target: unknown, ...rest: unknown[]) {
      targets(this).add(target);
      ledger.ever.observers += 1;
      return observe.call(this, target, ...rest);
    };
    proto.disconnect = function () { targets(this).clear(); return disconnect.call(this); };
    if (unobserve) proto.unobserve = function (target: unknown) { targets(this).delete(target); return unobserve.call(this, target); };
  }
}

/** What is held now. Listeners count on what outlives the portal: not on its own elements. */
function held(): { now: Held; ever: Record<string, number> } {
  const ledger = window.__ledger;
  const portalRoot = document.getElementById('slot')?.shadowRoot;
  const outlives = (t: EventTarget) => t === window
    || (t instanceof Node ? t.isConnected && !portalRoot?.contains(t) : t instanceof MediaQueryList || t === window.visualViewport);
  const label = (t: EventTarget) => (t === window ? 'window' : t === document ? 'document'
    : t instanceof MediaQueryList ? `matchMedia(${t.media})` : t instanceof Element ? `<${t.localName}>` : String(t));
  const listeners: Record<string, number> = {};
  for (const l of ledger.listeners.filter((x) => outlives(x.target))) {
    const key = `${label(l.target)} ${l.type}`;
    listeners[key] = (listeners[key] ?? 0) + 1;
  }
  const observing: Record<string, number> = {};
  for (const { kind, targets } of ledger.observed.values()) if (targets.size > 0) observing[kind] = (observing[kind] ?? 0) + targets.size;
  const { timeouts, intervals, idleCallbacks, animationFrames } = ledger.pending;
  return {
    now: { listeners, timeouts: timeouts.size, intervals: intervals.size, idleCallbacks: idleCallbacks.size, animationFrames: animationFrames.size, observing },
    ever: { ...ledger.ever },
  };
}

/** A host page of the test's own: it loads embed.js, and mounts and unmounts only when told. */
const LEAK_HOST = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head><body>
<main><h1>Host</h1><div id="slot"></div></main>
<script type="module">
  import { mount } from "/embed.js";
  const token = async () => {
    const answer = await fetch("/api/v1/tokens", { method: "POST", headers: { "X-Requested-With": "host" } });
    return (await answer.json()).token;
  };
  let portal = null;
  window.host = {
    mount: async () => {
      history.replaceState(null, "", "/leak-host/");
      portal = await mount(document.getElementById("slot"), { token: await token(), getToken: token, basePath: "/leak-host", locale: "en" });
    },
    unmount: () => { portal.unmount(); portal = null; },
  };
</script></body></html>`;

test('unmounting gives back all the portal took, from before its first mount: listeners, timers, intervals, idle callbacks, animation frames, observers', async ({ page }, info) => {
  const created = await newCase(info, `Unmount ${Date.now()}-${info.workerIndex}`);
  for (const script of [openLedger, countListeners, countCallbacks, countObservers]) await page.addInitScript(script);
  const signedIn = await page.request.post('/api/v1/session', { data: { email: ADA, password: 'portal-demo' }, headers: { 'X-Requested-With': 'e2e' } });
  expect(signedIn.status()).toBe(200);
  await page.route('**/leak-host/', (route) => route.fulfill({ contentType: 'text/html', body: LEAK_HOST }));
  await page.goto('/leak-host/');
  await page.waitForFunction(() => 'host' in window);
  // Before any of the portal's code has run.
  const baseline = (await page.evaluate(held)).now;
  const region = portal(page);

  for (let round = 1; round <= 2; round += 1) {
    await page.evaluate(() => window.host.mount());
    await expect(region.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
    await region.getByRole('link', { name: 'Cases' }).first().click();
    await region.getByRole('link', { name: created.number, exact: true }).click();
    await expect(region.getByRole('heading', { level: 1, name: new RegExp(created.number) })).toBeVisible();
    // The counting sees the portal at work: its global listeners, its poll, its idle work.
    const mounted = await page.evaluate(held);
    const seen = JSON.stringify(mounted);
    expect(Object.keys(mounted.now.listeners).length, seen).toBeGreaterThan(Object.keys(baseline.listeners).length);
    expect(mounted.now.intervals, seen).toBeGreaterThan(baseline.intervals);
    expect(mounted.ever.idleCallbacks, seen).toBeGreaterThan(0);
    expect(mounted.ever.animationFrames, seen).toBeGreaterThan(0);

    await page.evaluate(() => window.host.unmount());
    await expect(region).toHaveCount(0);
    await expect.poll(async () => (await page.evaluate(held)).now, { message: `after unmount ${round}` }).toEqual(baseline);
  }
});

test('iframe: configured by the allowed parent, it shows the portal, sizes the frame and reports events', async ({ page }) => {
  await page.goto('/demo-host/framed/');
  const frame = page.frameLocator('iframe[title="Bird Premium Support"]');
  await expect(frame.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await expect(frame.getByLabel('Password')).toHaveCount(0);
  await expect(events(page)).toContainText('navigation v1 {"path":"/accounts/acc_acme"}');
  await expect.poll(async () => (await page.locator('iframe.portal-frame').boundingBox())?.height ?? 0).toBeGreaterThan(400);
});

test('iframe: a host on another origin that the policy allows configures the frame', async ({ page }, info) => {
  // The server allows http://localhost:PORT (playwright.config.ts); the portal is 127.0.0.1.
  const portalOrigin = baseURLOf(info);
  const host = portalOrigin.replace('127.0.0.1', 'localhost');
  await page.goto(`${host}/demo-host/framed/?portal=${encodeURIComponent(portalOrigin)}`);
  const frame = page.frameLocator('iframe[title="Bird Premium Support"]');
  await expect(frame.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await expect(events(page)).toContainText('navigation v1 {"path":"/accounts/acc_acme"}');
});

test('iframe: a parent on an origin the policy does not allow is ignored, even with a valid token', async ({ browser }, info) => {
  const bob = await apiAs(baseURLOf(info), BOB);
  const token = (await (await bob.post('/api/v1/tokens')).json()).token as string;
  // frame-ancestors would stop the framing itself; with it bypassed, the portal's own check
  // of the message's origin is what stands.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const portalUrl = `${baseURLOf(info)}/embed/`;
  await page.route(portalUrl, async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['content-security-policy'];
    await route.fulfill({ response, headers });
  });
  await page.route('http://evil.test/**', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><title>Not the dashboard</title><iframe title="portal" src="${portalUrl}"></iframe>
      <p id="heard">nothing</p>
      <script>
        addEventListener('message', (e) => {
          if (e.data?.type !== 'ready') return;
          document.getElementById('heard').textContent = 'ready';
          const send = (m) => e.source.postMessage({ target: 'bird-support-portal', version: 1, ...m }, '*');
          send({ type: 'configure', options: { token: ${JSON.stringify(token)} } });
          send({ type: 'token', token: ${JSON.stringify(token)} });
        });
      </script>`,
  }));
  await page.goto('http://evil.test/');
  await expect(page.locator('#heard')).toHaveText('ready');
  await page.waitForTimeout(1500);
  const frame = page.frameLocator('iframe[title="portal"]');
  await expect(frame.getByRole('heading')).toHaveCount(0);
  await expect(frame.getByText('Globex Retail')).toHaveCount(0);
  await context.close();
});

test('iframe: it waits for its configuration and takes it only from its parent', async ({ page }) => {
  await page.goto('/demo-host/framed/?wait');
  const frame = page.frameLocator('iframe[title="Bird Premium Support"]');
  await expect(events(page)).toContainText('ready v1');
  await expect(frame.getByRole('heading')).toHaveCount(0);
  await page.getByRole('button', { name: 'Send the configuration' }).click();
  await expect(frame.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
});

test('the minimal host page in the README works as written', async ({ page }, info) => {
  // The dashboard's own session (a cookie on its origin) is what its token URL mints from.
  const res = await page.request.post(`${baseURLOf(info)}/api/v1/session`, {
    data: { email: ADA, password: 'portal-demo' }, headers: { 'X-Requested-With': 'e2e' },
  });
  expect(res.status()).toBe(200);
  await page.goto('/demo-host/minimal/');
  await expect(page.getByRole('heading', { level: 1, name: 'Acme dashboard' })).toBeVisible();
  await expect(portal(page).getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
});

test('the mounted and the framed portal have no axe violations', async ({ page }) => {
  await page.goto('/demo-host/mounted/');
  await expect(portal(page).getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  // The portal only: the mock dashboard's own look is deliberately loud.
  const mounted = await new AxeBuilder({ page }).include('#portal-slot').analyze();
  expect(mounted.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  await page.goto('/demo-host/framed/');
  const frame = page.frameLocator('iframe[title="Bird Premium Support"]');
  await expect(frame.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  const framed = await new AxeBuilder({ page }).include('#portal-slot').analyze();
  expect(framed.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('theming: the host sets the scheme and brand by option, or the brand by a custom property', async ({ page }) => {
  await page.goto('/demo-host/mounted/?theme=dark&brand=rgb(176,0,32)');
  const region = portal(page);
  const heading = region.getByRole('heading', { level: 1, name: 'Acme Mail' });
  await expect(heading).toBeVisible();
  await expect(heading).toHaveCSS('color', 'rgb(236, 238, 246)');
  const cases = region.getByRole('link', { name: 'Cases' }).first();
  await expect(cases).toHaveCSS('color', 'rgb(176, 0, 32)');

  await page.goto('/demo-host/mounted/');
  await expect(heading).toHaveCSS('color', 'rgb(23, 25, 43)');
  await page.locator('#portal-slot').evaluate((el: HTMLElement) => el.style.setProperty('--bird-portal-brand', 'rgb(0, 100, 0)'));
  await expect(cases).toHaveCSS('color', 'rgb(0, 100, 0)');
});

test('mounted: a file on the case downloads with the host\'s token (no cookie involved), and a failed download says so', async ({ page }, info) => {
  const created = await newCase(info, `Mounted download ${Date.now()}-${info.workerIndex}`);
  const ada = await apiAs(baseURLOf(info), ADA);
  const body = `Received: from mx.acme.example ${Date.now()}\n`;
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const upload = await ada.post('/api/v1/uploads', {
    headers: {
      'Tus-Resumable': '1.0.0',
      'Upload-Length': String(Buffer.byteLength(body)),
      'Upload-Metadata': `filename ${b64('headers.txt')},filetype ${b64('text/plain')},case_id ${b64(created.id)}`,
    },
  });
  expect(upload.status()).toBe(201);
  const sent = await ada.patch(upload.headers()['location'], {
    headers: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
    data: Buffer.from(body),
  });
  expect(sent.status()).toBe(204);

  await page.goto(`/demo-host/mounted/cases/${created.id}`);
  await expect(portal(page).getByRole('heading', { level: 1, name: new RegExp(created.number) })).toBeVisible();
  // The dashboard's cookie must not be what lets the file through.
  await page.context().clearCookies();
  const fileLink = portal(page).getByRole('link', { name: 'headers.txt' }).first();
  // A failed fetch says so and the link works again.
  await page.route('**/api/v1/attachments/**', (route) => route.abort('internetdisconnected'));
  await fileLink.click();
  await expect(portal(page).getByRole('alert')).toContainText('headers.txt could not be downloaded');
  await page.unroute('**/api/v1/attachments/**');
  const download = page.waitForEvent('download');
  await fileLink.click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('headers.txt');
  const path = await file.path();
  expect(require('node:fs').readFileSync(path, 'utf8')).toBe(body);
});

test('mounted in Italian: the portal speaks the host\'s locale and leaves the host page\'s language alone', async ({ page }) => {
  await page.goto('/demo-host/mounted/?locale=it');
  const region = portal(page);
  await expect(region.getByRole('navigation', { name: 'Principale' }).getByRole('link', { name: 'Casi' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(region.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  const axe = await new AxeBuilder({ page }).include('#portal-slot').analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});

test('mounted: when the portal\'s code cannot be fetched, mount() rejects in words the host can show, and a later mount works', async ({ page }) => {
  await page.route('**/split_embed_mount-*.wasm', (route) => route.abort('internetdisconnected'));
  await page.goto('/demo-host/mounted/');
  await expect(page.getByRole('alert')).toContainText('Bird Support Portal: its code could not be loaded');
  await expect(portal(page)).toHaveCount(0);
  await page.unrouteAll();
  await page.reload();
  await expect(portal(page).getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
});

test('iframe: when the frame\'s code cannot be fetched, the frame says so and offers a reload', async ({ page }) => {
  await page.route('**/split_embed_frame-*.wasm', (route) => route.abort('internetdisconnected'));
  await page.goto('/demo-host/framed/');
  const frame = page.frameLocator('iframe[title="Bird Premium Support"]');
  await expect(frame.getByRole('alert')).toContainText('This page could not be loaded');
  await expect(frame.getByRole('link', { name: 'Reload' })).toBeVisible();
});
