import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { ACCEPTED_VARIANTS, Feature, FEATURE_VALUES, normaliseValue } from '../../car/attributes';

const allowed = (feature: Feature) =>
  `must be one of ${FEATURE_VALUES[feature].join(', ')} (also accepted: ${ACCEPTED_VARIANTS[feature]})`;

/** Turns an accepted spelling into the data set's value; anything else is left for @IsIn to reject. */
const normalised = (feature: Feature) =>
  Transform(({ value }: { value: unknown }) =>
    value === undefined || value === null ? undefined : (normaliseValue(feature, value) ?? value),
  );

const property = (feature: Feature, example?: string) =>
  ApiPropertyOptional({
    enum: FEATURE_VALUES[feature],
    example,
    description: `${allowed(feature)}. Leave out when unknown: the prediction then averages over its values.`,
  });

/** A car to price; every attribute may be left out (it is then marginalised). */
export class PredictionRequestDto {
  @property('maint', 'high')
  @IsOptional()
  @normalised('maint')
  @IsIn(FEATURE_VALUES.maint, { message: allowed('maint') })
  maint?: string;

  @property('doors', '4')
  @IsOptional()
  @normalised('doors')
  @IsIn(FEATURE_VALUES.doors, { message: allowed('doors') })
  doors?: string;

  @property('persons')
  @IsOptional()
  @normalised('persons')
  @IsIn(FEATURE_VALUES.persons, { message: allowed('persons') })
  persons?: string;

  @property('lug_boot', 'big')
  @IsOptional()
  @normalised('lug_boot')
  @IsIn(FEATURE_VALUES.lug_boot, { message: allowed('lug_boot') })
  lug_boot?: string;

  @property('safety', 'high')
  @IsOptional()
  @normalised('safety')
  @IsIn(FEATURE_VALUES.safety, { message: allowed('safety') })
  safety?: string;

  @property('class', 'good')
  @IsOptional()
  @normalised('class')
  @IsIn(FEATURE_VALUES.class, { message: allowed('class') })
  class?: string;
}
