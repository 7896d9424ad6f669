import type { PageHost } from './host.js';
import { checkUrl } from './urlPolicy.js';

export interface NavigateResult {
  success: boolean;
  message: string;
  url: string;
  title: string;
}

/** Opens `raw` in the active tab; a refused scheme or a failed load is a result, not a throw. */
export async function navigate(host: PageHost, raw: string, timeoutMs = 30_000): Promise<NavigateResult> {
  const verdict = checkUrl(raw, host.allowLocalUrls);
  const page = host.page();
  if (!verdict.ok) return { success: false, message: verdict.reason, url: page.url(), title: '' };
  try {
    const response = await page.goto(verdict.url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    const title = await page.title().catch(() => '');
    const status = response === null ? '' : ` (HTTP ${response.status()})`;
    return { success: true, message: `Opened ${page.url()}${status}.`, url: page.url(), title };
  } catch (error: unknown) {
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    return { success: false, message: `Could not open ${verdict.url}: ${first}. Check the URL, then step with goto again.`, url: page.url(), title: '' };
  }
}
