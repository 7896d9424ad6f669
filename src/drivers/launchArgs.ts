/**
 * Chromium keeps only the last `--disable-features=` (and `--enable-features=`) on its command line, and
 * Playwright puts its own list first and ours after it: passed as they are, our switches would replace
 * Playwright's list and turn back on what it turns off (the network-time queries to an outside server among them).
 * So every list is merged into one switch that holds Playwright's entries and ours.
 */

/**
 * Playwright 1.65's own lists (playwright-core, server/chromium/chromiumSwitches). test/unit/launchArgs.test.ts
 * reads the installed playwright-core and fails when these fall behind it.
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
] as const;

export const PLAYWRIGHT_ENABLED_FEATURES = ['CDPScreenshotNewSurface', 'SkipListAccountsWithoutGaiaCookies'] as const;

const LISTS = [
  { prefix: '--disable-features=', base: PLAYWRIGHT_DISABLED_FEATURES },
  { prefix: '--enable-features=', base: PLAYWRIGHT_ENABLED_FEATURES },
] as const;

/** `args` with each feature list folded into one switch (Playwright's entries first), at the first one's place. */
export function mergeFeatureArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  const lists = LISTS.map((list) => ({ ...list, names: new Set<string>(list.base), index: -1 }));
  for (const arg of args) {
    const list = lists.find((candidate) => arg.startsWith(candidate.prefix));
    if (list === undefined) {
      out.push(arg);
      continue;
    }
    for (const name of arg.slice(list.prefix.length).split(',')) if (name.trim() !== '') list.names.add(name.trim());
    if (list.index === -1) {
      list.index = out.length;
      out.push('');
    }
  }
  for (const list of lists) {
    if (list.index === -1) {
      // Not one of ours: Playwright's own switch stays as it is.
      continue;
    }
    out[list.index] = `${list.prefix}${[...list.names].join(',')}`;
  }
  return out;
}
