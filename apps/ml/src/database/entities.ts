/** Every TypeORM entity of the `ml` schema. */
export const entities: never[] = [];
