import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// `cargo xtask bench`: the experience measurements, one worker so runs do not compete.
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '*.bench.ts',
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  use: { ...base.use, trace: 'off' },
});
