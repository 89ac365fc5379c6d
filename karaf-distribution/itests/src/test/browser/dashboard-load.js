// The dashboard with a loaded store, for DashboardLoadIT: log in, wait for live updates, open the
// alert list and one alert, and time each in the browser. stdout: "METRIC name value",
// "OPEN_ALERTS n", "LISTED n", "DONE"; "FAIL reason" and exit 1 on any failure.
'use strict';
const path = require('path');
const { WAIT, run } = require('./common');

const base = process.env.BASE_URL;
const out = process.env.OUT_DIR;
const [user, password] = process.env.OPERATOR.split(':');

run(async (browser, setPage) => {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  setPage(page);
  await page.goto(base + '/amoskys/');
  await page.waitForSelector('#login-user', { state: 'visible' });
  console.log('METRIC first_contentful_paint_ms ' + Math.round(await page.evaluate(
    () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime)));
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  let t = Date.now();
  await page.click('#login-submit');
  await page.waitForSelector('#top-entities tbody tr', WAIT); // the overview's lists, not only its first figures
  console.log('METRIC login_to_full_overview_ms ' + (Date.now() - t));
  console.log('OPEN_ALERTS ' + await page.textContent('#open-alerts'));
  await page.screenshot({ path: path.join(out, 'overview.png'), fullPage: true });

  const before = await page.evaluate(() => window.amoskys.updates);
  await page.waitForFunction((n) => window.amoskys.updates >= n + 10, before, WAIT);
  const latencies = await page.evaluate(() => window.amoskys.liveLatenciesMillis.slice(-10));
  latencies.sort((a, b) => a - b);
  console.log('METRIC sse_latency_p50_ms ' + latencies[5]);
  console.log('METRIC sse_latency_max_ms ' + latencies[9]);

  t = Date.now();
  await page.goto(base + '/amoskys/#/alerts');
  await page.waitForSelector('#alerts-table tbody tr[data-id]', WAIT);
  console.log('METRIC alert_list_ms ' + (Date.now() - t));
  const listed = await page.textContent('p.dim');
  console.log('LISTED ' + listed.split(' ')[0]);
  await page.screenshot({ path: path.join(out, 'alerts.png') });

  t = Date.now();
  await page.click('#alerts-table tbody tr[data-id]');
  await page.waitForSelector('#explanation', WAIT);
  console.log('METRIC alert_detail_ms ' + (Date.now() - t));
  console.log('DONE');
});
