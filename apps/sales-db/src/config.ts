import { baseEnvSchema, loadEnv, portVar } from '@des/shared';
import { z } from 'zod';

export const salesDbEnvSchema = baseEnvSchema.extend({
  PORT: portVar(3002),
  HOST: z.string().default('127.0.0.1'),
});

export type SalesDbConfig = z.infer<typeof salesDbEnvSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): SalesDbConfig =>
  loadEnv(salesDbEnvSchema, env);
