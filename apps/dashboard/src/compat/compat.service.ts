import { Injectable } from '@nestjs/common';
import { SeriesService } from '../series/series.service';
import { CompatCaseDto, CompatParamsDto, CompatQueryDto } from './dto/compat.dto';

/** Answers as covid19api.com did, so its existing clients keep working. */
@Injectable()
export class CompatService {
  constructor(private readonly series: SeriesService) {}

  countryStatus(params: CompatParamsDto, query: CompatQueryDto): CompatCaseDto[] {
    const series = this.series.seriesOf(params.slug);
    const [fromDay, toDay] = this.series.range(series, query.from, query.to);
    const { country } = series;
    const cumulative = series.metrics[params.status].cumulative;
    const cases: CompatCaseDto[] = [];
    for (let day = fromDay; day <= toDay; day++) {
      const i = day - series.firstDay;
      cases.push({
        Country: country.name,
        CountryCode: country.code ?? '',
        Province: '',
        City: '',
        CityCode: '',
        Lat: country.lat,
        Lon: country.lon,
        Cases: cumulative[i],
        Status: params.status,
        Date: `${series.dates[i]}T00:00:00Z`,
      });
    }
    return cases;
  }
}
