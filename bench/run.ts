import { benchConcurrent, concurrentTable } from './concurrentBench.js';
import { benchLoad, loadTable } from './loadBench.js';
import { benchPages, pagesTable } from './pageBench.js';
import { benchRedact, redactTable } from './redactBench.js';
import { benchRemote, remoteTable } from './remoteBench.js';
import { benchScrape, scrapeTable } from './scrapeBench.js';
import { benchState, stateTable } from './stateBench.js';
import { benchStartup, startupTable } from './startup.js';
import { benchToolDefinitions, toolDefinitionsTable } from './toolDefinitions.js';
import { benchViewer, viewerTable } from './viewerBench.js';

/** npm run bench: every figure the closing notes quote, printed as markdown tables. */
async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const wants = (name: string): boolean => only.length === 0 || only.includes(name);
  if (wants('tools')) {
    console.log('## Tool definitions: ours vs @playwright/mcp\n');
    console.log(toolDefinitionsTable(await benchToolDefinitions()));
    console.log();
  }
  if (wants('startup')) {
    console.log('## Startup and sessions\n');
    console.log(startupTable(await benchStartup()));
    console.log();
  }
  if (wants('pages')) {
    console.log('## Pages: ours vs @playwright/mcp\n');
    console.log(pagesTable(await benchPages()));
    console.log();
  }
  if (wants('load')) {
    console.log('## Load: 16 HTTP clients on one server\n');
    console.log(loadTable(await benchLoad()));
    console.log();
  }
  if (wants('concurrent')) {
    console.log('## Concurrent agents: ours vs @playwright/mcp\n');
    console.log(concurrentTable(await benchConcurrent()));
    console.log();
  }
  if (wants('redact')) {
    console.log('## Vault redactor\n');
    console.log(redactTable(benchRedact()));
    console.log();
  }
  if (wants('state')) {
    console.log('## State: profiles and cookies\n');
    console.log(stateTable(await benchState()));
    console.log();
  }
  if (wants('remote')) {
    console.log('## Remote browsers: local, cdp_url, Selenium Grid\n');
    console.log(remoteTable(await benchRemote()));
    console.log();
  }
  if (wants('viewer')) {
    console.log('## Viewer and recordings\n');
    console.log(viewerTable(await benchViewer()));
    console.log();
  }
  if (wants('scrape')) {
    console.log('## Scrape\n');
    console.log(scrapeTable(await benchScrape()));
    console.log();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
