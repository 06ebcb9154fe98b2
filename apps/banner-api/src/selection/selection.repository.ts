import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, Notification } from 'pg';
import { DataSource } from 'typeorm';
import { SELECTIONS_CHANNEL } from './selection-channel';
import { Quarter } from './selection.rules';

export interface StoredSelection {
  quarter: Quarter;
  campaignId: number;
  bannerIds: number[];
  rule: string;
  convertingBanners: number;
  dataVersion: number;
}

/** Reads the stored selections and keeps a LISTEN connection for their change notices. */
@Injectable()
export class SelectionRepository {
  private readonly logger = new Logger(SelectionRepository.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The collections of the published dataset of each quarter (or of one quarter). */
  async load(quarter?: Quarter): Promise<StoredSelection[]> {
    const rows: Array<Record<string, number | number[] | string>> = await this.dataSource.query(
      `SELECT d.quarter, s.campaign_id, s.banner_ids, s.rule, s.converting_banners, s.dataset_id
         FROM banner.datasets d JOIN banner.selections s ON s.dataset_id = d.id
        WHERE d.status = 'published' AND ($1::smallint IS NULL OR d.quarter = $1)
        ORDER BY d.quarter, s.campaign_id`,
      [quarter ?? null],
    );
    return rows.map((row) => ({
      quarter: row.quarter as Quarter,
      campaignId: row.campaign_id as number,
      bannerIds: row.banner_ids as number[],
      rule: row.rule as string,
      convertingBanners: row.converting_banners as number,
      dataVersion: row.dataset_id as number,
    }));
  }

  /**
   * A dedicated connection (not from the pool, which would lose it) listening on the channel.
   * `onLost` fires once when the connection drops, so the caller can reconnect and reload.
   */
  async listen(
    onNotice: (quarter: Quarter | undefined) => void,
    onLost: (error: Error) => void,
  ): Promise<Client> {
    const options = this.dataSource.options as { url?: string };
    const client = new Client({
      connectionString: options.url,
      application_name: 'banner-api:listen',
    });
    let lost = false;
    const fail = (error: Error) => {
      if (lost) return;
      lost = true;
      client.end().catch(() => undefined);
      onLost(error);
    };
    client.on('error', fail);
    client.on('end', () => fail(new Error('LISTEN connection closed')));
    client.on('notification', (notice: Notification) => {
      const quarter = Number(notice.payload);
      onNotice([1, 2, 3, 4].includes(quarter) ? (quarter as Quarter) : undefined);
    });
    await client.connect();
    await client.query(`LISTEN ${SELECTIONS_CHANNEL}`);
    this.logger.debug(`Listening on ${SELECTIONS_CHANNEL}`);
    return client;
  }

  /** Closes a listening connection without reporting it as lost. */
  async unlisten(client: Client): Promise<void> {
    client.removeAllListeners('end');
    client.removeAllListeners('error');
    client.on('error', () => undefined);
    await client.end().catch(() => undefined);
  }
}
