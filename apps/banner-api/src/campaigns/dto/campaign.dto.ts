import { ApiProperty } from '@nestjs/swagger';

export class CampaignAnswerDto {
  @ApiProperty({ example: 7 }) campaignId!: number;
  @ApiProperty({ example: 123 }) bannerId!: number;
  @ApiProperty({ example: 2, description: 'Quarter of the hour (dataset) that was served' })
  quarter!: number;
  @ApiProperty({ example: '/images/image_123.png' }) imageUrl!: string;
}

export class CampaignCollectionDto {
  @ApiProperty({ example: 7 }) campaignId!: number;
  @ApiProperty({ type: [Number], example: [123, 88, 301, 12, 45] }) bannerIds!: number[];
  @ApiProperty({
    enum: ['top10', 'top-x', 'revenue-then-clicks', 'clicks'],
    example: 'revenue-then-clicks',
  })
  rule!: string;
}

export class CampaignListDto {
  @ApiProperty({ example: 2 }) quarter!: number;
  @ApiProperty({ type: [CampaignCollectionDto] }) campaigns!: CampaignCollectionDto[];
}
