import type { InPageArgs, InPageLib } from './scrapeTypes.js';

/**
 * Runs inside the page (serialized with toString): no imports at runtime, no closures over module scope.
 *
 * Turndown + the GFM plugin, with our own rules for what they leave loose: absolute link and image URLs (written
 * with parentheses percent-encoded so every destination is exactly one token run), links and images switched off
 * by the scrape flags, same-page anchors reduced to their text, fenced code with the language from the class,
 * and table cells kept on one line.
 */
export function toMarkdown(lib: InPageLib, root: Element, args: InPageArgs): { markdown: string; urls: string[] } {
  const DATA_URL_MAX = 256;
  const urls: string[] = [];
  const here = location.href.split('#')[0] ?? '';
  const destination = (raw: string): string => raw.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
  const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

  // Form controls as a reader sees them: a select shows its chosen option (not every option glued together), a
  // text field or textarea its value, a submit-like input its label. Each is spaced from its neighbours, so
  // "Search products" + a field + a "Search" button do not run together into one word; a fieldset's legend too
  // ("Price" over "Min 0"), which the page draws on the border but turndown reads as inline text.
  const TEXT_INPUTS = new Set(['', 'text', 'search', 'email', 'url', 'tel', 'number', 'date', 'time', 'datetime-local', 'month', 'week']);
  const controlText = (control: Element): string | null => {
    const state = control.getAttribute('data-bsm-value');
    if (control.tagName === 'SELECT') {
      return state ?? Array.from(control.querySelectorAll('option'), (option) => (option.selected ? option.label.trim() : '')).filter((label) => label !== '').join(', ');
    }
    if (control.tagName === 'TEXTAREA') return state ?? control.textContent ?? '';
    if (control.tagName !== 'INPUT') return null;
    const type = (control.getAttribute('type') ?? '').trim().toLowerCase();
    if (type === 'submit' || type === 'reset' || type === 'button') return control.getAttribute('value') ?? (type === 'submit' ? 'Submit' : type === 'reset' ? 'Reset' : '');
    if (type === 'image') return control.getAttribute('alt') ?? '';
    return TEXT_INPUTS.has(type) ? (state ?? control.getAttribute('value') ?? '') : '';
  };
  const controls = Array.from(root.querySelectorAll('select, textarea, input, button, legend'));
  for (const control of controls) {
    const text = controlText(control);
    if (text === null) {
      control.before(' ');
      control.after(' ');
    } else {
      control.replaceWith(' ', text.replace(/\s+/g, ' ').trim(), ' ');
    }
  }
  if (root.tagName === 'SELECT' || root.tagName === 'TEXTAREA') root.replaceChildren(controlText(root) ?? '');

  const service = new lib.vendor.TurndownService({
    headingStyle: 'atx',
    hr: '---',
    bulletListMarker: '-',
    codeBlockStyle: 'fenced',
    fence: '```',
    emDelimiter: '_',
    strongDelimiter: '**',
    linkStyle: 'inlined',
  });
  service.use(lib.vendor.turndownPluginGfm.gfm);

  // Rules added later win (turndown unshifts them), so these override the defaults and the GFM plugin.
  service.addRule('bsmCell', {
    filter: ['th', 'td'],
    replacement: (content, node) => {
      const row = node.parentNode;
      const first = row === null || row.firstElementChild === node;
      return `${first ? '| ' : ' '}${oneLine(content).replace(/\|/g, '\\|')} |`;
    },
  });
  // Turndown pads markers to four columns ("-   item"); two ("- item") is as valid and costs fewer tokens.
  service.addRule('bsmListItem', {
    filter: 'li',
    replacement: (content, node) => {
      const parent = node.parentElement;
      let prefix = '- ';
      if (parent?.tagName === 'OL') {
        const start = Number(parent.getAttribute('start') ?? '1');
        prefix = `${(Number.isFinite(start) ? start : 1) + Array.from(parent.children).indexOf(node)}. `;
      }
      const paragraph = content.endsWith('\n');
      const body = content.replace(/^\n+/, '').replace(/\n+$/, '') + (paragraph ? '\n' : '');
      return `${prefix}${body.replace(/\n/g, `\n${' '.repeat(prefix.length)}`)}${node.nextSibling !== null ? '\n' : ''}`;
    },
  });
  service.addRule('bsmPre', {
    filter: 'pre',
    replacement: (_content, node) => {
      const code = node.firstElementChild?.tagName === 'CODE' ? node.firstElementChild : null;
      const classes = `${node.className} ${code?.className ?? ''} ${node.parentElement?.className ?? ''}`;
      const language = /(?:^|\s)(?:lang(?:uage)?-|highlight-(?:text|source)-|brush:\s*)([\w+#.-]+)/.exec(classes)?.[1] ?? node.getAttribute('data-lang') ?? '';
      const body = (node.textContent ?? '').replace(/\n$/, '');
      let fence = '```';
      while (body.includes(fence)) fence += '`';
      return `\n\n${fence}${language}\n${body}\n${fence}\n\n`;
    },
  });
  service.addRule('bsmLink', {
    filter: 'a',
    replacement: (content, node) => {
      const text = oneLine(content);
      const href = node.getAttribute('href');
      if (!args.scrapeLinks || href === null || href === '') return text;
      if (/^(javascript|data|vbscript):/i.test(href)) return text;
      if (href.startsWith(`${here}#`) || href === here) return text;
      const label = text !== '' ? text : oneLine(node.getAttribute('aria-label') ?? node.getAttribute('title') ?? '');
      if (label === '') return '';
      const dest = destination(href);
      urls.push(dest);
      return `[${label}](${dest})`;
    },
  });
  service.addRule('bsmImage', {
    filter: 'img',
    replacement: (_content, node) => {
      if (!args.scrapeImages) return '';
      const src = node.getAttribute('src') ?? '';
      const alt = oneLine(node.getAttribute('alt') ?? '').replace(/[[\]]/g, '\\$&');
      if (src === '') return alt === '' ? '' : `![${alt}]()`;
      if (src.startsWith('data:') && src.length > DATA_URL_MAX) return `![${alt}]()`;
      const dest = destination(src);
      urls.push(dest);
      return `![${alt}](${dest})`;
    },
  });

  const markdown = service
    .turndown(root instanceof HTMLElement ? root : root.ownerDocument.createElement('div'))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { markdown, urls };
}
