import http from 'node:http';
import type net from 'node:net';
import { run, type RunEnvironment } from '../../src/cli/run';
import type { Finding } from '../../src/types';
import { KeyGenerator } from '../support/keys';
import { makeTree } from '../support/temp-tree';
import { ConnectProxy, FakeModelStudio, LIVE, makeCertificate } from '../support/verify-server';

/** --verify's way out: CONNECT tunnels through HTTPS_PROXY, NO_PROXY, and TLS checks that no proxy setting loosens. */
const gen = new KeyGenerator('verify-proxy');
const certificate = makeCertificate();
const keys = { live: gen.legacy() };
let server: FakeModelStudio;
beforeAll(async () => {
  server = new FakeModelStudio(certificate, new Map([[keys.live, { 'cn-beijing': LIVE }]]));
  await server.start();
});
afterAll(() => server.stop());

function cli(argv: string[], environment: Partial<RunEnvironment> = {}) {
  return run(argv, { env: {}, verifyTransport: server.transport(5000), ...environment });
}

async function jsonFindings(argv: string[], environment: Partial<RunEnvironment> = {}): Promise<{ exitCode: number; findings: Finding[] }> {
  const outcome = await cli([...argv, '--format', 'json'], environment);
  return { exitCode: outcome.exitCode, findings: outcome.stdout ? (JSON.parse(outcome.stdout).findings as Finding[]) : [] };
}

describe('proxy', () => {
  let proxy: ConnectProxy;
  let small: { root: string; remove: () => void };
  beforeAll(async () => {
    proxy = new ConnectProxy();
    await proxy.start();
    small = makeTree({ 'a.env': `DASHSCOPE_API_KEY=${keys.live}\n` }, 'verify-proxy');
  });
  afterAll(async () => {
    await proxy.stop();
    small.remove();
  });

  it('tunnels through HTTPS_PROXY with CONNECT, with the proxy\'s credentials', async () => {
    proxy.tunnels.length = 0;
    server.seen.length = 0;
    const env = { HTTPS_PROXY: `http://scanner:p%40ss@127.0.0.1:${proxy.port}` };
    const { findings } = await jsonFindings(['.', '--verify'], { cwd: small.root, env });
    expect(findings[0].verification).toEqual({ status: 'live', region: 'cn-beijing' });
    expect(proxy.tunnels).toEqual([{ target: `127.0.0.1:${server.portOf('cn-beijing')}`, authorization: `Basic ${Buffer.from('scanner:p@ss').toString('base64')}` }]);
    expect(server.regionsFor(keys.live)).toEqual(['cn-beijing']);
  });

  it('tunnels through an https:// proxy too', async () => {
    const secureProxy = new ConnectProxy(certificate);
    await secureProxy.start();
    try {
      server.seen.length = 0;
      const env = { HTTPS_PROXY: `https://127.0.0.1:${secureProxy.port}` };
      const { findings } = await jsonFindings(['.', '--verify'], { cwd: small.root, env });
      expect(findings[0].verification).toEqual({ status: 'live', region: 'cn-beijing' });
      expect(secureProxy.tunnels).toEqual([{ target: `127.0.0.1:${server.portOf('cn-beijing')}` }]);
    } finally {
      await secureProxy.stop();
    }
  });

  it('a proxy that refuses the tunnel: inconclusive, and a 407 is not retried', async () => {
    const refusing = http.createServer();
    let asked = 0;
    refusing.on('connect', (_request: http.IncomingMessage, socket: net.Socket) => {
      asked++;
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const env = { HTTPS_PROXY: `http://127.0.0.1:${(refusing.address() as net.AddressInfo).port}` };
      const { findings } = await jsonFindings(['.', '--verify'], { cwd: small.root, env });
      expect(findings[0].verification?.status).toBe('unknown');
      expect(findings[0].verification?.reason).toMatch(/^China \(Beijing\): the proxy refused the tunnel \(HTTP 407\);/);
      expect(asked).toBe(4);
    } finally {
      refusing.closeAllConnections();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });

  it('connects directly to a host NO_PROXY lists', async () => {
    proxy.tunnels.length = 0;
    server.seen.length = 0;
    const env = { https_proxy: `http://127.0.0.1:${proxy.port}`, NO_PROXY: 'example.com, 127.0.0.1' };
    const { findings } = await jsonFindings(['.', '--verify'], { cwd: small.root, env });
    expect(findings[0].verification?.status).toBe('live');
    expect(proxy.tunnels).toEqual([]);
    expect(server.regionsFor(keys.live)).toEqual(['cn-beijing']);
  });

  it('a proxy that is not http(s) is a usage error that does not repeat its value', async () => {
    const outcome = await cli(['.', '--verify'], { cwd: small.root, env: { HTTPS_PROXY: 'socks5://user:secretpw@127.0.0.1:1080' } });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toMatch(/HTTPS_PROXY uses socks5: — --verify supports http:\/\/ and https:\/\/ proxies only/);
    expect(outcome.stderr).not.toContain('secretpw');
  });
});

describe('TLS', () => {
  it('does not send the key to a server whose certificate is not trusted', async () => {
    const small = makeTree({ 'a.env': `DASHSCOPE_API_KEY=${keys.live}\n` }, 'verify-tls');
    try {
      server.seen.length = 0;
      const { ca: _ca, ...untrusted } = server.transport(5000);
      const { findings } = await jsonFindings(['.', '--verify'], { cwd: small.root, verifyTransport: untrusted });
      expect(findings[0].verification?.status).toBe('unknown');
      expect(findings[0].verification?.reason).toMatch(/TLS certificate not trusted/);
      expect(server.seen).toEqual([]);
    } finally {
      small.remove();
    }
  });
});
