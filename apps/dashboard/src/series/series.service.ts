import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { COUNTRIES, Country, findCountry } from '../countries/countries';
import { CovidDataService } from '../data/covid-data.service';
import { fromEpochDay, toEpochDay } from './dates';
import { CountriesResponseDto, ExportQueryDto, SeriesQueryDto } from './dto/series-query.dto';
import { CountrySeries, SeriesIndex, SeriesRow } from './series-index';

export const SOURCE_NAME = 'Johns Hopkins CSSE COVID-19 Data Repository (global time series)';

/** Rules of the series API: country lookup, date ranges, rows and CSV export. */
@Injectable()
export class SeriesService {
  constructor(private readonly data: CovidDataService) {}

  countries(): CountriesResponseDto {
    const index = this.data.index;
    return {
      dataAsOf: index.dataAsOf,
      source: SOURCE_NAME,
      status: this.data.status(),
      countries: index.countries.map((series) => ({
        name: series.country.name,
        slug: series.country.slug,
        code: series.country.code,
        firstDate: fromEpochDay(series.firstDay),
        lastDate: fromEpochDay(series.lastDay),
      })),
    };
  }

  series(query: SeriesQueryDto): SeriesRow[] {
    const series = this.seriesOf(query.country);
    const [fromDay, toDay] = this.range(series, query.from, query.to);
    return SeriesIndex.rows(series, query.metric, fromDay, toDay);
  }

  exportCsv(query: ExportQueryDto): string {
    const names = query.countries.split(',').filter((name) => name.trim() !== '');
    if (!names.length) throw new BadRequestException('countries: name at least one country');
    const records = names.flatMap((name) => {
      const series = this.seriesOf(name);
      const [fromDay, toDay] = this.range(series, query.from, query.to);
      return SeriesIndex.rows(series, query.metric, fromDay, toDay).map((row) => ({
        country: series.country.name,
        metric: query.metric,
        ...row,
      }));
    });
    return stringify(records, {
      header: true,
      columns: ['country', 'metric', 'date', 'cumulative', 'daily', 'avg7'],
    });
  }

  /** The series of a country given by name, slug or code; 404 naming every known country. */
  seriesOf(key: string): CountrySeries {
    const country: Country | undefined = findCountry(key);
    const series = country && this.data.index.get(country);
    if (!series) {
      const known = COUNTRIES.filter((c) => this.data.index.get(c));
      throw new NotFoundException({
        message: `Unknown country ${JSON.stringify(key)}; known countries: ${known.map((c) => c.name).join(', ')}`,
        knownCountries: known.map((c) => ({ name: c.name, slug: c.slug, code: c.code })),
      });
    }
    return series;
  }

  /**
   * Epoch-day range of a query within the series. Ranges reaching past the data are cut to it;
   * a range with from after to, or entirely outside the data, is a 400.
   */
  range(series: CountrySeries, from?: string, to?: string): [number, number] {
    const fromDay = from === undefined ? series.firstDay : this.day('from', from);
    const toDay = to === undefined ? series.lastDay : this.day('to', to);
    if (fromDay > toDay) {
      throw new BadRequestException(`from (${from}) is after to (${to})`);
    }
    if (toDay < series.firstDay || fromDay > series.lastDay) {
      throw new BadRequestException(
        `no data for ${series.country.name} between ${fromEpochDay(fromDay)} and ${fromEpochDay(toDay)}; it covers ${fromEpochDay(series.firstDay)} to ${fromEpochDay(series.lastDay)}`,
      );
    }
    return [Math.max(fromDay, series.firstDay), Math.min(toDay, series.lastDay)];
  }

  private day(field: string, value: string): number {
    const day = toEpochDay(value.slice(0, 10));
    if (day === undefined) throw new BadRequestException(`${field}: "${value}" is not a date`);
    return day;
  }
}
