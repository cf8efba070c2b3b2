import { test, expect, type Page } from '@playwright/test';
import { ADA, signIn } from './helpers';

/** Every wasm file the page fetches, by name. */
function wasmFetches(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.wasm')) names.push(path.slice(1));
  });
  return names;
}

test('the sign-in page draws from one wasm module; the account page arrives while the person types, the others after signing in', async ({ page }) => {
  const fetched = wasmFetches(page);
  // Every chunk is held back, so none of them can be what draws the sign-in page.
  let release = () => {};
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route(/\/(split_|chunk_)[^/]*\.wasm$/, async (route) => { await held; await route.fallback(); });
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(fetched[0]).toMatch(/^bird-portal-[0-9a-f]+_bg\.wasm$/);
  expect(fetched.filter((name) => name.startsWith('bird-portal-'))).toHaveLength(1);
  release();
  await expect.poll(() => fetched.some((name) => name.startsWith('split_account_page-')), { timeout: 15_000 }).toBe(true);

  await page.getByLabel('Email').fill(ADA);
  await page.getByLabel('Password').fill('portal-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await expect.poll(() => fetched.some((name) => name.startsWith('split_case_page-')), { timeout: 15_000 }).toBe(true);
  await expect.poll(() => fetched.some((name) => name.startsWith('split_case_list_page-')), { timeout: 15_000 }).toBe(true);
  // The settings page is the last fetched in the background; the pages of a forgotten password
  // are for the signed out, and are not fetched at all.
  await expect.poll(() => fetched.some((name) => name.startsWith('split_settings_page-')), { timeout: 15_000 }).toBe(true);
  await page.waitForLoadState('networkidle');
  expect(fetched.filter((name) => /^split_(forgot|reset)_password_page-/.test(name))).toEqual([]);

  // Already fetched, the case list draws without asking for its code again. (The other pages'
  // chunks may still be arriving in the background meanwhile, so the total is no measure.)
  const listChunks = () => fetched.filter((name) => name.startsWith('split_case_list_page-')).length;
  expect(listChunks()).toBe(1);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
  expect(listChunks()).toBe(1);
});

test("a page whose code cannot be fetched says so, offers a reload, and Try again draws it once the network is back", async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('stopped: panicked')) errors.push(message.text());
  });
  let blocked = true;
  await page.route('**/split_tam_page-*.wasm', (route) => (blocked ? route.abort('internetdisconnected') : route.fallback()));
  await signIn(page, ADA, '/accounts/acc_acme/tam');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('This page could not be loaded');
  // A build replaced since the page loaded has other chunks: reloading fetches the current one.
  await expect(alert.getByRole('link', { name: 'Reload' })).toHaveAttribute('href', /\/accounts\/acc_acme\/tam$/);
  blocked = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Technical Account Manager' })).toBeVisible();
  expect(errors).toEqual([]);
});
