// The AMOSKYS dashboard: one page, no libraries, every figure from the platform's own APIs.
// Text from telemetry and alerts is always set as text (never as HTML): it is attacker-controlled.
'use strict';

const API = '/amoskys/api/v1';
const SAMPLES = 120; // seconds of events/s kept per route for the charts

// Rates by route and by agent id: maps without a prototype, as agent ids are names from outside.
const state = { user: null, roles: [], csrf: null, live: null, graphs: new Map(), rates: Object.create(null), agentRates: Object.create(null), last: null,
  latestAlert: null, latencies: [] };
// Read by the browser tests: how late each live update arrived, and the rates charted.
window.amoskys = { liveLatenciesMillis: state.latencies, updates: 0, routeRates: state.rates, agentRates: state.agentRates };

/** Builds an element: h('td', {class: 'x'}, 'text', child, ...). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function svg(tag, attrs) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

class LoggedOut extends Error {}

async function call(method, path, body) {
  const headers = { 'X-Requested-With': 'amoskys' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const res = await fetch(path.startsWith('/') ? path : API + '/' + path,
    { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => ({ error: res.status + ' ' + res.statusText }));
  if (res.status === 401 && !path.endsWith('session')) {
    showLogin('Your session has ended: log in again.');
    throw new LoggedOut();
  }
  if (!res.ok) {
    const err = new Error(json.error || res.statusText);
    err.status = res.status; // the actions page tells "not installed" (404) from other failures
    throw err;
  }
  return json;
}

const canChange = () => state.roles.includes('operator') || state.roles.includes('admin');
const sev = (s) => h('span', { class: 'sev ' + String(s).toLowerCase() }, String(s).toLowerCase());
const time = (ms) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '-');
const nanos = (ns) => time(Math.floor(ns / 1e6));

// ---- login ------------------------------------------------------------------------------------

function showLogin(message) {
  stopLive();
  state.user = null;
  document.getElementById('top').hidden = true;
  document.getElementById('page').replaceChildren();
  const form = document.getElementById('login');
  form.hidden = false;
  document.getElementById('login-error').textContent = message || '';
  document.getElementById('login-user').focus();
}

function loggedIn(session) {
  state.user = session.user;
  state.roles = session.roles;
  state.csrf = session.csrfToken;
  document.getElementById('login').hidden = true;
  document.getElementById('top').hidden = false;
  document.getElementById('user').textContent = session.user + ' (' + session.roles.join(', ') + ')';
  startLive();
  route();
}

document.getElementById('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const user = document.getElementById('login-user').value;
  const password = document.getElementById('login-password').value;
  try {
    loggedIn(await call('POST', 'session', { user, password }));
    document.getElementById('login-password').value = '';
  } catch (err) {
    document.getElementById('login-error').textContent = err.message;
  }
});

document.getElementById('logout').addEventListener('click', async () => {
  try { await call('DELETE', 'session'); } catch (e) { /* ended already */ }
  state.csrf = null;
  showLogin('Logged out.');
});

// ---- live updates (Server-Sent Events) --------------------------------------------------------

function startLive() {
  stopLive();
  const source = new EventSource(API + '/live');
  state.live = source;
  source.addEventListener('status', (e) => onStatus(JSON.parse(e.data)));
  source.onopen = () => document.getElementById('live-dot').classList.add('on');
  source.onerror = () => {
    document.getElementById('live-dot').classList.remove('on');
    // A closed stream may mean the session ended: ask, and log in again if so.
    call('GET', 'session').catch(() => { if (state.user) showLogin('Your session has ended: log in again.'); });
  };
}

function stopLive() {
  if (state.live) state.live.close();
  state.live = null;
}

function onStatus(s) {
  state.latencies.push(Date.now() - s.timeMillis);
  if (state.latencies.length > 1000) state.latencies.shift();
  if (state.last) {
    const seconds = Math.max(0.001, (s.timeMillis - state.last.timeMillis) / 1000);
    for (const r of s.routes) {
      const before = state.last.routes.find((x) => x.id === r.id);
      const series = state.rates[r.id] || (state.rates[r.id] = []);
      series.push(before ? Math.max(0, (r.exchanges - before.exchanges) / seconds) : 0);
      if (series.length > SAMPLES) series.shift();
    }
    for (const [agent, events] of Object.entries(s.agents || {})) {
      const previous = state.last.agents || {};
      const before = Object.prototype.hasOwnProperty.call(previous, agent) ? previous[agent] : undefined;
      const series = state.agentRates[agent] || (state.agentRates[agent] = []);
      series.push(before === undefined ? 0 : Math.max(0, (events - before) / seconds));
      if (series.length > SAMPLES) series.shift();
    }
  }
  const alertsChanged = state.latestAlert !== null && state.latestAlert !== s.latestAlert;
  state.latestAlert = s.latestAlert;
  state.last = s;
  window.amoskys.updates++;
  const page = currentPage();
  if (page.name === 'overview') { renderLive(s); if (alertsChanged) overviewLists(); }
  if (page.name === 'routes') renderRoutes();
  if (page.name === 'alerts' && !page.id && alertsChanged) alertsList();
  // Actions move by themselves (queued, active, undone at expiry): the list is read again every 5 s and on a new alert.
  if (page.name === 'actions' && !page.id && (alertsChanged || window.amoskys.updates % 5 === 0)) actionsPage().catch(() => {});
}

// ---- pages ------------------------------------------------------------------------------------

function currentPage() {
  const [name, id] = location.hash.replace(/^#\//, '').split('?')[0].split('/');
  return { name: name || 'overview', id: id ? decodeURIComponent(id) : null };
}

const pages = { overview, alerts: (id) => (id ? alertDetail(id) : alertsList()), routes: routesPage, devices, models, plugins,
  actions: (id) => actionsPage(id) };

async function route() {
  if (!state.user) return;
  const page = currentPage();
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('current', a.dataset.page === page.name));
  try {
    await (pages[page.name] || overview)(page.id);
  } catch (err) {
    if (!(err instanceof LoggedOut)) show(h('p', { class: 'error', role: 'alert' }, err.message));
  }
}
window.addEventListener('hashchange', route);

function show(...children) {
  document.getElementById('page').replaceChildren(...children);
}

async function overview() {
  show(
    h('h1', {}, 'Overview'),
    h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('div', { class: 'dim' }, 'Threat level'), h('div', { id: 'threat', class: 'big' }, '…')),
      h('div', { class: 'card' }, h('div', { class: 'dim' }, 'Events/s into the bus, all agents'), h('div', { id: 'events-per-second', class: 'big' }, '…')),
      h('div', { class: 'card' }, h('div', { class: 'dim' }, 'Open alerts'), h('div', { id: 'open-alerts', class: 'big' }, '…'))),
    h('h2', {}, 'Events/s by agent'),
    h('div', { id: 'agent-cards', class: 'cards' }),
    h('h2', {}, 'Events/s by route'),
    h('div', { id: 'route-cards', class: 'cards' }),
    h('h2', {}, 'Riskiest entities (open alerts)'), h('div', { id: 'top-entities' }),
    h('h2', {}, 'Recent alerts'), h('div', { id: 'recent-alerts' }));
  if (state.last) renderLive(state.last);
  await overviewLists();
}

// The alert filters read * and ? as wildcards; an entity named by the watched network is matched as it is.
function globQuote(text) {
  return /[*?]/.test(text) ? text.replace(/[\\*?]/g, '\\$&') : text;
}

async function overviewLists() {
  const o = await call('GET', 'overview');
  if (currentPage().name !== 'overview') return;
  renderLive(o);
  document.getElementById('top-entities').replaceChildren(table(['Entity', 'Worst', 'Open alerts', 'Last'],
    o.topEntities.map((e) => h('tr', { class: 'link', onclick: () => { location.hash = '#/alerts?entity=' + encodeURIComponent(globQuote(e.entity)); } },
      h('td', { class: 'mono' }, e.entity), h('td', {}, sev(e.worst)), h('td', {}, e.openAlerts), h('td', {}, time(e.lastMillis))))));
  document.getElementById('recent-alerts').replaceChildren(alertTable(o.recentAlerts, 'recent-alerts-table'));
}

function renderLive(s) {
  const threat = document.getElementById('threat');
  if (!threat) return;
  threat.replaceChildren(sev(s.threat));
  const open = Object.values(s.openAlerts).reduce((a, b) => a + b, 0);
  document.getElementById('open-alerts').textContent = open;
  const latest = (series) => (series && series.length ? series[series.length - 1] : 0);
  const routeCards = s.routes.map((r) => h('div', { class: 'card' }, h('div', { class: 'dim mono' }, r.id + ' ← ' + r.from),
    h('div', { class: 'big route-rate', 'data-route': r.id }, latest(state.rates[r.id]).toFixed(0)), sparkline(state.rates[r.id] || [])));
  let total = 0;
  const agentCards = Object.keys(s.agents || {}).sort().map((agent) => {
    total += latest(state.agentRates[agent]);
    return h('div', { class: 'card' }, h('div', { class: 'dim mono' }, agent),
      h('div', { class: 'big agent-rate', 'data-agent': agent }, latest(state.agentRates[agent]).toFixed(0)), sparkline(state.agentRates[agent] || []));
  });
  document.getElementById('events-per-second').textContent = total.toFixed(0);
  document.getElementById('agent-cards').replaceChildren(...agentCards);
  document.getElementById('route-cards').replaceChildren(...routeCards);
}

function sparkline(series) {
  const el = svg('svg', { viewBox: '0 0 ' + SAMPLES + ' 48', preserveAspectRatio: 'none' });
  const max = Math.max(1, ...series);
  const points = series.map((v, i) => (SAMPLES - series.length + i) + ',' + (46 - (v / max) * 44).toFixed(1)).join(' ');
  el.append(svg('polyline', { points, fill: 'none', stroke: '#1f6feb', 'stroke-width': 1.5 }));
  return el;
}

function table(headings, rows, id) {
  return h('table', { id }, h('thead', {}, h('tr', {}, headings.map((x) => h('th', {}, x)))), h('tbody', {}, rows));
}

function alertTable(alerts, id) {
  return table(['Severity', 'State', 'Rule', 'Entity', 'Title', 'Count', 'Last'], alerts.map((a) =>
    h('tr', { class: 'link', 'data-id': a.id, onclick: () => { location.hash = '#/alerts/' + encodeURIComponent(a.id); } },
      h('td', {}, sev(a.severity)), h('td', { class: 'state' }, a.state), h('td', { class: 'mono' }, a.rule),
      h('td', { class: 'mono' }, a.entity), h('td', {}, a.title), h('td', {}, a.count), h('td', {}, time(a.lastAdmittedMillis)))), id);
}

async function alertsList() {
  const query = new URLSearchParams(location.hash.split('?')[1] || '');
  query.set('limit', '200');
  const list = await call('GET', 'alerts?' + query);
  if (currentPage().name !== 'alerts' || currentPage().id) return;
  show(h('h1', {}, 'Alerts'), h('p', { class: 'dim' }, list.total + ' alerts' + (list.total > list.alerts.length ? ', the latest ' + list.alerts.length + ' shown' : '')),
    alertTable(list.alerts, 'alerts-table'));
}

async function alertDetail(id) {
  const [a, evidence] = await Promise.all([call('GET', 'alerts/' + encodeURIComponent(id)),
    call('GET', 'alerts/' + encodeURIComponent(id) + '/events')]);
  const actions = canChange() ? h('div', { class: 'actions' },
    ['new'].includes(a.state) && h('button', { id: 'ack', type: 'button', onclick: () => change(a.id, 'ack') }, 'Acknowledge'),
    ['new', 'acknowledged'].includes(a.state) && h('button', { id: 'resolve', type: 'button', onclick: () => change(a.id, 'resolve') }, 'Resolve'),
    ['new', 'acknowledged'].includes(a.state) && h('button', { id: 'false-positive', type: 'button', class: 'secondary',
      onclick: () => change(a.id, 'false-positive') }, 'False positive')) : null;
  show(
    h('p', {}, h('a', { href: '#/alerts' }, '← Alerts')),
    h('h1', {}, sev(a.severity), ' ', a.title),
    actions, h('p', { id: 'action-error', class: 'error', role: 'alert' }),
    h('dl', {},
      h('dt', {}, 'State'), h('dd', { id: 'alert-state' }, a.state),
      h('dt', {}, 'Rule'), h('dd', { class: 'mono' }, a.rule),
      h('dt', {}, 'Entity'), h('dd', { class: 'mono' }, a.entity),
      h('dt', {}, 'Count'), h('dd', {}, a.count + ' (first ' + nanos(a.firstSeenNanos) + ', last ' + nanos(a.lastSeenNanos) + ')'),
      h('dt', {}, 'ATT&CK'), h('dd', { id: 'alert-tags' }, a.tags.join(', ') || '-'),
      h('dt', {}, 'Models'), h('dd', {}, a.modelVersions.join(', ') || '-')),
    h('h2', {}, 'Explanation'), h('pre', { id: 'explanation' }, a.explanation || '-'),
    h('h2', {}, 'Scores over time'), scoreChart(a.scores),
    h('h2', {}, 'Scores and the features that drove them'),
    table(['Detector', 'Value', 'Time', 'Top features'], a.scores.map((s) => h('tr', {},
      h('td', { class: 'mono' }, s.detector + ' ' + (s.modelVersion || '')), h('td', {}, s.value.toFixed(3)), h('td', {}, nanos(s.timestampNanos)),
      h('td', { class: 'mono' }, s.contributions.map((c) => c.feature + '=' + c.value).join(', '))))),
    h('h2', {}, 'Evidence events (' + evidence.events.length + (a.eventIdsDropped ? ', ' + a.eventIdsDropped + ' more not kept' : '') + ')'),
    table(['Event', 'Kind', 'Entity', 'Time', 'Log', 'Labels'], evidence.events.map((e) => e.found
      ? h('tr', { class: 'evidence' }, h('td', { class: 'mono' }, e.id), h('td', {}, e.kind), h('td', { class: 'mono' }, e.entity),
        h('td', {}, nanos(e.timestampNanos)), h('td', { class: 'mono' }, e.logOffset + '/' + e.logIndex),
        h('td', { class: 'mono' }, Object.entries(e.labels).map(([k, v]) => k + '=' + v).join(' ')))
      : h('tr', {}, h('td', { class: 'mono' }, e.id), h('td', { colspan: 5, class: 'dim' }, e.reason))), 'evidence-table'),
    h('h2', {}, 'History'),
    table(['When', 'Who', 'Change', 'Comment'], a.history.map((x) => h('tr', {}, h('td', {}, time(x.atMillis)), h('td', {}, x.user),
      h('td', {}, x.fromState + ' → ' + x.toState), h('td', {}, x.comment || '')))));
}

/** The alert's scores on a time axis, one dot per score, threshold-free: 0 at the bottom, 1 at the top. */
function scoreChart(scores) {
  const el = svg('svg', { viewBox: '0 0 600 120', width: '100%', height: 120, id: 'score-chart' });
  if (!scores.length) return el;
  const times = scores.map((s) => s.timestampNanos);
  const lo = Math.min(...times);
  const span = Math.max(1, Math.max(...times) - lo);
  const colours = ['#1f6feb', '#db6d28', '#3fb950', '#d29922', '#f85149', '#a371f7'];
  const detectors = [...new Set(scores.map((s) => s.detector))];
  el.append(svg('line', { x1: 0, y1: 110, x2: 600, y2: 110, stroke: '#30363d' }));
  for (const s of scores) {
    const x = 10 + ((s.timestampNanos - lo) / span) * 480;
    const y = 110 - Math.max(0, Math.min(1, s.value)) * 100;
    const dot = svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 4, fill: colours[detectors.indexOf(s.detector) % colours.length] });
    dot.append(svg('title', {}));
    dot.firstChild.textContent = s.detector + ' ' + s.value.toFixed(3);
    el.append(dot);
  }
  detectors.forEach((d, i) => {
    const label = svg('text', { x: 500, y: 14 + i * 14, fill: colours[i % colours.length], 'font-size': 11 });
    label.textContent = d;
    el.append(label);
  });
  return el;
}

async function change(id, action) {
  try {
    await call('POST', 'alerts/' + encodeURIComponent(id) + '/' + action, {});
    await alertDetail(id);
  } catch (err) {
    if (!(err instanceof LoggedOut)) document.getElementById('action-error').textContent = err.message;
  }
}

// ---- routes: the table and each route's graph of steps ------------------------------------------

function routesPage() {
  state.graphs = new Map(); // route id -> its drawn graph, redrawn only when the route changes shape
  show(h('h1', {}, 'Routes'), h('p', { class: 'dim' }, 'The live Camel routes with their counters, updated every second.'),
    h('div', { id: 'routes-list' }), h('p', { id: 'dead-lettered', class: 'dim' }),
    h('h2', {}, 'Steps'), h('p', { class: 'dim' }, 'Each route as its file declares it; every step with the exchanges that entered it, '
      + 'their rate, those that failed in it and the mean time spent in it (the steps inside included).'),
    h('div', { id: 'route-graphs' }));
  renderRoutes();
}

function renderRoutes() {
  const list = document.getElementById('routes-list');
  const s = state.last;
  if (!list || !s) return;
  list.replaceChildren(table(['Route', 'From', 'State', 'Exchanges', 'Failed', 'In flight', 'Events/s', 'Last two minutes'], s.routes.map((r) => {
    const series = state.rates[r.id] || [];
    return h('tr', { 'data-route': r.id }, h('td', { class: 'mono' }, r.id), h('td', { class: 'mono' }, r.from), h('td', {}, r.state),
      h('td', {}, r.exchanges), h('td', {}, r.failed), h('td', {}, r.inflight),
      h('td', {}, (series.length ? series[series.length - 1] : 0).toFixed(0)), h('td', { class: 'chart' }, sparkline(series)));
  }), 'routes-table'));
  document.getElementById('dead-lettered').textContent = 'Dead-lettered events: ' + s.deadLettered;
  const graphs = document.getElementById('route-graphs');
  const seen = new Set();
  for (const r of s.routes) {
    seen.add(r.id);
    const shape = routeShape(r);
    let graph = state.graphs.get(r.id);
    if (!graph || graph.shape !== shape) {
      const fresh = drawRoute(r, shape);
      if (graph) graph.el.replaceWith(fresh.el); else graphs.append(fresh.el);
      state.graphs.set(r.id, graph = fresh);
    }
    updateRoute(graph, r, s.timeMillis);
  }
  for (const [id, graph] of state.graphs) {
    if (!seen.has(id)) { graph.el.remove(); state.graphs.delete(id); }
  }
}

const STEP = { w: 148, h: 58, gapX: 22, gapY: 12, margin: 4 };
/** Kinds whose inside steps are alternatives or copies side by side, not one after the other. */
const BRANCHING = new Set(['multicast', 'choice', 'recipientList', 'loadBalance']);

const stepsOf = (step) => step.steps || [];
const flatSteps = (steps) => steps.flatMap((x) => [x, ...flatSteps(stepsOf(x))]);
const routeShape = (r) => r.from + '|' + flatSteps(r.steps || []).map((x) => x.path + ' ' + x.label).join('|');

/** Lays the steps out left to right from (x, y) into out.nodes and out.edges; answers the space taken and the nodes edges enter and leave. */
function layoutSequence(steps, x, y, out) {
  let cx = x;
  let height = 0;
  let entries = null;
  let exits = [];
  for (const step of steps) {
    const part = layoutStep(step, cx, y, out);
    for (const from of exits) for (const to of part.entries) out.edges.push([from, to]);
    entries = entries || part.entries;
    exits = part.exits;
    cx += part.w + STEP.gapX;
    height = Math.max(height, part.h);
  }
  return { w: Math.max(0, cx - x - STEP.gapX), h: height, entries: entries || [], exits };
}

function layoutStep(step, x, y, out) {
  const inside = stepsOf(step);
  if (step.kind === 'pipeline' && inside.length) return layoutSequence(inside, x, y, out); // a pipeline is its steps
  const node = { step, x, y };
  out.nodes.push(node);
  if (!inside.length) return { w: STEP.w, h: STEP.h, entries: [node], exits: [node] };
  const x2 = x + STEP.w + STEP.gapX;
  if (!BRANCHING.has(step.kind)) { // filter, split, loop ...: their steps follow them
    const part = layoutSequence(inside, x2, y, out);
    part.entries.forEach((to) => out.edges.push([node, to]));
    return { w: STEP.w + STEP.gapX + part.w, h: Math.max(STEP.h, part.h), entries: [node], exits: part.exits };
  }
  let by = y;
  let width = 0;
  const exits = [];
  for (const branch of inside) {
    const part = layoutStep(branch, x2, by, out);
    part.entries.forEach((to) => out.edges.push([node, to]));
    exits.push(...part.exits);
    by += part.h + STEP.gapY;
    width = Math.max(width, part.w);
  }
  return { w: STEP.w + STEP.gapX + width, h: Math.max(STEP.h, by - y - STEP.gapY), entries: [node], exits };
}

/** What a node says: an amoskys: endpoint without its scheme and options, anything else as it is, cut to fit. */
function stepName(label) {
  const name = label.replace(/^amoskys:/, '').replace(/\?.*$/, '');
  return name.length > 21 ? name.slice(0, 20) + '…' : name;
}

function svgText(attrs, ...parts) {
  const el = svg('text', attrs);
  el.append(...parts.map((p) => (p instanceof Node ? p : document.createTextNode(String(p)))));
  return el;
}

/** The route's graph, drawn once per shape: its from, then its steps; the counters are filled in by updateRoute. */
function drawRoute(r, shape) {
  const out = { nodes: [], edges: [] };
  const from = { step: { path: 'from', kind: 'from', label: r.from }, x: STEP.margin, y: STEP.margin };
  out.nodes.push(from);
  const rest = layoutSequence(r.steps || [], STEP.margin + STEP.w + STEP.gapX, STEP.margin, out);
  rest.entries.forEach((to) => out.edges.push([from, to]));
  const width = STEP.margin * 2 + STEP.w + (rest.w ? STEP.gapX + rest.w : 0);
  const height = STEP.margin * 2 + Math.max(STEP.h, rest.h);
  const el = svg('svg', { class: 'route-graph', 'data-route': r.id, viewBox: '0 0 ' + width + ' ' + height, width, height });
  for (const [a, b] of out.edges) {
    const x1 = a.x + STEP.w;
    const y1 = a.y + STEP.h / 2;
    const x2 = b.x;
    const y2 = b.y + STEP.h / 2;
    const mid = (x1 + x2) / 2;
    el.append(svg('path', { class: 'edge', d: `M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}` }));
  }
  const counters = new Map();
  for (const node of out.nodes) {
    const { step } = node;
    const title = svg('title', {});
    title.textContent = step.kind === 'to' || step.kind === 'from' ? step.label : step.kind;
    const rect = svg('rect', { class: 'step-box' + (step.kind === 'from' ? ' from' : ''), width: STEP.w, height: STEP.h, rx: 4 });
    const count = svg('tspan', { class: 'step-in' });
    const rate = svg('tspan', { class: 'step-rate' });
    const detail = svgText({ x: 8, y: 50, class: 'step-detail' });
    const g = svg('g', { class: 'step', 'data-step': step.path, 'data-kind': step.kind, transform: `translate(${node.x},${node.y})` });
    g.append(title, rect, svgText({ x: 8, y: 16, class: 'step-label' }, stepName(step.label)),
      svgText({ x: 8, y: 33, class: 'step-count' }, count, ' in · ', rate, '/s'), detail);
    el.append(g);
    counters.set(step.path, { rect, count, rate, detail, before: null });
  }
  const box = h('div', { class: 'route-box', 'data-route': r.id }, h('div', { class: 'dim mono' }, r.id + ' ← ' + r.from));
  box.append(el);
  return { shape, el: box, counters };
}

/** Fills the graph's counters from a status: exchanges in, events/s since the last status, failures and mean time. */
function updateRoute(graph, r, timeMillis) {
  const figures = [['from', { in: r.exchanges, failed: r.failed, inflight: r.inflight }], ...flatSteps(r.steps || []).map((x) => [x.path, x])];
  for (const [path, x] of figures) {
    const node = graph.counters.get(path);
    if (!node) continue;
    const before = node.before;
    const seconds = before ? (timeMillis - before.timeMillis) / 1000 : 0;
    node.count.textContent = x.in;
    node.rate.textContent = seconds > 0 ? Math.max(0, (x.in - before.in) / seconds).toFixed(0) : '0';
    node.detail.textContent = path === 'from'
      ? x.failed + ' failed · ' + x.inflight + ' in flight'
      : x.failed + ' failed · ' + (x.in > 0 ? x.meanMicros.toFixed(1) + ' µs' : '- µs');
    node.rect.classList.toggle('failing', x.failed > 0);
    node.before = { in: x.in, timeMillis };
  }
}

async function devices() {
  const [agents, list] = await Promise.all([call('GET', 'agents'), call('GET', 'devices')]);
  const intake = (state.last && state.last.agents) || {};
  const agentRows = agents.map((a) => {
    // An agent service is named like its plugin (flow); on the bus it is flow@HOST.
    const bus = Object.keys(intake).filter((id) => id === a.name || id.startsWith(a.name + '@'));
    const rate = bus.reduce((sum, id) => sum + ((state.agentRates[id] || []).slice(-1)[0] || 0), 0);
    return h('tr', { 'data-agent': a.name }, h('td', { class: 'mono' }, a.name), h('td', {}, a.state), h('td', { class: 'mono' }, a.bundle),
      h('td', {}, a.devicesUp + ' / ' + a.devices), h('td', {}, rate.toFixed(0)), h('td', {}, a.errors));
  });
  const rows = (list.devices || list).map((d) => h('tr', {}, h('td', { class: 'mono' }, d.agent), h('td', { class: 'mono' }, d.name),
    h('td', {}, d.address || ''), h('td', {}, d.state), h('td', {}, time(d.lastSeenMillis)),
    h('td', {}, d.eventsPerSecond === undefined ? '' : Number(d.eventsPerSecond).toFixed(1)), h('td', {}, d.errors), h('td', {}, d.lastError || '')));
  show(h('h1', {}, 'Agents and devices'),
    table(['Agent', 'State', 'Bundle', 'Devices up', 'Events/s into the bus', 'Errors'], agentRows, 'agents-table'),
    h('h2', {}, 'Devices'),
    table(['Agent', 'Device', 'Address', 'State', 'Last seen', 'Events/s', 'Errors', 'Last error'], rows, 'devices-table'));
}

// ---- models: versions, their score distributions, promote and roll back ------------------------

async function models(message) {
  const list = await call('GET', 'models');
  if (currentPage().name !== 'models') return;
  const num = (v, digits) => (v === null || v === undefined ? '-' : Number(v).toFixed(digits));
  const actions = (m) => {
    if (!canChange()) return null;
    if (m.state === 'shadow' || m.state === 'standby') {
      return h('button', { type: 'button', class: 'promote', onclick: () => changeModel(m.name, 'promote', { version: m.version }) }, 'Promote');
    }
    return m.state === 'active' ? h('button', { type: 'button', class: 'rollback secondary',
      title: 'Make the version active before the last switch active again', onclick: () => changeModel(m.name, 'rollback', {}) }, 'Roll back') : null;
  };
  show(h('h1', {}, 'Models'), h('p', { class: 'dim' }, 'Every model version the runtime knows (amoskys:models): a new version runs in shadow until promoted.'),
    h('p', { id: 'model-message', role: 'status' }, message || ''), h('p', { id: 'model-error', class: 'error', role: 'alert' }),
    table(['Model', 'Version', 'State', 'Threshold', 'Rows scored', 'Errors', 'Mean call, µs', 'Why', ''], list.models.map((m) =>
      h('tr', { 'data-model': m.name + '@' + m.version, 'data-state': m.state }, h('td', { class: 'mono' }, m.name), h('td', { class: 'mono' }, m.version),
        h('td', { class: 'state' }, m.state), h('td', {}, num(m.threshold, 3)), h('td', {}, m.rows), h('td', {}, m.errors), h('td', {}, num(m.meanCallMicros, 1)),
        h('td', { class: 'dim' }, [m.reason, m.detail].filter(Boolean).join(': ')), h('td', {}, actions(m)))), 'models-table'),
    h('h2', {}, 'Score distributions'),
    h('p', { class: 'dim' }, 'How each version\'s scores fell since it was loaded (bar heights on a square-root scale; hover for the counts); '
      + 'buckets from the threshold up in orange.'),
    h('div', { class: 'cards' }, list.models.filter((m) => m.scores).map((m) => h('div', { class: 'card' },
      h('div', { class: 'mono' }, m.name + ' ' + m.version + ' (' + m.state + ')'), distributionChart(m)))));
}

async function changeModel(name, action, body) {
  try {
    const done = await call('POST', 'models/' + encodeURIComponent(name) + '/' + action, body);
    await models(done.message);
  } catch (err) {
    if (!(err instanceof LoggedOut)) document.getElementById('model-error').textContent = err.message;
  }
}

/** One bar per score bucket, its height the square root of its share of the version's scores; the last bucket is "above 1". */
function distributionChart(m) {
  const { upperBounds, counts } = m.scores;
  const width = 300;
  const height = 110;
  const plot = 86;
  const bar = width / counts.length;
  const most = Math.max(1, ...counts);
  const el = svg('svg', { class: 'score-chart', 'data-model': m.name + '@' + m.version, viewBox: `0 0 ${width} ${height}`, width: '100%', height });
  el.append(svg('line', { class: 'axis', x1: 0, y1: plot, x2: width, y2: plot }));
  counts.forEach((n, i) => {
    const low = i === 0 ? null : upperBounds[i - 1];
    const range = i === upperBounds.length ? 'above ' + low : (low === null ? 'up to ' : low + ' to ') + upperBounds[i];
    const tall = n === 0 ? 0 : Math.max(2, Math.sqrt(n / most) * (plot - 4)); // square root: a few high scores stay visible beside many low ones
    const flagged = m.threshold !== null && low !== null && low >= m.threshold;
    const rect = svg('rect', { class: 'bar' + (flagged ? ' flagged' : ''), 'data-count': n, x: (i * bar + 1).toFixed(1), y: (plot - tall).toFixed(1),
      width: (bar - 2).toFixed(1), height: tall.toFixed(1) });
    const title = svg('title', {});
    title.textContent = 'scores ' + range + ': ' + n;
    rect.append(title);
    el.append(rect);
    if (i % 2 === 0 || i === counts.length - 1) {
      el.append(svgText({ class: 'tick', x: (i * bar + bar / 2).toFixed(1), y: plot + 14, 'text-anchor': 'middle' },
        i === upperBounds.length ? '>' + low : '≤' + upperBounds[i]));
    }
  });
  return el;
}

// ---- actions: what the responders did or would do, under the guardrails (docs/RESPONSE.md) ------

const isAdmin = () => state.roles.includes('admin');
const ACTION_FILTERS = [['', 'All'], ['awaiting_approval', 'Awaiting approval'], ['queued,running,active,undo_queued', 'In progress'],
  ['active', 'Active'], ['dry_run', 'Dry run'], ['failed,refused,expired,rejected', 'Failed, refused, expired or rejected']];

/** Responses are a feature of their own: without it the API has no actions, and the page says so. */
function responsesAbsent() {
  show(h('h1', {}, 'Actions'), h('p', { id: 'actions-absent', class: 'dim' },
    'Responses are not installed on this platform (feature amoskys-response): no responder acts on alerts here.'));
}

/** The list (filters in the address: #/actions?state=awaiting_approval), or one action with its receipts. */
async function actionsPage(id, message) {
  if (id) return actionDetail(id, message);
  const filter = new URLSearchParams(location.hash.split('?')[1] || '').get('state') || '';
  const query = new URLSearchParams({ limit: '200' });
  if (filter) query.set('state', filter);
  let list;
  let responders;
  let verify;
  let breaker;
  try {
    [list, responders, verify, breaker] = await Promise.all([call('GET', 'actions?' + query), call('GET', 'responders'),
      call('GET', 'actions/verify'), call('GET', 'breaker')]);
  } catch (err) {
    if (err.status === 404) return responsesAbsent();
    throw err;
  }
  if (currentPage().name !== 'actions' || currentPage().id) return;
  // A refresh keeps what the last decision said.
  const said = (elementId, given) => (given !== undefined ? given : document.getElementById(elementId)?.textContent || '');
  const note = said('actions-message', message);
  const problem = said('actions-error', message === undefined ? undefined : '');
  const undoable = new Set(responders.responders.filter((r) => r.undoable).map((r) => r.name));
  show(h('h1', {}, 'Actions'),
    h('p', { class: 'dim' }, 'What the responders did, or would have done, about alerts (amoskys:actions). A responder only describes '
      + 'its actions (dry run) until an admin arms it.'),
    h('p', { id: 'actions-message', role: 'status' }, note), h('p', { id: 'actions-error', class: 'error', role: 'alert' }, problem),
    h('div', { class: 'cards' }, receiptsCard(verify), breakerCard(breaker)),
    h('h2', {}, 'Responders'), respondersTable(responders.responders),
    h('h2', {}, 'Actions'),
    h('p', { class: 'filters' }, ACTION_FILTERS.map(([states, label]) => h('a', { href: '#/actions' + (states ? '?state=' + states : ''),
      class: states === filter ? 'current' : null }, label))),
    h('p', { class: 'dim' }, list.actions.length + (list.actions.length === list.limit ? ' (the latest)' : '') + ' actions, newest first'),
    table(['State', 'Responder', 'Action', 'Alert', 'Created', 'Last outcome', ''], list.actions.map((a) =>
      h('tr', { 'data-action': a.id, 'data-state': a.state },
        h('td', { class: 'state' }, a.state), h('td', { class: 'mono' }, a.responder),
        h('td', { class: 'mono' }, h('a', { href: '#/actions/' + encodeURIComponent(a.id), title: a.description }, a.verb + ' ' + a.target)),
        h('td', {}, alertLink(a)), h('td', {}, time(a.createdMillis)), h('td', { class: 'outcome' }, a.output || ''),
        h('td', {}, decisionButtons(a, undoable, false)))), 'actions-table'));
}

function alertLink(a) {
  return h('a', { href: '#/alerts/' + encodeURIComponent(a.alertId), class: 'mono', title: a.rule + ' on ' + a.entity },
    a.alertId.length > 8 ? a.alertId.slice(0, 8) + '…' : a.alertId);
}

/** Approve and reject while an action awaits approval, undo while it lasts (operator, admin); nothing for a viewer. */
function decisionButtons(a, undoable, detail) {
  if (!canChange()) return null;
  const button = (decision, label, secondary) => h('button', { type: 'button', class: decision + (secondary ? ' secondary' : ''),
    onclick: () => decideAction(a.id, decision, detail) }, label);
  if (a.state === 'awaiting_approval') return h('span', { class: 'actions' }, button('approve', 'Approve'), button('reject', 'Reject', true));
  const failedUndo = a.state === 'failed' && a.phase === 'undo';
  if (a.state === 'active' || ((a.state === 'done' || failedUndo) && undoable.has(a.responder))) return button('undo', 'Undo', true);
  return null;
}

async function decideAction(id, decision, detail) {
  try {
    const a = await call('POST', 'actions/' + encodeURIComponent(id) + '/' + decision, {});
    await actionsPage(detail ? a.id : null, 'Action ' + a.id.slice(0, 8) + ' (' + a.verb + ' ' + a.target + ') is now ' + a.state
      + ', ' + (a.output || decision + ' by ' + state.user) + '.');
  } catch (err) {
    if (!(err instanceof LoggedOut)) document.getElementById('actions-error').textContent = err.message;
  }
}

function receiptsCard(v) {
  return h('div', { class: 'card' }, h('div', { class: 'dim' }, 'Receipt chain (hashes and Ed25519 signatures)'),
    h('div', { id: 'receipts-status', class: v.intact ? 'ok' : 'error', 'data-intact': String(v.intact) }, v.intact
      ? v.receipts + ' receipts, chain intact' + (v.receipts ? ', all signed by ' + v.keyId : '')
      : 'BROKEN at receipt ' + v.firstBrokenSeq + ' of ' + v.receipts + ': ' + v.problem),
    v.intact && v.lastHash ? h('div', { class: 'dim mono', title: v.lastHash }, 'last ' + v.lastHash.slice(0, 16) + '…') : null);
}

function breakerCard(b) {
  return h('div', { class: 'card' }, h('div', { class: 'dim' }, 'Circuit breaker'),
    h('div', { id: 'breaker-status', class: b.open ? 'error' : 'ok', 'data-open': String(b.open) }, b.open ? 'OPEN: ' + b.reason
      : 'closed: actions run'),
    b.open && isAdmin() ? h('button', { id: 'breaker-reset', type: 'button', onclick: () => resetBreaker() }, 'Close it') : null);
}

async function resetBreaker() {
  try {
    const b = await call('POST', 'breaker', {});
    await actionsPage(null, b.wasOpen ? 'Circuit breaker closed.' : 'The circuit breaker was closed already.');
  } catch (err) {
    if (!(err instanceof LoggedOut)) document.getElementById('actions-error').textContent = err.message;
  }
}

/** Each responder: installed, armed or dry run (by whom, when), approval, undo, configuration problems; arm and disarm for an admin. */
function respondersTable(responders) {
  const change = (r) => {
    if (!isAdmin()) return null;
    if (r.armed) return h('button', { type: 'button', class: 'disarm secondary', onclick: () => arming(r.name, 'disarm') }, 'Disarm');
    const why = !r.present ? 'not installed' : (r.problems.length ? 'its configuration has problems' : null);
    return h('button', { type: 'button', class: 'arm', disabled: Boolean(why), title: why || 'Let its actions really run',
      onclick: () => arming(r.name, 'arm') }, 'Arm');
  };
  return table(['Responder', 'Installed', 'Mode', 'Approval', 'Undo', 'Changed', 'Problems', ''], responders.map((r) =>
    h('tr', { 'data-responder': r.name, 'data-armed': String(r.armed) }, h('td', { class: 'mono' }, r.name), h('td', {}, r.present ? 'yes' : 'no'),
      h('td', { class: 'mode' + (r.armed ? ' armed' : '') }, r.armed ? 'armed' : 'dry-run'), h('td', {}, r.approvalRequired ? 'required' : 'no'),
      h('td', {}, r.undoable ? 'yes' : 'no'), h('td', {}, r.armedChangedMillis ? time(r.armedChangedMillis) + ' by ' + r.armedBy : '-'),
      h('td', { class: 'problems' }, r.problems.join('; ')), h('td', {}, change(r)))), 'responders-table');
}

async function arming(name, change) {
  if (change === 'arm' && !window.confirm('Arm ' + name + '? Its actions will then really run (within the guardrails).')) return;
  try {
    const r = await call('POST', 'responders/' + encodeURIComponent(name) + '/' + change, {});
    await actionsPage(null, 'Responder ' + r.name + (r.armed ? ' is armed: its actions now run' + (r.approvalRequired ? ' once approved' : '')
      : ' is disarmed: its actions are only described (dry run)') + '.');
  } catch (err) {
    if (!(err instanceof LoggedOut)) document.getElementById('actions-error').textContent = err.message;
  }
}

async function actionDetail(id, message) {
  let a;
  let responders;
  try {
    [a, responders] = await Promise.all([call('GET', 'actions/' + encodeURIComponent(id)), call('GET', 'responders')]);
  } catch (err) {
    if (err.status === 404 && String(err.message).startsWith('no action')) throw err;
    if (err.status === 404) return responsesAbsent();
    throw err;
  }
  const undoable = new Set(responders.responders.filter((r) => r.undoable).map((r) => r.name));
  const params = Object.entries(a.parameters || {}).map(([k, v]) => k + '=' + v).join(' ');
  show(h('p', {}, h('a', { href: '#/actions' }, '← Actions')),
    h('h1', { class: 'mono' }, a.verb + ' ' + a.target),
    h('div', { class: 'actions' }, decisionButtons(a, undoable, true)),
    h('p', { id: 'actions-message', role: 'status' }, message || ''), h('p', { id: 'actions-error', class: 'error', role: 'alert' }),
    h('dl', {},
      h('dt', {}, 'Action'), h('dd', { class: 'mono' }, a.id),
      h('dt', {}, 'State'), h('dd', { id: 'action-state' }, a.state + (a.dueMillis ? ' (next at ' + time(a.dueMillis) + ')' : '')),
      h('dt', {}, 'Responder'), h('dd', { class: 'mono' }, a.responder),
      h('dt', {}, 'Description'), h('dd', {}, a.description || '-'),
      h('dt', {}, 'Parameters'), h('dd', { class: 'mono' }, params || '-'),
      h('dt', {}, 'Lasts'), h('dd', {}, a.lastsMillis ? Math.round(a.lastsMillis / 1000) + ' s' : 'until undone'),
      h('dt', {}, 'Alert'), h('dd', {}, alertLink(a), ' ', h('span', { class: 'mono dim' }, a.rule + ' on ' + a.entity)),
      h('dt', {}, 'Created'), h('dd', {}, time(a.createdMillis)),
      h('dt', {}, 'Attempts'), h('dd', {}, a.attempts),
      h('dt', {}, 'Last outcome'), h('dd', { id: 'action-output' }, a.output || '-'),
      h('dt', {}, 'Decided by'), h('dd', {}, a.decidedBy || '-')),
    h('h2', {}, 'Receipts'),
    h('p', { class: 'dim' }, 'Each receipt is hashed with the one before it and signed; GET /amoskys/api/v1/actions/verify checks the whole chain.'),
    table(['#', 'When', 'Kind', 'Hash', 'Key'], a.receipts.map((r) => h('tr', { 'data-kind': r.kind },
      h('td', {}, r.seq), h('td', {}, time(r.atMillis)), h('td', {}, r.kind),
      h('td', { class: 'mono', title: r.body }, r.hash.slice(0, 16) + '…'), h('td', { class: 'mono' }, r.keyId))), 'receipts-table'));
}

async function plugins() {
  const p = await call('GET', 'plugins');
  show(h('h1', {}, 'Plugins'), h('p', { class: 'dim' }, 'Plugin services by kind (any bundle that registers one), and the route endpoints that use them.'),
    table(['Kind', 'Name', 'Bundle', 'Id', 'State'], p.plugins.map((x) => h('tr', { 'data-plugin': x.kind + '/' + x.name },
      h('td', {}, x.kind), h('td', { class: 'mono' }, x.name), h('td', { class: 'mono' }, x.bundle), h('td', {}, x.bundleId),
      h('td', {}, x.active ? 'active' : 'inactive'))), 'plugins-table'),
    h('h2', {}, 'Endpoints'),
    table(['Endpoint', 'Available', 'Delivered', 'Filtered', 'Failed', 'Held', 'Dead-lettered'], p.endpoints.map((e) => h('tr', {},
      h('td', { class: 'mono' }, e.uri), h('td', {}, e.available ? 'yes' : 'no'), h('td', {}, e.delivered), h('td', {}, e.filtered),
      h('td', {}, e.failed), h('td', {}, e.held), h('td', {}, e.deadLettered))), 'endpoints-table'));
}

// ---- start ------------------------------------------------------------------------------------

call('GET', 'session').then(loggedIn).catch(() => showLogin(''));
