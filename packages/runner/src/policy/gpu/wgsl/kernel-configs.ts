/**
 * Uniform and state structs of the training kernels, each defined once: the WGSL declaration
 * (`wgslStruct`) and the TS writer (`structView`) both come from these layouts.
 */
import { defineStruct } from '@gripgen/shaders';

/** One dense layer `y = W x + b` over a batch; offsets index the flat parameter vector (mlp.ts layout). */
export const DenseLayerConfig = defineStruct('DenseLayerConfig', [
  ['batch', 'u32'],
  ['fanIn', 'u32'],
  ['fanOut', 'u32'],
  ['weightOffset', 'u32'],
  ['biasOffset', 'u32'],
  /** 1: ReLU after the layer (hidden layers); 0: linear (output layer). */
  ['relu', 'u32'],
]);

/** MSE output delta: `count` = batch × output size, `scale` = 2 / count. */
export const MseConfig = defineStruct('MseConfig', [
  ['count', 'u32'],
  ['scale', 'f32'],
]);

/** Loss reduction over `count` = batch × output size entries. */
export const LossConfig = defineStruct('LossConfig', [['count', 'u32']]);

/** Adam hyperparameters (`oneMinusBeta*` computed in f64 on the host); the scheduled rate and decay come per step from the table. */
export const AdamConfig = defineStruct('AdamConfig', [
  ['count', 'u32'],
  ['beta1', 'f32'],
  ['oneMinusBeta1', 'f32'],
  ['beta2', 'f32'],
  ['oneMinusBeta2', 'f32'],
  ['epsilon', 'f32'],
]);

/** Mini-batch gather: sampling key, dataset size and the row shapes. */
export const GatherConfig = defineStruct('GatherConfig', [
  ['seed', 'u32'],
  ['stream', 'u32'],
  ['samples', 'u32'],
  ['batch', 'u32'],
  ['obsSize', 'u32'],
  ['actionSize', 'u32'],
  ['chunk', 'u32'],
]);

/**
 * GPU-resident training state: the index of the step being computed (0-based). The gather and
 * Adam kernels read it; the loss-reduce kernel, last of a step, increments it, so a run of steps
 * uploads nothing per step.
 */
export const StepState = defineStruct('StepState', [['step', 'u32']]);
