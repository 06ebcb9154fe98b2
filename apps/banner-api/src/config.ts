import { baseEnvSchema, loadEnv, portVar } from '@des/shared';
import { z } from 'zod';

export const bannerApiEnvSchema = baseEnvSchema.extend({
  PORT: portVar(3004),
  HOST: z.string().default('127.0.0.1'),
});

export type BannerApiConfig = z.infer<typeof bannerApiEnvSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): BannerApiConfig =>
  loadEnv(bannerApiEnvSchema, env);
