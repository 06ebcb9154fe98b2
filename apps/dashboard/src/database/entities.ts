/** Every TypeORM entity of the `covid` schema. */
export const entities: never[] = [];
