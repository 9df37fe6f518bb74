/** `evaluatePolicy` with the policy forced onto the GPU. */
import { evaluatePolicy, type EvaluatePolicyOptions, type PolicyEvaluation } from '../evaluate-policy.js';

/**
 * {@link evaluatePolicy} on the webgpu backend (unless `backend` says otherwise) with the policy
 * fused into the step loop (`policyOnGpu: true`, see `GpuPolicyEvaluator`). Same options and
 * result; throws if the Sim does not end up on the webgpu backend.
 */
export function evaluatePolicyGpu(options: Omit<EvaluatePolicyOptions, 'policyOnGpu'>): Promise<PolicyEvaluation> {
  return evaluatePolicy({ ...options, backend: options.backend ?? 'webgpu', policyOnGpu: true });
}
