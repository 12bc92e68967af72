// The report's stylesheet and script. Both are inlined into report.html
// (the page loads nothing: its Content-Security-Policy forbids any fetch),
// and neither contains user data, so escaping never has to reach them.

#include "backends/mapping/html_parts.h"

namespace ward::backends::mapping {

const char kReportCss[] = R"css(
:root { --ink: #202124; --muted: #5f6368; --line: #dadce0; --bg: #f8f9fa;
  --none: #f28b82; --mitigated: #fdd663; --detected: #8ab4f8; --both: #81c995; --unmapped: #f1f3f4; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); }
main { max-width: 1360px; margin: 0 auto; padding: 0 20px 40px; }
header.page { background: #174ea6; color: #fff; padding: 18px 20px; }
header.page h1 { margin: 0 0 4px; font-size: 22px; }
header.page p { margin: 0; opacity: .85; }
nav.toc { max-width: 1360px; margin: 0 auto; padding: 8px 20px; }
nav.toc a { margin-right: 14px; color: #174ea6; text-decoration: none; }
h2 { margin: 28px 0 10px; font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 0; font-size: 16px; }
code { font: 12px/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  background: #eef0f2; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 10px; }
.stat { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.stat b { display: block; font-size: 24px; }
.stat span { color: var(--muted); }
.bar { display: flex; height: 22px; border-radius: 4px; overflow: hidden; margin: 12px 0 4px;
  border: 1px solid var(--line); background: #fff; }
.bar div { color: #fff; font-size: 12px; line-height: 22px; text-align: center; overflow: hidden; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; color: var(--muted); }
.legend i { display: inline-block; width: 14px; height: 14px; border-radius: 3px; vertical-align: -2px;
  margin-right: 4px; border: 1px solid rgba(0,0,0,.15); }
.filters { position: sticky; top: 0; z-index: 2; background: var(--bg); padding: 10px 0;
  display: flex; gap: 10px; align-items: center; border-bottom: 1px solid var(--line); }
.filters input { flex: 1; font: inherit; padding: 7px 10px; border: 1px solid #9aa0a6; border-radius: 6px; }
.filters select { font: inherit; padding: 6px; border-radius: 6px; }
.filters output { color: var(--muted); white-space: nowrap; }
.matrix-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 8px; }
.matrix { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(130px, 1fr); gap: 6px; }
.tactic-head { font-weight: 600; font-size: 12px; padding: 4px; border-bottom: 2px solid var(--ink);
  margin-bottom: 4px; min-height: 44px; }
.tactic-head small { display: block; font-weight: 400; color: var(--muted); }
.tech { display: block; font-size: 11px; padding: 4px 5px; margin-bottom: 3px; border-radius: 4px;
  border: 1px solid rgba(0,0,0,.12); color: var(--ink); text-decoration: none; background: var(--unmapped); }
.tech.sub { margin-left: 10px; }
.cov-none { background: var(--none); } .cov-mitigated { background: var(--mitigated); }
.cov-detected { background: var(--detected); } .cov-both { background: var(--both); }
.cov-unmapped { background: var(--unmapped); color: var(--muted); }
.graph { background: #fff; border: 1px solid var(--line); border-radius: 8px; overflow-x: auto; }
.graph svg { display: block; width: 100%; height: auto; min-width: 900px; }
.graph text { font: 13px system-ui, sans-serif; fill: #202124; }
.graph .colhead { font-weight: 700; font-size: 14px; }
.graph rect { stroke: rgba(0,0,0,.25); }
.graph path { fill: none; stroke-width: 1.5; opacity: .7; }
.graph path.edge-m { stroke: #b06000; } .graph path.edge-d { stroke: #1a73e8; }
.graph .dim { opacity: .15; }
.card { background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--unmapped);
  border-radius: 8px; padding: 12px 16px; margin-bottom: 12px; }
.card.cov-none { border-left-color: #d93025; background: #fff; }
.card.cov-mitigated { border-left-color: #f9ab00; background: #fff; }
.card.cov-detected { border-left-color: #1a73e8; background: #fff; }
.card.cov-both { border-left-color: #1e8e3e; background: #fff; }
.card header { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.card h4 { margin: 12px 0 4px; font-size: 13px; text-transform: uppercase; color: var(--muted); }
.card ul { margin: 0; padding-left: 18px; }
.desc { white-space: pre-wrap; margin: 8px 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 7px; border-radius: 10px;
  color: #fff; background: #5f6368; }
.r-critical { background: #a50e0e; } .r-high { background: #d93025; } .r-medium { background: #e37400; }
.r-low { background: #188038; } .r-info { background: #5f6368; }
.badge.cov-none, .badge.cov-mitigated, .badge.cov-detected, .badge.cov-both { color: #202124; }
.badge.cov-none { background: var(--none); } .badge.cov-mitigated { background: var(--mitigated); }
.badge.cov-detected { background: var(--detected); } .badge.cov-both { background: var(--both); }
.gap { color: #a50e0e; font-weight: 600; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #eef0f2; }
td.num { text-align: right; }
footer { color: var(--muted); margin-top: 30px; }
[hidden] { display: none !important; }
)css";

// Filters the threat cards and table rows (every `.searchable` element) by
// the text box and the coverage select, and dims graph nodes that are
// filtered out. textContent is read once, lower-cased, at load.
const char kReportScript[] = R"js(
(function () {
  'use strict';
  var box = document.getElementById('filter-text');
  var state = document.getElementById('filter-state');
  var count = document.getElementById('filter-count');
  var items = Array.prototype.slice.call(document.querySelectorAll('.searchable'));
  var texts = items.map(function (el) { return el.textContent.toLowerCase(); });
  function matchesState(el, wanted) {
    var own = el.getAttribute('data-state');
    if (!wanted || own === null) return true;
    return wanted === 'gap' ? own !== 'both' : own === wanted;
  }
  function apply() {
    var query = box.value.trim().toLowerCase();
    var wanted = state.value;
    var shown = 0, total = 0, visible = {};
    items.forEach(function (el, i) {
      var show = (!query || texts[i].indexOf(query) >= 0) && matchesState(el, wanted);
      el.hidden = !show;
      if (el.classList.contains('threat')) {
        total++;
        if (show) { shown++; visible[el.id] = true; }
      }
    });
    document.querySelectorAll('.graph [data-threat]').forEach(function (node) {
      var list = node.getAttribute('data-threat');
      // A node linked to no threat is only dimmed while a filter is active.
      var on = list ? list.split(' ').some(function (id) { return visible[id]; })
                    : !(query || wanted);
      node.classList.toggle('dim', !on);
    });
    count.value = shown + ' of ' + total + ' threats shown';
  }
  box.addEventListener('input', apply);
  state.addEventListener('change', apply);
  apply();
})();
)js";

}  // namespace ward::backends::mapping
