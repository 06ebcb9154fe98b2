import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { Country } from '../countries/country-catalog';
import { CovidDataService } from '../data/covid-data.service';
import { fromEpochDay, toEpochDay } from './dates';
import {
  CountriesResponseDto,
  ExportQueryDto,
  MAX_COUNTRIES,
  SeriesQueryDto,
} from './dto/series-query.dto';
import { CountrySeries, SeriesIndex, SeriesRow, Status } from './series-index';

export const SOURCE_NAME = 'Johns Hopkins CSSE COVID-19 Data Repository (global time series)';

const CSV_COLUMNS = ['country', 'code', 'metric', 'date', 'cumulative', 'daily', 'avg7'];
const PER_MILLION_COLUMNS = [
  'population',
  'cumulativePerMillion',
  'dailyPerMillion',
  'avg7PerMillion',
];

/** Rules of the series API: country lookup, date ranges, per million, rows and CSV export. */
@Injectable()
export class SeriesService {
  constructor(private readonly data: CovidDataService) {}

  countries(): CountriesResponseDto {
    const index = this.data.index;
    return {
      dataAsOf: index.dataAsOf,
      source: SOURCE_NAME,
      status: this.data.status(),
      countries: index.countries.map(({ country, firstDay, lastDay, weeklyReporting }) => ({
        id: country.id,
        name: country.name,
        code: country.code,
        slug: country.slug,
        kind: country.kind,
        population: country.population,
        firstDate: fromEpochDay(firstDay),
        lastDate: fromEpochDay(lastDay),
        weeklyReporting,
      })),
    };
  }

  series(query: SeriesQueryDto): SeriesRow[] {
    return this.rowsOf(this.seriesOf(query.country), query);
  }

  /** CSV of one or more countries (repeated `country`, or the older comma list `countries`). */
  exportCsv(query: ExportQueryDto): string {
    const list = [...(query.country ?? []).map((key) => this.seriesOf(key).country)];
    if (query.countries !== undefined) {
      const { countries, unknown } = this.data.index.catalog.parseList(query.countries);
      if (unknown.length) throw this.unknownCountry(unknown[0]);
      list.push(...countries);
    }
    const countries = [...new Set(list)];
    if (!countries.length) {
      throw new BadRequestException('country: name at least one country (repeat for several)');
    }
    if (countries.length > MAX_COUNTRIES) {
      throw new BadRequestException(`country: at most ${MAX_COUNTRIES} countries`);
    }
    const perMillion = query.per === 'million';
    const records = countries.flatMap((country) => {
      const series = this.data.index.get(country)!;
      return this.rowsOf(series, query).map((row) => ({
        country: country.name,
        code: country.code ?? '',
        metric: query.metric,
        ...row,
        population: country.population,
      }));
    });
    return stringify(records, {
      header: true,
      columns: perMillion ? [...CSV_COLUMNS, ...PER_MILLION_COLUMNS] : CSV_COLUMNS,
    });
  }

  /** The series of a country given by name, ISO code or slug; 404 saying how to find one. */
  seriesOf(key: string): CountrySeries {
    const country: Country | undefined = this.data.index.catalog.find(key);
    const series = country && this.data.index.get(country);
    if (!series) throw this.unknownCountry(key);
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

  private rowsOf(
    series: CountrySeries,
    query: { metric: Status; from?: string; to?: string; per?: string },
  ): SeriesRow[] {
    const [fromDay, toDay] = this.range(series, query.from, query.to);
    const { country } = series;
    if (query.per === 'million' && !country.population) {
      throw new BadRequestException(
        `per=million: JHU's lookup table has no population for ${country.name}, so it has no per-million values`,
      );
    }
    const population = query.per === 'million' ? country.population! : undefined;
    return SeriesIndex.rows(series, query.metric, fromDay, toDay, population);
  }

  private unknownCountry(key: string): NotFoundException {
    return new NotFoundException(
      `Unknown country ${JSON.stringify(key)}: use a JHU name or an ISO 3166 alpha-2 code (GET /api/countries lists them)`,
    );
  }

  private day(field: string, value: string): number {
    const day = toEpochDay(value.slice(0, 10));
    if (day === undefined) throw new BadRequestException(`${field}: "${value}" is not a date`);
    return day;
  }
}
