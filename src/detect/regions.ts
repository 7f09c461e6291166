/** Model Studio regions: id, the name the console shows, and the hosts that point at them. */
export interface RegionInfo {
  id: string;
  name: string;
}

export const REGIONS: Record<string, RegionInfo> = {
  'cn-beijing': { id: 'cn-beijing', name: 'China (Beijing)' },
  'ap-southeast-1': { id: 'ap-southeast-1', name: 'Singapore' },
  'us-east-1': { id: 'us-east-1', name: 'US (Virginia)' },
  'cn-hongkong': { id: 'cn-hongkong', name: 'China (Hong Kong)' },
  'ap-northeast-1': { id: 'ap-northeast-1', name: 'Japan (Tokyo)' },
  'eu-central-1': { id: 'eu-central-1', name: 'Germany (Frankfurt)' },
};

/**
 * Region id for a Model Studio host, or undefined for a host that names none.
 * Hosts from the vendor's endpoint list: dashscope(-intl|-us), cn-hongkong.dashscope, coding(-intl).dashscope,
 * {workspace}.{region}.maas and token-plan.{region}.maas.
 */
export function regionOfHost(host: string): string | undefined {
  const h = host.toLowerCase();
  const maas = /(?:^|\.)(cn-beijing|ap-southeast-1|ap-northeast-1|eu-central-1|cn-hongkong|us-east-1)\.maas\.aliyuncs\.com$/.exec(h);
  if (maas) return maas[1];
  if (h.endsWith('cn-hongkong.dashscope.aliyuncs.com')) return 'cn-hongkong';
  // The international Coding Plan host ends like the Beijing one; it serves Singapore, as dashscope-intl does.
  if (h.endsWith('coding-intl.dashscope.aliyuncs.com')) return 'ap-southeast-1';
  if (h.endsWith('dashscope-intl.aliyuncs.com')) return 'ap-southeast-1';
  if (h.endsWith('dashscope-us.aliyuncs.com')) return 'us-east-1';
  if (h.endsWith('dashscope.aliyuncs.com')) return 'cn-beijing';
  return undefined;
}

export function regionName(id: string | undefined): string | undefined {
  return id ? (REGIONS[id]?.name ?? id) : undefined;
}
