/**
 * Bad Parquet input, always naming the file and, when one is to blame, the column and row group,
 * so a run record can say exactly what to fix.
 */
export class ParquetInputError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly column?: string,
    readonly rowGroup?: number,
  ) {
    const where = [
      file,
      rowGroup === undefined ? undefined : `row group ${rowGroup}`,
      column === undefined ? undefined : `column "${column}"`,
    ].filter((part) => part !== undefined);
    super(`${where.join(', ')}: ${reason}`);
    this.name = 'ParquetInputError';
  }
}
