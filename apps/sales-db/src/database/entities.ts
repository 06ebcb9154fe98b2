/** Every TypeORM entity of the `sales` schema. */
export const entities: never[] = [];
