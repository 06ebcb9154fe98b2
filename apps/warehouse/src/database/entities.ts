/** The warehouse reads and writes through SQL (COPY, checks, bulk inserts); it maps no entities. */
export const entities: never[] = [];
