import { BadRequestException, Injectable } from '@nestjs/common';
import { OrganicShareWeekView } from './dto/organic-share-week.view';
import { OrganicShareQuery } from './dto/organic-share.query';
import { OrganicShareRepository } from './organic-share.repository';
import { PeriodError, periodDays } from './weeks';

const CSV_COLUMNS: Array<[header: string, value: (week: OrganicShareWeekView) => unknown]> = [
  ['year', (w) => w.year],
  ['week', (w) => w.week],
  ['week_start', (w) => w.weekStart],
  ['country', (w) => w.country],
  ['organic_users_p4w', (w) => w.organicUsersP4w],
  ['total_users_p4w', (w) => w.totalUsersP4w],
  ['share_organic_p4w', (w) => w.shareOrganicP4w ?? ''],
  ['weeks_with_data_p4w', (w) => w.weeksWithDataP4w],
  ['computed_at', (w) => w.computedAt],
];

@Injectable()
export class OrganicShareService {
  constructor(private readonly repository: OrganicShareRepository) {}

  async weeks(query: OrganicShareQuery): Promise<OrganicShareWeekView[]> {
    let fromDay: string | undefined;
    let toDay: string | undefined;
    try {
      fromDay = query.from === undefined ? undefined : periodDays(query.from, 'from').first;
      toDay = query.to === undefined ? undefined : periodDays(query.to, 'to').last;
    } catch (error) {
      if (error instanceof PeriodError) throw new BadRequestException(error.message);
      throw error;
    }
    if (fromDay && toDay && fromDay > toDay) {
      throw new BadRequestException(`from (${query.from}) is after to (${query.to})`);
    }
    return this.repository.list({ country: query.country, fromDay, toDay });
  }

  /** The same rows as CSV, headed by the table's column names (every value is a number, a code or a date). */
  toCsv(weeks: OrganicShareWeekView[]): string {
    const lines = [CSV_COLUMNS.map(([header]) => header).join(',')];
    for (const week of weeks)
      lines.push(CSV_COLUMNS.map(([, value]) => String(value(week))).join(','));
    return `${lines.join('\n')}\n`;
  }
}
