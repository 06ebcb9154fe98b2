export * from './fresh-database';
export * from './database-server';
export * from './foundation-suite';
export * from './node-script';
export * from './openapi-completeness';
