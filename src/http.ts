import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from './config.js';
import { errorMessage } from './errors.js';
import { BodyTooLarge, readJsonBody } from './httpBody.js';
import { allowedHostnames, bearerMatches, checkHostAndOrigin } from './httpGuard.js';
import { heapFigures } from './heap.js';
import { log } from './log.js';
import type { SessionRegistry } from './sessions/registry.js';
import { createServer } from './server.js';
import { RestKeys, loadRestKeys } from './rest/keys.js';
import { createRestApi } from './rest/router.js';
import type { RestApi } from './rest/router.js';
import type { ViewerRuntime } from './viewer/runtime.js';

interface Conversation {
  owner: string;
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
  inFlight: number;
  ended: boolean;
}

export interface HttpHandle {
  url: string;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function rpcError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code: -32000, message }, id: null }, headers);
}


function restApiOf(config: Config, registry: SessionRegistry): RestApi {
  const listed = loadRestKeys(config.restApiKeys, config.restApiKeysFile);
  const keys = listed.length > 0 ? listed : config.authToken === undefined ? [] : [config.authToken];
  if (keys.length === 0) throw new Error('--rest needs an API key: pass --rest-api-key, --rest-api-keys-file or --auth-token');
  return createRestApi(registry, new RestKeys(keys));
}

/** Streamable HTTP at /mcp: one McpServer and one owner per MCP session, ended on DELETE, close or silence. */
export async function startHttp(config: Config, registry: SessionRegistry, viewer?: ViewerRuntime): Promise<HttpHandle> {
  const conversations = new Map<string, Conversation>();
  const allowed = allowedHostnames(config.host, config.allowedHosts);
  const timeoutMs = config.clientTimeoutSeconds * 1000;
  const rest = config.rest ? restApiOf(config, registry) : undefined;

  const endConversation = async (id: string, why: string): Promise<void> => {
    const conversation = conversations.get(id);
    if (conversation === undefined || conversation.ended) return;
    conversation.ended = true;
    conversations.delete(id);
    log('info', 'conversation ended', { mcp_session: id, why });
    await registry.endOwner(conversation.owner).catch((error: unknown) => log('warn', 'stopping sessions failed', { error: errorMessage(error) }));
    await conversation.server.close().catch(() => undefined); // the transport may be closed already
  };

  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [id, conversation] of conversations) {
      if (conversation.inFlight === 0 && now - conversation.lastSeen > timeoutMs) void endConversation(id, 'client timeout');
    }
  }, Math.min(5_000, Math.max(250, Math.floor(timeoutMs / 4))));
  sweeper.unref();

  const handleMcp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const sessionHeader = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(sessionHeader) ? sessionHeader[0] : sessionHeader;
    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = await readJsonBody(req, config.maxRequestBytes);
      } catch (error: unknown) {
        if (error instanceof BodyTooLarge) {
          sendJson(res, 413, { jsonrpc: '2.0', error: { code: -32600, message: error.message }, id: null }, error.drained ? {} : { connection: 'close' });
          if (!error.drained) res.once('finish', () => req.destroy());
          return;
        }
        sendJson(res, 400, { jsonrpc: '2.0', error: { code: -32700, message: `Parse error: ${errorMessage(error)}` }, id: null });
        return;
      }
    }
    if (sessionId !== undefined) {
      const conversation = conversations.get(sessionId);
      if (conversation === undefined) {
        rpcError(res, 404, 'Unknown or ended MCP session; initialize a new one.');
        return;
      }
      conversation.lastSeen = Date.now();
      // A GET is the server-to-client event stream: it stays open, so it must not count as a request in flight.
      const streaming = req.method === 'GET';
      if (!streaming) conversation.inFlight += 1;
      try {
        await conversation.transport.handleRequest(req, res, body);
      } finally {
        if (!streaming) conversation.inFlight -= 1;
        conversation.lastSeen = Date.now();
      }
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      rpcError(res, 400, 'No Mcp-Session-Id header: start with an initialize request.');
      return;
    }
    const owner = randomUUID();
    const server = createServer(registry, owner, config.caps);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        conversations.set(id, { owner, server, transport, lastSeen: Date.now(), inFlight: 0, ended: false });
        log('info', 'conversation started', { mcp_session: id });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) void endConversation(transport.sessionId, 'transport closed');
    };
    transport.onerror = (error) => log('warn', 'transport error', { error: errorMessage(error) });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const httpServer: Server = createHttpServer((req, res) => {
    const refused = checkHostAndOrigin(req, allowed);
    if (refused !== undefined) {
      sendJson(res, 403, { error: `${refused}. Connect through localhost, or add the name with --allowed-hosts.` });
      return;
    }
    const requestUrl = new URL(req.url ?? '/', 'http://localhost');
    const path = requestUrl.pathname;
    if (path === '/healthz' && req.method === 'GET') {
      sendJson(res, 200, { status: 'ok', conversations: conversations.size, active_sessions: registry.activeCount(), ...viewer?.figures(), ...heapFigures(requestUrl.searchParams.get('gc') === '1') });
      return;
    }
    if (viewer?.handles(path) === true) return viewer.handle(req, res, path);
    if (rest?.matches(path) === true) {
      rest.handle(req, res, new URL(req.url ?? '/', 'http://localhost')).catch((error: unknown) => {
        log('error', 'REST request failed', { error: errorMessage(error) });
        sendJson(res, 500, { message: 'Internal server error.' });
      });
      return;
    }
    if (path !== '/mcp') {
      sendJson(res, 404, { error: 'Not found. The MCP endpoint is /mcp.' });
      return;
    }
    if (config.authToken !== undefined && !bearerMatches(req, config.authToken)) {
      rpcError(res, 401, 'Missing or wrong bearer token: send Authorization: Bearer <token>.', { 'www-authenticate': 'Bearer' });
      return;
    }
    handleMcp(req, res).catch((error: unknown) => {
      log('error', 'HTTP request failed', { error: errorMessage(error) });
      rpcError(res, 500, 'Internal server error');
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port ?? 0, config.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo; // a TCP listen always yields AddressInfo
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostForUrl}:${address.port}/mcp`;

  return {
    url,
    async close() {
      clearInterval(sweeper);
      await Promise.all([...conversations.keys()].map((id) => endConversation(id, 'server shutdown')));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
