import { test, expect, type Page, type Route } from '@playwright/test';
import { ADA, PASSWORD, TESS, signIn } from './helpers';

test('Ada signs in and sees the Acme Mail account page with its TAM and cases', async ({ page }) => {
  await signIn(page, ADA);
  await expect(page).toHaveURL(/\/accounts\/acc_acme$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your Technical Account Manager' })).toBeVisible();
  await expect(page.getByText('Tess Rinaldi')).toBeVisible();
  await expect(page.getByRole('link', { name: 'tess@bird.example' })).toHaveAttribute('href', 'mailto:tess@bird.example');
  await expect(page.getByRole('link', { name: '+39 02 1234 5678' })).toHaveAttribute('href', /^tel:\+39/);
  await expect(page.getByText(/Available now|Next available/)).toBeVisible();
  const open = page.getByRole('region', { name: 'Open cases' });
  await expect(open.getByRole('link', { name: /CASE-\d+/ }).first()).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' })).toBeVisible();
});

test('the account page after signing in asks for each of its parts once', async ({ page }) => {
  // Its requests leave with the sign-in answer (a head start), and the page takes those
  // answers instead of asking again.
  await page.addInitScript(() => {
    const replace = history.replaceState.bind(history);
    history.replaceState = (...args: Parameters<History['replaceState']>) => {
      if (String(args[2] ?? '').endsWith('/accounts/acc_acme')) (window as unknown as { landedAt: number }).landedAt = performance.now();
      replace(...args);
    };
  });
  const asked: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/v1/accounts/acc_acme')) asked.push(path);
  });
  await signIn(page, ADA);
  await expect(page).toHaveURL(/\/accounts\/acc_acme$/);
  await expect(page.getByRole('region', { name: 'Open cases' }).getByRole('link', { name: /CASE-\d+/ }).first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  const [landedAt, requestedAt] = await page.evaluate(() => [
    (window as unknown as { landedAt: number }).landedAt,
    performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/v1/accounts/acc_acme'))?.startTime,
  ]);
  expect(requestedAt).toBeLessThan(landedAt);
  expect(asked.sort()).toEqual([
    '/api/v1/accounts/acc_acme',
    '/api/v1/accounts/acc_acme/cases',
    '/api/v1/accounts/acc_acme/needs-action',
    '/api/v1/accounts/acc_acme/tam',
  ]);
});

test('a wrong password shows one message that does not say whether the email exists', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(ADA);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const wrongPassword = await page.getByRole('alert').innerText();

  await page.getByLabel('Email').fill('nobody@acme.example');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  const unknownEmail = await page.getByRole('alert').innerText();

  const withoutReference = (s: string) => s.replace(/Reference: \S+/, '').trim();
  expect(withoutReference(wrongPassword)).toContain('The email or password is not right');
  expect(withoutReference(unknownEmail)).toBe(withoutReference(wrongPassword));
  await expect(page.getByLabel('Email')).toHaveValue('nobody@acme.example');
});

test('an empty form names each field and sends nothing', async ({ page }) => {
  await page.goto('/login');
  let posted = false;
  page.on('request', (r) => { if (r.method() === 'POST') posted = true; });
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Email')).toBeFocused();
  await expect(page.getByText('Fill in this field.').first()).toBeVisible();
  expect(posted).toBe(false);
});

test('a field\'s problem goes as soon as the field is filled', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Email').fill(ADA);
  await expect(page.getByLabel('Email')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Fill in this field.')).toHaveCount(1);
  await page.getByLabel('Password').fill('p');
  await expect(page.getByText('Fill in this field.')).toHaveCount(0);
});

test('a signed-out visitor is sent to sign in and then back to the page they wanted', async ({ page }) => {
  await page.goto('/accounts/acc_acme/cases?status=in_progress');
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Email').fill(ADA);
  await page.getByLabel('Password').fill('portal-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/accounts\/acc_acme\/cases\?status=in_progress$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
  await expect(page.getByLabel('Status')).toHaveValue('in_progress');
});

test('sign out ends the session', async ({ page }) => {
  await signIn(page, ADA);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/accounts/acc_acme');
  await expect(page).toHaveURL(/\/login/);
});

test('a TAM lands on the book of accounts and sees both', async ({ page }) => {
  await signIn(page, TESS);
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.getByRole('link', { name: 'Acme Mail' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Globex Retail' })).toBeVisible();
});

test('the language switch turns the page Italian and remembers it', async ({ page }) => {
  await signIn(page, ADA);
  await expect(page.getByRole('heading', { name: 'Your Technical Account Manager' })).toBeVisible();
  await page.getByLabel('Language').selectOption('it');
  await expect(page.getByRole('heading', { name: 'Il tuo Account Manager Tecnico (TAM)' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Esci' })).toBeVisible();
});

test('with cookie sessions no secret reaches scripts or browser storage', async ({ page, context }) => {
  await signIn(page, ADA);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  const session = (await context.cookies()).find((c) => c.name === 'portal_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');
  const visible = await page.evaluate(() => ({
    cookie: document.cookie,
    stored: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
  }));
  expect(visible.cookie).not.toContain('portal_session');
  expect(visible.stored).not.toContain(session?.value ?? 'no cookie');
  expect(visible.stored.toLowerCase()).not.toMatch(/token|bearer|password/);
});

const SIGN_IN_FAULTS: [string, (route: Route, page: Page) => Promise<void>][] = [
  ['a 500', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: '{}' })],
  ['a 503 with Retry-After', (r) => r.fulfill({ status: 503, headers: { 'Retry-After': '1' }, body: 'unavailable' })],
  ['a timeout', (r) => r.abort('timedout')],
  ['going offline', async (r, page) => { await page.context().setOffline(true); await r.abort('internetdisconnected'); }],
];

for (const [name, inject] of SIGN_IN_FAULTS) {
  test(`signing in survives ${name}: it says what happened, keeps the email, and works on the next try`, async ({ page }) => {
    let injected = false;
    await page.route('**/api/v1/session', async (route) => {
      if (route.request().method() === 'POST' && !injected) {
        injected = true;
        await inject(route, page);
      } else {
        await route.continue();
      }
    });
    await signIn(page, ADA);
    await expect(page.getByRole('alert')).toContainText(/Something went wrong on our side|briefly unavailable|could not reach/);
    await expect(page.getByLabel('Email')).toHaveValue(ADA);
    await page.context().setOffline(false);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  });
}
