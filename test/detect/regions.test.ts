import { regionOfHost } from '../../src/detect/regions';

describe('regionOfHost', () => {
  it.each([
    ['dashscope.aliyuncs.com', 'cn-beijing'],
    ['DashScope.aliyuncs.com', 'cn-beijing'],
    ['dashscope-intl.aliyuncs.com', 'ap-southeast-1'],
    ['dashscope-us.aliyuncs.com', 'us-east-1'],
    ['cn-hongkong.dashscope.aliyuncs.com', 'cn-hongkong'],
    ['coding.dashscope.aliyuncs.com', 'cn-beijing'],
    ['coding-intl.dashscope.aliyuncs.com', 'ap-southeast-1'],
    ['llm-a1b2c3.cn-beijing.maas.aliyuncs.com', 'cn-beijing'],
    ['ws-a1b2c3.ap-northeast-1.maas.aliyuncs.com', 'ap-northeast-1'],
    ['llm-a1b2c3.eu-central-1.maas.aliyuncs.com', 'eu-central-1'],
    ['token-plan.ap-southeast-1.maas.aliyuncs.com', 'ap-southeast-1'],
    ['token-plan.cn-beijing.maas.aliyuncs.com', 'cn-beijing'],
    ['maas.aliyuncs.com', undefined],
  ])('%s → %s', (host, region) => {
    expect(regionOfHost(host)).toBe(region);
  });
});
