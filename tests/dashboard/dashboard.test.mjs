// The officials' dashboard in real Chromium (Debian's /usr/bin/chromium, headless, driven by
// playwright-core), against the real officials' service (onecard_dashboard_test_server): what a
// person does and what a person sees. Any console error or CSP violation fails the test, except
// the browser's own line for an answer the test expects (a 401 when no one is signed in, the 403
// outside the jurisdiction). Screenshots go to $ONECARD_TEST_OUTPUT.
//
//   ONECARD_DASHBOARD_SERVER=build/tests/onecard_dashboard_test_server \
//   ONECARD_TEST_OUTPUT=build/test-output/dashboard node --test tests/dashboard/dashboard.test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const PASSWORD = 'dashboard-test-2026';
const OUTPUT = process.env.ONECARD_TEST_OUTPUT ?? join(tmpdir(), 'onecard-dashboard-output');
const scratch = mkdtempSync(join(tmpdir(), 'onecard-dashboard-'));
mkdirSync(OUTPUT, { recursive: true });

// Starts the test server; resolves to {origin, stop} once it prints its port.
function startServer(name, idleSeconds) {
  const program = process.env.ONECARD_DASHBOARD_SERVER;
  assert.ok(program, 'ONECARD_DASHBOARD_SERVER names the test server program');
  const child = spawn(
    program,
    ['--dir', join(scratch, name), '--idle-timeout', String(idleSeconds)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`${name} server exited with ${code}`)));
    child.stdout.on('data', (data) => {
      out += data;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      const { port, totp_key: totpKey } = JSON.parse(line);
      resolve({
        origin: `https://127.0.0.1:${port}`,
        totpKey,
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
let server; // sessions idle out after 30 minutes
let shortServer; // after 3 seconds: the expiry test

before(async () => {
  [server, shortServer] = await Promise.all([startServer('main', 1800), startServer('short', 3)]);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ], // launch() gives Chromium a fresh, temporary --user-data-dir of its own

  });
});

after(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), shortServer?.stop()]);
  rmSync(scratch, { recursive: true, force: true });
});

// A fresh browser context (its own cookies and storage) and page at `origin`, recording console
// errors. `expected` lists the "STATUS PATH" answers whose console lines are no error here.
async function openPage(origin, { expected = ['401 /api/v1/session'], viewport } = {}) {
  const context = await browser.newContext({
    baseURL: origin,
    ignoreHTTPSErrors: true, // the server's own certificate, from its own CA
    viewport: viewport ?? { width: 1366, height: 768 },
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  const errors = [];
  const allowed = new Set(expected);
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const status = /status of (\d{3})/.exec(message.text())?.[1];
    const path = new URL(message.location().url || origin).pathname;
    if (status && allowed.has(`${status} ${path}`)) return;
    errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.goto('/');
  return { context, page, errors };
}

async function shot(page, name) {
  await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
}

// Signs in with the keyboard as a person would: user, Tab, password, Enter.
async function signIn(page, user, password = PASSWORD) {
  await page.locator('#user').fill(user);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'password');
  await page.keyboard.press('Control+A'); // what an earlier attempt left is typed over
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

// A page of `origin` signed in as `user`, once its overview shows.
async function signedInPage(origin, user, options) {
  const opened = await openPage(origin, options);
  await signIn(opened.page, user);
  await opened.page.locator('#panel-category').waitFor();
  return opened;
}

// The test passes only when the page logged no error; then its context closes.
async function finish({ context, errors }) {
  assert.deepEqual(errors, []);
  await context.close();
}

// The cells of a panel's table, row by row, after switching the panel to its table view.
async function tableOf(page, panelId) {
  const panel = page.locator(`#panel-${panelId}`);
  await panel.getByRole('button', { name: /显示表格|Show table/ }).click();
  const table = panel.locator('table');
  await table.waitFor({ state: 'visible' });
  return table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => [...row.cells].map((cell) => cell.textContent)),
  );
}

const shown = (n) => (n === null ? '<5' : n.toLocaleString('zh-CN'));

test('an official of 4403 signs in and sees the overview with the API numbers', async () => {
  const opened = await openPage(server.origin);
  const { page } = opened;
  await page.locator('#sign-in').waitFor();
  await shot(page, '01-sign-in');

  await signIn(page, 'sz.official', 'not the password');
  await assert.doesNotReject(page.getByText('用户名或口令错误。').waitFor());

  await page.locator('#password').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#panel-coverage').waitFor();
  assert.equal(await page.locator('#area-title').textContent(), '深圳市');
  assert.match(await page.locator('#as-of').textContent(), /^\d{4}\/\d{1,2}\/\d{1,2}/);
  for (const title of ['登记儿童（按类别）', '疫苗接种', '学段', '迁入与迁出（近 12 个月）', '转介结果与项目目标', '登记覆盖率']) {
    await assert.doesNotReject(page.getByRole('heading', { name: title }).waitFor(), title);
  }
  await shot(page, '02-overview');
  // Pointing at charts shows their tooltips (drawn on the canvas: no inline style for the CSP).
  for (const id of ['category', 'flows', 'referral-trend']) {
    await page.locator(`#panel-${id} .chart canvas`).first().hover({ position: { x: 150, y: 90 } });
  }

  // The category table is the API's answer to the same question, in words, "<5" where suppressed.
  const api = await (await page.request.get('/api/v1/counts?area=4403&by=category')).json();
  const labels = { migrant: '流动儿童', left_behind: '留守儿童', other: '其他儿童' };
  const expected = api.groups.map((g) => [labels[g.category], shown(g.count)]);
  expected.push(['合计', shown(api.total)]);
  assert.deepEqual(await tableOf(page, 'category'), expected);
  // The school stage table too, in school order (幼儿园, 小学, 初中, 高中, 中职), unknown last.
  const stages = await (await page.request.get('/api/v1/counts?area=4403&by=school_stage')).json();
  const stageLabels = {
    preschool: '幼儿园',
    primary: '小学',
    junior: '初中',
    senior: '高中',
    vocational: '中职',
    unknown: '未知',
  };
  const order = Object.keys(stageLabels);
  const stageOf = (g) => g.school_stage ?? 'unknown';
  const stageExpected = [...stages.groups]
    .sort((a, b) => order.indexOf(stageOf(a)) - order.indexOf(stageOf(b)))
    .map((g) => [stageLabels[stageOf(g)], shown(g.count)]);
  stageExpected.push(['合计', shown(stages.total)]);
  const stageRows = await tableOf(page, 'school-stage');
  assert.deepEqual(stageRows, stageExpected);
  // Two children are in vocational school: too few to publish. The perturbed figure (which
  // depends on the store's random cell-key secret) is "<5" or a figure of 5 or more, never 1-4.
  const vocational = stageRows.find((row) => row[0] === '中职');
  assert.ok(vocational, 'a vocational row');
  assert.match(vocational[1], /^(<5|[5-9]|\d{2,})$/);
  // The flows' headline figures are the API's moved in and out.
  const flowsUrl = await page.locator('#panel-flows a.csv').getAttribute('href');
  const flows = await (await page.request.get(flowsUrl.replace('/flows.csv', '/flows'))).json();
  await assert.doesNotReject(page.getByText(`迁入: ${shown(flows.moved_in)}`).waitFor());
  await assert.doesNotReject(page.getByText(`迁出: ${shown(flows.moved_out)}`).waitFor());
  await shot(page, '03-tables');

  // The CSV download is the API's: UTF-8 with a byte-order mark, Chinese headers.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#panel-category').getByRole('link', { name: '下载 CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'counts.csv');
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const csv = bytes.subarray(3).toString('utf8');
  assert.match(csv.split('\r\n')[0], /^类别,人数,截至$/);
  assert.match(csv, /流动儿童/);

  await finish(opened);
});

// What a panel's chart paints: its size and every piece of text (axis labels, bar labels, target
// labels) with the rectangle it is painted in, read from the chart's own scene (ECharts' zrender).
async function drawnTexts(page, panelId) {
  return page.locator(`#panel-${panelId} .chart`).evaluate((dom) => {
    const chart = window.echarts.getInstanceByDom(dom);
    const texts = chart
      .getZr()
      .storage.getDisplayList(true)
      .filter((el) => typeof el.style?.text === 'string' && el.style.text !== '')
      .map((el) => {
        const r = el.getBoundingRect().clone(); // the text's own box, then placed on the chart
        const placed = el.getComputedTransform();
        if (placed) r.applyTransform(placed);
        return { text: el.style.text, x: r.x, y: r.y, width: r.width, height: r.height };
      });
    return { width: chart.getWidth(), height: chart.getHeight(), texts };
  });
}

const nulls = (values) => values.filter((v) => v === null).length;

test('charts say "<5" and "未公布" where the API gives no number, and no label is cut off', async () => {
  const opened = await signedInPage(server.origin, 'sz.official');
  const { page } = opened;
  await page.locator('#panel-coverage').waitFor();
  // Every chart's text is painted inside the chart (a target's label used to run off its edge).
  const charts = await page.locator('.panel:has(.chart:visible)').evaluateAll((panels) =>
    panels.map((panel) => panel.id.replace('panel-', '')),
  );
  assert.ok(charts.length >= 9, `charts drawn: ${charts}`);
  for (const id of charts) {
    const { width, height, texts } = await drawnTexts(page, id);
    for (const t of texts) {
      const inside = t.x >= -1 && t.y >= -1 && t.x + t.width <= width + 1 && t.y + t.height <= height + 1;
      assert.ok(inside, `${id}: "${t.text}" at ${JSON.stringify(t)} is outside ${width}×${height}`);
    }
  }
  // A count the API suppresses is a bar labelled "<5", never a bar of 0 (no bar at all).
  for (const [id, by] of [['age', 'age_band'], ['school-stage', 'school_stage'], ['sex', 'sex']]) {
    const api = await (await page.request.get(`/api/v1/counts?area=4403&by=${by}`)).json();
    const { texts } = await drawnTexts(page, id);
    const labelled = texts.filter((t) => t.text === '<5').length;
    assert.equal(labelled, nulls(api.groups.map((g) => g.count)), `${id}: "<5" labels`);
  }
  // The referral outcomes: both targets drawn and named; a withheld share is labelled and explained.
  const referrals = await (await page.request.get(
    (await page.locator('#panel-referrals a.csv').getAttribute('href')).replace('.csv', ''),
  )).json();
  const { texts } = await drawnTexts(page, 'referrals');
  const painted = texts.map((t) => t.text);
  assert.ok(painted.includes('完成目标 50%') && painted.includes('适当目标 95%'), `${painted}`);
  const withheld = nulls(referrals.groups.flatMap((g) => [g.completed_share, g.declined_inappropriate_share]));
  assert.equal(painted.filter((text) => text === '未公布').length, withheld);
  const note = page.locator('#panel-referrals .note');
  assert.equal(await note.count(), withheld > 0 ? 1 : 0);
  // Shenzhen is no child's hukou area here: its "living elsewhere" panel says there is nothing.
  const elsewhere = page.locator('#panel-living-elsewhere');
  assert.equal(await elsewhere.locator('.empty').textContent(), '暂无数据');
  assert.ok(await elsewhere.locator('.chart').isHidden(), 'no empty chart');
  assert.ok(await elsewhere.locator('table').isHidden(), 'no table of headings only');
  await elsewhere.screenshot({ path: join(OUTPUT, '02b-no-data.png') });
  await page.locator('#panel-referrals').screenshot({ path: join(OUTPUT, '02c-referrals.png') });
  await page.locator('#panel-school-stage').screenshot({ path: join(OUTPUT, '02d-school-stage.png') });

  // The same charts drawn here from fixed numbers, so that both kinds of label are always seen.
  const fixed = await page.evaluate(async () => {
    const { addPanel, barOption } = await import('/dashboard/js/panels.js');
    const host = document.createElement('div');
    host.style.width = '400px';
    document.getElementById('panels').append(host);
    const draw = (id, option) => {
      addPanel(host, { id, title: id, columns: ['a', 'b'], rows: [['x', '1']], option, csv: '#' });
      const chart = window.echarts.getInstanceByDom(host.querySelector(`#panel-${id} .chart`));
      return chart
        .getZr()
        .storage.getDisplayList(true)
        .map((el) => el.style?.text)
        .filter(Boolean);
    };
    return {
      counts: draw('fixed-counts', barOption(['甲', '乙', '丙'], [{ name: 'n', values: [12, null, 7] }])),
      shares: draw(
        'fixed-shares',
        barOption(['甲', '乙'], [{ name: 's', values: [null, 0.6], target: { at: 0.5, label: '目标' } }], {
          percent: true,
        }),
      ),
    };
  });
  assert.equal(fixed.counts.filter((text) => text === '<5').length, 1, `${fixed.counts}`);
  assert.equal(fixed.shares.filter((text) => text === '未公布').length, 1, `${fixed.shares}`);
  assert.ok(fixed.shares.includes('目标'), `${fixed.shares}`);
  await finish(opened);
});

test('drill down to a county and back up by the breadcrumb', async () => {
  const opened = await openPage(server.origin);
  const { page } = opened;
  await signIn(page, 'sz.official');
  const baoan = page.getByRole('button', { name: /^宝安区 · / });
  await baoan.focus();
  await page.keyboard.press('Enter'); // a real button: the keyboard works
  await page.waitForFunction(() => document.getElementById('area-title').textContent === '宝安区');
  await page.locator('#panel-category').waitFor();
  const crumbs = await page.locator('#breadcrumb li').allTextContents();
  assert.deepEqual(crumbs, ['深圳市', '宝安区']);
  assert.equal(await page.locator('.subarea').count(), 0, 'a county has no areas below');
  const api = await (await page.request.get('/api/v1/counts?area=440306&by=category')).json();
  const rows = await tableOf(page, 'category');
  assert.equal(rows.at(-1)[1], shown(api.total));
  await shot(page, '04-county');

  await page.locator('#breadcrumb').getByRole('link', { name: '深圳市' }).click();
  await page.waitForFunction(() => document.getElementById('area-title').textContent === '深圳市');
  await page.locator('.subarea').first().waitFor();
  await finish(opened);
});

test('the English switch translates the page and persists', async () => {
  const opened = await signedInPage(server.origin, 'sz.official');
  const { page } = opened;
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Children registered, by category' }).waitFor();
  assert.deepEqual((await tableOf(page, 'category'))[0][0], 'Migrant children');
  await page.reload();
  await page.getByRole('heading', { name: 'Children registered, by category' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await shot(page, '05-english');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: '登记儿童（按类别）' }).waitFor();
  await finish(opened);
});

test('an official of 4403 cannot see 3213, and is told so in words', async () => {
  const refused = ['counts', 'flows', 'referrals/stats', 'coverage'].map((p) => `403 /api/v1/${p}`);
  const opened = await signedInPage(server.origin, 'sz.official', {
    expected: ['401 /api/v1/session', ...refused],
  });
  const { page } = opened;
  await page.evaluate(() => {
    location.hash = 'area=3213';
  });
  await page.getByText('此地区不在您的管辖范围内，无法查看。').waitFor();
  assert.equal(await page.locator('.panel').count(), 0, 'no numbers of 3213 are shown');
  const answer = await page.request.get('/api/v1/counts?area=3213&by=category');
  assert.equal(answer.status(), 403);
  await shot(page, '06-outside-jurisdiction');
  await finish(opened);
});

test('an official of 3213 sees 3213, not 4403', async () => {
  const opened = await signedInPage(server.origin, 'sq.official');
  const { page } = opened;
  assert.equal(await page.locator('#area-title').textContent(), '宿迁市');
  const rows = await tableOf(page, 'category');
  assert.equal(rows[0][0], '留守儿童');
  // Where the children of Suqian's hukou live now: the API's moved_out answer, by prefecture.
  const away = await (
    await page.request.get('/api/v1/counts?area=3213&moved_out=1&by=residence_area:4')
  ).json();
  assert.ok(away.groups.some((g) => g['residence_area:4'] === '4403'), JSON.stringify(away));
  const names = { 4403: '深圳市' };
  const expected = [...away.groups]
    .sort((a, b) => (b.count ?? 0) - (a.count ?? 0))
    .map((g) => [names[g['residence_area:4']] ?? g['residence_area:4'], shown(g.count)]);
  expected.push(['合计', shown(away.total)]);
  assert.deepEqual(await tableOf(page, 'living-elsewhere'), expected);
  await shot(page, '06b-sending-area');
  await finish(opened);
});

test('at tablet width the page fits and reads', async () => {
  const opened = await signedInPage(server.origin, 'sz.official', {
    viewport: { width: 768, height: 1024 },
  });
  const { page } = opened;
  await page.locator('#panel-coverage').waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 768, `no sideways scrolling (page is ${width} px wide)`);
  await shot(page, '07-tablet');
  await finish(opened);
});

// WCAG 2.1 AA (1.4.3): the contrast ratio of every piece of visible text with the colour behind it
// is at least 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Measured in the page from
// the computed colours; the first opaque background up the tree is the one behind the text.
function lowContrastTexts() {
  const channel = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const rgba = (text) => text.match(/[\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const [r, g, b, a = 1] = rgba(getComputedStyle(e).backgroundColor);
      if (a >= 0.99) return [r, g, b];
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const element of document.querySelectorAll('body *')) {
    const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(element);
    if (!own || style.visibility === 'hidden' || element.getClientRects().length === 0) continue;
    const light = luminance(rgba(style.color));
    const behind = luminance(background(element));
    const ratio = (Math.max(light, behind) + 0.05) / (Math.min(light, behind) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      low.push(`${element.tagName} "${element.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
    }
  }
  return low;
}

test('at 1366×768 the page fits, and its text has AA contrast', async () => {
  const opened = await signedInPage(server.origin, 'sz.official');
  const { page } = opened;
  await page.locator('#panel-coverage').waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 1366, `no sideways scrolling (page is ${width} px wide)`);
  await page.locator('#panel-school-stage').getByRole('button', { name: '显示表格' }).click();
  assert.deepEqual(await page.evaluate(lowContrastTexts), [], 'text below WCAG AA contrast');
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.locator('#sign-in').waitFor();
  assert.deepEqual(await page.evaluate(lowContrastTexts), [], 'sign-in text below WCAG AA');
  await finish(opened);
});

test('sign out brings back the sign-in, and the session is gone', async () => {
  const opened = await signedInPage(server.origin, 'sz.official');
  const { page } = opened;
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByText('已退出登录。').waitFor();
  assert.ok(await page.locator('#sign-in').isVisible());
  assert.equal((await page.request.get('/api/v1/counts')).status(), 401);
  await page.reload();
  await page.locator('#sign-in').waitFor();
  await shot(page, '08-signed-out');
  await finish(opened);
});

test('an idle session expires and the sign-in comes back', async () => {
  const opened = await signedInPage(shortServer.origin, 'sz.official');
  const { page } = opened;
  // The session idles out after 3 s; the page notices by itself, with no click.
  await page.getByText('会话已过期，请重新登录。').waitFor({ timeout: 20000 });
  assert.ok(await page.locator('#sign-in').isVisible());
  assert.ok(await page.locator('#dashboard').isHidden());
  await shot(page, '09-expired');
  await finish(opened);
});

// The RFC 6238 code of `hexKey` now (HMAC-SHA1, 30 s steps, 6 digits), as an authenticator shows.
function totpNow(hexKey) {
  const step = Buffer.alloc(8);
  step.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const mac = createHmac('sha1', Buffer.from(hexKey, 'hex')).update(step).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

test('an account with a second factor is asked for its code', async () => {
  const opened = await openPage(server.origin);
  const { page } = opened;
  await signIn(page, 'totp.official');
  await page.getByText('此账户需要动态验证码').waitFor();
  const code = page.getByLabel('动态验证码（6 位）');
  await assert.doesNotReject(code.waitFor());
  assert.equal(await page.evaluate(() => document.activeElement.id), 'totp');
  await shot(page, '10-totp');
  await code.fill(totpNow(server.totpKey));
  await page.keyboard.press('Enter');
  await page.locator('#panel-category').waitFor();
  assert.equal(await page.locator('#area-title').textContent(), '深圳市');
  await finish(opened);
});

test('repeated wrong passwords are slowed down, with the wait in words', async () => {
  const opened = await openPage(server.origin, {
    expected: ['401 /api/v1/session', '429 /api/v1/session'],
  });
  const { page } = opened;
  for (let attempt = 1; attempt <= 3; ++attempt) {
    await signIn(page, 'rate.official', `wrong password ${attempt}`);
    await page.getByText('用户名或口令错误。').waitFor();
    await page.waitForFunction(() => !document.getElementById('sign-in-button').disabled);
  }
  await signIn(page, 'rate.official');
  const refusal = page.getByText(/^登录失败次数过多，请在 \d+ 秒后再试。$/);
  await refusal.waitFor();
  const seconds = Number(/(\d+)/.exec(await refusal.textContent())[1]);
  assert.ok(seconds > 0 && seconds <= 30, `waits ${seconds} s`);
  assert.ok(await page.locator('#dashboard').isHidden());
  await shot(page, '11-rate-limited');
  await finish(opened);
});
