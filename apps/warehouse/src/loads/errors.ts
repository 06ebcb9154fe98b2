/** A run that cannot proceed for a reason worth recording (bad delivery, bad file). */
export class LoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadError';
  }
}

/** A problem in one source file, named with its line (or row group) and column when known. */
export class SourceFileError extends LoadError {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly position: { line?: number; rowGroup?: number; row?: number; column?: string } = {},
  ) {
    const where = [
      file,
      position.line !== undefined ? `line ${position.line}` : undefined,
      position.rowGroup !== undefined ? `row group ${position.rowGroup}` : undefined,
      position.row !== undefined ? `row ${position.row}` : undefined,
      position.column !== undefined ? `column ${position.column}` : undefined,
    ].filter(Boolean);
    super(`${where.join(', ')}: ${problem}`);
    this.name = 'SourceFileError';
  }
}

/** Another run of the same job holds its lock; this one did not start. */
export class LoadInProgressError extends Error {
  constructor(readonly job: string) {
    super(`a ${job} run is already in progress; this one was refused (try again when it ends)`);
    this.name = 'LoadInProgressError';
  }
}

export class UnknownJobError extends Error {
  constructor(
    readonly job: string,
    known: string[],
  ) {
    super(`no warehouse job named ${job} (jobs: ${known.join(', ')})`);
    this.name = 'UnknownJobError';
  }
}

/** The run could not reach PostgreSQL (refused TLS, wrong password, server down); nothing ran. */
export class LoadConnectionError extends Error {
  constructor(cause: string) {
    super(`cannot connect for the load: ${cause}`);
    this.name = 'LoadConnectionError';
  }
}
