/** Every TypeORM entity of the `banner` schema. */
export const entities: never[] = [];
