/*
 * taintwatch path graph: one component for the console, exported case pages and the replay's report.html.
 * Cytoscape.js draws (zoom, pan, hit-testing); dagre computes a layered layout, hop order left to right.
 * Every transaction (or aggregated edge) is a small node of its own between the two addresses, so its label
 * (amount, share) is laid out like any node: dagre never lets nodes overlap, hence labels never do.
 */
(function (root) {
  'use strict';

  var FONT = '12px sans-serif';
  var LINE = 15;
  var measureCtx = null;

  function textWidth(text) {
    if (!measureCtx) {
      measureCtx = document.createElement('canvas').getContext('2d');
      measureCtx.font = FONT;
    }
    return Math.max.apply(null, String(text).split('\n').map(function (l) { return measureCtx.measureText(l).width; }));
  }

  function shortAddress(a) {
    return a && a.length > 16 ? a.slice(0, 8) + '\u2026' + a.slice(-6) : a;
  }

  function amount(a) {
    if (!a) { return ''; }
    // an amount in a token that is not verified says so wherever it is shown
    var status = a.status && a.status !== 'verified' ? ' (' + a.status + ')' : '';
    if (a.known === false) { return a.raw + ' units' + (a.symbol ? ' ' + a.symbol : '') + status; }
    return a.formatted + (a.symbol ? ' ' + a.symbol : '') + status;
  }

  function percent(ppm) {
    return (Math.floor(ppm / 100) / 100).toString() + '%';
  }

  function link(template, placeholder, value) {
    return template ? template.split(placeholder).join(encodeURIComponent(value)) : '';
  }

  /**
   * The graph of an alert's path: addresses (sources, terminal, hops between) and one transaction node per hop.
   * explorer: {tx, address} URL templates of the alert's chain, or null.
   */
  function fromAlert(alert, explorer) {
    explorer = explorer || {};
    var nodes = {};
    var order = [];
    var sources = {};
    (alert.sources || []).forEach(function (s) { sources[s.address] = s; });
    var entities = {};
    [alert.fromEntity, alert.toEntity].forEach(function (e) { if (e) { entities[e.address] = e; } });
    function node(address) {
      if (!nodes[address]) {
        var s = sources[address];
        var e = entities[address];
        var role = s ? 'source' : (address === alert.subject || address === alert.to) ? 'terminal' : 'hop';
        var title = s ? s.sourceId + ' (' + s.category + ')' : e ? (e.name || e.category) + ' (' + e.category + ')' : '';
        nodes[address] = {id: address, role: role, title: title, label: (title ? title + '\n' : '') + shortAddress(address),
          url: link(explorer.address, '{address}', address)};
        order.push(address);
      }
      return nodes[address];
    }
    var edges = [];
    var hops = alert.path && alert.path.hops ? alert.path.hops : [];
    hops.forEach(function (h, i) {
      node(h.from);
      node(h.to);
      edges.push({id: 'hop' + (i + 1), from: h.from, to: h.to, hop: i + 1, tx: h.txHash,
        label: '#' + (i + 1) + ' ' + amount(h.tainted) + ' of ' + amount(h.amount) + '\n' + percent(h.sharePpm) + ' tainted \u00b7 ' + shortAddress(h.txHash),
        url: link(explorer.tx, '{tx}', h.txHash)});
    });
    if (alert.path && alert.path.complete === false && hops.length) {
      nodes[hops[0].from].title = nodes[hops[0].from].title || 'path continues before this address';
    }
    return {nodes: order.map(function (a) { return nodes[a]; }), edges: edges};
  }

  function style() {
    return [
      {selector: 'node', style: {'shape': 'round-rectangle', 'width': 'data(w)', 'height': 'data(h)', 'label': 'data(label)',
        'text-wrap': 'wrap', 'text-valign': 'center', 'text-halign': 'center', 'font-size': 12, 'font-family': 'sans-serif',
        'color': '#1b1b1b', 'background-color': '#ffffff', 'border-width': 1.5, 'border-color': '#5f6368'}},
      {selector: 'node[role = "source"]', style: {'background-color': '#fde2e1', 'border-color': '#b3261e', 'border-width': 3}},
      {selector: 'node[role = "terminal"]', style: {'background-color': '#dbe9f6', 'border-color': '#0b57d0', 'border-width': 3,
        'border-style': 'double'}},
      {selector: 'node[kind = "tx"]', style: {'shape': 'rectangle', 'background-color': '#f3f3f3', 'border-width': 1, 'border-color': '#9aa0a6',
        'font-size': 11}},
      {selector: 'node[url != ""]', style: {'text-decoration': 'underline'}},
      {selector: 'edge', style: {'width': 1.5, 'line-color': '#5f6368', 'curve-style': 'bezier', 'target-arrow-shape': 'none'}},
      {selector: 'edge[arrow = "yes"]', style: {'target-arrow-shape': 'triangle', 'target-arrow-color': '#5f6368'}},
      {selector: ':selected', style: {'border-color': '#e8710a', 'border-width': 3}}
    ];
  }

  /**
   * Draws graph {nodes:[{id, role, label, url}], edges:[{id, from, to, label, url, hop}]} into container; returns
   * {cy, hops: [tx node ids in hop order]}. Opening a node with a url (click, or Enter when focused via the list)
   * opens the block explorer in a new tab.
   */
  function render(container, graph) {
    var elements = [];
    var g = new dagre.graphlib.Graph();
    g.setGraph({rankdir: 'LR', nodesep: 18, ranksep: 36, marginx: 12, marginy: 12});
    g.setDefaultEdgeLabel(function () { return {}; });
    function size(label) {
      var lines = String(label).split('\n').length;
      return {w: Math.ceil(textWidth(label)) + 20, h: lines * LINE + 14};
    }
    graph.nodes.forEach(function (n) {
      var s = size(n.label);
      g.setNode(n.id, {width: s.w, height: s.h});
      elements.push({group: 'nodes', data: {id: n.id, role: n.role, kind: 'address', label: n.label, url: n.url || '', w: s.w, h: s.h}});
    });
    graph.edges.forEach(function (e) {
      var id = 'tx:' + e.id;
      var s = size(e.label);
      g.setNode(id, {width: s.w, height: s.h});
      g.setEdge(e.from, id);
      g.setEdge(id, e.to);
      elements.push({group: 'nodes', data: {id: id, kind: 'tx', role: 'tx', label: e.label, url: e.url || '', hop: e.hop || 0, tx: e.tx || '',
        w: s.w, h: s.h}});
      elements.push({group: 'edges', data: {id: id + ':in', source: e.from, target: id, arrow: 'no'}});
      elements.push({group: 'edges', data: {id: id + ':out', source: id, target: e.to, arrow: 'yes'}});
    });
    dagre.layout(g);
    var cy = cytoscape({container: container, elements: elements, style: style(), minZoom: 0.1, maxZoom: 3, wheelSensitivity: 0.3,
      boxSelectionEnabled: false, autoungrabify: true,
      layout: {name: 'preset', positions: function (n) { var p = g.node(n.id()); return {x: p.x, y: p.y}; }, fit: true, padding: 16}});
    // readable first: when fitting would shrink text below ~8px, start at the first hop and let the user pan and zoom
    if (cy.zoom() < 0.7) {
      cy.zoom(0.7);
      var first = cy.nodes().min(function (n) { return n.position('x'); }).ele;
      cy.pan({x: 16 - (first.position('x') - first.data('w') / 2) * cy.zoom(), y: container.clientHeight / 2 - first.position('y') * cy.zoom()});
    }
    cy.on('tap', 'node', function (evt) {
      var url = evt.target.data('url');
      if (url) { window.open(url, '_blank', 'noopener,noreferrer'); }
    });
    var hops = cy.nodes('[kind = "tx"]').sort(function (a, b) { return a.data('hop') - b.data('hop'); }).map(function (n) { return n.id(); });
    container.twGraph = {cy: cy, hops: hops};
    return container.twGraph;
  }

  /** Renders every element marked data-tw-graph (graph JSON) or data-tw-graph-alert (an export's JSON) on a self-contained page. */
  function renderMarked() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-tw-graph], [data-tw-graph-alert]'), function (el) {
      var src = document.getElementById(el.getAttribute('data-tw-graph') || el.getAttribute('data-tw-graph-alert'));
      var data = JSON.parse(src.textContent);
      render(el, el.hasAttribute('data-tw-graph') ? data : fromAlert(data.alert, data.explorer));
    });
  }

  root.TwGraph = {fromAlert: fromAlert, render: render, renderMarked: renderMarked, amount: amount, percent: percent, shortAddress: shortAddress,
    link: link};
  if (typeof document !== 'undefined' && document.querySelector('[data-tw-graph], [data-tw-graph-alert]')) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', renderMarked);
    } else {
      renderMarked();
    }
  }
})(window);
