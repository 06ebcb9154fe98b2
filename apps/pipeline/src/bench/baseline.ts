import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';

/**
 * The read+write baseline of issue 20: csv-parse reads the file (a string per field),
 * csv-stringify writes it back. What a straightforward Node CSV pass costs.
 */
async function main(input: string, output: string): Promise<void> {
  let rows = 0;
  await pipeline(
    createReadStream(input, { highWaterMark: 1 << 20 }),
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true }),
    async function* (records: AsyncIterable<string[]>) {
      for await (const record of records) {
        rows += 1;
        yield record;
      }
    },
    stringify({ record_delimiter: 'unix' }),
    createWriteStream(output),
  );
  process.stdout.write(
    `${JSON.stringify({ rows: rows - 1, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

void main(process.argv[2], process.argv[3]);
