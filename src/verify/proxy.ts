import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import { UserError } from '../errors';
import type { Endpoint } from './endpoints';

/** The proxy settings of the environment, as curl and most tools read them (lower case first). */
export interface ProxySettings {
  /** HTTPS_PROXY: where CONNECT tunnels go; undefined for direct connections. */
  proxy?: URL;
  /** NO_PROXY entries: `*`, host names (a leading `.` or `*.` allowed), IP addresses, each optionally `:port`. */
  noProxy: string[];
}

/**
 * Reads HTTPS_PROXY / https_proxy and NO_PROXY / no_proxy. A proxy that is not an http:// or https:// URL is a
 * usage error; the message never repeats the value, which may hold a password.
 */
export function proxySettings(env: NodeJS.ProcessEnv): ProxySettings {
  const raw = (env.https_proxy || env.HTTPS_PROXY || '').trim();
  const noProxy = (env.no_proxy || env.NO_PROXY || '')
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  if (!raw) return { noProxy };
  let proxy: URL;
  try {
    proxy = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new UserError('HTTPS_PROXY is not a valid URL — set it to http://host:port (or unset it) before using --verify');
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new UserError(`HTTPS_PROXY uses ${proxy.protocol} — --verify supports http:// and https:// proxies only`);
  }
  return { proxy, noProxy };
}

/** True when NO_PROXY says to connect to this endpoint directly. */
export function bypassesProxy(endpoint: Endpoint, noProxy: readonly string[]): boolean {
  const host = endpoint.host.toLowerCase();
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    let name = entry;
    const port = /^(.*):(\d+)$/.exec(entry);
    if (port && !entry.includes('::')) {
      if (Number(port[2]) !== endpoint.port) return false;
      name = port[1];
    }
    name = name.replace(/^\*?\./, '').replace(/^\[(.*)\]$/, '$1');
    if (isIP(name) || isIP(host)) return host === name;
    return host === name || host.endsWith(`.${name}`);
  });
}

/** The proxy to tunnel through for this endpoint, or undefined to connect directly. */
export function proxyFor(endpoint: Endpoint, settings: ProxySettings): URL | undefined {
  return settings.proxy && !bypassesProxy(endpoint, settings.noProxy) ? settings.proxy : undefined;
}

/** A failure of the way to the vendor (proxy, network), worth one retry; `detail` never holds the key or the proxy's credentials. */
export class NetworkError extends Error {
  constructor(
    readonly detail: string,
    readonly retryable = true,
  ) {
    super(detail);
  }
}

/**
 * Opens a CONNECT tunnel to `target` through an HTTP(S) proxy: the TLS session to the vendor then runs inside
 * it, so the proxy sees the host name but neither the key nor the answer. Node 20's https has no proxy support.
 */
export function openTunnel(proxy: URL, target: Endpoint, track: (socket: Socket) => void, ca?: string): Promise<Socket> {
  const authority = `${isIP(target.host) === 6 ? `[${target.host}]` : target.host}:${target.port}`;
  const headers: Record<string, string> = { Host: authority };
  if (proxy.username || proxy.password) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['Proxy-Authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const secure = proxy.protocol === 'https:';
  const request = (secure ? https : http).request({
    host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: proxy.port || (secure ? 443 : 80),
    method: 'CONNECT',
    path: authority,
    headers,
    agent: false,
    ...(secure ? { rejectUnauthorized: true, ...(ca ? { ca } : {}) } : {}),
  });
  return new Promise<Socket>((resolve, reject) => {
    request.on('socket', track);
    request.on('connect', (response, socket) => {
      if (response.statusCode === 200) return resolve(socket);
      socket.destroy();
      const retryable = response.statusCode !== 407 && response.statusCode !== 403;
      reject(new NetworkError(`the proxy refused the tunnel (HTTP ${response.statusCode})`, retryable));
    });
    request.on('error', (error: NodeJS.ErrnoException) => reject(new NetworkError(`cannot reach the proxy (${error.code ?? error.message})`)));
    request.end();
  });
}
