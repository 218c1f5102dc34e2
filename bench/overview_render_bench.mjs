// Time to a rendered overview (issue 14): an official signs in to the dashboard in headless
// Chromium and waits for every panel of the overview of their jurisdiction, over real HTTPS on
// loopback, against a kept server store (the statistics bench's). The server is
// onecard_officials_http_bench --serve (the officials' HTTPS service with the dashboard, and the
// bench's accounts). Prints, over the rounds, the time from pressing Enter on the sign-in to the
// last panel drawn with an empty browser cache, and from a reload (signed in, files cached) to the
// same.
//
//   node bench/overview_render_bench.mjs --server build/bench/onecard_officials_http_bench \
//        --dir STORE_DIR [--rounds 10] [--account 0]
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

const PASSWORD = 'bench password 2026'; // the bench's own accounts (officials_http_bench.cc)

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  if (at >= 0 && at + 1 < process.argv.length) return process.argv[at + 1];
  if (fallback === undefined) throw new Error(`${name} is required`);
  return fallback;
}

const server = option('--server');
const dir = option('--dir');
const rounds = Number(option('--rounds', '10'));
const account = Number(option('--account', '0'));

// Starts the server; resolves with its port once it prints "port N".
function startServer() {
  const child = spawn(server, ['--serve', '--dir', dir, '--accounts', String(account + 1)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    child.stdout.on('data', (data) => {
      out += data;
      const port = /^port (\d+)$/m.exec(out)?.[1];
      if (!port || !out.includes('ready\n')) return;
      child.removeAllListeners('exit');
      resolve({ port: Number(port), stop: () => new Promise((done) => {
        child.on('exit', done);
        child.stdin.end();
      }) });
    });
  });
}

// Resolves when the overview's panels are all drawn (app.js clears aria-busy when the last is).
function overviewDrawn(page) {
  return page.waitForFunction(
    () => document.querySelector('#panels[aria-busy="false"] > *') !== null,
    null, { timeout: 60_000 });
}

function summary(name, ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  console.log(`${name.padEnd(44)} median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms, ` +
              `max ${sorted[sorted.length - 1].toFixed(0)} ms (${sorted.length} rounds)`);
}

const { port, stop } = await startServer();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const signIn = [], reload = [];
let areaShown = '';
try {
  for (let round = 0; round < rounds; ++round) {
    const context = await browser.newContext({
      baseURL: `https://127.0.0.1:${port}`,
      ignoreHTTPSErrors: true, // the bench server's throwaway certificate
      viewport: { width: 1366, height: 768 },
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/');
    await page.locator('#user').fill(`bench.official.${account}`);
    await page.locator('#password').fill(PASSWORD);
    let start = performance.now();
    await page.locator('#password').press('Enter');
    await overviewDrawn(page);
    signIn.push(performance.now() - start);
    start = performance.now();
    await page.reload();
    await overviewDrawn(page);
    reload.push(performance.now() - start);
    if (await page.locator('#dashboard-error').isVisible()) {
      throw new Error(`the overview failed: ${await page.locator('#dashboard-error').textContent()}`);
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    areaShown = await page.locator('#area-title').textContent();
    await context.close();
  }
} finally {
  await browser.close();
  await stop();
}
console.log(`bench.official.${account}: the overview of ${areaShown}`);
summary('sign-in to overview drawn (empty cache)', signIn);
summary('reload to overview drawn (signed in, cached)', reload);
