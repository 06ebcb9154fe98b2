import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { CsvTokenizer } from '../processing/csv-tokenizer';

/**
 * The floor: the pipeline's tokenizer splits the file into records and fields (the same chunks
 * the rules thread gets) and the bytes are written back; no rules, no strings per field. What
 * reading, splitting and writing cost in this runtime, below which no CSV pipeline here goes.
 */
async function main(input: string, output: string): Promise<void> {
  const tokenizer = new CsvTokenizer();
  const out = createWriteStream(output);
  let rows = 0;
  for await (const bytes of createReadStream(input, {
    highWaterMark: 1 << 16,
  }) as AsyncIterable<Buffer>) {
    rows += tokenizer.push(bytes)?.size ?? 0;
    if (!out.write(bytes)) await once(out, 'drain');
  }
  rows += tokenizer.end()?.size ?? 0;
  out.end();
  await once(out, 'close');
  process.stdout.write(
    `${JSON.stringify({ rows, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

void main(process.argv[2], process.argv[3]);
