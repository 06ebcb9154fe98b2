import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateBatches } from '../generator/batch-generator';
import { RunView } from './dto/run.view';
import { HEADER, PipelineFixture } from '../testing/pipeline-fixture';
import { RunsService } from './runs.service';

/**
 * The same files through two pipelines: one whose duplicate table holds everything, one whose
 * table has 64 slots, so most fingerprint partitions go to disk and most rows are decided
 * after the last file. Both must give the same counts, samples aside, and the same rows.
 */
describe('duplicate detection with a tiny memory budget (partitions on disk)', () => {
  const sides: PipelineFixture[] = [];
  let unbounded: RunView;
  let bounded: RunView;

  before(async () => {
    const source = await mkdtemp(join(tmpdir(), 'pipeline-spill-source-'));
    const generated = await generateBatches({ dir: source, files: 2, rows: 3000, seed: 11 });
    // Every row of the first file again, then a CSV break: rejected, so its rows must be
    // forgotten (neither duplicates nor holders of ids).
    const first = (await readFile(generated[1], 'utf8')).split('\n').slice(1, 400).join('\n');
    for (const slots of [undefined, '64']) {
      const side = await PipelineFixture.create('pipeline');
      sides.push(side);
      const incoming = join(side.dir, 'incoming');
      for (const file of generated) await copyFile(file, join(incoming, basename(file)));
      await writeFile(
        join(incoming, 'zz-broken.csv'),
        `${HEADER}${first}\n"unclosed,a@b.com,1990-01-01,12345678\n`,
      );
      await side.start(slots ? { PIPELINE_DUPLICATE_SLOTS: slots } : {});
    }
    await rm(source, { recursive: true, force: true });
    [unbounded, bounded] = await Promise.all(
      sides.map(({ app }) => app.get(RunsService).run('cli')),
    );
  });

  after(async () => {
    for (const side of sides) await side.dispose();
  });

  it('gives the same run and file counts', () => {
    const counts = (view: RunView) => ({
      status: view.status,
      rowsRead: view.rowsRead,
      successful: view.successful,
      failed: view.failed,
      duplicates: view.duplicates,
      ambiguousDates: view.ambiguousDates,
      membershipCollisions: view.membershipCollisions,
      files: view.files.map((file) => [
        file.outcome,
        file.read,
        file.successful,
        file.failed,
        file.duplicates,
      ]),
    });
    assert.equal(unbounded.status, 'completed');
    assert.ok(unbounded.duplicates > 0 && unbounded.membershipCollisions > 0);
    assert.equal(unbounded.files[2].outcome, 'rejected');
    assert.deepEqual(counts(bounded), counts(unbounded));
  });

  it('writes the same rows, the deferred ones last', async () => {
    for (const output of ['successfulOutput', 'failedOutput'] as const) {
      const lines = async (view: RunView, dir: string) =>
        (await readFile(join(dir, view[output]!), 'utf8')).split('\n').filter(Boolean);
      const [a, b] = [await lines(unbounded, sides[0].dir), await lines(bounded, sides[1].dir)];
      assert.equal(a[0], b[0]);
      assert.deepEqual([...b].sort(), [...a].sort());
      assert.notDeepEqual(b, a); // the bounded run did defer rows
    }
  });

  it('leaves nothing in the work folder', async () => {
    for (const { dir } of sides) {
      assert.deepEqual(await readdir(join(dir, '.work')).catch(() => []), []);
    }
  });
});
