import { baseEnvSchema, loadEnv, portVar } from '@des/shared';
import { z } from 'zod';

export const dashboardEnvSchema = baseEnvSchema.extend({
  PORT: portVar(3003),
  HOST: z.string().default('127.0.0.1'),
});

export type DashboardConfig = z.infer<typeof dashboardEnvSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): DashboardConfig =>
  loadEnv(dashboardEnvSchema, env);
