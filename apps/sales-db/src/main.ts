import './heap-tuning';
import 'reflect-metadata';
import { runMain } from '@des/shared';
import { createApp } from './app';
import { loadConfig } from './config';

runMain('sales-db', async () => {
  const config = loadConfig();
  const app = await createApp();
  await app.listen(config.PORT, config.HOST);
});
