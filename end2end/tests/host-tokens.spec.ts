import { test, expect } from '@playwright/test';
import { baseURLOf } from './helpers';

// The demo dashboard hands fresh bearer tokens to the portal it frames: a link must not be
// able to point it at another origin.

test('the demo dashboard sends no token to a portal origin a link names', async ({ page }, info) => {
  const minted: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/v1/tokens')) minted.push(request.url());
  });
  const framedByEvil: string[] = [];
  await page.route('http://evil.test/**', (route) => {
    framedByEvil.push(route.request().url());
    return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>evil</title>' });
  });
  await page.goto(`${baseURLOf(info)}/demo-host/framed/?portal=${encodeURIComponent('http://evil.test')}`);
  await expect(page.getByRole('alert')).toContainText('not configured for a portal at http://evil.test');
  await expect(page.locator('iframe')).toHaveCount(0);
  expect(minted).toEqual([]);
  expect(framedByEvil).toEqual([]);
});
