import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The banners a campaign serves in one dataset, computed once when the dataset is built (so every
 * replica serves the same collection, and a rollback is instant) and loaded into memory by each replica.
 */
@Entity({ schema: 'banner', name: 'selections' })
export class SelectionEntity {
  @PrimaryColumn({ name: 'dataset_id', type: 'int' })
  datasetId!: number;

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
}
