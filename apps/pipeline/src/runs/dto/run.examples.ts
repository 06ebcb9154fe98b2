import type { RunListView, RunView } from './run.view';

/** A completed run as `GET /runs/:id` shows it: the OpenAPI example of every run answer. */
export const RUN_EXAMPLE: RunView = {
  id: '20260101T100000Z-1a2b3c',
  trigger: 'cron',
  status: 'completed',
  startedAt: new Date('2026-01-01T10:00:00.000Z'),
  finishedAt: new Date('2026-01-01T10:00:07.412Z'),
  successfulOutput: 'successful/applications_20260101T100000Z-1a2b3c.csv',
  failedOutput: 'failed/applications_20260101T100000Z-1a2b3c.csv',
  rowsRead: 2000,
  successful: 771,
  failed: 1187,
  duplicates: 42,
  alreadyEmitted: 0,
  ambiguousDates: 351,
  membershipCollisions: 3,
  crossRunCollisions: 0,
  failureReasons: { mobile_no: 604, email: 581, date_of_birth: 402, name: 61, row_fields: 12 },
  filesProcessed: 1,
  filesRejected: 0,
  filesSkipped: 0,
  summary: {
    membershipCollisionSamples: [
      {
        membershipId: 'Smith_3f2a9',
        first: { file: 'applications_20260101T095500Z_1.csv', line: 17 },
        second: { file: 'applications_20260101T095500Z_1.csv', line: 1203 },
      },
    ],
    crossRunCollisionSamples: [],
    duplicateSamples: [
      {
        duplicate: { file: 'applications_20260101T095500Z_1.csv', line: 88 },
        originalFile: 'applications_20260101T095500Z_1.csv',
      },
    ],
    notTaken: [{ name: 'notes.txt', reason: 'not a CSV batch: only *.csv and *.csv.gz are read' }],
  },
  error: null,
  files: [
    {
      fileName: 'applications_20260101T095500Z_1.csv',
      sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      sizeBytes: 139812,
      outcome: 'processed',
      rejected: false,
      reason: null,
      read: 2000,
      successful: 771,
      failed: 1187,
      duplicates: 42,
      alreadyEmitted: 0,
      ambiguousDates: 351,
      failureReasons: { mobile_no: 604, email: 581, date_of_birth: 402, name: 61, row_fields: 12 },
      dateOrders: {
        '/': {
          order: 'month-first',
          basis: 'evidence',
          monthFirstEvidence: 212,
          dayFirstEvidence: 1,
          contradicting: 1,
          ambiguous: 180,
        },
        '-': {
          order: 'day-first',
          basis: 'default',
          monthFirstEvidence: 0,
          dayFirstEvidence: 0,
          contradicting: 0,
          ambiguous: 171,
        },
      },
      movedTo: 'processed/applications_20260101T095500Z_1.csv',
    },
  ],
};

/** `POST /runs` without waiting: the run just registered. */
export const STARTED_RUN_EXAMPLE: RunView = {
  ...RUN_EXAMPLE,
  status: 'running',
  finishedAt: null,
  successfulOutput: null,
  failedOutput: null,
  rowsRead: 0,
  successful: 0,
  failed: 0,
  duplicates: 0,
  ambiguousDates: 0,
  membershipCollisions: 0,
  failureReasons: null,
  filesProcessed: 0,
  summary: null,
  files: [],
};

export const RUN_LIST_EXAMPLE: RunListView = { total: 1, runs: [RUN_EXAMPLE] };
