import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** One row per impression: the same pair repeats, and each repetition counts. */
@Entity({ schema: 'banner', name: 'impressions' })
@Index('impressions_quarter_campaign_banner', ['quarter', 'campaignId', 'bannerId'])
export class ImpressionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'smallint' })
  quarter!: number;

  @Column({ name: 'banner_id', type: 'int' })
  bannerId!: number;

  @Column({ name: 'campaign_id', type: 'int' })
  campaignId!: number;

  @Column({ name: 'import_id', type: 'int' })
  importId!: number;
}

/** Click ids are unique within a quarter; a repeated one is skipped on import. */
@Entity({ schema: 'banner', name: 'clicks' })
export class ClickEntity {
  @PrimaryColumn({ type: 'smallint' })
  quarter!: number;

  @PrimaryColumn({ name: 'click_id', type: 'bigint' })
  clickId!: string;

  @Column({ name: 'banner_id', type: 'int' })
  bannerId!: number;

  @Column({ name: 'campaign_id', type: 'int' })
  campaignId!: number;

  @Column({ name: 'import_id', type: 'int' })
  importId!: number;
}

/** No foreign key to clicks: a conversion may arrive before its click and counts once it does. */
@Entity({ schema: 'banner', name: 'conversions' })
export class ConversionEntity {
  @PrimaryColumn({ type: 'smallint' })
  quarter!: number;

  @PrimaryColumn({ name: 'conversion_id', type: 'bigint' })
  conversionId!: string;

  @Column({ name: 'click_id', type: 'bigint' })
  clickId!: string;

  @Column({ type: 'numeric', precision: 14, scale: 6 })
  revenue!: string;

  @Column({ name: 'import_id', type: 'int' })
  importId!: number;
}
