/**
 * The viewer page: the live frame, the URL, title and tabs, the agent's last steps, and Take over / Hand back.
 * No framework and no external file: it is served under a CSP that allows only its own inline script (by nonce),
 * data: images and requests to its own origin.
 */
export function viewerHtml(nonce: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Browser session viewer</title>
<style nonce="${nonce}">
body{margin:0;font:14px system-ui,sans-serif;background:#f4f4f5;color:#18181b}
header{display:flex;gap:12px;align-items:center;padding:8px 12px;background:#18181b;color:#fafafa}
header code{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;color:#a1a1aa}
button{font:inherit;padding:4px 12px;border-radius:6px;border:0;cursor:pointer}
#take{background:#f59e0b}#back{background:#22c55e}
main{display:flex;gap:12px;padding:12px;align-items:flex-start}
#screen{flex:1;min-width:0}#frame{width:100%;height:auto;display:block;background:#fff;box-shadow:0 1px 4px #0003}
#screen.person #frame{outline:3px solid #f59e0b;cursor:crosshair}
aside{width:300px;flex:none}aside h2{font-size:13px;text-transform:uppercase;color:#71717a;margin:8px 0 4px}
ol,ul{margin:0;padding-left:18px}li{margin:2px 0;word-break:break-word}.fail{color:#b91c1c}.active{font-weight:600}
#status{font-size:12px;padding:2px 8px;border-radius:10px;background:#3f3f46}
</style></head>
<body>
<header><span id="status">connecting…</span><b id="title"></b><code id="url"></code>
<button id="take" hidden>Take over</button><button id="back" hidden>Hand back</button></header>
<main><div id="screen"><img id="frame" alt="Live view of the session's active tab"></div>
<aside><h2>Tabs</h2><ul id="tabs"></ul><h2>Agent's last steps</h2><ol id="steps"></ol></aside></main>
<script nonce="${nonce}">
const base = location.pathname.replace(/\\/$/, '');
const SPECIAL = ['Enter', 'Backspace', 'Tab', 'Escape', 'Delete', 'ArrowLeft', 'ArrowUp', 'ArrowRight', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'];
const $ = (id) => document.getElementById(id);
let state = { control: 'agent', read_only: true };
// One request at a time, so keys reach the page in the order they were typed.
let queue = Promise.resolve();
const post = (path, body) => (queue = queue.then(() => fetch(base + '/' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).catch(() => undefined));
const item = (text, cls) => { const li = document.createElement('li'); li.textContent = text; if (cls) li.className = cls; return li; };
function render() {
  $('url').textContent = state.url || '';
  $('title').textContent = state.title || '';
  document.title = (state.title || 'Session') + ' · viewer';
  $('tabs').replaceChildren(...(state.tabs || []).map((t) => item((t.title || '(untitled)') + ' — ' + t.url, t.active ? 'active' : '')));
  $('steps').replaceChildren(...(state.steps || []).map((s) => item(s.name + (s.success ? ' ✓ ' : ' ✗ ') + s.message, s.success ? '' : 'fail')));
  const person = state.control === 'person';
  $('status').textContent = person ? 'you are in control' : 'agent in control' + (state.read_only ? ' · read-only' : '');
  $('take').hidden = state.read_only || person;
  $('back').hidden = state.read_only || !person;
  $('screen').className = person ? 'person' : '';
}
const events = new EventSource(base + '/events');
events.addEventListener('frame', (e) => { const f = JSON.parse(e.data); $('frame').src = 'data:image/jpeg;base64,' + f.jpeg; $('frame').dataset.frames = String(Number($('frame').dataset.frames || 0) + 1); });
events.addEventListener('state', (e) => { state = JSON.parse(e.data); render(); });
events.addEventListener('ended', () => { $('status').textContent = 'session ended'; $('take').hidden = $('back').hidden = true; events.close(); });
events.onerror = () => { if (events.readyState === EventSource.CLOSED) $('status').textContent = 'disconnected'; };
$('take').onclick = () => post('control', { action: 'take' });
$('back').onclick = () => post('control', { action: 'hand_back' });
const at = (e) => { const r = $('frame').getBoundingClientRect(); return { x: Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), y: Math.min(1, Math.max(0, (e.clientY - r.top) / r.height)) }; };
$('frame').addEventListener('click', (e) => { if (state.control === 'person') post('input', { type: 'click', ...at(e) }); });
$('frame').addEventListener('wheel', (e) => { if (state.control !== 'person') return; e.preventDefault(); post('input', { type: 'scroll', ...at(e), dy: e.deltaY }); }, { passive: false });
document.addEventListener('keydown', (e) => {
  if (state.control !== 'person' || e.metaKey || e.ctrlKey || e.altKey) return;
  if ([...e.key].length !== 1 && !SPECIAL.includes(e.key)) return;
  e.preventDefault();
  post('input', { type: 'key', key: e.key });
});
</script></body></html>`;
}
