import { expect, type Page, type APIRequestContext, type TestInfo, request } from '@playwright/test';

export const PASSWORD = 'portal-demo';
export const ADA = 'ada@acme.example';
export const BOB = 'bob@globex.example';
export const TESS = 'tess@bird.example';
export const ALEX = 'alex@bird.example';

/** Signs in through the form, by accessible names only. */
export async function signIn(page: Page, email: string, path = '/') {
  await page.goto(path);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** An API client signed in as someone (the Bird side acts through the API, as agents do). */
export async function apiAs(baseURL: string, email: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { 'X-Requested-With': 'e2e' } });
  const res = await ctx.post('/api/v1/session', { data: { email, password: PASSWORD } });
  expect(res.status()).toBe(200);
  return ctx;
}

/** The base URL the journeys run against (from the Playwright config). */
export function baseURLOf(info: TestInfo): string {
  const url = info.project.use.baseURL;
  if (!url) throw new Error('baseURL is not configured');
  return url;
}

/**
 * Holds the page's reloads of a case until `release` is called, so nothing the server did can
 * reach the page except through the person's own retry: a refresh cannot make it unnecessary.
 */
export async function holdCaseReloads(page: Page, caseId: string): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  await page.route(`**/api/v1/cases/${caseId}`, async (route) => {
    if (route.request().method() === 'GET') await released;
    await route.continue().catch(() => undefined);
  });
  return release;
}
