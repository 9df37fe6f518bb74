/**
 * Worker-thread entry of {@link TrainPool}: trains one policy per request on a prefix of shared
 * episodes with the plain-TS trainer, posting progress every `progressEvery` steps.
 */
import { parentPort } from 'node:worker_threads';
import { sharedEpisodePrefix } from './shared-episodes.js';
import { trainPolicy } from './train.js';
import type { TrainWorkerRequest, TrainWorkerResponse } from './train-pool.js';

const port = parentPort;
if (!port) throw new Error('train-worker must run in a worker thread');

port.on('message', (request: TrainWorkerRequest) => {
  const post = (response: TrainWorkerResponse) => port.postMessage(response);
  try {
    const { id, data, count, options, progressEvery } = request;
    const result = trainPolicy({
      ...options,
      episodes: sharedEpisodePrefix(data, count),
      onProgress: (p) => {
        if (p.step % progressEvery === 0 || p.step === p.steps) post({ id, type: 'progress', progress: p });
      },
    });
    const { policy } = result;
    post({
      id,
      type: 'done',
      result: {
        policy: { spec: policy.spec, params: policy.params, normalization: policy.normalization, obsNames: policy.obsNames, actionNames: policy.actionNames, binaryActions: policy.binaryActions },
        lossHistory: result.lossHistory,
        samples: result.samples,
        trainMs: result.trainMs,
      },
    });
  } catch (error) {
    post({ id: request.id, type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
