import { baseEnvSchema, loadEnv, portVar } from '@des/shared';
import { z } from 'zod';

export const pipelineEnvSchema = baseEnvSchema.extend({
  PORT: portVar(3001),
  HOST: z.string().default('127.0.0.1'),
});

export type PipelineConfig = z.infer<typeof pipelineEnvSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): PipelineConfig =>
  loadEnv(pipelineEnvSchema, env);
