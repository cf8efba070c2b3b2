import { chromium } from '@playwright/test';
const [base, who, path, width, lang, scheme, out, height] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless=new'] });
const ctx = await browser.newContext({ viewport: { width: Number(width), height: Number(height ?? 800) }, colorScheme: scheme, locale: lang });
const page = await ctx.newPage();
await page.goto(base + '/login');
await page.evaluate((l) => localStorage.setItem('bird-portal.locale', l), lang);
await page.goto(base + '/login');
await page.locator('#login-email').fill(who);
await page.locator('#login-password').fill('portal-demo');
await page.locator('button[type=submit]').click();
await page.waitForTimeout(1500);
await page.goto(base + path);
await page.waitForTimeout(2000);
if (process.env.CLICK) { await page.getByRole('button', { name: process.env.CLICK }).click(); await page.waitForTimeout(300); }
const sw = await page.evaluate(() => document.scrollingElement.scrollWidth);
console.log(out, 'scrollWidth', sw);
await page.screenshot({ path: out });
await browser.close();
