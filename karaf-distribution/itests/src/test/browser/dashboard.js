// The dashboard in a real browser (Debian's chromium through playwright-core), driven by
// AlertsIT against the running distribution. It talks to the Java side over stdout, one line
// each: "READY" once logged in and live (the test then replays an attack capture), "ROUTES" once
// the route graph is drawn (the test replays another), "METRIC name value", "ACKED id",
// "ROLLBACK_REFUSED message", "ACTIONS count receipts", "VIEWER_POST status", "VIEWER_PROMOTE status", "DONE"; "FAIL reason" and exit 1 on any failure,
// with a screenshot. Screenshots of every page go to OUT_DIR.
'use strict';
const path = require('path');
const { WAIT, run } = require('./common');

const base = process.env.BASE_URL;
const out = process.env.OUT_DIR;
const [opsUser, opsPassword] = process.env.OPERATOR.split(':');
const [viewerUser, viewerPassword] = process.env.VIEWER.split(':');

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function login(page, user, password) {
  await page.goto(base + '/amoskys/');
  await page.waitForSelector('#login-user', { state: 'visible' });
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForSelector('#threat .sev', WAIT);
  await page.waitForSelector('#login', { state: 'hidden' });
}

run(async (browser, setPage) => {
  const ops = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ops.newPage();
  setPage(page);
  const started = Date.now();
  await page.goto(base + '/amoskys/');
  await page.waitForSelector('#login-user', { state: 'visible' });
  await page.screenshot({ path: path.join(out, '01-login.png') });

  // A wrong password is refused on the page, and no session is opened.
  await page.fill('#login-user', opsUser);
  await page.fill('#login-password', 'not-the-password');
  await page.click('#login-submit');
  await page.waitForFunction(() => document.getElementById('login-error').textContent.includes('wrong'), null, WAIT);

  await login(page, opsUser, opsPassword);
  const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime);
  console.log('METRIC first_contentful_paint_ms ' + Math.round(paint));
  console.log('METRIC login_to_overview_ms ' + (Date.now() - started));
  await page.waitForFunction(() => window.amoskys.updates >= 2, null, WAIT); // two updates: a first rate
  console.log('READY');

  // The test replays an attack capture now: the flow agent's events/s into the bus and the flow
  // route's must move on the overview, live (only the replay feeds them; the process agent feeds
  // its own route all along). The charts keep the last two minutes of each rate.
  const flowSeen = () => Math.max(0, ...(window.amoskys.routeRates['flow-pipeline'] || []));
  const agentSeen = () => Math.max(0, ...Object.entries(window.amoskys.agentRates)
    .filter(([agent]) => agent.startsWith('flow@')).flatMap(([, series]) => series));
  const idle = await page.evaluate(flowSeen);
  if (idle !== 0) throw new Error('the flow route moves before the replay: ' + idle + ' events/s');
  await page.waitForFunction(flowSeen, null, WAIT);
  await page.waitForFunction(agentSeen, null, WAIT);
  console.log('METRIC flow_route_events_per_second_peak ' + Math.round(await page.evaluate(flowSeen)));
  console.log('METRIC flow_agent_events_per_second_peak ' + Math.round(await page.evaluate(agentSeen)));
  await page.screenshot({ path: path.join(out, '02-overview.png'), fullPage: true });

  // Open a new port-scan alert from the list and acknowledge it.
  await page.goto(base + '/amoskys/#/alerts?tag=attack.t1046&state=new');
  await page.waitForSelector('#alerts-table tbody tr[data-id]', WAIT);
  await page.screenshot({ path: path.join(out, '03-alerts.png'), fullPage: true });
  await page.click('#alerts-table tbody tr[data-id]');
  await page.waitForSelector('#explanation', WAIT);
  const id = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);
  const evidence = await page.locator('#evidence-table tr.evidence').count();
  if (evidence < 1) throw new Error('alert ' + id + ' shows no evidence events');
  const tags = await page.textContent('#alert-tags');
  if (!tags.includes('attack.t1046')) throw new Error('alert ' + id + ' lacks its ATT&CK tag: ' + tags);
  await page.screenshot({ path: path.join(out, '04-alert.png'), fullPage: true });
  await page.click('#ack');
  await page.waitForFunction(() => document.getElementById('alert-state')?.textContent === 'acknowledged', null, WAIT);
  await page.screenshot({ path: path.join(out, '05-alert-acknowledged.png'), fullPage: true });
  console.log('ACKED ' + id);

  // The route graph: a node for each step of flows.yaml, whose counters move while a capture is replayed.
  await page.goto(base + '/amoskys/#/routes');
  await page.waitForSelector('#routes-table tr[data-route="flow-pipeline"]', WAIT);
  const graph = 'svg.route-graph[data-route="flow-pipeline"]';
  await page.waitForSelector(graph + ' g.step[data-step="5.4.2"]', WAIT);
  const labels = await page.locator(graph + ' g.step title').allTextContents();
  for (const step of ['stage/canonical', 'stage/temporal', 'stage/cross', 'stage/domain', 'stage/anomaly', 'rule/sigma',
    'detector/iforest', 'detector/gbt', 'detector/lstm', 'detector/transformer', 'rule/junction', 'responder/junction', 'responder/log']) {
    if (!labels.some((l) => l.startsWith('amoskys:' + step))) throw new Error('the route graph has no node for ' + step + ': ' + labels);
  }
  const nodes = await page.locator(graph + ' g.step').count();
  if (nodes !== 23) throw new Error('the graph of flows.yaml has 23 nodes (its from, 5 stages, the multicast, a branch of 4 and 4 of 3), not ' + nodes);
  const canonical = graph + ' g.step[data-step="0"] .step-in';
  const canonicalBefore = Number(await page.textContent(canonical));
  console.log('ROUTES');
  await page.waitForFunction(([selector, n]) => Number(document.querySelector(selector).textContent) > n, [canonical, canonicalBefore], WAIT);
  console.log('METRIC canonical_step_exchanges_seen ' + (Number(await page.textContent(canonical)) - canonicalBefore));
  await page.screenshot({ path: path.join(out, '06-routes.png'), fullPage: true });
  await page.goto(base + '/amoskys/#/devices');
  await page.waitForSelector('#devices-table', WAIT);
  await page.waitForSelector('#agents-table tr[data-agent="flow"]', WAIT);
  await page.screenshot({ path: path.join(out, '07-devices.png'), fullPage: true });
  await page.goto(base + '/amoskys/#/models');
  for (const model of ['iforest', 'gbt', 'lstm', 'transformer']) {
    await page.waitForSelector('#models-table tr[data-model="' + model + '@1.0.0"]', WAIT);
  }
  // Every model has scored the replays: its active version's distribution has bars.
  for (const model of ['iforest', 'gbt']) {
    await page.waitForSelector('svg.score-chart[data-model="' + model + '@1.0.0"] rect.bar:not([data-count="0"])', WAIT);
  }
  await page.screenshot({ path: path.join(out, '09-models.png'), fullPage: true });
  // Each model has one version here: a rollback has nothing to go back to, and the page says why.
  await page.click('#models-table tr[data-model="gbt@1.0.0"] button.rollback');
  await page.waitForFunction(() => document.getElementById('model-error').textContent.includes('no previous version'), null, WAIT);
  const gbtState = await page.textContent('#models-table tr[data-model="gbt@1.0.0"] td.state');
  if (gbtState !== 'active') throw new Error('a refused rollback changed gbt 1.0.0 to ' + gbtState);
  console.log('ROLLBACK_REFUSED ' + await page.textContent('#model-error'));
  await page.goto(base + '/amoskys/#/plugins');
  await page.waitForSelector('#plugins-table tr[data-plugin="stage/domain"]', WAIT);
  await page.screenshot({ path: path.join(out, '10-plugins.png'), fullPage: true });

  // The actions page: nftables is installed and, never armed, only describes its actions (dry run);
  // the receipt chain verifies; arming is the admin's, so the operator gets no arm or disarm button.
  await page.goto(base + '/amoskys/#/actions');
  await page.waitForSelector('#responders-table tr[data-responder="nftables"]', WAIT);
  const nftMode = await page.textContent('#responders-table tr[data-responder="nftables"] td.mode');
  if (nftMode !== 'dry-run') throw new Error('nftables is shown as ' + nftMode + ', not dry-run');
  await page.waitForSelector('#receipts-status[data-intact="true"]', WAIT);
  await page.waitForSelector('#actions-table', WAIT);
  const arming = await page.locator('#responders-table button.arm, #responders-table button.disarm').count();
  if (arming !== 0) throw new Error('an operator is shown ' + arming + ' buttons that arm or disarm a responder');
  await page.screenshot({ path: path.join(out, '11-actions.png'), fullPage: true });
  console.log('ACTIONS ' + await page.locator('#actions-table tbody tr').count() + ' ' + await page.textContent('#receipts-status'));

  await page.goto(base + '/amoskys/#/overview');
  await page.waitForSelector('#threat .sev', WAIT);
  const before = await page.evaluate(() => window.amoskys.updates);
  await page.waitForFunction((n) => window.amoskys.updates >= n + 5, before, WAIT);
  const latencies = await page.evaluate(() => window.amoskys.liveLatenciesMillis);
  console.log('METRIC sse_updates ' + latencies.length);
  console.log('METRIC sse_latency_p50_ms ' + percentile(latencies, 50));
  console.log('METRIC sse_latency_max_ms ' + Math.max(...latencies));

  // A viewer sees the alert but no buttons, and the API refuses a change even with the token.
  const viewer = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const vpage = await viewer.newPage();
  setPage(vpage);
  await login(vpage, viewerUser, viewerPassword);
  await vpage.goto(base + '/amoskys/#/alerts/' + encodeURIComponent(id));
  await vpage.waitForSelector('#explanation', WAIT);
  const buttons = await vpage.locator('#ack, #resolve, #false-positive').count();
  if (buttons !== 0) throw new Error('a viewer is shown ' + buttons + ' buttons that change the alert');
  await vpage.screenshot({ path: path.join(out, '08-viewer-alert.png'), fullPage: true });
  const status = await vpage.evaluate(async (alert) => {
    const session = await (await fetch('/amoskys/api/v1/session')).json();
    const res = await fetch('/amoskys/api/v1/alerts/' + encodeURIComponent(alert) + '/resolve', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken }, body: '{}' });
    return res.status;
  }, id);
  console.log('VIEWER_POST ' + status);
  await vpage.goto(base + '/amoskys/#/models');
  await vpage.waitForSelector('#models-table tr[data-model="gbt@1.0.0"]', WAIT);
  const modelButtons = await vpage.locator('#models-table button').count();
  if (modelButtons !== 0) throw new Error('a viewer is shown ' + modelButtons + ' buttons that change models');
  const promote = await vpage.evaluate(async () => {
    const session = await (await fetch('/amoskys/api/v1/session')).json();
    const res = await fetch('/amoskys/api/v1/models/gbt/promote', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken }, body: '{"version":"1.0.0"}' });
    return res.status;
  });
  console.log('VIEWER_PROMOTE ' + promote);
  await vpage.goto(base + '/amoskys/#/actions');
  await vpage.waitForSelector('#responders-table tr[data-responder="nftables"]', WAIT);
  const actionButtons = await vpage.locator('#page button').count();
  if (actionButtons !== 0) throw new Error('a viewer is shown ' + actionButtons + ' buttons on the actions page');

  await vpage.click('#logout');
  await vpage.waitForSelector('#login-user', { state: 'visible' });
  console.log('DONE');
});
