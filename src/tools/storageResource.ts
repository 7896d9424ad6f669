import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StateView } from '../sessions/stateView.js';
import { mimeTypeOf } from '../stores/mimeType.js';
import { TOOL } from '../notte/toolNames.js';

/** The URI of a session's stored file: what storage_read links to and resources/read serves. */
export function storageUri(sessionId: string, name: string): string {
  return `bsm-storage://${encodeURIComponent(sessionId)}/${name.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Files of the caller's sessions as MCP resources, so storage_read can hand a big file over as a link that the
 * client reads itself (resources/read) instead of putting its bytes into the model's context. Same owner scoping and
 * size cap as storage_read: the read goes through the conversation's own StateView.
 */
export function registerStorageResources(server: McpServer, state: StateView): void {
  server.registerResource(
    'session_storage',
    new ResourceTemplate('bsm-storage://{session_id}/{folder}/{name}', { list: undefined }),
    { title: 'Session storage file', description: `A file of a session's storage (downloads/ or uploads/), as ${TOOL.storageRead} names it.` },
    async (uri, variables) => {
      const part = (key: string): string => decodeURIComponent(String(variables[key] ?? ''));
      const { info, bytes } = await state.storageRead(part('session_id'), `${part('folder')}/${part('name')}`);
      return { contents: [{ uri: uri.href, mimeType: mimeTypeOf(info.name), blob: bytes.toString('base64') }] };
    },
  );
}
