/* taintwatch analyst console: queue, alert view, case actions. Talks only to this origin's API, with the bearer token. */
(function () {
  'use strict';

  var KEY = 'taintwatch-token';
  var state = {token: sessionStorage.getItem(KEY), me: null, cursors: [null], page: 0, next: null, current: null, caseSeq: 0,
    stream: null, reloadTimer: null, fresh: {}};

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function show(id) { ['login', 'queue', 'alert'].forEach(function (s) { $(s).classList.toggle('hidden', s !== id); }); }
  function time(unix) { return unix ? new Date(unix * 1000).toISOString().replace('T', ' ').slice(0, 19) : ''; }
  function explorer(chain) { return (state.me && state.me.explorers && state.me.explorers[chain]) || {}; }
  function requestId() {
    return (self.crypto && crypto.randomUUID) ? crypto.randomUUID() : 'r' + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  function api(path, opts) {
    opts = opts || {};
    var headers = {'Authorization': 'Bearer ' + state.token};
    if (opts.body) { headers['Content-Type'] = 'application/json'; }
    return fetch(path, {method: opts.method || 'GET', headers: headers, body: opts.body ? JSON.stringify(opts.body) : undefined, cache: 'no-store'})
      .then(function (r) {
        if (r.status === 401) { signOut('The token was not accepted.'); throw new Error('unauthorized'); }
        var type = r.headers.get('Content-Type') || '';
        var body = opts.raw ? r.blob() : type.indexOf('json') >= 0 ? r.json() : r.text();
        return body.then(function (b) {
          if (!r.ok) { throw new Error((b && b.error) || ('HTTP ' + r.status)); }
          return b;
        });
      });
  }

  // --- sign in ---
  function signOut(message) {
    sessionStorage.removeItem(KEY);
    state.token = null;
    state.me = null;
    if (state.stream) { state.stream.abort(); state.stream = null; }
    $('who').textContent = '';
    $('logout').classList.add('hidden');
    setLive(false);
    show('login');
    $('login-error').textContent = message || '';
    $('token').focus();
  }

  function signIn() {
    return api('/me').then(function (me) {
      state.me = me;
      $('who').textContent = me.name + ' (' + me.role + ')';
      $('logout').classList.remove('hidden');
      var sel = $('assign-to');
      sel.textContent = '';
      sel.appendChild(el('option', null, '(nobody)')).value = '';
      me.assignable.forEach(function (u) { sel.appendChild(el('option', null, u)).value = u; });
      startStream();
      route();
    });
  }

  // --- live updates: SSE over fetch (EventSource cannot send the Authorization header) ---
  function setLive(on) {
    $('live').textContent = on ? 'live' : 'offline';
    $('live').classList.toggle('on', on);
  }

  function startStream() {
    if (state.stream) { state.stream.abort(); }
    var ctrl = new AbortController();
    state.stream = ctrl;
    var lastId = null;
    function connect() {
      var headers = {'Authorization': 'Bearer ' + state.token, 'Accept': 'text/event-stream'};
      if (lastId) { headers['Last-Event-ID'] = lastId; }
      fetch('/alerts/stream', {headers: headers, signal: ctrl.signal, cache: 'no-store'}).then(function (r) {
        if (!r.ok || !r.body) { throw new Error('HTTP ' + r.status); }
        setLive(true);
        var reader = r.body.getReader();
        var decoder = new TextDecoder();
        var buf = '';
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) { throw new Error('stream ended'); }
            buf += decoder.decode(chunk.value, {stream: true});
            var cut;
            while ((cut = buf.indexOf('\n\n')) >= 0) {
              var block = buf.slice(0, cut);
              buf = buf.slice(cut + 2);
              var ev = {event: 'message', data: [], id: null};
              block.split('\n').forEach(function (line) {
                if (line.indexOf('data: ') === 0) { ev.data.push(line.slice(6)); }
                else if (line.indexOf('event: ') === 0) { ev.event = line.slice(7); }
                else if (line.indexOf('id: ') === 0) { ev.id = line.slice(4); }
              });
              if (ev.id) { lastId = ev.id; }
              if (ev.data.length) { onEvent(ev.event, JSON.parse(ev.data.join('\n'))); }
            }
            return pump();
          });
        }
        return pump();
      }).catch(function () {
        setLive(false);
        if (!ctrl.signal.aborted) { setTimeout(connect, 3000); }
      });
    }
    connect();
  }

  function onEvent(type, data) {
    var id = type === 'case' ? data.alertId : data.id;
    if (type === 'alert') { state.fresh[id] = true; }
    if (!$('queue').classList.contains('hidden') && state.page === 0) {
      clearTimeout(state.reloadTimer);
      state.reloadTimer = setTimeout(function () { loadQueue(true); }, 400);
    }
    if (state.current && state.current.id === id && !$('alert').classList.contains('hidden')) {
      loadAlert(id, true);
    }
  }

  // --- queue ---
  function filters() {
    var f = new FormData($('filters'));
    var q = new URLSearchParams();
    f.forEach(function (v, k) {
      v = String(v).trim();
      if (!v) { return; }
      if (k === 'from' || k === 'to') { v = String(Date.parse(v + 'T00:00:00Z') / 1000 + (k === 'to' ? 86400 : 0)); }
      q.set(k, v);
    });
    q.set('limit', '25');
    return q;
  }

  function loadQueue(keepFocus) {
    var q = filters();
    var cursor = state.cursors[state.page];
    if (cursor) { q.set('cursor', cursor); }
    var focusedId = keepFocus && document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.id : null;
    return api('/alerts?' + q.toString()).then(function (page) {
      $('queue-error').textContent = '';
      state.next = page.next;
      renderQueue(page, focusedId);
    }).catch(function (e) { $('queue-error').textContent = e.message; });
  }

  function renderQueue(page, focusedId) {
    var body = $('queue-table').tBodies[0];
    body.textContent = '';
    page.alerts.forEach(function (a) {
      var c = page.cases[a.id] || {};
      var tr = el('tr');
      tr.tabIndex = 0;
      tr.dataset.id = a.id;
      if (state.fresh[a.id]) { tr.classList.add('fresh'); }
      var sev = el('td');
      sev.appendChild(el('span', 'sev sev-' + a.severity, a.severity));
      tr.appendChild(sev);
      tr.appendChild(el('td', null, a.rule));
      tr.appendChild(el('td', 'status-' + a.status, a.status + (c.disposition ? ' (' + c.disposition + ')' : '')));
      tr.appendChild(el('td', null, c.assignee || '\u2014'));
      // an alert is shown by its headline: its largest verified movement, not its latest leg
      var head = a.headline || a;
      var total = (a.totals || []).filter(function (t) { return t.asset === head.asset; })[0];
      tr.appendChild(el('td', null, TwGraph.amount(total ? total.tainted : head.tainted)));
      tr.appendChild(el('td', null, (a.sources || []).map(function (s) { return s.sourceId; }).join(', ')));
      tr.appendChild(el('td', 'mono', TwGraph.shortAddress(a.subject) + (a.toEntity && a.toEntity.address === a.subject ? ' ' + a.toEntity.name : '')));
      tr.appendChild(el('td', null, a.chain.name));
      tr.appendChild(el('td', null, time(a.lastSeen.blockTimestamp)));
      tr.appendChild(el('td', null, String(a.version)));
      tr.addEventListener('click', function () { openAlert(a.id); });
      body.appendChild(tr);
    });
    $('queue-empty').classList.toggle('hidden', page.alerts.length > 0);
    $('prev').disabled = state.page === 0;
    $('next').disabled = !state.next;
    var focus = focusedId && body.querySelector('tr[data-id="' + CSS.escape(focusedId) + '"]');
    if (focus) { focus.focus(); }
  }

  function openAlert(id) { location.hash = '#/alert/' + encodeURIComponent(id); }

  function queueKeys(e) {
    var row = e.target.closest ? e.target.closest('tr') : null;
    if (!row || !row.dataset.id) { return; }
    var to = null;
    if (e.key === 'ArrowDown' || e.key === 'j') { to = row.nextElementSibling; }
    else if (e.key === 'ArrowUp' || e.key === 'k') { to = row.previousElementSibling; }
    else if (e.key === 'Home') { to = row.parentNode.firstElementChild; }
    else if (e.key === 'End') { to = row.parentNode.lastElementChild; }
    else if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); openAlert(row.dataset.id); return; }
    if (to) { e.preventDefault(); to.focus(); }
  }

  // --- alert view ---
  function fact(dl, k, v, cls) {
    dl.appendChild(el('dt', null, k));
    var dd = el('dd', cls);
    if (v instanceof Node) { dd.appendChild(v); } else { dd.textContent = v; }
    dl.appendChild(dd);
  }

  function linkOrText(url, text, cls) {
    if (!url) { return el('span', cls, text); }
    var a = el('a', cls, text);
    a.href = url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }

  function cells(tr, values) {
    values.forEach(function (v) {
      var td = el('td');
      if (v instanceof Node) { td.appendChild(v); } else { td.textContent = v; }
      tr.appendChild(td);
    });
  }

  function loadAlert(id, refresh) {
    var enc = encodeURIComponent(id);
    return Promise.all([api('/alerts/' + enc), api('/alerts/' + enc + '/case'), api('/alerts/' + enc + '/versions')]).then(function (r) {
      $('alert-error').textContent = '';
      var graphChanged = !state.current || state.current.id !== r[0].id || state.current.version !== r[0].version;
      state.current = r[0];
      state.caseSeq = r[1].seq;
      renderAlert(r[0], r[1], r[2], graphChanged || !refresh);
      delete state.fresh[id];
    }).catch(function (e) { $('alert-error').textContent = e.message; });
  }

  function renderAlert(a, c, versions, redrawGraph) {
    var ex = explorer(a.chain.name);
    $('alert-title').textContent = a.severity.toUpperCase() + ' \u00b7 ' + a.rule + ' \u00b7 ' + a.chain.name;
    var f = $('alert-facts');
    f.textContent = '';
    fact(f, 'Alert', a.id, 'mono');
    fact(f, 'Status', c.status + (c.disposition ? ' (' + c.disposition + ')' : ''));
    fact(f, 'Subject', linkOrText(TwGraph.link(ex.address, '{address}', a.subject), a.subject, 'mono'));
    if (a.toEntity) { fact(f, 'Recipient entity', a.toEntity.name + ' (' + a.toEntity.category + ')'); }
    if (a.fromEntity) { fact(f, 'Sender entity', a.fromEntity.name + ' (' + a.fromEntity.category + ')'); }
    if (a.headline && a.headline.legId !== a.legId) {
      fact(f, 'Headline', TwGraph.amount(a.headline.tainted) + ' tainted of ' + TwGraph.amount(a.headline.amount) + ' to '
        + TwGraph.shortAddress(a.headline.to) + ' (its largest verified movement)');
    }
    fact(f, 'This leg', TwGraph.amount(a.tainted) + ' tainted of ' + TwGraph.amount(a.amount) + ' (' + TwGraph.percent(a.sharePpm) + ')');
    if (a.lookalike) {
      var l = a.lookalike;
      fact(f, 'Lookalike', l.address + ' shares its first ' + l.prefixDigits + ' and last ' + l.suffixDigits + ' hex digits with '
        + l.lookalikeOf + ', a real counterparty of ' + l.holder + ' (' + l.kind + '; real transfer ' + l.real.txHash + ')', 'mono');
    }
    if (a.skipped) {
      var parts = (a.skipped.assets || []).map(function (x) {
        return x.legs + ' ' + (x.symbol || x.asset) + ' (' + x.reason + (x.assetReason ? ': ' + x.assetReason : '') + ')';
      });
      fact(f, 'Not followed (' + a.skipped.legs + ' legs)', parts.join('; '));
    }
    fact(f, 'Totals (' + a.count + ' legs)', (a.totals || []).map(function (t) { return TwGraph.amount(t.tainted) + ' of ' + TwGraph.amount(t.amount); })
      .join('; '));
    fact(f, 'Transaction', linkOrText(TwGraph.link(ex.tx, '{tx}', a.txHash), a.txHash, 'mono'));
    fact(f, 'First / last leg', time(a.firstSeen.blockTimestamp) + ' / ' + time(a.lastSeen.blockTimestamp) + ' UTC');
    if (a.recommendedAction) { fact(f, 'Recommended', a.recommendedAction); }
    if (a.policy) { fact(f, 'Policy', a.policy.kind + ', balance basis ' + a.policy.balanceBasis); }

    var rs = $('alert-reasons');
    rs.textContent = '';
    a.reasons.forEach(function (r) { rs.appendChild(el('li', null, r)); });

    var sb = $('alert-sources').tBodies[0];
    sb.textContent = '';
    a.sources.forEach(function (s) {
      var tr = el('tr');
      cells(tr, [s.sourceId, s.category, s.reference || '', linkOrText(TwGraph.link(ex.address, '{address}', s.address), s.address, 'mono'),
        String(s.hop), TwGraph.amount(s.tainted), TwGraph.percent(s.sharePpm)]);
      sb.appendChild(tr);
    });

    var hb = $('alert-hops').tBodies[0];
    hb.textContent = '';
    (a.path ? a.path.hops : []).forEach(function (h, i) {
      var tr = el('tr');
      cells(tr, [String(i + 1), linkOrText(TwGraph.link(ex.tx, '{tx}', h.txHash), TwGraph.shortAddress(h.txHash), 'mono'), time(h.timestamp),
        el('span', 'mono', TwGraph.shortAddress(h.from)), el('span', 'mono', TwGraph.shortAddress(h.to)), TwGraph.amount(h.tainted),
        TwGraph.amount(h.amount), TwGraph.percent(h.sharePpm)]);
      hb.appendChild(tr);
    });
    if (redrawGraph) {
      var g = $('graph');
      if (g.twGraph) { g.twGraph.cy.destroy(); g.twGraph = null; }
      g.textContent = '';
      if (a.path && a.path.hops.length) { TwGraph.render(g, TwGraph.fromAlert(a, ex)); } else { g.appendChild(el('p', 'hint', 'This rule carries no path.')); }
    }

    var vb = $('alert-versions').tBodies[0];
    vb.textContent = '';
    versions.versions.slice().reverse().forEach(function (v) {
      var tr = el('tr');
      cells(tr, [String(v.version), v.severity, String(v.block), linkOrText(TwGraph.link(ex.tx, '{tx}', v.txHash), TwGraph.shortAddress(v.txHash), 'mono'),
        TwGraph.amount(v.tainted), TwGraph.amount(v.amount), String(v.count)]);
      vb.appendChild(tr);
    });
    renderCase(c);
  }

  function renderCase(c) {
    var f = $('case-facts');
    f.textContent = '';
    fact(f, 'Status', c.status);
    fact(f, 'Assignee', c.assignee || 'nobody');
    if (c.disposition) { fact(f, 'Disposition', c.disposition); }
    if (c.closingComment) { fact(f, 'Reason', c.closingComment); }
    var canAct = state.me && state.me.caseActions && state.me.role !== 'viewer';
    $('actions').classList.toggle('hidden', !canAct);
    $('viewer-hint').classList.toggle('hidden', canAct || !state.me || state.me.role !== 'viewer');
    var closed = c.status === 'closed';
    $('act-acknowledge').disabled = c.status !== 'open';
    $('act-escalate').disabled = closed || c.status === 'escalated';
    $('act-assign').disabled = closed;
    $('close-form').classList.toggle('hidden', closed);
    $('reopen-form').classList.toggle('hidden', !closed);
    $('assign-to').value = c.assignee || '';
    var list = $('audit');
    list.textContent = '';
    c.events.slice().reverse().forEach(function (e) {
      var li = el('li');
      li.appendChild(el('span', 'when', e.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z') + ' '));
      li.appendChild(el('strong', null, e.actor));
      var what = ' ' + e.action;
      if (e.action === 'assign') { what += e.assignee ? ' to ' + e.assignee : ' (unassigned)'; }
      if (e.disposition) { what += ' as ' + e.disposition; }
      li.appendChild(document.createTextNode(what + (e.comment ? ': ' + e.comment : '') + ' (v' + e.alertVersion + ')'));
      list.appendChild(li);
    });
    if (!c.events.length) { list.appendChild(el('li', 'hint', 'No action yet.')); }
  }

  function act(body, done) {
    var a = state.current;
    body.alertVersion = a.version;
    body.caseSeq = state.caseSeq;
    body.requestId = requestId();
    $('action-error').textContent = '';
    return api('/alerts/' + encodeURIComponent(a.id) + '/actions', {method: 'POST', body: body}).then(function () {
      if (done) { done(); }
      return loadAlert(a.id, true);
    }).catch(function (e) { $('action-error').textContent = e.message; });
  }

  function download(kind) {
    var a = state.current;
    api('/alerts/' + encodeURIComponent(a.id) + '/export.' + kind, {raw: true}).then(function (blob) {
      var url = URL.createObjectURL(blob);
      var link = el('a');
      link.href = url;
      link.download = 'taintwatch-case-' + a.id.replace(/[^A-Za-z0-9-]+/g, '-') + '.' + kind;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }).catch(function (e) { $('action-error').textContent = e.message; });
  }

  // --- routing ---
  function route() {
    if (!state.token) { signOut(); return; }
    if (!state.me) { signIn().catch(function () {}); return; }
    var m = /^#\/alert\/(.+)$/.exec(location.hash);
    if (m) {
      show('alert');
      state.current = null;
      loadAlert(decodeURIComponent(m[1]), false).then(function () { $('alert-title').focus(); });
    } else {
      show('queue');
      loadQueue(false).then(function () {
        var first = $('queue-table').tBodies[0].rows[0];
        if (first && document.activeElement === document.body) { first.focus(); }
      });
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('alert-title').tabIndex = -1;
    $('login-form').addEventListener('submit', function (e) {
      e.preventDefault();
      state.token = $('token').value.trim();
      sessionStorage.setItem(KEY, state.token);
      $('token').value = '';
      signIn().catch(function (err) { if (err.message !== 'unauthorized') { $('login-error').textContent = err.message; } });
    });
    $('logout').addEventListener('click', function () { signOut(); });
    $('filters').addEventListener('submit', function (e) {
      e.preventDefault();
      state.cursors = [null];
      state.page = 0;
      loadQueue(false);
    });
    $('queue-table').addEventListener('keydown', queueKeys);
    $('next').addEventListener('click', function () { state.cursors[state.page + 1] = state.next; state.page++; loadQueue(false); });
    $('prev').addEventListener('click', function () { state.page = Math.max(0, state.page - 1); loadQueue(false); });
    $('act-acknowledge').addEventListener('click', function () { act({action: 'acknowledge'}); });
    $('act-escalate').addEventListener('click', function () { act({action: 'escalate'}); });
    $('act-assign').addEventListener('click', function () { act({action: 'assign', assignee: $('assign-to').value || null}); });
    $('close-form').addEventListener('submit', function (e) {
      e.preventDefault();
      act({action: 'close', disposition: $('disposition').value, comment: $('close-reason').value}, function () {
        $('close-reason').value = '';
        $('disposition').value = '';
      });
    });
    $('reopen-form').addEventListener('submit', function (e) {
      e.preventDefault();
      act({action: 'reopen', comment: $('reopen-reason').value}, function () { $('reopen-reason').value = ''; });
    });
    $('note-form').addEventListener('submit', function (e) {
      e.preventDefault();
      act({action: 'note', comment: $('note-text').value}, function () { $('note-text').value = ''; });
    });
    $('export-json').addEventListener('click', function () { download('json'); });
    $('export-html').addEventListener('click', function () { download('html'); });
    $('graph-fit').addEventListener('click', function () { var g = $('graph').twGraph; if (g) { g.cy.fit(undefined, 16); } });
    $('graph-zoom-in').addEventListener('click', function () { var g = $('graph').twGraph; if (g) { g.cy.zoom(g.cy.zoom() * 1.25); } });
    $('graph-zoom-out').addEventListener('click', function () { var g = $('graph').twGraph; if (g) { g.cy.zoom(g.cy.zoom() / 1.25); } });
    window.addEventListener('hashchange', route);
    route();
  });
})();
