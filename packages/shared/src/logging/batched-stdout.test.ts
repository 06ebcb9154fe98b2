import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';

/**
 * A child process logging through `batchedStdout(flushMs)`: the script runs `steps` (pino logger
 * `log`), and the test records when each line reached the pipe.
 */
async function linesOf(
  steps: string,
): Promise<{ lines: { msg: string; atMs: number }[]; closedAtMs: number }> {
  const script = `
    const pino = require('pino');
    const { batchedStdout } = require(${JSON.stringify(require.resolve('./logging.module'))});
    const log = pino(batchedStdout(200));
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    (async () => { ${steps} })();
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  const started = performance.now();
  const lines: { msg: string; atMs: number }[] = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop()!;
    for (const line of complete)
      lines.push({ msg: JSON.parse(line).msg, atMs: performance.now() - started });
  });
  await once(child, 'close');
  return { lines, closedAtMs: performance.now() - started };
}

describe('batched stdout (LOG_FLUSH_MS)', () => {
  it('writes a quiet spell’s lines within the flush interval, whole and in order', async () => {
    const { lines, closedAtMs } = await linesOf(`
      log.info('one'); log.info('two');
      await sleep(1500);
      log.info('three');
      await sleep(1500);`);
    assert.deepEqual(
      lines.map((line) => line.msg),
      ['one', 'two', 'three'],
    );
    // Each line reached the pipe by the next flush, long before the next line or the exit.
    assert.ok(
      lines[2].atMs - lines[1].atMs > 1000,
      'one and two were written before three was logged',
    );
    assert.ok(closedAtMs - lines[2].atMs > 1000, 'three was written before the exit');
  });

  it('loses nothing when the process exits or throws', async () => {
    const { lines: exits } = await linesOf(`log.info('before exit'); process.exit(0);`);
    assert.deepEqual(
      exits.map((line) => line.msg),
      ['before exit'],
    );
    const { lines: crashes } = await linesOf(`log.info('before crash'); throw new Error('boom');`);
    assert.deepEqual(
      crashes.map((line) => line.msg),
      ['before crash'],
    );
  });
});
