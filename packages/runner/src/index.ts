/**
 * @gripgen/runner — running policies and experts over batches of worlds, and the
 * `gripgen` CLI's reusable pieces (machine description, table formatting).
 */
export { runExpertEpisode, expertTaskIds } from './expert-run.js';
export type { ExpertRunOptions, ExpertRunStats } from './expert-run.js';
export { describeMachine, formatMachine } from './cli/machine.js';
export type { MachineDescription } from './cli/machine.js';
export { formatTable, formatKeyValue, formatNumber } from './cli/table.js';
export type { Align, TableOptions } from './cli/table.js';
export {
  mlpSpec,
  validateMlpSpec,
  mlpWidths,
  mlpOutputSize,
  mlpLayerOffsets,
  mlpParameterCount,
  initMlpParams,
  createMlpWorkspace,
  mlpForward,
  mlpBackwardMse,
  DEFAULT_HIDDEN,
  MAX_HISTORY,
  mlpHistory,
  mlpInputSize,
} from './policy/mlp.js';
export type { MlpSpec, MlpActivation, MlpLayerOffsets, MlpWorkspace, FloatBuffer } from './policy/mlp.js';
export { computeDimensionStats, normalizeInto, denormalizeInPlace, MIN_STD } from './policy/normalization.js';
export type { DimensionStats, PolicyNormalization } from './policy/normalization.js';
export { detectBinaryActions, snapBinaryActions, snapToLevel } from './policy/binary-actions.js';
export type { BinaryAction } from './policy/binary-actions.js';
export { Adam } from './policy/adam.js';
export { lrScale, LR_SCHEDULES } from './policy/lr-schedule.js';
export type { LrSchedule } from './policy/lr-schedule.js';
export type { AdamOptions } from './policy/adam.js';
export { BcPolicy } from './policy/policy.js';
export { ObservationHistory, historyEpisode, writeHistoryRow } from './policy/observation-history.js';
export type { BcPolicyData } from './policy/policy.js';
export { trainPolicy, fillActionChunk } from './policy/train.js';
export type { TrainingEpisode, TrainProgress, TrainPolicyOptions, TrainPolicyResult } from './policy/train.js';
export { prepareTraining, flattenDataset, batchSampleIndex, SAMPLING_STREAM } from './policy/train.js';
export type { TrainingSetup, FlatDataset } from './policy/train.js';
export { trainPolicyGpu, DEFAULT_LOSS_READBACK_EVERY } from './policy/gpu/train-gpu.js';
export type { TrainPolicyGpuOptions } from './policy/gpu/train-gpu.js';
export { GpuTrainer } from './policy/gpu/gpu-trainer.js';
export type { GpuTrainerOptions } from './policy/gpu/gpu-trainer.js';
export { GpuMlp } from './policy/gpu/gpu-mlp.js';
export { GpuAdam } from './policy/gpu/gpu-adam.js';
export type { GpuAdamOptions, GpuAdamTarget } from './policy/gpu/gpu-adam.js';
export { GpuBatchGather, MAX_GPU_SAMPLES } from './policy/gpu/gpu-batch-gather.js';
export { GpuLossLog } from './policy/gpu/loss-log.js';
export { GpuStepCounter } from './policy/gpu/step-counter.js';
export { createTrainingKernels, trainingKernelSources } from './policy/gpu/training-kernels.js';
export type { TrainingKernels } from './policy/gpu/training-kernels.js';
export { GpuDenseForward } from './policy/gpu/gpu-dense-forward.js';
export { evaluatePolicy, DEFAULT_EVAL_STEPS } from './evaluate/evaluate-policy.js';
export type { EvaluatePolicyOptions, PolicyEvaluation } from './evaluate/evaluate-policy.js';
export { ChunkExecutor, CHUNK_EXECUTIONS, ENSEMBLE_DECAY } from './evaluate/chunk-executor.js';
export type { ChunkExecution } from './evaluate/chunk-executor.js';
export { evaluatePolicyGpu } from './evaluate/gpu/evaluate-policy-gpu.js';
export { GpuPolicyEvaluator } from './evaluate/gpu/gpu-policy-evaluator.js';
export type { GpuEpisodeOutcomes } from './evaluate/gpu/outcome-latch.js';
export { createEvaluationKernels, evaluationKernelSources } from './evaluate/gpu/evaluation-kernels.js';
export type { EvaluationKernels } from './evaluate/gpu/evaluation-kernels.js';
export {
  encodePolicy,
  decodePolicy,
  float32ToBase64,
  base64ToFloat32,
  POLICY_FORMAT,
  POLICY_FORMAT_VERSION,
  WEIGHTS_ENCODING,
} from './policy/policy-file.js';
export { savePolicyFile, loadPolicyFile } from './policy/policy-file-node.js';
export type { PolicyActor } from './policy/policy-actor.js';
export { policyToOnnx, ONNX_INPUT_NAME, ONNX_OUTPUT_NAME, ONNX_OBS_NAMES_KEY, ONNX_BINARY_ACTIONS_KEY, ONNX_OPSET } from './policy/onnx-export.js';
export { OnnxPolicy } from './policy/onnx-policy.js';
export type { OnnxPolicyTarget, OnnxRuntime, OnnxSession, OnnxTensor } from './policy/onnx-policy.js';
export { loadOnnxPolicy } from './policy/onnx-policy-node.js';
export {
  wilsonInterval,
  fitLogLinear,
  saturation,
  poolByN,
  quantile,
  normalQuantile,
  studentTQuantile,
  Z_95,
  DEFAULT_MIN_GAIN_PER_DECADE,
} from './curve/stats.js';
export type { RatePoint, PooledRate } from './curve/stats.js';
export { lnGamma, lnBinomialCoefficient, BinomialSampler } from './curve/binomial.js';
export { CURVE_FORMS, LOG_LINEAR, POWER_LAW, LOGISTIC, fittedRate } from './curve/curve-forms.js';
export type { BinomialPoint, CurveForm } from './curve/curve-forms.js';
export { fitBinomialForm, formLogLikelihood } from './curve/binomial-fit.js';
export type { BinomialFit } from './curve/binomial-fit.js';
export { compareForms, seedDispersion, describeComparison, describeDispersion, formLabel, CLEAR_DIFFERENCE } from './curve/form-comparison.js';
export type { CompareOptions, ComparedForms, FittedForm } from './curve/form-comparison.js';
export {
  CurveResampler,
  statisticUncertainty,
  smallSampleWidening,
  MIN_SEEDS_FOR_INTERVAL,
  DEFAULT_RESAMPLES,
  MIN_USABLE_SHARE,
} from './curve/bootstrap.js';
export type { CurveStatistic, UncertaintyOptions } from './curve/bootstrap.js';
export {
  splitAtScale,
  predictAtScale,
  measureAtScale,
  extrapolationTest,
  describeExtrapolation,
  EXTRAPOLATION_RATIO,
} from './curve/extrapolation.js';
export type { ScaleSplit, HeldOutPrediction } from './curve/extrapolation.js';
export { curvePoint, analyzeCurveSeries } from './curve/analysis.js';
export type { CurvePointInput, AnalyzeOptions } from './curve/analysis.js';
export { reanalyzeCurveReport } from './curve/reanalyze.js';
export { curveReportSchema, curveReportJsonSchema, curveReportJsonSchemaText, checkCurveReport } from './curve/curve-schema.js';
export { TRAJECTORIES, variableSymbol, variableAxisLabel, formulaIn } from './curve/curve-variable.js';
export {
  renderCurveSvg,
  seriesLegendText,
  bestFormText,
  FORM_DASHES,
  uncertaintyText,
  formatPercent,
  formatCount,
  SERIES_COLOURS,
  CHART_FONT_FAMILY,
} from './curve/chart-svg.js';
export { svgToPng, rasterizeSvg, countDistinctColours, RESVG_FONT_OPTIONS } from './curve/chart-png.js';
export type { PngOptions, RasterImage } from './curve/chart-png.js';
export { renderReportHtml } from './curve/report-html.js';
export { writeCsv, writeSeriesCsv, CSV_COLUMNS } from './curve/curve-files.js';
export { escapeXml } from './curve/escape.js';
export { CURVE_SCHEMA_VERSION } from './curve/curve-types.js';
export type {
  Interval,
  CurveVariable,
  CurvePoint,
  CurveSeries,
  LogLinearFit,
  Saturation,
  Uncertainty,
  CurveFormName,
  LeaveOneNOut,
  FormFit,
  FormComparison,
  FormUncertainty,
  ScalePrediction,
  Extrapolation,
  CurveSeriesResult,
  CurveChartData,
  CurveReport,
} from './curve/curve-types.js';
export { parseQueueUrl, connectionOptions } from './queue/queue-url.js';
export type { QueueUrl } from './queue/queue-url.js';
export { createGenerationPlan, readPlan, writePlan, parsePlan, makeUnits, extensionUnits, unitId, queueDir, planFile, sourceSnapshot, unitsDir, PLAN_VERSION, PLAN_BACKENDS } from './queue/plan.js';
export type { GenerationPlan, WorkUnit, PlanOptions } from './queue/plan.js';
export { GENERATION_QUEUE, RETRY_DELAY_MS, openGenerationQueue, enqueueUnits, unitJobId, parseUnitJobData } from './queue/generation-queue.js';
export type { UnitJobData, UnitJobResult } from './queue/generation-queue.js';
export { enqueueGeneration } from './queue/enqueue-generation.js';
export type { EnqueueGenerationOptions, EnqueueReport } from './queue/enqueue-generation.js';
export { startGenerationWorker, settle } from './queue/generation-worker.js';
export type { GenerationWorkerOptions } from './queue/generation-worker.js';
export { generateUnit } from './queue/generate-unit.js';
export type { GenerateUnitOptions, UnitOutcome, UnitProgress } from './queue/generate-unit.js';
export { mergeUnits } from './queue/merge-units.js';
export type { MergeResult } from './queue/merge-units.js';
export { assessPlan, isSealed, unitSuccesses } from './queue/plan-state.js';
export type { PlanState } from './queue/plan-state.js';
export { gatherQueueStatus } from './queue/queue-status.js';
export type { QueueStatus, RunStatus, RunningUnit, FailedUnit, WorkerRate } from './queue/queue-status.js';
export { readUnitSummary, UNIT_VERSION, OUTCOME_CODES } from './queue/unit-output.js';
export type { UnitSummary, UnitRecords } from './queue/unit-output.js';
export { checkRedisReachable } from './queue/redis-reachable.js';
export { SWEEP_QUEUE, sweepPlanFile, openSweepQueue, sweepPoints, readSweepPlan, enqueueSweep, reportSweepIfComplete, startSweepWorker } from './queue/sweep-queue.js';
export type { SweepPoint, SweepPlan, SweepJobResult, EnqueueSweepOptions, SweepWorkerOptions } from './queue/sweep-queue.js';
export type { SweepStatus } from './queue/queue-status.js';
