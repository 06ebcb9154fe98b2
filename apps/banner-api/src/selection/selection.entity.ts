import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The banners a campaign serves in one quarter, computed once per import (so every replica serves
 * the same collection) and loaded into memory by each replica.
 */
@Entity({ schema: 'banner', name: 'selections' })
export class SelectionEntity {
  @PrimaryColumn({ type: 'smallint' })
  quarter!: number;

  @PrimaryColumn({ name: 'campaign_id', type: 'int' })
  campaignId!: number;

  @Column({ name: 'banner_ids', type: 'int', array: true })
  bannerIds!: number[];

  /** Which rule produced it: `top10`, `top-x`, `revenue-then-clicks`, `clicks`. */
  @Column({ type: 'text' })
  rule!: string;

  /** X: banners of the campaign with at least one conversion. */
  @Column({ name: 'converting_banners', type: 'int' })
  convertingBanners!: number;

  /** Id of the import that produced this data version (seeds the random padding). */
  @Column({ name: 'data_version', type: 'int' })
  dataVersion!: number;
}
