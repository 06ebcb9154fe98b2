import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { checksumDelivery, FileChecksums } from './file-checksums';
import { Delivery } from './warehouse-job';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('file checksums', () => {
  let folder: string;
  let delivery: Delivery;
  const drain = () => new Writable({ write: (_chunk, _encoding, done) => done() });

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'file-checksums-'));
    delivery = { id: '20261201', folder, files: [] };
    for (const [name, text] of [
      ['a.tbl', 'streamed\n'],
      ['b.parquet', 'read whole'],
    ]) {
      await writeFile(join(folder, name), text);
      delivery.files.push({ name, path: join(folder, name), bytes: text.length });
    }
  });
  after(() => rm(folder, { recursive: true, force: true }));

  it('takes a streamed file’s checksum on the job’s read, and reads the others', async () => {
    const checksums = new FileChecksums();
    const [streamed] = delivery.files;
    await pipeline(createReadStream(streamed.path), checksums.tap(streamed), drain());
    const checked = await checksums.complete(delivery);
    assert.deepEqual(
      checked.files.map((file) => file.sha256),
      [sha256('streamed\n'), sha256('read whole')],
    );
    assert.deepEqual(checked, await checksumDelivery(delivery));
  });

  it('fails when the bytes loaded differ from the checksum taken before the run', async () => {
    const before = await checksumDelivery(delivery);
    const [streamed] = delivery.files;
    await writeFile(streamed.path, 'replaced\n');
    const checksums = new FileChecksums(before);
    await pipeline(createReadStream(streamed.path), checksums.tap(streamed), drain());
    await assert.rejects(checksums.complete(delivery), {
      message: `${streamed.path}: changed while it was loaded (SHA-256 differs)`,
    });
  });
});
