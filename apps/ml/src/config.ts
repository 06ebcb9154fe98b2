import { baseEnvSchema, loadEnv, portVar } from '@des/shared';
import { z } from 'zod';

export const mlEnvSchema = baseEnvSchema.extend({
  PORT: portVar(3005),
  HOST: z.string().default('127.0.0.1'),
});

export type MlConfig = z.infer<typeof mlEnvSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): MlConfig =>
  loadEnv(mlEnvSchema, env);
