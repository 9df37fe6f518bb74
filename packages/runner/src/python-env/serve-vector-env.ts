/**
 * The Node half of the Python package's vector env (`python/gripgen`): runs one
 * `createVectorEnv` and answers binary frames (frame-protocol.ts) on two pipes the Python side
 * opened, one request at a time.
 *
 *   node --conditions=source --import tsx packages/runner/src/python-env/serve-vector-env.ts CONFIG_JSON REQUEST_FD REPLY_FD
 *
 * CONFIG_JSON is `createVectorEnv`'s config. The process ends after `CLOSE`, and also when the
 * request pipe closes (the Python process ended, however it ended), so it never outlives its
 * parent by more than the step in progress. Standard output and error carry only diagnostics.
 */
import { Socket } from 'node:net';
import { createVectorEnv, EPISODE_END_NAMES, type VectorEnv } from '@gripgen/sim-core';
import { allocateFrame, FRAME, FrameReader, resultLayout, textFrame, writeResult, type ServerSpec } from './frame-protocol.js';

function usage(message: string): never {
  process.stderr.write(`serve-vector-env: ${message}\nusage: serve-vector-env.ts CONFIG_JSON REQUEST_FD REPLY_FD\n`);
  process.exit(2);
}

function parseFd(text: string | undefined, name: string): number {
  const fd = Number(text);
  if (!Number.isInteger(fd) || fd < 0) usage(`${name} must be a file descriptor number; got ${JSON.stringify(text)}`);
  return fd;
}

async function main(): Promise<void> {
  const [configText, requestText, replyText] = process.argv.slice(2);
  if (configText === undefined) usage('missing CONFIG_JSON');
  const requests = new Socket({ fd: parseFd(requestText, 'REQUEST_FD'), readable: true, writable: false });
  const replies = new Socket({ fd: parseFd(replyText, 'REPLY_FD'), readable: false, writable: true });
  // A reply that cannot be delivered means the Python side is gone.
  replies.on('error', () => process.exit(0));

  let env: VectorEnv | null = null;
  const shutdown = async (code: number) => {
    const current = env;
    env = null;
    await current?.close().catch(() => {});
    process.exit(code);
  };

  try {
    env = await createVectorEnv(JSON.parse(configText));
  } catch (e) {
    replies.write(textFrame(FRAME.ERROR, e instanceof Error ? e.message : String(e)), () => process.exit(1));
    return;
  }
  const numEnvs = env.numEnvs;
  const obsSize = env.spec.obsSize;
  const spec: ServerSpec = {
    protocol: 1,
    taskId: env.spec.taskId,
    backend: env.spec.backend,
    numEnvs,
    obsSize,
    obsNames: env.spec.obsNames,
    actionSize: env.spec.actionSize,
    actionNames: env.spec.actionNames,
    actionLow: Array.from(env.singleActionSpace.low),
    actionHigh: Array.from(env.singleActionSpace.high),
    maxEpisodeSteps: env.spec.maxEpisodeSteps,
    seed: env.spec.seed,
    endReasonNames: EPISODE_END_NAMES,
    autoresetMode: 'next-step',
  };
  replies.write(textFrame(FRAME.READY, JSON.stringify(spec)));

  // One reply frame, reused: the Python side reads a reply whole before it sends the next request.
  const result = allocateFrame(FRAME.RESULT, resultLayout(numEnvs, obsSize).bytes);
  const actions = new Float32Array(numEnvs * env.spec.actionSize);
  const actionBytes = new Uint8Array(actions.buffer);
  const reader = new FrameReader();
  let working = false;

  const serve = async () => {
    if (working) return;
    working = true;
    try {
      for (let frame = reader.next(); frame && env; frame = reader.next()) {
        const { kind, payload } = frame;
        try {
          if (kind === FRAME.STEP) {
            if (payload.length !== actionBytes.length) {
              throw new Error(`step: actions has ${payload.length / 4} floats, expected numEnvs · ${env.spec.actionSize} = ${actions.length}`);
            }
            actionBytes.set(payload);
            replies.write(writeResult(result, await env.step(actions), numEnvs, obsSize));
          } else if (kind === FRAME.RESET) {
            const seed = payload.length >= 8 && payload.readUInt32LE(0) === 1 ? payload.readUInt32LE(4) : undefined;
            replies.write(writeResult(result, await env.reset({ seed }), numEnvs, obsSize));
          } else if (kind === FRAME.CLOSE) {
            const current = env;
            env = null;
            await current.close();
            replies.write(allocateFrame(FRAME.CLOSED, 0), () => process.exit(0));
            return;
          } else {
            throw new Error(`unknown frame kind ${kind}`);
          }
        } catch (e) {
          replies.write(textFrame(FRAME.ERROR, e instanceof Error ? e.message : String(e)));
        }
      }
    } finally {
      working = false;
    }
  };

  requests.on('data', (chunk: Buffer) => {
    reader.push(chunk);
    void serve();
  });
  requests.on('end', () => void shutdown(0));
  requests.on('error', () => void shutdown(0));
}

void main();
