// The desk in real Chromium (Debian's, headless, driven by playwright-core) against the real desk
// (onecard_desk_test_harness: DeskServer over a real terminal store, pcscd with its virtual
// readers): what a registrar does and what they see. Any console error or CSP violation fails the
// test, except the browser's own line for an answer the test expects (a 401 for a wrong
// passphrase, a 400 for a refused registration). Screenshots go to $ONECARD_TEST_OUTPUT.
//
//   ONECARD_DESK_HARNESS=build/tests/onecard_desk_test_harness \
//   ONECARD_TEST_OUTPUT=build/test-output/desk node --test tests/desk/desk.test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const OUTPUT = process.env.ONECARD_TEST_OUTPUT ?? join(tmpdir(), 'onecard-desk-output');
const scratch = mkdtempSync(join(tmpdir(), 'onecard-desk-'));
mkdirSync(OUTPUT, { recursive: true });

// Starts the harness; resolves to {launchUrl, childId, passphrase, command(line), stop}.
function startHarness(name = 'desk', idleSeconds = 600) {
  const program = process.env.ONECARD_DESK_HARNESS;
  assert.ok(program, 'ONECARD_DESK_HARNESS names the harness program');
  const child = spawn(program, ['--dir', join(scratch, name), '--idle-seconds', String(idleSeconds)],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = () => new Promise((resolve) => waiting.push(resolve));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the harness exited with ${code}`)));
    nextLine().then((first) => {
      const { launch_url: launchUrl, child_id: childId, passphrase } = JSON.parse(first);
      resolve({
        launchUrl,
        childId,
        passphrase,
        // Sends one card command; resolves when the harness has done it.
        command: async (line) => {
          const answer = nextLine();
          child.stdin.write(`${line}\n`);
          assert.equal(await answer, 'ok', `harness: ${line}`);
        },
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners('exit');
            child.on('exit', done);
            child.stdin.end();
          }),
      });
    });
  });
}

let browser;
let harness;

before(async () => {
  harness = await startHarness();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await harness?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function shot(page, name) {
  await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
}

test('a registrar signs in, finds a child, and the card brings up the child', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The browser's own lines for the refusals this test provokes.
    const status = /status of (\d{3})/.exec(message.text())?.[1];
    const path = new URL(message.location().url || 'http://x/').pathname;
    if (['401 /api/sign-in', '400 /api/children'].includes(`${status} ${path}`)) return;
    errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));

  // The launch link: a session cookie, then the sign-in form; the link works once.
  await page.goto(harness.launchUrl);
  assert.equal(new URL(page.url()).pathname, '/');
  await page.locator('#sign-in').waitFor();
  assert.equal(await page.locator('#sign-in-title').textContent(), '工作人员登录');
  await shot(page, '01-sign-in');
  const again = await (await browser.newContext()).newPage();
  const refused = await again.goto(harness.launchUrl);
  assert.equal(refused.status(), 403);
  assert.match(await again.textContent('body'), /此链接已使用或无效/);

  // A wrong passphrase, then the right one, typed as a person would: name, Tab, passphrase, Enter.
  await page.locator('#user').fill('chen');
  await page.keyboard.press('Tab');
  await page.keyboard.type('not the passphrase');
  await page.keyboard.press('Enter');
  await page.locator('#sign-in-error').waitFor();
  assert.match(await page.locator('#sign-in-error').textContent(), /口令|passphrase/);
  await page.locator('#passphrase').fill(harness.passphrase);
  await page.keyboard.press('Enter');
  await page.locator('#work').waitFor();
  assert.match(await page.locator('#who').textContent(), /chen（主管）/);

  // Search by pinyin; the child's page.
  await page.keyboard.type('liu xiaoming');
  await page.keyboard.press('Enter');
  await page.locator('#results-body tr').first().waitFor();
  assert.equal(await page.locator('#results-body tr').count(), 1);
  await page.locator('#results-body tr').first().click();
  await page.locator('#child').waitFor();
  assert.equal(await page.locator('#child-title').textContent(), `刘小明（${harness.childId}）`);
  await shot(page, '02-child');

  // A new registration from the keyboard: a refused phone number is shown next to its field.
  await page.keyboard.press('Alt+N');
  await page.locator('#register:not([hidden])').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-name');
  await page.keyboard.type('王小红');
  await page.locator('#f-sex').selectOption('F');
  await page.locator('#f-birth_date').fill('2018-05-04');
  await page.locator('#f-hukou_area').fill('321324');
  await page.locator('#f-residence_area').fill('440306');
  await page.locator('#f-g0-name').fill('王强');
  await page.locator('#f-g0-phone').fill('12');
  await page.keyboard.press('Enter');
  const phoneError = page.locator('#f-g0-phone + .error');
  await phoneError.waitFor();
  assert.match(await phoneError.textContent(), /^不是有效的电话号码/);
  assert.equal(await page.locator('#f-g0-phone').getAttribute('aria-invalid'), 'true');
  await shot(page, '02b-registration-error');
  await page.locator('#f-g0-phone').fill('13812345678');
  await page.keyboard.press('Enter');
  await page.locator('#child:not([hidden])').waitFor();
  assert.match(await page.locator('#child-title').textContent(), /^王小红（GD-T1-\d+）$/);
  assert.match(await page.locator('#child-record').textContent(), /宝安区（440306）/);
  await page.locator('#child').evaluate((e) => e.setAttribute('hidden', ''));

  // Nothing personal in browser storage or the address.
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k !== 'onecard-desk-language')), []);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.doesNotMatch(page.url(), /刘|%E5%88%98/);

  // The card: written elsewhere, then put into the desk's reader -> the child's page, pushed.
  await page.locator('#q').fill('');
  await page.evaluate(() => document.getElementById('child').setAttribute('hidden', ''));
  await harness.command('issue');
  const inserted = Date.now();
  await harness.command('insert');
  await page.locator('#child:not([hidden])').waitFor({ timeout: 5000 });
  const shownAfter = Date.now() - inserted;
  assert.match(await page.locator('#card-status').textContent(), /已读卡：卡号 [0-9A-F]{16}，由终端 GD-T1 签发，签名有效/);
  assert.equal(await page.locator('#child-title').textContent(), `刘小明（${harness.childId}）`);
  console.log(`card inserted -> child's page shown: ${shownAfter} ms (the insert command included)`);
  await shot(page, '03-card-read');

  // Pulled out; a card of another application.
  await harness.command('remove');
  await page.locator('#card-status', { hasText: '卡已取出' }).waitFor();
  await harness.command('foreign');
  await page.locator('#card-status.bad').waitFor();
  assert.match(await page.locator('#card-status').textContent(), /不是 OneCard 卡/);
  await shot(page, '04-foreign-card');
  await harness.command('remove');

  // Lock: the sign-in form again, and the API refuses until the passphrase is given.
  await page.locator('#lock').click();
  await page.locator('#sign-in').waitFor();
  assert.equal(await page.locator('#work').isHidden(), true);

  assert.deepEqual(errors, []);
  await context.close();
});

test('left alone, the desk locks itself and the screen shows nothing of the child', async () => {
  const idle = await startHarness('idle', 3);
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(idle.launchUrl);
  await page.locator('#user').fill('chen');
  await page.locator('#passphrase').fill(idle.passphrase);
  await page.keyboard.press('Enter');
  await page.locator('#work').waitFor();
  await page.locator('#q').fill('刘小明');
  await page.keyboard.press('Enter');
  await page.locator('#results-body tr').first().click();
  await page.locator('#child:not([hidden])').waitFor();
  // Nobody touches it: within the idle limit and the page's 5-second check, the sign-in returns.
  await page.locator('#sign-in:not([hidden])').waitFor({ timeout: 15000 });
  assert.equal(await page.locator('#child-record').textContent(), '');
  assert.doesNotMatch(await page.textContent('body'), /刘小明/);
  await shot(page, '05-idle-locked');
  await context.close();
  await idle.stop();
});
