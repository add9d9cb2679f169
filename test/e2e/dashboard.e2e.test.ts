/**
 * End-to-end test of `mitra dashboard` in headless Chromium (Debian's
 * package, driven by playwright-core; no browser download). Runs only with
 * MITRA_E2E=1 (`npm run test:e2e`, called by scripts/ci-e2e.sh), so the plain
 * `npm test` stays browser-free. E2E_SHOTS=<dir> saves a screenshot of each view.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { resolveRunConfig } from '../../src/training/config.js';
import { train } from '../../src/training/train.js';
import { startDashboard, type RunningDashboard } from '../../src/dashboard/server.js';
import { tempDir, TINY } from '../../src/dashboard/fixtures.js';

const ENABLED = process.env['MITRA_E2E'] === '1';
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// Flags known to work here: root needs --no-sandbox; the closed network needs background networking off.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const WAIT = { timeout: 20000 };
const SHOTS = process.env['E2E_SHOTS'];

/** Status code and body of a GET sent exactly as written (no URL normalisation by a client). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

test('dashboard end to end in headless Chromium', { skip: ENABLED ? false : 'set MITRA_E2E=1 (npm run test:e2e) to run the browser test', timeout: 180000 }, async (t) => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: install Debian's chromium (scripts/ci-e2e.sh does) or set CHROMIUM_PATH`);
  const runs = tempDir('mitra-e2e-runs-');
  // Two real tiny runs on the system-drawing scenario, so the curves view overlays two.
  for (const [algo, seed] of [['maddpg', 0], ['mitra-vib', 1]] as const) {
    const config = resolveRunConfig({ algo, scenario: 'fig1-2cs-4es-9ud', set: [...TINY, `seed=${seed}`] });
    await train({ config, dir: join(runs, `${algo}-s${seed}`) });
  }
  const metricsFile = join(runs, 'maddpg-s0', 'metrics.jsonl');

  let dash: RunningDashboard | null = null;
  let browser: Browser | null = null;
  try {
    dash = await startDashboard({ runsDir: runs, port: 0, pollMs: 250 });
    assert.ok(dash.pageBuilt, 'build/dashboard is missing: run `npm run build` first');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(dash.url);

    await t.test('the run list shows the runs the test created', async () => {
      const row = page.locator('#run-table tr[data-run="maddpg-s0"]');
      await row.waitFor(WAIT);
      assert.match(await row.innerText(), /maddpg[\s\S]*fig1-2cs-4es-9ud[\s\S]*finished[\s\S]*20 \/ 20/);
      await page.locator('#run-table tr[data-run="mitra-vib-s1"]').waitFor(WAIT);
      // The filter narrows the list.
      await page.fill('#run-filter', 'mitra-vib');
      await page.waitForFunction(`document.querySelectorAll('#run-table tbody tr').length === 1`, null, WAIT);
      await page.fill('#run-filter', '');
      // Select both runs for comparison.
      for (const id of ['maddpg-s0', 'mitra-vib-s1']) {
        const box = page.locator(`#run-table tr[data-run="${id}"] input[type=checkbox]`);
        if (!(await box.isChecked())) await box.check();
      }
      await shot(page, 'runs');
    });

    await t.test('a curve is drawn from the run\'s metrics', async () => {
      await page.click('#tabs button[data-view="curves"]');
      // 20 episodes in each of the two runs' metrics.jsonl.
      await page.waitForSelector('#curve-chart[data-runs="2"][data-points="40"] canvas', WAIT);
      // Pixels of the first selected run's colour #2563eb (37, 99, 235), solid curve, on the chart's canvas.
      const colored = await page.evaluate<number>(`(() => {
        const canvas = document.querySelector('#curve-chart canvas');
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - 37) < 30 && Math.abs(data[i + 1] - 99) < 30 && Math.abs(data[i + 2] - 235) < 30 && data[i + 3] > 200) n++;
        return n;
      })()`);
      assert.ok(colored > 50, `expected the curve's pixels on the canvas, found ${colored}`);
      assert.equal(await page.locator('#curve-legend li').count(), 2);
      await shot(page, 'curves');
    });

    await t.test('a metric line appended to metrics.jsonl appears without a reload', async () => {
      await page.evaluate('window.__noReload = 1');
      appendFileSync(metricsFile, `${JSON.stringify({ episode: 20, 'train/avgCost': 1.25, 'train/taskSuccessRate': 1 })}\n`);
      await page.waitForSelector('#curve-chart[data-last-episode="20"][data-points="41"]', WAIT);
      await page.waitForFunction(`document.querySelector('#run-table tr[data-run="maddpg-s0"] td[data-col="episodes"]')?.textContent === '21 / 20'`, null, WAIT);
      assert.equal(await page.evaluate('window.__noReload'), 1); // the same page: no reload happened
    });

    await t.test('the scenario view renders every domain, server and device of fig1-2cs-4es-9ud, and replays the run', async () => {
      await page.click('#tabs button[data-view="scenario"]');
      await page.waitForSelector('#scenario-svg', WAIT);
      assert.equal(await page.locator('#scenario-svg [data-kind="domain"]').count(), 4);
      assert.equal(await page.locator('#scenario-svg [data-kind="server"]').count(), 6);
      assert.equal(await page.locator('#scenario-svg [data-kind="device"]').count(), 9);
      assert.equal(await page.locator('#scenario-svg [data-server-kind="cloud"]').count(), 2);
      await page.waitForFunction(`/replayed/.test(document.querySelector('#replay-status')?.textContent ?? '')`, null, WAIT);
      assert.equal(await page.getAttribute('#scenario-stage', 'data-slot'), '0');
      assert.equal(await page.locator('#scenario-svg [data-kind="device"][data-miss]').count(), 9);
      await shot(page, 'scenario-run');
      // A heuristic on the preset, stepped a few slots.
      await page.selectOption('#replay-source', 'preset:fig1-2cs-4es-9ud');
      await page.waitForFunction(`/greedy/.test(document.querySelector('#replay-status')?.textContent ?? '')`, null, WAIT);
      assert.equal(await page.locator('#scenario-svg [data-kind="device"]').count(), 9);
      await page.click('#replay-step');
      await page.waitForSelector('#scenario-stage[data-slot="1"]', WAIT);
      assert.ok((await page.locator('#scenario-svg .arrow').count()) > 0, 'greedy offloads: arrows expected');
      await shot(page, 'scenario');
    });

    await t.test('path traversal is refused with 4xx', async () => {
      for (const path of ['/api/runs/..%2F..%2Fetc%2Fpasswd/config', '/api/runs/..%2F..%2F..%2Fetc/metrics', '/api/runs/%2Fetc%2Fpasswd/config', '/api/runs/../../etc/passwd', '/../../../etc/passwd', '/assets/..%2F..%2F..%2Fpackage.json', '/api/presets/..%2F..%2Fetc%2Fpasswd/topology']) {
        const r = await rawGet(dash!.url, path);
        assert.ok(r.status >= 400 && r.status < 500, `${path}: ${r.status}`);
        assert.ok(!r.body.includes('root:'), path);
      }
      // The same from the page itself.
      const status = await page.evaluate<number>(`fetch('api/runs/..%2F..%2Fetc%2Fpasswd/config').then((r) => r.status)`);
      assert.equal(status, 400);
    });

    assert.deepEqual(errors, [], `page errors: ${errors.join('; ')}`);
  } finally {
    await browser?.close();
    await dash?.close();
  }
});
