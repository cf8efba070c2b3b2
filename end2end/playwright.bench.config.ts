import { defineConfig } from '@playwright/test';
import base from './playwright.config';

const [main] = Array.isArray(base.webServer) ? base.webServer : [base.webServer];

// `cargo xtask bench`: the experience measurements, one worker so runs do not compete.
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '*.bench.ts',
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  use: { ...base.use, trace: 'off' },
  // The 10,000 cases of Umbrella Logistics, for filtering as the person types; the journeys'
  // second server (its clock moved by tests) is not needed here.
  webServer: main && { ...main, command: `${main.command} --demo-large`, timeout: 180_000 },
});
