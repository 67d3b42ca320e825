// Meshwork dashboard: reads the control plane's ops API. Every value from the API reaches the
// page through text nodes or attributes (el() below), never as HTML, so no data can inject markup.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
let snapshot = null;

function el(tag, attrs, ...children) {
  const node = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows);
}

// The admin token lives in this tab's sessionStorage only (gone when the tab closes) and is sent
// only on the admin API's paths; it is never written to the page or the console.
const TOKEN_KEY = 'meshwork.adminToken';
const ADMIN_PATHS = /^\/v1\/(admin|rules|acls|brokers\/)/;

function adminToken() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

function showTokenState() {
  document.getElementById('token-state').textContent = adminToken() ? 'token set' : 'no token';
}

async function api(method, path, body) {
  const headers = body ? { 'Content-Type': 'application/json' } : {};
  if (adminToken() && ADMIN_PATHS.test(path)) headers.Authorization = 'Bearer ' + adminToken();
  const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (notJson) {
    if (response.ok) throw new Error(path + ' did not answer JSON');
  }
  if (!response.ok) {
    const hint = response.status === 401 || response.status === 403 ? ' (set an admin token, top right)' : '';
    throw new Error(((json && json.message) || response.status + ' ' + response.statusText) + hint);
  }
  return json;
}

function show(error, target) {
  target.textContent = error.message || String(error);
  target.className = 'message error';
}

// ---- pages ----
const pages = { topology: () => {}, interest: loadInterest, traces: () => {}, brokers: loadBrokers, acls: loadAcls, drills: () => {} };

function route() {
  const [page, arg] = (location.hash.slice(1) || 'topology').split('/');
  const name = page in pages ? page : 'topology';
  document.querySelectorAll('.page').forEach(section => { section.hidden = section.id !== 'page-' + name; });
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('current', a.dataset.page === name));
  if (name === 'traces' && arg) {
    document.getElementById('trace-id').value = decodeURIComponent(arg);
    loadTrace(decodeURIComponent(arg));
  } else {
    pages[name]();
  }
}

// ---- topology (live over SSE) ----
function linkState(link) {
  if (link.state === 'DOWN' || link.routerState === 'DOWN') return 'DOWN';
  if (link.state === 'UP' || link.routerState === 'UP') return 'UP';
  return 'UNKNOWN';
}

function traffic(from, to) {
  return (snapshot.traffic || []).find(t => t.from === from && t.to === to);
}

function positions(regions) {
  const placed = {};
  regions.forEach((region, i) => {
    const angle = Math.PI + (2 * Math.PI * i) / regions.length;
    placed[region.name] = { x: 360 + 260 * Math.cos(angle), y: 170 + 120 * Math.sin(angle) };
  });
  return placed;
}

function rate(value, unit) {
  return value === undefined ? '—' : value + ' ' + unit;
}

function drawMap() {
  const { regions, links } = snapshot.topology;
  const at = positions(regions);
  const map = document.getElementById('map');
  const shapes = [];
  for (const link of links) {
    const a = at[link.a], b = at[link.b], state = linkState(link);
    shapes.push(el('svg:line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: state, 'data-link': link.a + '|' + link.b }));
    const ab = traffic(link.a, link.b), ba = traffic(link.b, link.a);
    const events = ab || ba ? ((ab ? ab.eventsPerSecond : 0) + (ba ? ba.eventsPerSecond : 0)).toFixed(1) + ' ev/s' : '';
    const rtt = link.measuredRttMs !== undefined ? link.measuredRttMs + ' ms' : link.rttMs + ' ms (cfg)';
    shapes.push(el('svg:text', { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 6, 'text-anchor': 'middle' },
      state + ' · ' + rtt + (events ? ' · ' + events : '')));
  }
  for (const region of regions) {
    const p = at[region.name];
    shapes.push(el('svg:g', { 'data-region': region.name },
      el('svg:circle', { cx: p.x, cy: p.y, r: 14 }),
      el('svg:text', { x: p.x, y: p.y + 32, 'text-anchor': 'middle', class: 'region' }, region.name)));
  }
  map.replaceChildren(...shapes);
}

function drawTables() {
  const rows = [];
  for (const link of snapshot.topology.links) {
    const state = linkState(link);
    for (const [from, to] of [[link.a, link.b], [link.b, link.a]]) {
      const t = traffic(from, to);
      const first = from === link.a;
      rows.push(el('tr', first ? { 'data-link': link.a + '|' + link.b, 'data-state': state } : {},
        el('td', {}, first ? link.a + ' ↔ ' + link.b : ''),
        el('td', { class: first ? 'state state-' + state : '' }, first ? state : ''),
        el('td', {}, first ? link.state : ''),
        el('td', {}, first ? (link.routerState || '—') : ''),
        el('td', {}, first ? link.rttMs + ' / ' + (link.measuredRttMs !== undefined ? link.measuredRttMs : '—') + ' ms' : ''),
        el('td', {}, from + ' → ' + to),
        el('td', {}, t ? t.eventsPerSecond : '—'),
        el('td', {}, t ? t.bytesPerSecond : '—'),
        el('td', {}, t && t.spoolRecords >= 0 ? t.spoolRecords + ' / ' + t.spoolSeconds : '—')));
    }
  }
  fill(document.querySelector('#links-table tbody'), rows);
  const hops = [];
  for (const region of snapshot.topology.regions) {
    for (const [destination, via] of Object.entries(region.nextHops || {})) {
      hops.push(el('tr', { 'data-hop': region.name + '|' + destination }, el('td', {}, region.name), el('td', {}, destination),
        el('td', {}, via)));
    }
  }
  fill(document.querySelector('#hops-table tbody'), hops);
}

function drawDrills() {
  const links = snapshot.topology.links.map(link => el('tr', {},
    el('td', {}, link.a + ' ↔ ' + link.b),
    el('td', { class: 'state-' + linkState(link) }, linkState(link)),
    el('td', {},
      el('button', { 'data-drill': 'cut|' + link.a + '|' + link.b, onclick: () => drill('links/' + link.a + '/' + link.b + '/cut') }, 'Cut'),
      ' ',
      el('button', { 'data-drill': 'heal|' + link.a + '|' + link.b, onclick: () => drill('links/' + link.a + '/' + link.b + '/heal') }, 'Heal'))));
  fill(document.querySelector('#drill-links tbody'), links);
  const regions = snapshot.topology.regions.map(region => el('tr', {},
    el('td', {}, region.name),
    el('td', {},
      el('button', { onclick: () => drill('regions/' + region.name + '/isolate') }, 'Isolate'), ' ',
      el('button', { onclick: () => drill('regions/' + region.name + '/rejoin') }, 'Rejoin'))));
  fill(document.querySelector('#drill-regions tbody'), regions);
}

async function drill(path) {
  const message = document.getElementById('drill-message');
  try {
    const answer = await api('POST', '/v1/admin/' + path.split('/').map(encodeURIComponent).join('/'));
    message.textContent = path + ': ' + JSON.stringify(answer);
    message.className = 'message';
  } catch (error) {
    show(error, message);
  }
}

let shown = '';

function render(next) {
  // Redraw only on a change, so buttons and selections stay put between identical snapshots.
  const key = JSON.stringify({ ...next, at: null });
  if (key === shown) return;
  shown = key;
  snapshot = next;
  document.getElementById('mesh-name').textContent = snapshot.topology.mesh;
  document.getElementById('nav-drills').hidden = !snapshot.drills;
  drawMap();
  drawTables();
  if (snapshot.drills) drawDrills();
}

function connect() {
  const live = document.getElementById('live');
  const source = new EventSource('/v1/dashboard/stream');
  source.addEventListener('snapshot', event => {
    live.textContent = 'live';
    live.className = 'live-on';
    render(JSON.parse(event.data));
  });
  // EventSource reconnects by itself; say so meanwhile.
  source.onerror = () => { live.textContent = 'reconnecting…'; live.className = 'live-off'; };
}

// ---- interest ----
async function loadInterest() {
  const target = document.getElementById('interest');
  try {
    const { regions } = await api('GET', '/v1/dashboard/interest');
    const blocks = [];
    for (const [region, rows] of Object.entries(regions)) {
      blocks.push(el('h2', {}, region + ' (' + rows.length + ' patterns)'));
      blocks.push(el('table', { 'data-region': region },
        el('thead', {}, el('tr', {}, el('th', {}, 'Pattern'), el('th', {}, 'Selector'), el('th', {}, 'Holders'), el('th', {}, 'Held by'))),
        el('tbody', {}, ...rows.map(row => el('tr', {}, el('td', {}, row.pattern), el('td', {}, row.selector || '—'),
          el('td', {}, row.holderCount), el('td', {}, row.holders.join(', ')))))));
    }
    target.replaceChildren(...blocks);
  } catch (error) {
    show(error, target);
  }
}

// ---- traces ----
async function loadTrace(id) {
  const summary = document.getElementById('trace-summary');
  const table = document.getElementById('trace-hops');
  table.hidden = true;
  summary.className = '';
  summary.textContent = 'looking up ' + id + '…';
  try {
    const trace = await api('GET', '/v1/traces/' + encodeURIComponent(id));
    const hops = trace.hops;
    const total = Math.max(1, ...hops.map(h => h.sincePublishMs));
    summary.textContent = 'event ' + trace.eventId + ' on ' + trace.topic + ': ' + hops.length + ' hops'
      + (trace.traceOnly ? ' (trace-only dry run: delivered to nobody)' : '');
    fill(table.querySelector('tbody'), hops.map(hop => el('tr', { 'data-kind': hop.kind },
      el('td', {}, hop.hop), el('td', {}, hop.kind), el('td', {}, hop.region), el('td', {}, hop.broker),
      el('td', {}, hop.time), el('td', {}, hop.sincePublishMs), el('td', {}, hop.latencyMs),
      el('td', {}, (hop.routingPath || []).join(' > ') + (hop.fromRegion ? ' (from ' + hop.fromRegion + ')' : '')),
      el('td', { class: 'timeline' }, el('div', { class: 'bar', style: 'width:' + Math.max(2, 100 * hop.sincePublishMs / total) + '%' })))));
    table.hidden = false;
  } catch (error) {
    show(error, summary);
  }
}

document.getElementById('trace-form').addEventListener('submit', event => {
  event.preventDefault();
  location.hash = 'traces/' + encodeURIComponent(document.getElementById('trace-id').value.trim());
});

// ---- brokers and rules ----
async function loadBrokers() {
  const message = document.getElementById('rules-message');
  try {
    const [{ brokers }, { rules }] = await Promise.all([api('GET', '/v1/brokers'), api('GET', '/v1/rules')]);
    fill(document.querySelector('#brokers-table tbody'), brokers.map(b => el('tr', {},
      el('td', {}, b.brokerName), el('td', {}, b.role), el('td', {}, b.region), el('td', { class: 'state-' + (b.status === 'ACTIVE' ? 'UP' : 'DOWN') }, b.status),
      el('td', {}, b.endpoint), el('td', {}, b.activeConnections), el('td', {}, b.cpuUtilization), el('td', {}, b.lastHeartbeatAt))));
    const select = document.getElementById('rule-destination');
    select.replaceChildren(...brokers.filter(b => b.role === 'EDGE').map(b => el('option', { value: b.brokerId }, b.brokerName + ' (' + b.region + ')')));
    fill(document.querySelector('#rules-table tbody'), rules.map(rule => el('tr', { 'data-rule': rule.ruleId },
      el('td', {}, rule.sourceTopicPattern), el('td', {}, (rule.destinationBroker || rule.destinationBrokerId) + ' (' + (rule.destinationRegion || '?') + ')'),
      el('td', {}, rule.filterExpression || '—'), el('td', {}, rule.status),
      el('td', {},
        el('button', { 'data-action': 'toggle', onclick: () => changeRule('PUT', rule.ruleId, { status: rule.status === 'ACTIVE' ? 'SUSPENDED' : 'ACTIVE' }) },
          rule.status === 'ACTIVE' ? 'Suspend' : 'Activate'), ' ',
        el('button', { 'data-action': 'delete', onclick: () => changeRule('DELETE', rule.ruleId) }, 'Delete')))));
  } catch (error) {
    show(error, message);
  }
}

async function changeRule(method, id, body) {
  const message = document.getElementById('rules-message');
  try {
    await api(method, '/v1/rules/' + encodeURIComponent(id), body);
    message.textContent = method === 'DELETE' ? 'rule deleted' : 'rule updated';
    message.className = 'message';
    loadBrokers();
  } catch (error) {
    show(error, message);
  }
}

document.getElementById('rule-form').addEventListener('submit', async event => {
  event.preventDefault();
  const message = document.getElementById('rules-message');
  const filter = document.getElementById('rule-filter').value.trim();
  try {
    await api('POST', '/v1/rules', {
      sourceTopicPattern: document.getElementById('rule-pattern').value.trim(),
      destinationBrokerId: document.getElementById('rule-destination').value,
      ...(filter ? { filterExpression: filter } : {})
    });
    message.textContent = 'rule added';
    message.className = 'message';
    loadBrokers();
  } catch (error) {
    show(error, message);
  }
});

// ---- ACLs ----
async function loadAcls() {
  const message = document.getElementById('acls-message');
  const principal = document.getElementById('acl-filter').value.trim();
  try {
    const { acls } = await api('GET', '/v1/acls' + (principal ? '?principal=' + encodeURIComponent(principal) : ''));
    fill(document.querySelector('#acls-table tbody'), acls.map(acl => el('tr', { 'data-acl': acl.aclId },
      el('td', {}, acl.principal), el('td', {}, acl.action), el('td', { class: acl.effect === 'deny' ? 'state-DOWN' : 'state-UP' }, acl.effect),
      el('td', {}, acl.topicFilter), el('td', {}, acl.createdAt),
      el('td', {}, el('button', { 'data-action': 'delete', onclick: () => deleteAcl(acl.aclId) }, 'Delete')))));
  } catch (error) {
    show(error, message);
  }
}

async function deleteAcl(id) {
  const message = document.getElementById('acls-message');
  try {
    await api('DELETE', '/v1/acls/' + encodeURIComponent(id));
    message.textContent = 'entry deleted';
    message.className = 'message';
    loadAcls();
  } catch (error) {
    show(error, message);
  }
}

document.getElementById('acl-filter-form').addEventListener('submit', event => {
  event.preventDefault();
  loadAcls();
});

document.getElementById('acl-form').addEventListener('submit', async event => {
  event.preventDefault();
  const message = document.getElementById('acls-message');
  try {
    await api('POST', '/v1/acls', {
      principal: document.getElementById('acl-principal').value.trim(),
      action: document.getElementById('acl-action').value,
      effect: document.getElementById('acl-effect').value,
      topicFilter: document.getElementById('acl-topic').value.trim()
    });
    message.textContent = 'entry added';
    message.className = 'message';
    loadAcls();
  } catch (error) {
    show(error, message);
  }
});

// ---- admin token ----
document.getElementById('token-form').addEventListener('submit', event => {
  event.preventDefault();
  const field = document.getElementById('admin-token');
  const token = field.value.trim().replace(/^Bearer\s+/i, '');
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  field.value = '';
  showTokenState();
  route();
});

document.getElementById('token-forget').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  showTokenState();
});

showTokenState();
window.addEventListener('hashchange', route);
api('GET', '/v1/dashboard/snapshot').then(render).catch(error => show(error, document.getElementById('live')));
connect();
route();
