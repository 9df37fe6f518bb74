import { describe, expect, it } from 'vitest';
import { createSim, getTask, registerTask, taskIds, type Task } from '../src/index.js';
import { dropTask } from './fixtures/drop-task.js';

describe('task registry', () => {
  it('lists the built-in tasks and a registered plug-in; an unknown id names the known ones', () => {
    expect(taskIds()).toContain('pick-place');
    expect(taskIds()).toContain('drop');
    expect(getTask('drop')).toBe(dropTask);
    expect(() => getTask('pick-plaec')).toThrow(/Unknown task "pick-plaec"\. Known tasks: .*pick-place.*drop/);
  });

  it('re-registering the same task is a no-op; another task under a taken id throws', () => {
    expect(() => registerTask(dropTask)).not.toThrow();
    expect(() => registerTask({ ...(dropTask as Task), description: 'another' })).toThrow(/a different task is already registered as "drop"/);
  });

  it('a plug-in registered with its module URL runs in worker threads, identically to the calling thread', async () => {
    const run = async (threads: number) => {
      const sim = await createSim({ task: 'drop', numWorlds: 4, backend: 'rapier', seed: 5, threads });
      try {
        expect(sim.spec.threads).toBe(threads);
        await sim.reset();
        let r = await sim.step(new Float32Array(4 * sim.spec.actionSize));
        for (let s = 0; s < 40; s++) r = await sim.step(new Float32Array(4 * sim.spec.actionSize));
        return { obs: r.obs.slice(), success: r.success.slice() };
      } finally {
        await sim.dispose();
      }
    };
    const inline = await run(0);
    const workers = await run(2);
    expect(Array.from(workers.obs)).toEqual(Array.from(inline.obs));
    // Dropped from 10–30 cm, every cube has landed and rests on the table after 2 s.
    expect(Array.from(inline.success)).toEqual([1, 1, 1, 1]);
  });

  it('a plug-in registered without a module cannot reach worker threads, and says how to fix it', async () => {
    const local: Task = { ...(dropTask as Task), id: 'drop-local' };
    registerTask(local);
    await expect(createSim({ task: 'drop-local', numWorlds: 2, backend: 'rapier', threads: 1 })).rejects.toThrow(
      /task "drop-local" is not registered in this worker thread: register it with registerTask\(task, \{ module: import\.meta\.url \}\)/,
    );
    const inline = await createSim({ task: 'drop-local', numWorlds: 2, backend: 'rapier', threads: 0 });
    await inline.dispose();
  });
});
