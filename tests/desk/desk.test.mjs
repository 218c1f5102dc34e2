// The desk in real Chromium (Debian's, headless, driven by playwright-core) against the real desk
// (onecard_desk_test_harness: DeskServer over a real terminal store, pcscd with its virtual
// readers): what a registrar does and what they see. Any console error or CSP violation fails the
// test, except the browser's own line for an answer the test expects (a 401 for a wrong
// passphrase, a 400 for a refused registration, referral or edit). Screenshots go to $ONECARD_TEST_OUTPUT.
//
// What a registrar does: signs in, finds a child, registers one with the area picker (a refused
// phone number corrected), issues her card from the page (a blank card in the reader), refers her
// to the clinic, is warned when registering the same ID number again, reads a card, refers a child
// with an overdue dose from the worklist, syncs; at the clinic's desk the referral is accepted and
// completed, and after both sync the first desk sees it completed.
//
// What a supervisor does (a harness of its own): adds a registrar (a mismatched repeat of the
// passphrase refused first), resets their passphrase, disables them, checks the audit log; edits a
// child's name in her page while the clinic's desk edits it differently, and after both sync
// resolves the conflict; registers a second child with the same name and birth date, and decides the
// pair the server sends back for review is not the same child.
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

// Starts the harness; resolves to {launchUrl, childId, passphrase, user, clinicLaunchUrl,
// clinicSiteId, clinicSiteName, overdueChildId, command(line), stop}.
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
      const started = JSON.parse(first);
      resolve({
        launchUrl: started.launch_url,
        childId: started.child_id,
        passphrase: started.passphrase,
        user: started.user ?? 'chen',
        clinicLaunchUrl: started.clinic_launch_url,
        clinicSiteId: started.clinic_site_id,
        clinicSiteName: started.clinic_site_name,
        overdueChildId: started.overdue_child_id,
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

const ID_NUMBER = '321324201805040020';  // 王小红: 泗洪县, born 2018-05-04, a girl (check digit 0)
const REFERRAL_REASON = '入户随访发现需要补种疫苗，请安排接种';

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

// Console errors and page errors of `page`, except the browser's own lines for the refusals a
// test provokes (`allowed`: "STATUS /path" with {id} for any path segment).
function watchErrors(page, allowed) {
  const errors = [];
  const patterns = allowed.map((a) => new RegExp(`^${a.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{id\}/g, '[^/]+')}$`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const status = /status of (\d{3})/.exec(message.text())?.[1];
    const path = new URL(message.location().url || 'http://x/').pathname;
    if (patterns.some((p) => p.test(`${status} ${path}`))) return;
    errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return errors;
}

async function signIn(page, launchUrl, user, passphrase) {
  await page.goto(launchUrl);
  await page.locator('#user').fill(user);
  await page.locator('#passphrase').fill(passphrase);
  await page.keyboard.press('Enter');
  await page.locator('#work:not([hidden])').waitFor();
}

// Alt+S, then waits until the sync bar says the sync ended; returns the bar's text.
async function syncNow(page) {
  await page.locator('#sync-bar:not([hidden])').waitFor();
  await page.keyboard.press('Alt+S');
  await page.waitForFunction(() => {
    const state = document.getElementById('sync-state').textContent;
    return state && !/正在同步|Syncing/.test(state) && !document.getElementById('sync-now').disabled;
  }, null, { timeout: 30000 });
  const text = await page.locator('#sync-bar').textContent();
  assert.doesNotMatch(text, /同步失败/, text);
  return text;
}

// Picks an area in the picker of `field` (hukou_area, residence_area): province, city, county.
async function pickArea(page, field, code) {
  await page.locator(`#f-${field}-province`).selectOption(`${code.slice(0, 2)}0000`);
  await page.locator(`#f-${field}-city`).selectOption(`${code.slice(0, 4)}00`);
  await page.locator(`#f-${field}-county`).selectOption(code);
  assert.equal(await page.locator(`#f-${field}`).inputValue(), code);
}

test('a registrar signs in, finds a child, and the card brings up the child', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  // The browser's own lines for the refusals this test provokes.
  const errors = watchErrors(page, ['401 /api/sign-in', '400 /api/children', '400 /api/children/{id}/referrals']);

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
  await page.locator('#user').fill(harness.user);
  await page.keyboard.press('Tab');
  await page.keyboard.type('not the passphrase');
  await page.keyboard.press('Enter');
  await page.locator('#sign-in-error').waitFor();
  assert.match(await page.locator('#sign-in-error').textContent(), /口令|passphrase/);
  await page.locator('#passphrase').fill(harness.passphrase);
  await page.keyboard.press('Enter');
  await page.locator('#work').waitFor();
  assert.match(await page.locator('#who').textContent(), new RegExp(`${harness.user}（主管）`));
  // The sync bar is there from the sign-in on; the shortcuts are written out.
  await page.locator('#sync-bar:not([hidden]) #sync-last', { hasText: '上次同步成功' }).waitFor();
  assert.match(await page.locator('.shortcuts').textContent(), /Alt\+O 逾期未接种/);
  // A first sync: the desk learns the other sites (the clinic) from the server.
  assert.match(await syncNow(page), /上次同步成功：刚刚/);

  // Search by pinyin; the child's page.
  await page.keyboard.type('liu xiaoming');
  await page.keyboard.press('Enter');
  await page.locator('#results-body tr').first().waitFor();
  assert.equal(await page.locator('#results-body tr').count(), 1);
  await page.locator('#results-body tr').first().click();
  await page.locator('#child').waitFor();
  assert.equal(await page.locator('#child-title').textContent(), `刘小明（${harness.childId}）`);
  await shot(page, '02-child');

  // A new registration from the keyboard: the ID number fills in the birth date and sex, areas are
  // picked province → city → county; a refused phone number is shown next to its field.
  await page.keyboard.press('Alt+N');
  await page.locator('#register:not([hidden])').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-name');
  await page.keyboard.type('王小红');
  await page.locator('#f-id_number').fill(ID_NUMBER);
  await page.keyboard.press('Tab');
  assert.equal(await page.locator('#f-birth_date').inputValue(), '2018-05-04');
  assert.equal(await page.locator('#f-sex').inputValue(), 'F');
  await pickArea(page, 'hukou_area', '321324');
  assert.equal(await page.locator('#f-hukou_area-county option:checked').textContent(), '泗洪县');
  await pickArea(page, 'residence_area', '440306');
  await page.locator('#f-g0-name').fill('王强');
  await page.locator('#f-school-name').fill('宝安区第一幼儿园');
  await page.locator('#f-school-stage').selectOption('preschool');
  assert.equal(await page.locator('#f-school-grade').isDisabled(), true);
  await page.locator('#f-school-status').selectOption('enrolled');
  await page.locator('#f-doses summary').click();
  const hepB1 = page.locator('#f-doses-body tr[data-vaccine="HepB"][data-dose="1"]');
  assert.match(await hepB1.textContent(), /乙肝疫苗第1剂出生时/);
  await hepB1.locator('input[type=checkbox]').check();
  await hepB1.locator('input[type=date]').fill('2018-05-04');
  // The consent statement, printed from the page (window.print stubbed: headless has no printer).
  await page.evaluate(() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; });
  await page.locator('#consent-print-button').click();
  await page.locator('#consent-print:not([hidden])').waitFor();
  assert.equal(await page.evaluate(() => window.printed), 1);
  assert.match(await page.locator('#consent-print').textContent(), /本人王强（儿童王小红的父亲）已知悉/);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#register-form').isVisible(), false);  // on paper: the statement only
  assert.equal(await page.locator('#consent-print').isVisible(), true);
  await page.screenshot({ path: join(OUTPUT, '02a-consent-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await shot(page, '02a-registration-form');
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
  const xiaohong = /（(GD-T1-\d+)）/.exec(await page.locator('#child-title').textContent())[1];
  assert.match(await page.locator('#child-record').textContent(), /宝安区（440306）/);
  assert.match(await page.locator('#child-record').textContent(), /幼儿园/);
  assert.match(await page.locator('#child-doses').textContent(), /乙肝疫苗 第1剂（2018-05-04）/);

  // Her card, issued from her page: a blank card in the reader, 发卡, followed live.
  assert.equal(await page.locator('#child-card').textContent(), '尚未发卡');
  await harness.command('blank');
  await page.locator('#card-issue').click();
  await page.locator('#card-progress.good').waitFor({ timeout: 15000 });
  assert.match(await page.locator('#card-progress').textContent(), /写卡完成，卡号 [0-9A-F]{16}/);
  await page.locator('#child-card', { hasText: '当前卡号' }).waitFor();
  assert.equal(await page.locator('#card-issue').isHidden(), true);
  assert.equal(await page.locator('#card-update').isVisible(), true);
  await shot(page, '02c-card-issued');
  await harness.command('remove');

  // Lost: a new card replaces it (a reason is asked for), and the old serial is revoked.
  const oldSerial = /卡号 ([0-9A-F]{16})/.exec(await page.locator('#card-progress').textContent())[1];
  await harness.command('blank');
  await page.locator('#card-replace').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'card-replace-reason');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#card-replace-form .error').textContent(), '请填写补办原因。');
  await page.keyboard.type('卡遗失');
  await page.keyboard.press('Enter');
  await page.locator('#card-progress', { hasText: '已补办新卡' }).waitFor({ timeout: 15000 });
  assert.match(await page.locator('#card-progress').textContent(),
    new RegExp(`已补办新卡，卡号 [0-9A-F]{16}；旧卡 ${oldSerial} 已作废。`));
  await shot(page, '02c2-card-replaced');
  await harness.command('remove');

  // She is referred to the clinic: a referral without a service is refused next to that field.
  await page.locator('#refer-open').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'r-service');
  assert.ok(await page.locator('#r-to_site option', { hasText: harness.clinicSiteName }).count() >= 1);
  await page.locator('#r-to_site').selectOption(harness.clinicSiteId);
  await page.locator('#r-reason').fill(REFERRAL_REASON);
  await page.keyboard.press('Enter');
  await page.locator('#r-service[aria-invalid=true]').waitFor();
  assert.notEqual(await page.locator('#r-service + .error').textContent(), '');
  await shot(page, '02d-referral-refused');
  await page.locator('#r-service').selectOption('health');
  await page.locator('#r-reason').press('Enter');
  await page.locator('#refer-done:not([hidden])').waitFor();
  const referralRow = page.locator('#child-referrals tr', { hasText: REFERRAL_REASON });
  await referralRow.waitFor();
  assert.match(await referralRow.textContent(), new RegExp(`卫生健康.*${harness.clinicSiteName}.*待接收`));
  await shot(page, '02e-referred');

  // The same ID number again: the desk warns before saving and opens the child already held.
  await page.keyboard.press('Alt+N');
  await page.locator('#f-name').fill('王晓红');
  await page.locator('#f-id_number').fill(ID_NUMBER);
  await page.keyboard.press('Tab');
  await pickArea(page, 'hukou_area', '321324');
  await pickArea(page, 'residence_area', '440306');
  await page.locator('#f-g0-name').fill('王强');
  await page.locator('#f-g0-name').press('Enter');
  await page.locator('#dup:not([hidden])').waitFor();
  const dupRow = page.locator('#dup-body tr').first();
  assert.match(await dupRow.textContent(), /王小红.*2018-05-04.*身份证号相同/);
  await shot(page, '02f-duplicate-warning');
  await dupRow.locator('button', { hasText: '打开这名儿童' }).click();
  await page.locator('#child:not([hidden])').waitFor();
  assert.equal(await page.locator('#child-title').textContent(), `王小红（${xiaohong}）`);
  assert.equal(await page.locator('#register').isHidden(), true);
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

  // The overdue worklist (Alt+O): the child missing a dose, referred to the clinic in one action.
  await page.keyboard.press('Alt+O');
  await page.locator('#overdue:not([hidden])').waitFor();
  const overdueRow = page.locator(`#overdue-body tr[data-child="${harness.overdueChildId}"]`);
  await overdueRow.waitFor();
  assert.match(await overdueRow.textContent(), /第\d剂（应种日期 \d{4}-\d{2}-\d{2}）/);
  await page.locator('#overdue-site').selectOption(harness.clinicSiteId);
  await shot(page, '06-overdue');
  await overdueRow.locator('button', { hasText: '转介到卫生服务' }).click();
  await overdueRow.locator('text=已有卫生转介').waitFor();
  // The site chosen stays chosen in this page (not in browser storage).
  await page.keyboard.press('Alt+R');
  await page.keyboard.press('Alt+O');
  await page.locator(`#overdue-body tr[data-child="${harness.overdueChildId}"]`).waitFor();
  assert.equal(await page.locator('#overdue-site').inputValue(), harness.clinicSiteId);

  // Sync (Alt+S): the referrals go to the server.
  const bar = await syncNow(page);
  assert.match(bar, /上次同步成功：刚刚/);
  assert.match(bar, /待发送 0 条/);
  await shot(page, '07-synced');

  // At the clinic's desk: after a sync the referral is in its worklist; accepted, then completed.
  const clinicContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const clinic = await clinicContext.newPage();
  const clinicErrors = watchErrors(clinic, []);
  await signIn(clinic, harness.clinicLaunchUrl, harness.user, harness.passphrase);
  await syncNow(clinic);
  await clinic.keyboard.press('Alt+R');
  await clinic.locator('#worklist-referrals:not([hidden])').waitFor();
  const incoming = clinic.locator('#for-this-site-body tr', { hasText: REFERRAL_REASON });
  await incoming.waitFor();
  assert.match(await incoming.textContent(), /卫生健康.*待接收/);
  assert.doesNotMatch(await incoming.textContent(), /GD-BAOAN/);  // sites by name, not code
  await shot(clinic, '08-clinic-referrals');
  await incoming.locator('button', { hasText: '接收' }).click();
  await clinic.locator('#for-this-site-body tr', { hasText: REFERRAL_REASON }).locator('text=已接收').waitFor();
  await clinic.locator('#for-this-site-body tr', { hasText: REFERRAL_REASON }).locator('button', { hasText: '完成' }).click();
  await clinic.locator('tr.inline input').fill('已补种乙肝疫苗');
  await clinic.keyboard.press('Enter');
  const completed = clinic.locator('#for-this-site-body tr', { hasText: REFERRAL_REASON });
  await completed.locator('text=已完成').waitFor();
  assert.match(await completed.textContent(), /已补种乙肝疫苗/);
  // The overdue child's referral is declined, with a coded reason and a note.
  const other = clinic.locator('#for-this-site-body tr', { hasText: '逾期未接种：' });
  await other.locator('button', { hasText: '拒绝' }).click();
  await clinic.locator('tr.inline select').selectOption('no_capacity');
  await clinic.locator('tr.inline input').fill('本月疫苗已用完');
  await clinic.keyboard.press('Enter');
  await clinic.locator('#for-this-site-body tr', { hasText: '逾期未接种：' }).locator('text=已拒绝：暂无能力').waitFor();
  await shot(clinic, '09-clinic-completed');
  await syncNow(clinic);
  assert.deepEqual(clinicErrors, []);
  await clinicContext.close();

  // Back at the first desk: after a sync its referral shows as completed.
  await page.keyboard.press('Alt+R');
  await page.locator('#worklist-referrals:not([hidden])').waitFor();
  await syncNow(page);
  const madeHere = page.locator('#made-here-body tr', { hasText: REFERRAL_REASON });
  await madeHere.locator('text=已完成').waitFor({ timeout: 10000 });
  assert.match(await madeHere.textContent(), new RegExp(`${harness.clinicSiteName}.*已完成.*已补种乙肝疫苗`));
  await shot(page, '10-referral-completed');

  // The same in English: labels switch, the doses and statuses are in words.
  await page.locator('#language').click();
  await page.locator('#nav-overdue', { hasText: 'Overdue doses (Alt+O)' }).waitFor();
  await page.locator('#made-here-body tr', { hasText: REFERRAL_REASON }).locator('text=completed').waitFor();
  await page.locator('#q').fill('王小红');
  await page.keyboard.press('Enter');
  await page.locator('#results-body tr').first().click();
  await page.locator('#child-doses', { hasText: 'hepatitis B, dose 1 (2018-05-04)' }).waitFor();
  assert.match(await page.locator('#sync-bar').textContent(), /Last synced/);
  await shot(page, '11-english');
  await page.locator('#language').click();
  await page.locator('#nav-overdue', { hasText: '逾期未接种（Alt+O）' }).waitFor();

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
  await signIn(page, idle.launchUrl, idle.user, idle.passphrase);
  await page.locator('#q').fill('刘小明');
  await page.keyboard.press('Enter');
  await page.locator('#results-body tr').first().click();
  await page.locator('#child:not([hidden])').waitFor();
  await page.keyboard.press('Alt+O');
  await page.locator('#overdue-body tr', { hasText: '张小红' }).waitFor();
  // Nobody touches it: within the idle limit and the page's 5-second check, the sign-in returns.
  await page.locator('#sign-in:not([hidden])').waitFor({ timeout: 15000 });
  assert.equal(await page.locator('#child-record').textContent(), '');
  assert.equal(await page.locator('#sync-bar').isHidden(), true);
  assert.doesNotMatch(await page.textContent('body'), /刘小明|张小红/);
  await shot(page, '05-idle-locked');
  await context.close();
  await idle.stop();
});

// Picks an area in a picker whose selects are #PREFIX-province, -city, -county.
async function pickAreaIn(page, prefix, code) {
  await page.locator(`#${prefix}-province`).selectOption(`${code.slice(0, 2)}0000`);
  await page.locator(`#${prefix}-city`).selectOption(`${code.slice(0, 4)}00`);
  await page.locator(`#${prefix}-county`).selectOption(code);
}

// Finds `query` and opens the first child found.
async function openFirstFound(page, query) {
  await page.locator('#q').fill(query);
  await page.locator('#q').press('Enter');
  await page.locator('#results-body tr').first().waitFor();
  await page.locator('#results-body tr').first().click();
  await page.locator('#child:not([hidden])').waitFor();
}

// Edits the child's name in its page (修改), saves, and waits for the page drawn from the answer.
async function editName(page, name) {
  await page.locator('#edit-open').click();
  await page.locator('#edit-form:not([hidden]) #e-name').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'e-name');
  await page.locator('#e-name').fill(name);
  await page.keyboard.press('Enter');
  await page.locator('#edit-form').waitFor({ state: 'hidden' });
  await page.locator('#child-title', { hasText: name }).waitFor();
}

const NEW_STAFF = '李华';
const SECOND_ID_NUMBER = '321324201609010019';  // 张小红 of 泗洪县, born 2016-09-01, a boy as the first (check digit 9)
const NEW_PASSPHRASE = 'lotus-harbor-river-2026';

test('a supervisor manages the staff, checks the audit log, and resolves what two desks wrote differently', async () => {
  const sites = await startHarness('review');
  try {
    await supervisorSteps(sites);
  } finally {
    await sites.stop();
  }
});

async function supervisorSteps(sites) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = watchErrors(page, ['400 /api/children/{id}']);
  await signIn(page, sites.launchUrl, sites.user, sites.passphrase);

  // The supervisors' screen (Alt+V): the staff of this terminal.
  assert.equal(await page.locator('#nav-supervisor').isVisible(), true);
  await page.keyboard.press('Alt+V');
  await page.locator('#supervisor:not([hidden])').waitFor();
  const chenRow = page.locator(`#staff-body tr[data-staff="${sites.user}"]`);
  await chenRow.waitFor();
  assert.match(await chenRow.textContent(), /主管.*在用/);
  assert.equal(await chenRow.locator('button', { hasText: '停用' }).count(), 0);  // not oneself
  await page.waitForFunction(() => document.activeElement.id === 's-name');  // once all is loaded

  // A new registrar: a mismatched repeat is refused before anything is sent, then added.
  await page.keyboard.type(NEW_STAFF);
  await page.locator('#s-role').selectOption('registrar');
  await page.locator('#s-pass').fill(NEW_PASSPHRASE);
  await page.locator('#s-pass2').fill(`${NEW_PASSPHRASE}x`);
  await page.keyboard.press('Enter');
  await page.locator('#s-pass2 + .error:not([hidden])').waitFor();
  assert.equal(await page.locator('#s-pass2 + .error').textContent(), '两次输入的口令不一致，请重新输入。');
  assert.equal(await page.locator(`#staff-body tr[data-staff="${NEW_STAFF}"]`).count(), 0);
  await shot(page, '12-staff-mismatch');
  await page.locator('#s-pass2').fill(NEW_PASSPHRASE);
  await page.keyboard.press('Enter');
  const newRow = page.locator(`#staff-body tr[data-staff="${NEW_STAFF}"]`);
  await newRow.waitFor();
  assert.match(await newRow.textContent(), /登记员.*在用/);
  assert.equal(await page.locator('#supervisor-done').textContent(), `已添加工作人员“${NEW_STAFF}”。`);
  assert.equal(await page.locator('#s-pass').inputValue(), '');
  assert.equal(await page.locator('#s-pass2').inputValue(), '');
  assert.equal(await page.locator('#s-name').inputValue(), '');
  await shot(page, '13-staff-added');

  // Their passphrase reset (typed twice), then they are disabled after a confirmation naming them.
  await newRow.locator('button', { hasText: '重设口令' }).click();
  const resetForm = page.locator('#staff-body .reset-form');
  await resetForm.locator('input[data-field=passphrase]').fill('moon-bridge-valley-7');
  await resetForm.locator('input[data-field=passphrase2]').fill('moon-bridge-valley-7');
  await resetForm.locator('input[data-field=passphrase2]').press('Enter');
  await page.locator('#supervisor-done', { hasText: `已为“${NEW_STAFF}”重设口令。` }).waitFor();
  assert.equal(await page.locator('#staff-body .reset-form').count(), 0);
  assert.equal(await page.locator('#supervisor input[type=password]').evaluateAll((l) => l.filter((i) => i.value).length), 0);
  await page.locator(`#staff-body tr[data-staff="${NEW_STAFF}"]`).locator('button', { hasText: '停用' }).click();
  const confirmRow = page.locator('#staff-body tr.inline');
  assert.match(await confirmRow.textContent(), new RegExp(`确定停用工作人员“${NEW_STAFF}”`));
  await shot(page, '14-staff-disable-confirm');
  await confirmRow.locator('button', { hasText: '确定停用' }).click();
  await page.locator(`#staff-body tr[data-staff="${NEW_STAFF}"]`, { hasText: '已停用' }).waitFor();
  assert.equal(await page.locator(`#staff-body tr[data-staff="${NEW_STAFF}"] button`).count(), 0);

  // The audit check.
  await page.locator('#audit-run').click();
  await page.locator('#audit-result', { hasText: '审计日志完整' }).waitFor();
  assert.match(await page.locator('#audit-result').textContent(), /共 \d+ 条记录/);
  await shot(page, '15-staff-audit');

  // The child's name edited in her page here: a refused phone is shown by its field, Esc cancels,
  // then the name is changed.
  await page.locator('#nav-search').click();
  await openFirstFound(page, '刘小明');
  await page.locator('#edit-open').click();
  await page.locator('#e-g0-phone').fill('12');
  await page.keyboard.press('Enter');
  await page.locator('#e-g0-phone[aria-invalid=true]').waitFor();
  assert.match(await page.locator('#e-g0-phone + .error').textContent(), /^不是有效的电话号码/);
  await shot(page, '16-edit-refused');
  await page.keyboard.press('Escape');
  await page.locator('#edit-form').waitFor({ state: 'hidden' });
  await editName(page, '刘晓明');
  assert.equal(await page.locator('#child-title').textContent(), `刘晓明（${sites.childId}）`);
  assert.match(await page.locator('#child-record').textContent(), /13912345678/);  // the phone unchanged
  await shot(page, '17-edited');

  // The same child's name edited differently at the clinic, which holds her since its sync.
  const clinicContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const clinic = await clinicContext.newPage();
  const clinicErrors = watchErrors(clinic, []);
  await signIn(clinic, sites.clinicLaunchUrl, sites.user, sites.passphrase);
  await openFirstFound(clinic, '刘小明');
  await editName(clinic, '刘小铭');
  await shot(clinic, '18-clinic-edited');

  // Both sync: the community desk, the clinic, the community desk again.
  await syncNow(page);
  await syncNow(clinic);
  await syncNow(page);

  // The conflict on the supervisors' screen: each value with the terminal that wrote it.
  await page.keyboard.press('Alt+V');
  const conflictRow = page.locator(`#conflicts-list tr[data-child="${sites.childId}"][data-field="name"]`);
  await conflictRow.waitFor({ timeout: 10000 });
  const text = await conflictRow.textContent();
  assert.match(text, /姓名/);
  assert.match(text, /“刘晓明”.*GD-T1|GD-T1.*“刘晓明”/);
  assert.match(text, /“刘小铭”/);
  assert.match(text, /GD-T9/);
  await shot(page, '19-conflict');
  // The value not shown now is kept.
  const keep = conflictRow.locator('.conflict-value', { hasNotText: '现显示' });
  const kept = /“(.+?)”/.exec(await keep.textContent())[1];
  await keep.locator('button', { hasText: '保留这个' }).click();
  await page.locator('#supervisor-done', { hasText: `保留姓名“${kept}”` }).waitFor();
  await page.locator('#conflicts-list', { hasText: '没有待处理的冲突。' }).waitFor();
  await page.locator('#nav-search').click();
  await openFirstFound(page, kept);
  assert.equal(await page.locator('#child-title').textContent(), `${kept}（${sites.childId}）`);
  await shot(page, '20-conflict-resolved');
  assert.deepEqual(clinicErrors, []);
  await clinicContext.close();

  // A second 张小红, a boy born the same day, with an ID number: the desk warns, the registrar says it
  // is another child; the server sends the pair back for review, the supervisor decides it is not
  // the same child, and after the next syncs the pair has left the list.
  await page.keyboard.press('Alt+N');
  await page.locator('#f-name').fill('张小红');
  await page.locator('#f-id_number').fill(SECOND_ID_NUMBER);
  await page.keyboard.press('Tab');
  assert.equal(await page.locator('#f-birth_date').inputValue(), '2016-09-01');
  await pickArea(page, 'hukou_area', '321324');
  await pickArea(page, 'residence_area', '440306');
  await page.locator('#f-g0-name').fill('张伟');
  await page.locator('#f-g0-name').press('Enter');
  await page.locator('#dup:not([hidden])').waitFor();
  assert.match(await page.locator('#dup-body tr').first().textContent(), /张小红.*2016-09-01/);
  await page.locator('#dup-save').click();
  await page.locator('#child:not([hidden]) #child-title', { hasText: '张小红' }).waitFor();
  let pairs = 0;
  for (let round = 0; round < 3 && pairs === 0; ++round) {
    await syncNow(page);
    await syncNow(page);
    await page.keyboard.press('Alt+V');
    await page.locator('#review-list > *').first().waitFor();
    pairs = await page.locator('#review-list .review-pair').count();
  }
  // The server sends the pair at the pull after its refresh (docs/identity-server.md).
  assert.ok(pairs > 0, 'the server sent the possible duplicate within three rounds of two syncs');
  {
    const pair = page.locator('#review-list .review-pair', { hasText: '张小红' }).first();
    assert.match(await pair.textContent(), /匹配得分 \d/);
    assert.match(await pair.textContent(), /2016-09-01.*2016-09-01/);
    assert.match(await pair.textContent(), /宝安区/);
    await shot(page, '21-possible-duplicates');
    const [a, b] = [await pair.getAttribute('data-a'), await pair.getAttribute('data-b')];
    await pair.locator('button', { hasText: '不是同一儿童' }).click();
    await page.locator('#supervisor-done', { hasText: `已处理：${a} 与 ${b}。` }).waitFor();
    // The desk lists the pair until the server has the decision: it is shown as decided.
    const decidedPair = page.locator(`#review-list .review-pair[data-a="${a}"][data-b="${b}"]`);
    if (await decidedPair.count()) {
      assert.match(await decidedPair.textContent(), /已决定：不是同一儿童（同步后生效）/);
      assert.equal(await decidedPair.locator('button').count(), 0);
    }
    await shot(page, '22-duplicates-decided');
    await syncNow(page);
    await syncNow(page);
    await page.keyboard.press('Alt+V');
    await page.locator('#review-list > *').first().waitFor();
    assert.equal(await page.locator(`#review-list .review-pair[data-a="${a}"][data-b="${b}"]`).count(), 0);
    await shot(page, '23-duplicates-after-sync');
  }

  // Lock: nothing of the supervisors' screen stays.
  await page.keyboard.press('Alt+V');
  await page.locator(`#staff-body tr[data-staff="${NEW_STAFF}"]`).waitFor();
  await page.locator('#lock').click();
  await page.locator('#sign-in').waitFor();
  assert.equal(await page.locator('#supervisor').isHidden(), true);
  assert.equal(await page.locator('#staff-body').textContent(), '');
  assert.equal(await page.locator('#conflicts-list').textContent(), '');

  assert.deepEqual(errors, []);
  await context.close();
}
