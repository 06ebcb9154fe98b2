/** Every TypeORM entity of the `pipeline` schema. */
export const entities: never[] = [];
