import { test, expect, type Page } from '@playwright/test';
import { ADA, ALEX, BOB, apiAs, baseURLOf, signIn } from './helpers';

/** Nothing on the page is wider than the screen: no sideways scroll. */
async function fitsTheScreen(page: Page, where: string, width = 320) {
  const scrollWidth = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? Infinity);
  expect(scrollWidth, `${where}: ${scrollWidth} px wide at ${width} px`).toBeLessThanOrEqual(width);
}

/** A word longer than any screen, as people paste them (a message id, a token). */
const LONG_WORD = `Message-ID-${'x'.repeat(90)}@mx.acme.example`;

test.describe('at 320 px', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test('no page scrolls sideways: landing, list, new case, and a case waiting on the customer with an upload under way and a long unbroken word', async ({ page }, info) => {
    const base = baseURLOf(info);
    const ada = await apiAs(base, ADA);
    const created = await ada.post('/api/v1/accounts/acc_acme/cases', {
      data: { kind: 'problem', severity: 'high', subject: `Bounces ${LONG_WORD}`, description: `Gmail refuses ${LONG_WORD}.` },
    });
    expect(created.status()).toBe(201);
    const caseId: string = (await created.json()).id;
    const alex = await apiAs(base, ALEX);
    const raised = await alex.post(`/api/v1/cases/${caseId}/information-requests`, {
      data: { title: `Bounce logs for ${LONG_WORD}`, description: `Please send the logs of ${LONG_WORD}.`, files_expected: true },
    });
    expect(raised.status()).toBe(201);

    await signIn(page, ADA);
    await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
    await fitsTheScreen(page, 'landing page');

    await page.goto('/accounts/acc_acme/cases');
    await expect(page.getByRole('link', { name: /^CASE-\d+$/ }).first()).toBeVisible();
    await fitsTheScreen(page, 'case list');
    await page.getByRole('button', { name: 'Filters' }).click();
    await expect(page.getByLabel('Sort by')).toBeVisible();
    await fitsTheScreen(page, 'case list with its filters open');

    await page.goto('/accounts/acc_acme/cases/new');
    await expect(page.getByRole('heading', { level: 1, name: 'Open a support case' })).toBeVisible();
    await fitsTheScreen(page, 'new case');

    // Chunks held back, so the upload is still under way while the page is measured.
    await page.route('**/api/v1/uploads/*', async (route) => {
      if (route.request().method() === 'PATCH') await new Promise((r) => setTimeout(r, 5_000));
      await route.continue().catch(() => {});
    });
    await page.goto(`/cases/${caseId}`);
    await expect(page.getByText('Status: Waiting for you')).toBeVisible();
    const request = page.getByRole('group', { name: /^Bounce logs for / });
    await request.getByLabel(/^Upload files for: /).setInputFiles({
      name: `${LONG_WORD}.log`,
      mimeType: 'text/plain',
      buffer: Buffer.alloc(600 * 1024, 'a'),
    });
    await expect(request.getByRole('progressbar')).toBeVisible();
    await expect(request.getByLabel('Answer')).toBeVisible();
    await fitsTheScreen(page, 'case waiting on the customer, upload under way');
  });
});

test.describe('at 390 px', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the header is one short line and "Menu" opens the navigation', async ({ page }) => {
    await signIn(page, ADA);
    await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
    const menu = page.getByRole('button', { name: 'Menu' });
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav).toBeHidden();
    const header = await page.getByRole('banner').boundingBox();
    expect(header?.height ?? Infinity).toBeLessThanOrEqual(64);

    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await nav.getByRole('link', { name: 'Cases' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(nav).toBeHidden();
  });
});

test('the list page is in the URL: a reload and Back from a case return to page 2', async ({ page }, info) => {
  const bob = await apiAs(baseURLOf(info), BOB);
  const list = async () => (await (await bob.get('/api/v1/accounts/acc_globex/cases?limit=100')).json()).data as unknown[];
  for (let n = (await list()).length; n < 30; n++) {
    const res = await bob.post('/api/v1/accounts/acc_globex/cases', {
      data: { kind: 'information_request', severity: 'low', subject: `Paging ${n}`, description: 'Filler for paging.' },
    });
    expect(res.status()).toBe(201);
  }

  await signIn(page, BOB, '/accounts/acc_globex/cases');
  await expect(page.getByText(/^Page 1( of \d+)?$/)).toBeVisible();
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(page.getByText(/^Page 2( of \d+)?$/)).toBeVisible();
  const first = await page.getByRole('link', { name: /^CASE-\d+$/ }).first().innerText();

  await page.reload();
  await expect(page.getByText(/^Page 2( of \d+)?$/)).toBeVisible();
  await expect(page.getByRole('link', { name: /^CASE-\d+$/ }).first()).toHaveText(first);

  await page.getByRole('link', { name: first }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^${first} · `) })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(page.getByText(/^Page 2( of \d+)?$/)).toBeVisible();
  await expect(page.getByRole('link', { name: /^CASE-\d+$/ }).first()).toHaveText(first);
});
