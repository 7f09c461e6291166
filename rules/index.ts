import type { Rule } from '../src/types';
import { alibabaCloudAccessKeyId } from './alibaba-cloud-access-key-id';
import { alibabaCloudAccessKeySecret } from './alibaba-cloud-access-key-secret';
import { modelStudioApiKey } from './model-studio-api-key';
import { modelStudioPlanApiKey } from './model-studio-plan-api-key';
import { modelStudioSignedApiKey } from './model-studio-signed-api-key';
import { modelStudioTemporaryApiKey } from './model-studio-temporary-api-key';

/** Every built-in rule, in the order SARIF lists them. */
export const builtinRules: readonly Rule[] = [
  modelStudioApiKey,
  modelStudioSignedApiKey,
  modelStudioPlanApiKey,
  modelStudioTemporaryApiKey,
  alibabaCloudAccessKeyId,
  alibabaCloudAccessKeySecret,
];
