import { existsSync } from 'node:fs';

/** Debian's chromium, driven by playwright-core in the browser suites; they skip without it. */
export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
// The flags this machine needs (.library/env/machines/node.md): no sandbox as root, and no
// background traffic to Google, which a closed network refuses.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
