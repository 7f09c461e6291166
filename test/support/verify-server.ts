import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { VerifyTransport } from '../../src/verify/endpoints';

/** A self-signed certificate for 127.0.0.1, made by openssl for this test run only. */
export function makeCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ms-leakscan-cert-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How a region answers one key: a status and body as the vendor documents them, no answer at all, or a reset. */
export type Answer = { status: number; body?: unknown } | 'hang' | 'reset' | 'reset-once';

export const LIVE: Answer = { status: 200, body: { object: 'list', data: [{ id: 'qwen-plus', object: 'model' }] } };
export const INVALID: Answer = { status: 401, body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'InvalidApiKey' } } };

export interface SeenRequest {
  region: string;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The bearer token sent. */
  key: string;
}

export const REGIONS = ['cn-beijing', 'ap-southeast-1', 'us-east-1', 'cn-hongkong'] as const;

/**
 * One HTTPS server per region on 127.0.0.1, imitating the models endpoint: each key answers per region as the
 * test's table says (401 InvalidApiKey when the table says nothing). Records every request it sees.
 */
export class FakeModelStudio {
  readonly seen: SeenRequest[] = [];
  private readonly servers: https.Server[] = [];
  private readonly ports: Record<string, number> = {};
  private readonly resetOnce = new Set<string>();

  constructor(
    private readonly certificate: { key: string; cert: string },
    readonly answers: Map<string, Partial<Record<string, Answer>>> = new Map(),
  ) {}

  async start(): Promise<void> {
    for (const region of REGIONS) {
      const server = https.createServer(this.certificate, (request, response) => this.handle(region, request, response));
      this.servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.ports[region] = (server.address() as AddressInfo).port;
    }
  }

  portOf(region: string): number {
    return this.ports[region];
  }

  transport(timeoutMs = 2000): VerifyTransport {
    const endpoints = Object.fromEntries(REGIONS.map((r) => [r, { host: '127.0.0.1', port: this.ports[r] }]));
    return { endpoints, ca: this.certificate.cert, timeoutMs };
  }

  /** The regions a key was sent to, in order. */
  regionsFor(key: string): string[] {
    return this.seen.filter((r) => r.key === key).map((r) => r.region);
  }

  private handle(region: string, request: http.IncomingMessage, response: http.ServerResponse): void {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const key = (request.headers.authorization ?? '').replace(/^Bearer /, '');
      this.seen.push({ region, method: request.method ?? '', url: request.url ?? '', headers: request.headers, body, key });
      const answer = this.answers.get(key)?.[region] ?? INVALID;
      if (answer === 'hang') return;
      if (answer === 'reset' || (answer === 'reset-once' && !this.resetOnce.has(`${key}@${region}`))) {
        this.resetOnce.add(`${key}@${region}`);
        request.socket.destroy();
        return;
      }
      const shown = typeof answer === 'string' ? (LIVE as { status: number; body?: unknown }) : answer;
      response.writeHead(shown.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(shown.body ?? {}));
    });
  }

  async stop(): Promise<void> {
    for (const server of this.servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}

/** A CONNECT proxy on 127.0.0.1 that records each tunnel asked for and the Proxy-Authorization it came with. */
export class ConnectProxy {
  readonly tunnels: { target: string; authorization?: string }[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  /** With a certificate, the proxy itself speaks TLS (an https:// proxy). */
  constructor(certificate?: { key: string; cert: string }) {
    const refuse = (_request: http.IncomingMessage, response: http.ServerResponse): void => void response.writeHead(405).end();
    this.server = certificate ? https.createServer(certificate, refuse) : http.createServer(refuse);
  }

  async start(): Promise<void> {
    this.server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      this.tunnels.push({ target: request.url ?? '', authorization: request.headers['proxy-authorization'] });
      const [host, port] = (request.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
