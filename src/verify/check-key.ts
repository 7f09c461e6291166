import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import tls from 'node:tls';
import { packageInfo } from '../version';
import { MODELS_PATH, type Endpoint } from './endpoints';
import { NetworkError, openTunnel } from './proxy';

/** What one region said about a key. */
export type RegionAnswer =
  | { kind: 'live'; detail?: string }
  | { kind: 'invalid'; detail: string }
  | { kind: 'unexpected'; detail: string }
  | { kind: 'network'; detail: string; retryable: boolean }
  | { kind: 'timeout'; detail: string };

export interface CheckOptions {
  timeoutMs: number;
  /** CONNECT proxy for this endpoint, if any. */
  proxy?: URL;
  /** PEM CA to trust instead of the system's, for the endpoint and an https:// proxy (tests only). */
  ca?: string;
}

/** The answer body is read only this far: an error code is all we need, and a hostile proxy could send gigabytes. */
const MAX_BODY_BYTES = 64 * 1024;

/** `InvalidApiKey`, `invalid_api_key` and `Invalid-API-Key` alike: the native and the OpenAI-style error codes. */
function normalCode(code: unknown): string {
  return typeof code === 'string' ? code.toLowerCase().replace(/[^a-z]/g, '') : '';
}

function errorCode(body: string): string {
  try {
    const parsed = JSON.parse(body) as { code?: unknown; error?: { code?: unknown; type?: unknown } };
    return (typeof parsed.code === 'string' && parsed.code) || (typeof parsed.error?.code === 'string' && parsed.error.code) || '';
  } catch {
    return '';
  }
}

/**
 * Reads the vendor's answer as ../shared/model-studio-keys.md documents it: 200 lists models (live); 401
 * `InvalidApiKey` means not a key of this region; 403 `AccessDenied` / `Arrearage` and 429 mean the key exists.
 * Anything else (5xx, an unknown 403) tells nothing. The error code shown is cut short and kept to letters.
 */
export function readAnswer(status: number, body: string): RegionAnswer {
  const code = errorCode(body).replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 40);
  const shown = `HTTP ${status}${code ? ` ${code}` : ''}`;
  if (status === 200) return { kind: 'live' };
  if (status === 429) return { kind: 'live', detail: `${shown}: rate-limited, so the key exists` };
  if (status === 403 && ['accessdenied', 'arrearage'].includes(normalCode(code))) return { kind: 'live', detail: `${shown}: the key exists` };
  if (status === 401) return { kind: 'invalid', detail: shown };
  return { kind: 'unexpected', detail: `answered ${shown}` };
}

function certificateProblem(error: NodeJS.ErrnoException): boolean {
  return /CERT|SELF_SIGNED|ERR_TLS/.test(error.code ?? '');
}

/**
 * One `GET /compatible-mode/v1/models` with the key as a bearer token, and nothing else: no body, no retry here,
 * no redirect followed. The whole exchange (proxy, TLS, answer) has one deadline. Errors carry codes, never the key.
 */
export function checkKeyAt(endpoint: Endpoint, key: string, options: CheckOptions): Promise<RegionAnswer> {
  const sockets: Socket[] = [];
  const track = (socket: Socket): void => {
    sockets.push(socket);
  };
  return new Promise<RegionAnswer>((resolve) => {
    let settled = false;
    const settle = (answer: RegionAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => settle({ kind: 'timeout', detail: `no answer within ${options.timeoutMs / 1000} s` }), options.timeoutMs);
    const fail = (error: Error): void => {
      if (error instanceof NetworkError) return settle({ kind: 'network', detail: error.detail, retryable: error.retryable });
      const code = (error as NodeJS.ErrnoException).code ?? error.name;
      const certificate = certificateProblem(error as NodeJS.ErrnoException);
      settle({ kind: 'network', detail: `${certificate ? 'TLS certificate not trusted' : 'network error'} (${code})`, retryable: !certificate });
    };

    const secureSocket = async (): Promise<tls.TLSSocket> => {
      const tunnel = options.proxy ? await openTunnel(options.proxy, endpoint, track, options.ca) : undefined;
      const socket = tls.connect({
        ...(tunnel ? { socket: tunnel } : { host: endpoint.host, port: endpoint.port }),
        host: endpoint.host,
        ...(isIP(endpoint.host) ? {} : { servername: endpoint.host }),
        ...(options.ca ? { ca: options.ca } : {}),
        // Explicit, so NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot make us hand a key to an impostor.
        rejectUnauthorized: true,
        ALPNProtocols: ['http/1.1'],
      });
      track(socket);
      socket.on('error', fail);
      // The key is written only once the certificate has been checked and the handshake is over.
      await new Promise<void>((ready) => socket.once('secureConnect', ready));
      return socket;
    };

    secureSocket().then((socket) => {
      if (settled) return;
      const request = https.request({
        host: endpoint.host,
        port: endpoint.port,
        method: 'GET',
        path: MODELS_PATH,
        headers: { Authorization: `Bearer ${key}`, Accept: 'application/json', 'User-Agent': `ms-leakscan/${packageInfo().version} (--verify)` },
        createConnection: () => socket,
      });
      request.on('error', fail);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const answer = (): void => settle(readAnswer(response.statusCode ?? 0, Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8')));
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_BODY_BYTES) answer(); // a long body: what arrived is enough
        });
        response.on('error', fail);
        response.on('end', answer);
      });
      request.end();
    }, fail);
  });
}
