import { alibabaCloudAccessKeyId } from '../../rules/alibaba-cloud-access-key-id';
import { alibabaCloudAccessKeySecret } from '../../rules/alibaba-cloud-access-key-secret';
import { modelStudioApiKey } from '../../rules/model-studio-api-key';
import { modelStudioPlanApiKey } from '../../rules/model-studio-plan-api-key';
import { modelStudioTemporaryApiKey } from '../../rules/model-studio-temporary-api-key';
import { entropyBelowProbability } from '../support/entropy-tail';

/**
 * Each rule's entropy floor drops a uniformly random body of its shape with probability below 1e-9, computed exactly.
 * Entropy is rounded to 3 decimals before the comparison, so the tail is taken half a thousandth above the floor.
 */
describe('entropy floors from the key space', () => {
  it.each([
    ['legacy, UUIDv4-shaped 32 hex', modelStudioApiKey.entropyFloor, 30, 16, 2],
    ['legacy, any 32 hex', modelStudioApiKey.entropyFloor, 32, 16, 0],
    ['plan, any 32 hex (its tail is below the UUID-shaped one)', modelStudioPlanApiKey.entropyFloor, 32, 16, 0],
    ['temporary, 24 hex (shortest)', modelStudioTemporaryApiKey.entropyFloor, 24, 16, 0],
    ['temporary, 32 hex', modelStudioTemporaryApiKey.entropyFloor, 32, 16, 0],
    ['AccessKey ID, 12 alphanumerics (shortest)', alibabaCloudAccessKeyId.entropyFloor, 12, 62, 0],
    ['AccessKey ID, 20 alphanumerics', alibabaCloudAccessKeyId.entropyFloor, 20, 62, 0],
    ['AccessKey secret, 30 alphanumerics', alibabaCloudAccessKeySecret.entropyFloor, 30, 62, 0],
  ])('%s: floor %d', (_shape, floor, free, alphabet, fixed) => {
    expect(entropyBelowProbability(free, alphabet, floor + 0.0005, fixed)).toBeLessThan(1e-9);
  });

  it('the computation matches counting by hand: 1,696 of the 65,536 strings of 4 hex have entropy below 1.5 bits', () => {
    // Counts 4 (0 bits): 16 strings; 3+1 (0.811): 16·15·4 = 960; 2+2 (1.0): 120·6 = 720. 2+1+1 is exactly 1.5.
    expect(entropyBelowProbability(4, 16, 1.5)).toBeCloseTo(1696 / 65536, 12);
  });
});
