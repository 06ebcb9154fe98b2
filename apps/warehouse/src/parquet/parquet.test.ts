import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ParquetCodec } from './codecs';
import { ParquetInputError } from './errors';
import { ParquetFileReader, type ExpectedColumn, type ParquetRowGroup } from './reader';
import { ParquetFileWriter, type ParquetColumnSpec } from './writer';

const SAMPLE = join(__dirname, '../../data/organic-share/sample.snappy.parquet');

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warehouse-parquet-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(
  file: string,
  columns: readonly ExpectedColumn[],
): Promise<ParquetRowGroup[]> {
  const reader = await ParquetFileReader.open(file, columns);
  try {
    const groups: ParquetRowGroup[] = [];
    for await (const group of reader.rowGroups()) groups.push(group);
    return groups;
  } finally {
    await reader.close();
  }
}

async function rejection(promise: Promise<unknown>): Promise<ParquetInputError> {
  const error = await promise.then(
    () => assert.fail('expected a ParquetInputError'),
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof ParquetInputError, String(error));
  return error;
}

const SUPPLIER_LIKE: ParquetColumnSpec[] = [
  { name: 'key', kind: 'int64', nullable: false },
  { name: 'balance', kind: 'decimal', precision: 15, scale: 2 },
  { name: 'day', kind: 'date' },
  { name: 'loaded_at', kind: 'timestamp' },
  { name: 'comment', kind: 'string' },
  { name: 'ratio', kind: 'float32' },
];
const SUPPLIER_LIKE_READ: ExpectedColumn[] = SUPPLIER_LIKE.map(({ name, kind }) => ({
  name,
  kinds: [kind],
}));

function supplierLikeRow(i: number): unknown[] {
  return [
    i,
    i % 3 === 0 ? '-999.99' : `${9_999_999_999_999 - i}.${String(i % 100).padStart(2, '0')}`,
    i % 2 === 0 ? '2020-12-31' : '2021-01-04',
    1_608_815_573_538_505n + BigInt(i),
    i % 5 === 0 ? null : `  spaces kept ${i} `,
    i / 2,
  ];
}

describe('ParquetFileReader on the shipped sample (snappy, INT96, float32, DATE)', () => {
  it('reads every row of the one row group with exact types, projecting only the asked columns', async () => {
    const groups = await readAll(SAMPLE, [
      { name: 'dataplatform_inserted_at', kinds: ['timestamp'] },
      { name: 'value', kinds: ['float32'] },
      { name: 'start_date', kinds: ['date'] },
      { name: 'country', kinds: ['string'] },
      { name: 'has_subtrackers', kinds: ['boolean'] },
    ]);
    assert.equal(groups.length, 1);
    const [insertedAt, value, startDate, country, hasSubtrackers] = groups[0]!.columns;
    assert.equal(groups[0]!.rowCount, 9330);
    assert.equal(groups[0]!.columns.length, 5);
    // INT96 keeps its microseconds (a JS Date would cut them to milliseconds).
    assert.equal(insertedAt![0], '2020-12-24T13:12:53.538505Z');
    assert.equal(startDate![0], '2020-12-17');
    assert.equal(country![0], 'GB');
    assert.equal(hasSubtrackers![0], true);
    assert.ok(value!.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0));
    assert.equal(Math.max(...(value as number[])), 528);
  });
});

describe('ParquetFileWriter → ParquetFileReader round trip', () => {
  for (const codec of ['snappy', 'zstd', 'gzip', 'uncompressed'] satisfies ParquetCodec[]) {
    it(`keeps every value exactly with ${codec}, in row groups of the chosen size`, async () => {
      const file = join(dir, `round-trip.${codec}.parquet`);
      const writer = await ParquetFileWriter.create(file, SUPPLIER_LIKE, {
        codec,
        rowGroupSize: 40,
      });
      const rows = Array.from({ length: 101 }, (_, i) => supplierLikeRow(i));
      for (const row of rows) writer.writeRow(row);
      await writer.close();

      const reader = await ParquetFileReader.open(file, []);
      assert.deepEqual(reader.codecs, [codec.toUpperCase()]);
      await reader.close();

      const groups = await readAll(file, SUPPLIER_LIKE_READ);
      assert.deepEqual(
        groups.map((group) => [group.firstRow, group.rowCount]),
        [
          [0, 40],
          [40, 40],
          [80, 21],
        ],
      );
      const read = groups.flatMap((group) =>
        Array.from({ length: group.rowCount }, (_, row) =>
          group.columns.map((column) => column[row]),
        ),
      );
      const expected = rows.map(([key, balance, day, , comment, ratio]) => [
        BigInt(key as number),
        balance,
        day,
        `2020-12-24T13:12:53.${String(538_505 + Number(key)).padStart(6, '0')}Z`,
        comment,
        ratio,
      ]);
      assert.deepEqual(read, expected);
    });
  }

  it('refuses to write a decimal with more decimals than its scale instead of rounding it', async () => {
    const writer = await ParquetFileWriter.create(join(dir, 'bad-decimal.parquet'), SUPPLIER_LIKE);
    assert.throws(
      () => writer.writeRow([1, '1.234', null, null, null, null]),
      /balance: "1.234" is not a decimal/,
    );
  });
});

describe('ParquetFileReader bad input: the error names the file and the column', () => {
  it('a file that is not Parquet', async () => {
    const file = join(dir, 'not-parquet.parquet');
    await writeFile(file, 'day,country\n2021-01-04,GB\n');
    const error = await rejection(ParquetFileReader.open(file, SUPPLIER_LIKE_READ));
    assert.equal(error.file, file);
    assert.match(error.message, /not-parquet\.parquet: is not a Parquet file/);
  });

  it('an empty (0-byte) file', async () => {
    const file = join(dir, 'empty.parquet');
    await writeFile(file, '');
    assert.match(
      (await rejection(ParquetFileReader.open(file, SUPPLIER_LIKE_READ))).message,
      /is not a Parquet file/,
    );
  });

  it('a truncated file (its footer cut off)', async () => {
    const file = join(dir, 'truncated.parquet');
    const sample = await readFile(SAMPLE);
    await writeFile(file, sample.subarray(0, Math.floor(sample.length / 2)));
    const error = await rejection(
      ParquetFileReader.open(file, [{ name: 'value', kinds: ['float32'] }]),
    );
    assert.match(error.message, /truncated\.parquet: is truncated/);
  });

  it('a file whose data pages are corrupt names the row group and the column', async () => {
    const file = join(dir, 'corrupt.parquet');
    const writer = await ParquetFileWriter.create(file, SUPPLIER_LIKE, { codec: 'zstd' });
    for (let i = 0; i < 500; i++) writer.writeRow(supplierLikeRow(i));
    await writer.close();
    const bytes = await readFile(file);
    // Zero the first column chunk's bytes after the magic: the footer still parses.
    bytes.fill(0, 4, 60);
    await writeFile(file, bytes);
    const error = await rejection(readAll(file, SUPPLIER_LIKE_READ));
    assert.equal(error.rowGroup, 0);
    assert.equal(error.column, 'key');
    assert.match(error.message, /corrupt\.parquet, row group 0, column "key": cannot be decoded/);
  });

  it('a missing column, listing the columns the file has', async () => {
    const error = await rejection(
      ParquetFileReader.open(SAMPLE, [
        { name: 'value', kinds: ['float32'] },
        { name: 'channel', kinds: ['string'] },
      ]),
    );
    assert.equal(error.column, 'channel');
    assert.match(
      error.message,
      /sample\.snappy\.parquet, column "channel": is missing \(the file has: name, value,/,
    );
  });

  it('a column of the wrong type says what it is and what was expected', async () => {
    const error = await rejection(
      ParquetFileReader.open(SAMPLE, [{ name: 'value', kinds: ['int32', 'int64'] }]),
    );
    assert.equal(error.column, 'value');
    assert.match(
      error.message,
      /column "value": has type FLOAT \(float32\), expected int32 or int64/,
    );
  });

  it('a file that cannot be opened', async () => {
    const file = join(dir, 'absent.parquet');
    const error = await rejection(ParquetFileReader.open(file, SUPPLIER_LIKE_READ));
    assert.match(error.message, /absent\.parquet: cannot be read \(ENOENT/);
  });
});
