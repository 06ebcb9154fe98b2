import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Impressions of one file, counted per (campaign, banner): the rules only need which banners a
 * campaign showed, so millions of rows become a few hundred, whatever the file size.
 */
@Entity({ schema: 'banner', name: 'impressions' })
export class ImpressionEntity {
  @PrimaryColumn({ name: 'import_id', type: 'int' })
  importId!: number;

  @PrimaryColumn({ name: 'campaign_id', type: 'int' })
  campaignId!: number;

  @PrimaryColumn({ name: 'banner_id', type: 'int' })
  bannerId!: number;

  @Column({ type: 'bigint' })
  impressions!: string;
}

/** A click of one file; within a dataset a click id appears once (a repeat is skipped or a conflict). */
@Entity({ schema: 'banner', name: 'clicks' })
export class ClickEntity {
  @PrimaryColumn({ name: 'import_id', type: 'int' })
  importId!: number;

  @PrimaryColumn({ name: 'click_id', type: 'bigint' })
  clickId!: string;

  @Column({ name: 'banner_id', type: 'int' })
  bannerId!: number;

  @Column({ name: 'campaign_id', type: 'int' })
  campaignId!: number;
}

/** No foreign key to clicks: a conversion of an unknown click is stored, reported, and counts for nothing. */
@Entity({ schema: 'banner', name: 'conversions' })
export class ConversionEntity {
  @PrimaryColumn({ name: 'import_id', type: 'int' })
  importId!: number;

  @PrimaryColumn({ name: 'conversion_id', type: 'bigint' })
  conversionId!: string;

  @Column({ name: 'click_id', type: 'bigint' })
  clickId!: string;

  @Column({ type: 'numeric', precision: 14, scale: 6 })
  revenue!: string;
}
