// Panopticon local viewer: plain JavaScript, no dependencies, works offline.
// Routes (deep-linkable): #/ (recent traces + endpoint stats), #/trace/{traceId}, #/logs; ?trace={id} redirects to #/trace/{id}.
(function () {
  'use strict';

  const app = document.getElementById('app');

  // ---- helpers -------------------------------------------------------------------------------------------------

  /** Creates an element; text is always set through textContent, so stored data can never inject markup. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key === 'style') Object.assign(node.style, value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const reason = body && (body.detail || body.title) ? (body.detail || body.title) : response.statusText;
      const error = new Error(reason);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  /** Milliseconds since the epoch, keeping sub-millisecond digits that Date.parse would drop. */
  function toMs(iso) {
    const match = /^(.*T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
    if (!match) return Date.parse(iso);
    return Date.parse(match[1] + match[3]) + (match[2] ? parseFloat('0' + match[2]) * 1000 : 0);
  }

  function formatDuration(ms) {
    if (ms === 0) return '0 ms';
    if (ms >= 60000) return (ms / 60000).toFixed(1) + ' min';
    if (ms >= 1000) return (ms / 1000).toFixed(2) + ' s';
    if (ms >= 10) return ms.toFixed(0) + ' ms';
    if (ms >= 1) return ms.toFixed(1) + ' ms';
    return ms.toFixed(2) + ' ms';
  }

  function formatTime(iso) {
    const date = new Date(toMs(iso));
    return date.toLocaleString(undefined, { hour12: false }) + '.' + String(date.getMilliseconds()).padStart(3, '0');
  }

  function statusBadge(status) {
    return el('span', { class: 'badge ' + (status === 'ERROR' ? 'error' : 'ok'), text: status });
  }

  function levelBadge(level) {
    return el('span', { class: 'badge level-' + level, text: level });
  }

  function showError(error, what) {
    app.replaceChildren(
      el('p', { class: 'error-box', text: 'Could not load ' + what + ': ' + error.message }),
      el('p', {}, el('a', { href: '#/', text: '← back to recent traces' })));
  }

  function setNav(name) {
    for (const link of document.querySelectorAll('[data-nav]')) {
      link.classList.toggle('active', link.dataset.nav === name);
    }
  }

  // ---- overview: recent traces and endpoint statistics ---------------------------------------------------------

  async function renderOverview(params) {
    setNav('overview');
    const service = params.get('service') || '';
    const status = params.get('status') || '';
    const minDurationMs = params.get('minDurationMs') || '';
    const windowMinutes = params.get('window') || '60';

    const query = new URLSearchParams({ limit: '50' });
    if (service) query.set('service', service);
    if (status) query.set('status', status);
    if (minDurationMs) query.set('minDurationMs', minDurationMs);

    let traces, stats;
    try {
      [traces, stats] = await Promise.all([
        getJson('/api/traces?' + query),
        getJson('/api/stats?window=' + encodeURIComponent(windowMinutes)),
      ]);
    } catch (error) {
      showError(error, 'traces');
      return;
    }

    const filters = el('form', { class: 'filters', onsubmit: (event) => {
        event.preventDefault();
        const data = new FormData(event.target);
        const next = new URLSearchParams();
        for (const [key, value] of data) if (value) next.set(key, value);
        location.hash = '#/?' + next;
      } },
      el('label', {}, 'Service', el('input', { name: 'service', value: service, placeholder: 'any' })),
      el('label', {}, 'Status', el('select', { name: 'status' },
        el('option', { value: '', text: 'any' }),
        el('option', { value: 'OK', text: 'OK', selected: status === 'OK' }),
        el('option', { value: 'ERROR', text: 'ERROR', selected: status === 'ERROR' }))),
      el('label', {}, 'Min duration (ms)', el('input', { name: 'minDurationMs', value: minDurationMs, type: 'number', min: '0', step: 'any', placeholder: '0' })),
      el('label', {}, 'Stats window', el('select', { name: 'window' },
        ...[15, 60, 240, 1440].map((m) => el('option', { value: String(m), text: m < 60 ? m + ' min' : (m / 60) + ' h', selected: String(m) === windowMinutes })))),
      el('button', { type: 'submit', text: 'Apply' }));

    const traceRows = traces.traces.map((t) => el('tr', {
        class: 'clickable trace-row', 'data-trace-id': t.traceId,
        onclick: () => { location.hash = '#/trace/' + t.traceId; } },
      el('td', { class: 'muted', text: formatTime(t.start) }),
      el('td', {}, el('a', { href: '#/trace/' + t.traceId, text: t.rootName })),
      el('td', { text: t.serviceName }),
      el('td', { class: 'num', text: formatDuration(t.durationMs) }),
      el('td', { class: 'num', text: String(t.spanCount) }),
      el('td', {}, statusBadge(t.status)),
      el('td', { class: 'mono muted', text: t.traceId })));

    const tracesTable = el('div', { class: 'panel' }, el('table', { id: 'traces' },
      el('thead', {}, el('tr', {},
        el('th', { text: 'Started' }), el('th', { text: 'Root span' }), el('th', { text: 'Service' }),
        el('th', { class: 'num', text: 'Duration' }), el('th', { class: 'num', text: 'Spans' }),
        el('th', { text: 'Status' }), el('th', { text: 'Trace id' }))),
      el('tbody', {}, traceRows.length ? traceRows : el('tr', {}, el('td', { colspan: '7', class: 'empty', text: 'No traces yet. Point an SDK at this Producer and send some requests.' })))));

    app.replaceChildren(
      el('h1', { text: 'Recent traces' }),
      filters,
      tracesTable,
      el('h2', { text: 'Endpoints · last ' + stats.windowMinutes + ' min' }),
      statsTable(stats.endpoints, true),
      el('h2', { text: 'Services · last ' + stats.windowMinutes + ' min' }),
      statsTable(stats.services, false));
  }

  function statsTable(rows, perEndpoint) {
    const body = rows.map((s) => el('tr', { class: perEndpoint ? 'endpoint-row' : 'service-row' },
      el('td', { text: s.serviceName }),
      perEndpoint ? el('td', { class: 'mono', text: s.endpoint }) : null,
      el('td', { class: 'num', text: String(s.requestCount) }),
      el('td', { class: 'num', style: s.errorRate > 0 ? { color: 'var(--error)', fontWeight: '600' } : null, text: (s.errorRate * 100).toFixed(1) + ' %' }),
      el('td', { class: 'num', text: formatDuration(s.p50Ms) }),
      el('td', { class: 'num', text: formatDuration(s.p95Ms) }),
      el('td', { class: 'num', text: formatDuration(s.p99Ms) })));
    const columns = perEndpoint ? 7 : 6;
    return el('div', { class: 'panel' }, el('table', { id: perEndpoint ? 'endpoint-stats' : 'service-stats' },
      el('thead', {}, el('tr', {},
        el('th', { text: 'Service' }), perEndpoint ? el('th', { text: 'Endpoint' }) : null,
        el('th', { class: 'num', text: 'Requests' }), el('th', { class: 'num', text: 'Errors' }),
        el('th', { class: 'num', text: 'p50' }), el('th', { class: 'num', text: 'p95' }), el('th', { class: 'num', text: 'p99' }))),
      el('tbody', {}, body.length ? body : el('tr', {}, el('td', { colspan: String(columns), class: 'empty', text: 'No server requests in this window.' })))));
  }

  // ---- trace detail: waterfall and logs ------------------------------------------------------------------------

  /** Orders spans depth-first by start time; a span whose parent is not in the trace is drawn as a root. */
  function layoutSpans(spans) {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const children = new Map();
    const roots = [];
    for (const span of spans) {
      const parent = span.parentSpanId && span.parentSpanId !== span.spanId ? byId.get(span.parentSpanId) : null;
      if (parent) {
        if (!children.has(parent.spanId)) children.set(parent.spanId, []);
        children.get(parent.spanId).push(span);
      } else {
        roots.push(span);
      }
    }
    const byStart = (a, b) => a.startMs - b.startMs;
    const ordered = [];
    const visited = new Set();
    const visit = (span, depth) => {
      if (visited.has(span.spanId)) return; // guards against parent cycles in hostile data
      visited.add(span.spanId);
      ordered.push({ span, depth });
      for (const child of (children.get(span.spanId) || []).sort(byStart)) visit(child, depth + 1);
    };
    roots.sort(byStart).forEach((root) => visit(root, 0));
    return ordered;
  }

  function spanDetails(span) {
    const facts = [
      ['span id', span.spanId], ['parent', span.parentSpanId || '— (root)'], ['kind', span.kind],
      ['status', span.status], ['service', span.serviceName + ' · ' + span.environment],
      ['start', span.timestamp], ['duration', formatDuration(span.durationMs)],
    ];
    if (span.httpMethod) facts.push(['http method', span.httpMethod]);
    if (span.httpPath) facts.push(['http path', span.httpPath]);
    if (span.httpStatusCode) facts.push(['http status', String(span.httpStatusCode)]);
    for (const [key, value] of Object.entries(span.labels || {})) facts.push([key, String(value)]);
    return el('div', { class: 'span-details' },
      el('dl', {}, facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })])));
  }

  function waterfall(spans) {
    for (const span of spans) span.startMs = toMs(span.timestamp);
    const start = Math.min(...spans.map((s) => s.startMs));
    const end = Math.max(...spans.map((s) => s.startMs + s.durationMs));
    const total = Math.max(end - start, 0.001);

    const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) =>
      el('span', { class: 'tick', style: { left: (f * 100) + '%' }, text: formatDuration(f * total) }));
    const rows = layoutSpans(spans).map(({ span, depth }) => {
      const left = ((span.startMs - start) / total) * 100;
      const width = Math.max((span.durationMs / total) * 100, 0.2);
      const row = el('div', {
          class: 'span-row kind-' + span.kind + ' status-' + span.status,
          'data-span-id': span.spanId, 'data-depth': String(depth), title: span.name },
        el('div', { class: 'span-name', style: { paddingLeft: (12 + depth * 18) + 'px' } },
          el('span', { class: 'kind', text: span.kind }),
          el('span', { class: 'name', text: span.name }),
          el('span', { class: 'service', text: span.serviceName }),
          span.status === 'ERROR' ? el('span', { class: 'badge error', style: { marginLeft: '6px' }, text: 'ERROR' }) : null),
        el('div', { class: 'span-track' },
          el('div', { class: 'span-bar', style: { left: left + '%', width: width + '%' } }),
          // Near the right edge the label goes inside the end of the bar instead of overflowing the track.
          left + width > 85
            ? el('span', { class: 'span-duration inside', style: { left: (left + width) + '%' }, text: formatDuration(span.durationMs) })
            : el('span', { class: 'span-duration', style: { left: (left + width) + '%' }, text: formatDuration(span.durationMs) })));
      row.addEventListener('click', (event) => {
        if (event.target.closest('.span-details')) return;
        const open = row.querySelector('.span-details');
        document.querySelectorAll('.span-row.selected').forEach((r) => r.classList.remove('selected'));
        document.querySelectorAll('.log-line.highlight').forEach((l) => l.classList.remove('highlight'));
        if (open) { open.remove(); return; }
        row.classList.add('selected');
        row.append(spanDetails(span));
        document.querySelectorAll('.log-line[data-span-id="' + span.spanId + '"]').forEach((l) => l.classList.add('highlight'));
      });
      return row;
    });

    return {
      start,
      total,
      node: el('div', { class: 'panel waterfall', id: 'waterfall' },
        el('div', { class: 'wf-axis' }, el('div', { class: 'label', text: 'Span' }), el('div', { class: 'ticks', style: { margin: '0 14px' } }, ticks)),
        rows),
    };
  }

  function logsTable(logs, traceStart) {
    const rows = logs.map((log) => el('tr', { class: 'log-line', 'data-span-id': log.spanId || '' },
      el('td', { class: 'when', text: traceStart === null ? formatTime(log.timestamp) : '+' + formatDuration(Math.max(0, toMs(log.timestamp) - traceStart)) }),
      el('td', {}, levelBadge(log.level)),
      el('td', { class: 'muted', text: log.serviceName }),
      el('td', { class: 'message', text: log.message }),
      el('td', { class: 'muted mono', text: (log.labels && log.labels.context) || '' })));
    return el('div', { class: 'panel' }, el('table', { id: 'trace-logs' },
      el('thead', {}, el('tr', {}, el('th', { text: 'When' }), el('th', { text: 'Level' }), el('th', { text: 'Service' }), el('th', { text: 'Message' }), el('th', { text: 'Logger' }))),
      el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: '5', class: 'empty', text: 'No logs for this trace.' })))));
  }

  async function renderTrace(traceId) {
    setNav('');
    let trace;
    try {
      trace = await getJson('/api/traces/' + encodeURIComponent(traceId));
    } catch (error) {
      showError(error, 'trace ' + traceId);
      return;
    }

    const spans = trace.spans;
    const errors = spans.filter((s) => s.status === 'ERROR').length;
    const view = spans.length ? waterfall(spans) : null;
    const root = view ? layoutSpans(spans)[0].span : null;

    app.replaceChildren(el('section', { id: 'trace-view', 'data-trace-id': trace.traceId },
      el('p', {}, el('a', { href: '#/', text: '← recent traces' })),
      el('div', { class: 'trace-header' },
        el('h1', { text: root ? root.name : 'Trace' }),
        el('div', { class: 'facts' },
          el('span', {}, 'trace ', el('b', { class: 'mono', text: trace.traceId })),
          view ? el('span', {}, 'duration ', el('b', { text: formatDuration(view.total) })) : null,
          el('span', {}, 'spans ', el('b', { text: String(spans.length) })),
          el('span', {}, 'services ', el('b', { text: String(new Set(spans.map((s) => s.serviceName)).size) })),
          errors ? el('span', { class: 'badge error', text: errors + ' error' + (errors > 1 ? 's' : '') }) : statusBadge('OK'))),
      view ? view.node : el('p', { class: 'muted', text: 'No spans for this trace (only logs).' }),
      el('h2', { text: 'Logs (' + trace.logs.length + ')' }),
      logsTable(trace.logs, view ? view.start : null)));
  }

  // ---- logs search ------------------------------------------------------------------------------------------------

  async function renderLogs(params) {
    setNav('logs');
    const limit = 100;
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
    const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    for (const key of ['service', 'level', 'traceId', 'q']) if (params.get(key)) query.set(key, params.get(key));

    let page;
    try {
      page = await getJson('/api/logs?' + query);
    } catch (error) {
      showError(error, 'logs');
      return;
    }

    const go = (nextOffset) => {
      const next = new URLSearchParams(query);
      next.delete('limit');
      next.set('offset', String(nextOffset));
      location.hash = '#/logs?' + next;
    };
    const filters = el('form', { class: 'filters', onsubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams();
        for (const [key, value] of new FormData(event.target)) if (value) next.set(key, value);
        location.hash = '#/logs?' + next;
      } },
      el('label', {}, 'Text', el('input', { name: 'q', value: params.get('q') || '', placeholder: 'contains…' })),
      el('label', {}, 'Service', el('input', { name: 'service', value: params.get('service') || '', placeholder: 'any' })),
      el('label', {}, 'Level', el('select', { name: 'level' }, el('option', { value: '', text: 'any' }),
        ...['DEBUG', 'INFO', 'WARN', 'ERROR'].map((l) => el('option', { value: l, text: l, selected: params.get('level') === l })))),
      el('label', {}, 'Trace id', el('input', { name: 'traceId', value: params.get('traceId') || '', class: 'mono', size: '34' })),
      el('button', { type: 'submit', text: 'Search' }));

    const rows = page.items.map((log) => el('tr', { class: 'log-line' },
      el('td', { class: 'when', text: formatTime(log.timestamp) }),
      el('td', {}, levelBadge(log.level)),
      el('td', { class: 'muted', text: log.serviceName }),
      el('td', { class: 'message', text: log.message }),
      el('td', {}, log.traceId ? el('a', { class: 'mono', href: '#/trace/' + log.traceId, text: log.traceId.slice(0, 12) + '…' }) : '')));

    app.replaceChildren(
      el('h1', { text: 'Logs' }),
      filters,
      el('div', { class: 'panel' }, el('table', { id: 'logs' },
        el('thead', {}, el('tr', {}, el('th', { text: 'Time' }), el('th', { text: 'Level' }), el('th', { text: 'Service' }), el('th', { text: 'Message' }), el('th', { text: 'Trace' }))),
        el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: '5', class: 'empty', text: 'No matching logs.' }))))),
      el('div', { class: 'pager' },
        el('span', { class: 'muted', text: page.total ? (offset + 1) + '–' + (offset + page.items.length) + ' of ' + page.total : '0 logs' }),
        el('button', { text: '← newer', disabled: offset === 0, onclick: () => go(Math.max(0, offset - limit)) }),
        el('button', { text: 'older →', disabled: offset + page.items.length >= page.total, onclick: () => go(offset + limit) })));
  }

  // ---- routing ---------------------------------------------------------------------------------------------------

  function route() {
    const hash = location.hash.replace(/^#/, '') || '/';
    const [path, search] = hash.split('?');
    const params = new URLSearchParams(search || '');
    const trace = /^\/trace\/([^/]+)$/.exec(path);
    if (trace) return renderTrace(decodeURIComponent(trace[1]));
    if (path === '/logs') return renderLogs(params);
    return renderOverview(params);
  }

  const deepLink = new URLSearchParams(location.search).get('trace');
  if (deepLink) {
    history.replaceState(null, '', location.pathname + '#/trace/' + encodeURIComponent(deepLink));
  }

  window.addEventListener('hashchange', route);
  route();
})();
