import { documentShell, LOREM, pick, seeded, slug } from './common.js';
import type { BenchPage } from './types.js';

const GROUPS: Readonly<Record<string, readonly string[]>> = {
  'Getting started': ['Introduction', 'Quickstart', 'Installation', 'Authentication', 'Your first request', 'Errors', 'Pagination', 'Versioning'],
  Guides: ['Sessions', 'Observing pages', 'Taking actions', 'Scraping', 'Structured data', 'File uploads', 'Downloads', 'Proxies', 'Cookies', 'Personas', 'Vaults', 'Captchas'],
  'API reference': ['Sessions API', 'Start a session', 'Get a session', 'Stop a session', 'List sessions', 'Observe', 'Step', 'Scrape', 'Replay', 'Network logs', 'Webhooks', 'Rate limits', 'Usage', 'Agents', 'Workflows'],
  SDKs: ['Python', 'TypeScript', 'Go', 'Java', 'Ruby', 'CLI'],
  Integrations: ['LangChain', 'LlamaIndex', 'CrewAI', 'OpenAI Agents', 'Claude', 'Zapier', 'n8n', 'Make'],
  Resources: ['Changelog', 'Status', 'Pricing', 'Limits', 'Security', 'FAQ', 'Support', 'Community'],
};

function sidebar(): string {
  return `<nav aria-label="Documentation" class="side">${Object.entries(GROUPS)
    .map(([group, items]) => `<h3>${group}</h3><ul>${items.map((item) => `<li><a class="doc" href="/docs/${slug(item)}">${item}</a></li>`).join('')}</ul>`)
    .join('')}</nav>`;
}

function content(random: () => number): string {
  const sections = ['Overview', 'Request', 'Response', 'Errors', 'Examples'];
  return `<main><p><a href="/docs">Docs</a> › <a href="/api">API reference</a> › Start a session</p>
<h1>Start a session</h1><p>${pick(LOREM, random)}</p>
${sections
  .map(
    (section, i) => `<h2 id="s${i}">${section}</h2><p>${pick(LOREM, random)} ${pick(LOREM, random)}</p>
<pre><code>curl -X POST https://api.example.com/sessions/start \\
  -H "Authorization: Bearer $API_KEY" \\
  -d '{"headless": true, "idle_timeout_minutes": ${3 + i}}'</code></pre><button type="button" class="copy">Copy</button>
<table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>
<tr><td>session_id</td><td>string</td><td>Id of the session (${section.toLowerCase()}).</td></tr>
<tr><td>status</td><td>enum</td><td>active, closed, timed_out or error.</td></tr>
<tr><td>created_at</td><td>datetime</td><td>When the session started.</td></tr></tbody></table>`,
  )
  .join('\n')}
<section aria-label="Feedback"><h2>Was this page helpful?</h2><button type="button" class="fb">Yes</button> <button type="button" class="fb">No</button></section>
<p><a href="/prev">‹ Sessions API</a> <a href="/next">Get a session ›</a></p></main>
<nav aria-label="On this page" class="toc"><h3>On this page</h3><ul>${sections.map((section, i) => `<li><a href="#s${i}">${section}</a></li>`).join('')}</ul></nav>`;
}

const script = `let opened = 0;
document.querySelector('.side').addEventListener('click', (event) => {
  const link = event.target.closest('a.doc');
  if (!link) return;
  event.preventDefault();
  opened += 1;
  report('Opened: ' + link.textContent + ' (' + opened + ')');
});`;

export const docsPage: BenchPage = {
  name: 'docs page',
  html: () =>
    documentShell(
      'Start a session · Example API docs',
      '.wrap{display:flex;gap:24px;padding:16px}.side{width:240px;flex:none}.side ul{display:block}main{flex:1}pre{background:#f6f8fa;padding:8px}',
      `<header><strong>Example Docs</strong> <nav aria-label="Top"><ul><li><a href="/guides">Guides</a></li><li><a href="/api">API</a></li><li><a href="/sdks">SDKs</a></li><li><a href="/changelog">Changelog</a></li><li><a href="/dashboard">Dashboard</a></li></ul></nav> <input type="search" aria-label="Search docs" placeholder="Search docs"></header>
<div class="wrap">${sidebar()}${content(seeded(3))}</div>`,
      script,
    ),
  task: {
    goal: 'Open Rate limits in the documentation sidebar',
    actions: [{ kind: 'click', role: 'link', label: 'Rate limits' }],
    repeatable: 0,
    expect: 'Opened: Rate limits',
  },
};
