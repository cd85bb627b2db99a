// What the browser tests share: the server they test, where screenshots go, a
// check that records failures, and a headless Chromium started with the flags
// this machine's closed network needs.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

// GOVGRAPH_URL of a running server, without a trailing slash; exits 2 without it.
export function serverUrl(test) {
  const base = (process.env.GOVGRAPH_URL || '').replace(/\/+$/, '');
  if (!base) {
    console.error(`${test}: set GOVGRAPH_URL to the URL of a running govgraph server`);
    process.exit(2);
  }
  return base;
}

// SCREENSHOT_DIR (default ./screenshots), created.
export function screenshotDir() {
  const shots = resolve(process.env.SCREENSHOT_DIR || 'screenshots');
  mkdirSync(shots, { recursive: true });
  return shots;
}

// Failures recorded by `check`, which prints one line per check.
export const failures = [];
export function check(condition, message) {
  if (!condition) {
    failures.push(message);
    console.error(`  FAIL ${message}`);
  } else {
    console.log(`  ok   ${message}`);
  }
}

// Headless Chromium (CHROMIUM overrides /usr/bin/chromium).
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
