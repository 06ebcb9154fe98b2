import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The real image of a banner, uploaded by an operator (`image_<id>.png`). */
@Entity({ schema: 'banner', name: 'creatives' })
export class CreativeEntity {
  @PrimaryColumn({ name: 'banner_id', type: 'int' })
  bannerId!: number;

  @Column({ type: 'bytea' })
  content!: Buffer;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'uploaded_at', type: 'timestamptz', default: () => 'now()' })
  uploadedAt!: Date;

  @Column({ name: 'uploaded_by', type: 'text' })
  uploadedBy!: string;
}
