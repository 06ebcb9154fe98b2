import { ApiProperty } from '@nestjs/swagger';

/** One (ISO week, country) row of warehouse.organic_share_weekly. */
export class OrganicShareWeekView {
  @ApiProperty({ example: 2020, description: 'ISO year of the week' })
  year!: number;

  @ApiProperty({ example: 53, description: 'ISO week number (1-53)' })
  week!: number;

  @ApiProperty({ example: '2020-12-28', description: 'The Monday the ISO week starts on' })
  weekStart!: string;

  @ApiProperty({ example: 'GB' })
  country!: string;

  @ApiProperty({
    example: 412,
    description: 'Organic new users over this week and the 3 before it',
  })
  organicUsersP4w!: number;

  @ApiProperty({ example: 1630, description: 'New users of every channel over the same 4 weeks' })
  totalUsersP4w!: number;

  @ApiProperty({
    type: 'number',
    nullable: true,
    example: 0.252761,
    description: 'organic / total over the 4 weeks; null when the total is 0',
  })
  shareOrganicP4w!: number | null;

  @ApiProperty({
    example: 3,
    description:
      'How many of the 4 weeks have rows in the source (0-4): below 4 the figure rests on missing data',
  })
  weeksWithDataP4w!: number;

  @ApiProperty({ example: '2026-12-07T05:00:03.120Z' })
  computedAt!: string;
}

export class OrganicShareListView {
  @ApiProperty({ type: [OrganicShareWeekView] })
  weeks!: OrganicShareWeekView[];
}
