import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SELECTIONS_CHANNEL } from '../selection/selection-channel';
import { BannerStats, Quarter, selectionsFromStats } from '../selection/selection.rules';
import { copyText, FileFacts, FileProblems, MAX_REPORTED_ERRORS, RowError } from './csv-validation';
import {
  DatasetResult,
  FileRefusal,
  FileResult,
  ImportJob,
  ImportOutcome,
  JobFile,
} from './import-job';
import type { AnomalyReport, ImportKind, ImportReport } from './import.entity';

/** Imports of all replicas run one at a time (serialised in PostgreSQL). */
export const IMPORT_LOCK = 'banner-api:import';
export const KINDS: ImportKind[] = ['impressions', 'clicks', 'conversions'];
const SAMPLE_LINES = 10;

const STAGING: Record<ImportKind, string> = {
  impressions: 'file int NOT NULL, banner_id int NOT NULL, campaign_id int NOT NULL',
  clicks:
    'file int NOT NULL, line int NOT NULL, click_id bigint NOT NULL, banner_id int NOT NULL, campaign_id int NOT NULL',
  conversions:
    'file int NOT NULL, line int NOT NULL, conversion_id bigint NOT NULL, click_id bigint NOT NULL, revenue numeric(14,6) NOT NULL',
};

/** The id column of clicks and conversions, and the values that must agree when it repeats. */
const IDENTITY = {
  clicks: { id: 'click_id', values: ['banner_id', 'campaign_id'] },
  conversions: { id: 'conversion_id', values: ['click_id', 'revenue'] },
} as const;

class Refusal extends Error {
  constructor(
    readonly status: 400 | 409,
    message: string,
    readonly files: FileRefusal[],
  ) {
    super(message);
  }
}

interface Staged {
  file: JobFile;
  index: number;
  sha256: string;
  facts: FileFacts;
  problems: FileProblems;
  importId?: number;
  skipped: number;
  report: ImportReport;
}

/**
 * Imports an upload in one transaction on `client`: every file is streamed through validation
 * into COPY staging tables, repeated ids and conflicts are found in SQL, rows go to the event
 * tables, each quarter gets a new dataset (published only when it has all three kinds), the
 * collections are computed from aggregates PostgreSQL computes, and a NOTIFY tells every replica
 * at commit. Any refusal rolls everything back and records the attempt.
 */
export async function runImportJob(client: Client, job: ImportJob): Promise<ImportOutcome> {
  const uploadId = randomUUID();
  const staged: Staged[] = job.files.map((file, index) => ({
    file,
    index,
    sha256: '',
    facts: { rows: 0 },
    problems: new FileProblems(),
    skipped: 0,
    report: {},
  }));
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [IMPORT_LOCK]);
    await stage(client, staged);
    await checkRepeatedIds(client, staged);
    refuseOnProblems(staged, 400, 'invalid rows');
    await refuseDuplicates(client, staged, job);
    for (const entry of staged) {
      const { rows } = await client.query(
        `INSERT INTO banner.imports (file_name, kind, quarter, sha256, status, rows_total, imported_by, upload_id)
         VALUES ($1, $2, $3, $4, 'accepted', $5, $6, $7) RETURNING id`,
        [
          entry.file.fileName,
          entry.file.kind,
          entry.file.quarter,
          entry.sha256,
          entry.facts.rows,
          job.importedBy,
          uploadId,
        ],
      );
      entry.importId = rows[0].id;
      await client.query('UPDATE upload_files SET import_id = $1 WHERE file = $2', [
        entry.importId,
        entry.index,
      ]);
    }
    const datasets: DatasetResult[] = [];
    const quarters = [...new Set(staged.map((entry) => entry.file.quarter))].sort();
    for (const quarter of quarters) {
      datasets.push(
        await buildDataset(
          client,
          job,
          quarter,
          staged.filter((entry) => entry.file.quarter === quarter),
        ),
      );
    }
    for (const entry of staged) {
      if (entry.facts.lastLineWithoutLineEnding !== undefined)
        entry.report.lastLineWithoutLineEnding = entry.facts.lastLineWithoutLineEnding;
      await client.query(
        `UPDATE banner.imports SET rows_inserted = $2, rows_skipped = $3, unmatched_conversions = $4, report = $5 WHERE id = $1`,
        [
          entry.importId,
          entry.facts.rows - entry.skipped,
          entry.skipped,
          entry.report.conversionsWithoutClick?.count ?? 0,
          entry.report,
        ],
      );
    }
    // Only a published set changes what is served, and only its quarter needs reloading.
    for (const dataset of datasets.filter((d) => d.status === 'published'))
      await client.query('SELECT pg_notify($1, $2)', [SELECTIONS_CHANNEL, String(dataset.quarter)]);
    await client.query('COMMIT');
    return {
      ok: true,
      uploadId,
      datasets,
      imports: staged.map((entry): FileResult => ({
        id: entry.importId!,
        fileName: entry.file.fileName,
        kind: entry.file.kind,
        quarter: entry.file.quarter,
        sha256: entry.sha256,
        rowsTotal: entry.facts.rows,
        rowsInserted: entry.facts.rows - entry.skipped,
        rowsSkipped: entry.skipped,
        report: entry.report,
      })),
    };
  } catch (error) {
    await client.query('ROLLBACK');
    if (!(error instanceof Refusal)) throw error;
    await recordRefusal(client, job, staged, error, uploadId);
    return {
      ok: false,
      status: error.status,
      message: error.message,
      uploadId,
      files: error.files,
    };
  }
}

/** Streams every file through validation into its kind's staging table (COPY), hashing it on the way. */
async function stage(client: Client, staged: Staged[]): Promise<void> {
  await client.query(
    `CREATE TEMP TABLE upload_files (file int PRIMARY KEY, quarter smallint NOT NULL, kind text NOT NULL, import_id int) ON COMMIT DROP`,
  );
  for (const kind of KINDS)
    await client.query(`CREATE TEMP TABLE staging_${kind} (${STAGING[kind]}) ON COMMIT DROP`);
  for (const entry of staged) {
    const { file } = entry;
    await client.query('INSERT INTO upload_files (file, quarter, kind) VALUES ($1, $2, $3)', [
      entry.index,
      file.quarter,
      file.kind,
    ]);
    const hash = createHash('sha256');
    async function* hashed() {
      for await (const chunk of createReadStream(file.path) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        yield chunk;
      }
    }
    await pipeline(
      Readable.from(copyText(hashed(), file.kind, entry.index, entry.problems, entry.facts)),
      client.query(copyFrom(`COPY staging_${file.kind} FROM STDIN (FORMAT csv)`)),
    );
    entry.sha256 = hash.digest('hex');
  }
}

/** A click or conversion id twice in one quarter of the upload (same file or not) names both lines. */
async function checkRepeatedIds(client: Client, staged: Staged[]): Promise<void> {
  if (staged.some((entry) => entry.problems.total)) return;
  for (const kind of ['clicks', 'conversions'] as const) {
    const { id } = IDENTITY[kind];
    const { rows } = await client.query<{
      file: number;
      line: number;
      value: string;
      first_file: number;
      first_line: number;
      total: string;
    }>(
      `SELECT file, line, value, first_file, first_line, count(*) OVER (PARTITION BY file) AS total FROM (
         SELECT s.file, s.line, s.${id}::text AS value,
                first_value(s.file) OVER w AS first_file, first_value(s.line) OVER w AS first_line
           FROM staging_${kind} s JOIN upload_files u USING (file)
         WINDOW w AS (PARTITION BY u.quarter, s.${id} ORDER BY s.file, s.line)) d
        WHERE (file, line) <> (first_file, first_line)
        ORDER BY file, line LIMIT 1000`,
    );
    for (const row of rows) {
      const entry = staged[row.file];
      const where =
        row.first_file === row.file
          ? `line ${row.first_line}`
          : `${staged[row.first_file].file.fileName} line ${row.first_line}`;
      entry.problems.add({
        line: row.line,
        field: id,
        problem: `${row.value} already appears on ${where}`,
      });
      // The sample is bounded; the total is the count of the whole file.
      entry.problems.total = Math.max(entry.problems.total, Number(row.total));
    }
  }
}

function refuseOnProblems(staged: Staged[], status: 400 | 409, what: string): void {
  const refused = staged.filter((entry) => entry.problems.total);
  if (!refused.length) return;
  const first = refused[0];
  const sample = first.problems.errors
    .slice(0, 3)
    .map((e) => `line ${e.line}${e.field ? ` ${e.field}` : ''}: ${e.problem}`)
    .join('; ');
  throw new Refusal(
    status,
    `Upload refused, nothing stored: ${refused.map((e) => `${e.file.fileName} (${e.problems.total} ${what})`).join(', ')}. ${first.file.fileName}: ${sample}`,
    refused.map(refusalOf),
  );
}

const refusalOf = (entry: Staged): FileRefusal => ({
  fileName: entry.file.fileName,
  kind: entry.file.kind,
  quarter: entry.file.quarter,
  errors: entry.problems.errors,
  errorCount: entry.problems.total,
});

/**
 * The same bytes as a file already in the quarter's current set (published or draft) of the same
 * kind: 409. Identical content for another quarter or kind is not a duplicate. A replacement (PUT)
 * is never a duplicate: it says what the quarter is.
 */
async function refuseDuplicates(client: Client, staged: Staged[], job: ImportJob): Promise<void> {
  if (job.mode === 'replace') return;
  const duplicates: FileRefusal[] = [];
  for (const entry of staged) {
    const { rows } = await client.query<{ id: number; file_name: string; created_at: Date }>(
      `SELECT i.id, i.file_name, i.created_at FROM banner.imports i
         JOIN banner.dataset_files f ON f.import_id = i.id
         JOIN banner.datasets d ON d.id = f.dataset_id AND d.status IN ('published', 'draft')
        WHERE i.sha256 = $1 AND i.kind = $2 AND d.quarter = $3 ORDER BY i.id LIMIT 1`,
      [entry.sha256, entry.file.kind, entry.file.quarter],
    );
    if (!rows.length) continue;
    const earlier = rows[0];
    duplicates.push({
      ...refusalOf(entry),
      duplicateOf: {
        id: earlier.id,
        fileName: earlier.file_name,
        createdAt: earlier.created_at.toISOString(),
      },
    });
  }
  if (!duplicates.length) return;
  const names = duplicates.map(
    (d) =>
      `${d.fileName} has the same content as import #${d.duplicateOf!.id} (${d.duplicateOf!.fileName}, ${d.duplicateOf!.createdAt}) of dataset ${d.quarter}`,
  );
  throw new Refusal(409, `Upload refused, nothing stored: ${names.join('; ')}`, duplicates);
}

/** The files of the dataset this upload builds on, and that dataset (draft first, else published). */
async function baseOf(
  client: Client,
  quarter: Quarter,
  job: ImportJob,
): Promise<
  { id: number; status: string; files: Array<{ importId: number; kind: ImportKind }> } | undefined
> {
  if (job.mode === 'replace') return undefined;
  const { rows } = await client.query<{ id: number; status: string }>(
    `SELECT id, status FROM banner.datasets WHERE quarter = $1 AND status IN ('draft', 'published')
      ORDER BY status = 'draft' DESC, id DESC LIMIT 1`,
    [quarter],
  );
  if (!rows.length) return undefined;
  const files = await client.query<{ importId: number; kind: ImportKind }>(
    `SELECT import_id AS "importId", kind FROM banner.dataset_files WHERE dataset_id = $1`,
    [rows[0].id],
  );
  return { ...rows[0], files: files.rows };
}

async function buildDataset(
  client: Client,
  job: ImportJob,
  quarter: Quarter,
  entries: Staged[],
): Promise<DatasetResult> {
  const base = await baseOf(client, quarter, job);
  const newKinds = new Set(entries.map((entry) => entry.file.kind));
  // Chosen rule: a new impressions file replaces the quarter's impressions (they have no id to merge on).
  const kept = (base?.files ?? []).filter(
    (file) => !(file.kind === 'impressions' && newKinds.has('impressions')),
  );
  const keptIds = (kind: ImportKind) =>
    kept.filter((file) => file.kind === kind).map((file) => file.importId);
  const fileIndexes = entries.map((entry) => entry.index);

  await client.query(
    `INSERT INTO banner.impressions (import_id, campaign_id, banner_id, impressions)
     SELECT u.import_id, s.campaign_id, s.banner_id, count(*) FROM staging_impressions s JOIN upload_files u USING (file)
      WHERE u.file = ANY($1) GROUP BY 1, 2, 3`,
    [fileIndexes],
  );
  for (const kind of ['clicks', 'conversions'] as const)
    await addIdentified(client, kind, entries, keptIds(kind));

  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO banner.datasets (quarter, status, base_id, imported_by) VALUES ($1, 'draft', $2, $3) RETURNING id`,
    [quarter, base?.id ?? null, job.importedBy],
  );
  const datasetId = rows[0].id;
  await client.query(
    `INSERT INTO banner.dataset_files (dataset_id, import_id, kind)
     SELECT $1, f.import_id, f.kind FROM unnest($2::int[], $3::text[]) AS f(import_id, kind)`,
    [
      datasetId,
      [...kept.map((f) => f.importId), ...entries.map((e) => e.importId!)],
      [...kept.map((f) => f.kind), ...entries.map((e) => e.file.kind)],
    ],
  );
  await reportAnomalies(client, datasetId, entries);
  if (job.strict) refuseOnAnomalies(entries);

  const kinds = new Set([...kept.map((f) => f.kind), ...newKinds]);
  const missing = KINDS.filter((kind) => !kinds.has(kind));
  if (base?.status === 'draft')
    await client.query(`UPDATE banner.datasets SET status = 'superseded' WHERE id = $1`, [base.id]);
  if (missing.length) return { id: datasetId, quarter, status: 'draft', missing };
  await storeSelections(client, datasetId, quarter);
  await client.query(
    `UPDATE banner.datasets SET status = 'retired' WHERE quarter = $1 AND status = 'published'`,
    [quarter],
  );
  await client.query(
    `UPDATE banner.datasets SET status = 'published', published_at = now() WHERE id = $1`,
    [datasetId],
  );
  return { id: datasetId, quarter, status: 'published', missing };
}

/**
 * Clicks or conversions of this upload's files for one quarter. An id already in a kept file of
 * the quarter's set is skipped when its values agree, and a conflict naming the line when not.
 */
async function addIdentified(
  client: Client,
  kind: 'clicks' | 'conversions',
  entries: Staged[],
  keptImportIds: number[],
): Promise<void> {
  const { id, values } = IDENTITY[kind];
  const fileIndexes = entries.map((entry) => entry.index);
  if (keptImportIds.length) {
    const agrees = values.map((v) => `s.${v} = e.${v}`).join(' AND ');
    const join = `FROM staging_${kind} s JOIN banner.${kind} e ON e.${id} = s.${id} AND e.import_id = ANY($2)`;
    const counts = await client.query<{ file: number; skipped: string; conflicts: string }>(
      `SELECT s.file, count(*) FILTER (WHERE ${agrees}) AS skipped, count(*) FILTER (WHERE NOT (${agrees})) AS conflicts
       ${join} WHERE s.file = ANY($1) GROUP BY s.file`,
      [fileIndexes, keptImportIds],
    );
    for (const row of counts.rows)
      entries.find((e) => e.index === row.file)!.skipped = Number(row.skipped);
    if (counts.rows.some((row) => Number(row.conflicts) > 0)) {
      const conflicts = await client.query<{
        file: number;
        line: number;
        value: string;
        stored: string;
        given: string;
        stored_in: string;
      }>(
        `SELECT s.file, s.line, s.${id}::text AS value, i.file_name AS stored_in,
                concat_ws(', ', ${values.map((v) => `'${v} ' || e.${v}`).join(', ')}) AS stored,
                concat_ws(', ', ${values.map((v) => `'${v} ' || s.${v}`).join(', ')}) AS given
         ${join} JOIN banner.imports i ON i.id = e.import_id
         WHERE s.file = ANY($1) AND NOT (${agrees}) ORDER BY s.file, s.line LIMIT ${MAX_REPORTED_ERRORS}`,
        [fileIndexes, keptImportIds],
      );
      for (const row of conflicts.rows) {
        entries
          .find((e) => e.index === row.file)!
          .problems.add({
            line: row.line,
            field: id,
            problem: `${row.value} is already stored (${row.stored_in}) with ${row.stored}; this line says ${row.given}`,
          });
      }
      for (const row of counts.rows) {
        const entry = entries.find((e) => e.index === row.file)!;
        entry.problems.total = Math.max(entry.problems.total, Number(row.conflicts));
      }
      refuseOnProblems(entries, 409, `conflicts with stored ${kind}`);
    }
  }
  await client.query(
    `INSERT INTO banner.${kind} (import_id, ${id}, ${values.join(', ')})
     SELECT u.import_id, s.${id}, ${values.map((v) => `s.${v}`).join(', ')}
       FROM staging_${kind} s JOIN upload_files u USING (file)
      WHERE s.file = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM banner.${kind} e WHERE e.${id} = s.${id} AND e.import_id = ANY($2))`,
    [fileIndexes, keptImportIds],
  );
}

/** Clicks of campaigns without impressions and conversions of unknown clicks, in the new set. */
async function reportAnomalies(
  client: Client,
  datasetId: number,
  entries: Staged[],
): Promise<void> {
  const checks: Array<[ImportKind, keyof ImportReport, string]> = [
    [
      'clicks',
      'clicksWithoutImpressions',
      `NOT EXISTS (SELECT 1 FROM banner.impressions m JOIN files f ON f.import_id = m.import_id AND f.kind = 'impressions' WHERE m.campaign_id = s.campaign_id)`,
    ],
    [
      'conversions',
      'conversionsWithoutClick',
      `NOT EXISTS (SELECT 1 FROM banner.clicks c JOIN files f ON f.import_id = c.import_id AND f.kind = 'clicks' WHERE c.click_id = s.click_id)`,
    ],
  ];
  for (const [kind, key, condition] of checks) {
    const fileIndexes = entries.filter((e) => e.file.kind === kind).map((e) => e.index);
    if (!fileIndexes.length) continue;
    const { rows } = await client.query<{ file: number; count: string; lines: number[] }>(
      `WITH files AS (SELECT import_id, kind FROM banner.dataset_files WHERE dataset_id = $1)
       SELECT s.file, count(*) AS count, (array_agg(s.line ORDER BY s.line))[1:${SAMPLE_LINES}] AS lines
         FROM staging_${kind} s WHERE s.file = ANY($2) AND ${condition} GROUP BY s.file`,
      [datasetId, fileIndexes],
    );
    for (const row of rows) {
      const entry = entries.find((e) => e.index === row.file)!;
      (entry.report as Record<string, AnomalyReport>)[key] = {
        count: Number(row.count),
        sampleLines: row.lines,
      };
    }
  }
}

function refuseOnAnomalies(entries: Staged[]): void {
  for (const entry of entries) {
    for (const [key, anomaly] of Object.entries(entry.report) as Array<[string, AnomalyReport]>) {
      for (const line of anomaly.sampleLines)
        entry.problems.add({ line, problem: `${key} (strict mode refuses anomalies)` });
      entry.problems.total = Math.max(entry.problems.total, anomaly.count);
    }
  }
  refuseOnProblems(entries, 400, 'anomalies refused in strict mode');
}

/** Per banner of each campaign: clicks, conversions and revenue, aggregated by PostgreSQL. */
async function storeSelections(client: Client, datasetId: number, quarter: Quarter): Promise<void> {
  const { rows } = await client.query<{
    campaign_id: number;
    banner_id: number;
    clicks: number;
    conversions: number;
    revenue_micros: string;
  }>(
    `WITH f AS (SELECT import_id, kind FROM banner.dataset_files WHERE dataset_id = $1),
     clk AS (SELECT click_id, campaign_id, banner_id FROM banner.clicks
              WHERE import_id IN (SELECT import_id FROM f WHERE kind = 'clicks')),
     clicks AS (SELECT campaign_id, banner_id, count(*) AS clicks FROM clk GROUP BY 1, 2),
     conv AS (SELECT c.campaign_id, c.banner_id, count(*) AS conversions, sum(v.revenue) AS revenue
                FROM banner.conversions v JOIN clk c ON c.click_id = v.click_id
               WHERE v.import_id IN (SELECT import_id FROM f WHERE kind = 'conversions') GROUP BY 1, 2),
     banners AS (SELECT campaign_id, banner_id FROM banner.impressions
                  WHERE import_id IN (SELECT import_id FROM f WHERE kind = 'impressions')
                 UNION SELECT campaign_id, banner_id FROM clicks)
     SELECT b.campaign_id, b.banner_id, coalesce(k.clicks, 0)::int AS clicks,
            coalesce(v.conversions, 0)::int AS conversions, (coalesce(v.revenue, 0) * 1000000)::bigint::text AS revenue_micros
       FROM banners b LEFT JOIN clicks k USING (campaign_id, banner_id) LEFT JOIN conv v USING (campaign_id, banner_id)`,
    [datasetId],
  );
  const campaigns = new Map<number, BannerStats[]>();
  for (const row of rows) {
    let banners = campaigns.get(row.campaign_id);
    if (!banners) campaigns.set(row.campaign_id, (banners = []));
    banners.push({
      bannerId: row.banner_id,
      clicks: row.clicks,
      conversions: row.conversions,
      revenueMicros: Number(row.revenue_micros),
    });
  }
  const selections = selectionsFromStats(quarter, campaigns, datasetId);
  await client.query(
    `INSERT INTO banner.selections (dataset_id, campaign_id, banner_ids, rule, converting_banners)
     SELECT $1, s.campaign_id, s.banner_ids::int[], s.rule, s.converting_banners
       FROM unnest($2::int[], $3::text[], $4::text[], $5::int[]) AS s(campaign_id, banner_ids, rule, converting_banners)`,
    [
      datasetId,
      selections.map((s) => s.campaignId),
      selections.map((s) => `{${s.bannerIds.join(',')}}`),
      selections.map((s) => s.rule),
      selections.map((s) => s.convertingBanners),
    ],
  );
}

/** Records every file of a refused upload (nothing of it is stored) with a bounded sample of problems. */
async function recordRefusal(
  client: Client,
  job: ImportJob,
  staged: Staged[],
  refusal: Refusal,
  uploadId: string,
): Promise<void> {
  for (const entry of staged) {
    const own = refusal.files.find(
      (f) => f.fileName === entry.file.fileName && f.kind === entry.file.kind,
    );
    const status = own?.duplicateOf ? 'duplicate' : 'rejected';
    const reason = own
      ? refusal.message
      : `not imported: another file of the same upload was refused (${refusal.message})`;
    await client.query(
      `INSERT INTO banner.imports (file_name, kind, quarter, sha256, status, rows_total, duplicate_of, reason, errors, imported_by, upload_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        entry.file.fileName,
        entry.file.kind,
        entry.file.quarter,
        entry.sha256 || null,
        status,
        entry.facts.rows,
        own?.duplicateOf?.id ?? null,
        reason.slice(0, 2000),
        JSON.stringify(own?.errors ?? []),
        job.importedBy,
        uploadId,
      ],
    );
  }
}

export type { RowError };
