import { inspect } from 'node:util';
import { regionOfHost } from '../../src/detect/regions';
import { readAnswer } from '../../src/verify/check-key';
import { MODELS_PATH, productionEndpoints, REGION_HOSTS } from '../../src/verify/endpoints';
import { bypassesProxy, proxySettings } from '../../src/verify/proxy';
import { SecretVault } from '../../src/verify/secret-vault';
import { conclude } from '../../src/verify/verify';
import { KeyGenerator } from '../support/keys';

const gen = new KeyGenerator('verify-units');

describe('where keys may go', () => {
  it('only to the four documented regional hosts, on 443, each the host detection reads as that region', () => {
    expect(productionEndpoints()).toEqual({
      'cn-beijing': { host: 'dashscope.aliyuncs.com', port: 443 },
      'ap-southeast-1': { host: 'dashscope-intl.aliyuncs.com', port: 443 },
      'us-east-1': { host: 'dashscope-us.aliyuncs.com', port: 443 },
      'cn-hongkong': { host: 'cn-hongkong.dashscope.aliyuncs.com', port: 443 },
    });
    for (const [region, host] of Object.entries(REGION_HOSTS)) expect(regionOfHost(host)).toBe(region);
    expect(MODELS_PATH).toBe('/compatible-mode/v1/models');
  });
});

describe('NO_PROXY', () => {
  const endpoint = { host: 'dashscope-intl.aliyuncs.com', port: 443 };
  it.each([
    ['', false],
    ['*', true],
    ['aliyuncs.com', true],
    ['.aliyuncs.com', true],
    ['*.aliyuncs.com', true],
    ['dashscope-intl.aliyuncs.com:443', true],
    ['dashscope-intl.aliyuncs.com:8443', false],
    ['scope-intl.aliyuncs.com', false],
    ['example.com, localhost', false],
    ['example.com,dashscope-intl.aliyuncs.com', true],
    ['DASHSCOPE-INTL.ALIYUNCS.COM', true],
  ])('%j bypasses the proxy: %s', (noProxy, bypass) => {
    expect(bypassesProxy(endpoint, proxySettings({ NO_PROXY: noProxy }).noProxy)).toBe(bypass);
  });

  it('matches IP addresses exactly, not as suffixes', () => {
    expect(bypassesProxy({ host: '127.0.0.1', port: 1 }, ['127.0.0.1'])).toBe(true);
    expect(bypassesProxy({ host: '10.0.0.1', port: 1 }, ['0.0.1'])).toBe(false);
  });

  it('reads lower-case names first, as curl does, and a proxy without a scheme as http', () => {
    expect(proxySettings({ https_proxy: 'proxy.lan:3128', HTTPS_PROXY: 'http://other:1' }).proxy?.href).toBe('http://proxy.lan:3128/');
    expect(proxySettings({}).proxy).toBeUndefined();
  });
});

describe('reading an answer', () => {
  it.each([
    [200, '{"data":[]}', 'live'],
    [401, '{"code":"InvalidApiKey","message":"Invalid API-key provided."}', 'invalid'],
    [401, '{"error":{"code":"invalid_api_key"}}', 'invalid'],
    [403, '{"code":"AccessDenied"}', 'live'],
    [403, '{"code":"Arrearage"}', 'live'],
    [403, '{"code":"SomethingElse"}', 'unexpected'],
    [429, '', 'live'],
    [500, 'oops', 'unexpected'],
    [302, '', 'unexpected'],
  ])('HTTP %i %s: %s', (status, body, kind) => {
    expect(readAnswer(status, body).kind).toBe(kind);
  });

  it('keeps an error code short and plain', () => {
    expect(readAnswer(418, JSON.stringify({ code: `\u001b[31m${'x'.repeat(100)}` }))).toEqual({ kind: 'unexpected', detail: `answered HTTP 418 31m${'x'.repeat(37)}` });
  });
});

describe('concluding', () => {
  it('invalid only when every region refused and none the context names is out of reach', () => {
    const refused = { kind: 'invalid', detail: 'HTTP 401' } as const;
    expect(conclude([['cn-beijing', refused]], [])).toEqual({ status: 'invalid', reason: 'refused in China (Beijing)' });
    expect(conclude([['cn-beijing', refused]], ['ap-northeast-1'])).toEqual({
      status: 'unknown',
      reason: 'refused in China (Beijing); Japan (Tokyo) cannot be checked (workspace hosts only)',
    });
    expect(conclude([], [])).toEqual({ status: 'unknown', reason: 'no region to check' });
  });
});

describe('the secret vault', () => {
  it('keeps only keys the verifier may send, and never shows them', () => {
    const vault = new SecretVault();
    const legacy = gen.legacy();
    vault.keep('a', legacy);
    vault.keep('b', gen.planHex());
    vault.keep('c', gen.temporary());
    expect(vault.size).toBe(1);
    expect(vault.secretOf('a')).toBe(legacy);
    const shown = JSON.stringify({ vault }) + inspect(vault, { showHidden: true, depth: 5 }) + JSON.stringify({ ...vault });
    expect(shown).not.toContain(legacy);
    vault.clear();
    expect(vault.secretOf('a')).toBeUndefined();
  });
});
