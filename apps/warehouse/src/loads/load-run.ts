import { CheckResult } from './checks';

export type LoadOutcome = 'loaded' | 'skipped' | 'failed';
export type LoadProcess = 'service' | 'psql';
/** What started a run: the schedule, the CLI, the HTTP API, the first-start demo, an operator. */
export type LoadTrigger = 'cron' | 'cli' | 'http' | 'demo' | 'operator';

/** One row of `warehouse.load_runs`, as the API shows it. */
export interface LoadRun {
  id: number;
  job: string;
  /** `YYYYMMDD`; null when the run failed before a delivery was found. */
  delivery: string | null;
  process: LoadProcess;
  trigger: string;
  outcome: LoadOutcome;
  contentSha256: string | null;
  /** For a skipped run: the earlier run that loaded the same content. */
  sameAs: number | null;
  files: Array<{ name: string; bytes: number; sha256: string }>;
  rowsRead: number | null;
  rowsLoaded: number | null;
  /** Milliseconds per phase of a loaded run (e.g. copy, checks, publish, attach). */
  phaseMs: Record<string, number> | null;
  checks: CheckResult[];
  error: string | null;
  startedAt: string;
  finishedAt: string;
  runBy: string;
}

/** A run record about to be inserted (the id was taken from the sequence beforehand). */
export type NewLoadRun = Omit<LoadRun, 'finishedAt' | 'runBy'>;
