/**
 * Where --verify may send a key: the OpenAI-compatible endpoints of the Model Studio regions that have a host of
 * their own (../shared/model-studio-keys.md; https://www.alibabacloud.com/help/en/model-studio/get-api-key).
 * Japan (Tokyo) and Germany (Frankfurt) are reached only through a workspace's own `{WorkspaceId}.{region}.maas`
 * host, which a scan cannot know, so keys of those regions cannot be checked. No other host ever gets a key.
 */
export const REGION_HOSTS: Readonly<Record<string, string>> = {
  'cn-beijing': 'dashscope.aliyuncs.com',
  'ap-southeast-1': 'dashscope-intl.aliyuncs.com',
  'us-east-1': 'dashscope-us.aliyuncs.com',
  'cn-hongkong': 'cn-hongkong.dashscope.aliyuncs.com',
};

/** The order regions are tried in after the one the context names: Beijing, Singapore, Virginia, Hong Kong. */
export const REGION_ORDER: readonly string[] = ['cn-beijing', 'ap-southeast-1', 'us-east-1', 'cn-hongkong'];

/** Lists the models the key may call: a read, which generates no tokens and costs nothing. */
export const MODELS_PATH = '/compatible-mode/v1/models';

/** One place a check goes to. */
export interface Endpoint {
  host: string;
  port: number;
}

/**
 * Test-only redirection of the checks: the endpoint of each region and the CA to trust. Reachable from the
 * programmatic API (`run(argv, { verifyTransport })`), never from a flag, a config file or the environment.
 */
export interface VerifyTransport {
  endpoints: Readonly<Record<string, Endpoint>>;
  /** PEM certificates to trust instead of the system's (a test's self-signed CA). */
  ca?: string;
  /** Per-request timeout, in milliseconds. */
  timeoutMs?: number;
}

export function productionEndpoints(): Record<string, Endpoint> {
  return Object.fromEntries(Object.entries(REGION_HOSTS).map(([region, host]) => [region, { host, port: 443 }]));
}
