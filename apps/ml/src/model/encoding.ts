import { BUYING_VALUES, Buying, Feature, FEATURE_VALUES, FEATURES } from '../car/attributes';

/** Any column of car.data: the six predictors, or buying itself (an input of the class model). */
export type Column = Feature | 'buying';

export const COLUMN_VALUES: Record<Column, readonly string[]> = {
  buying: BUYING_VALUES,
  ...FEATURE_VALUES,
};

/**
 * A block of one-hot columns: one attribute (a main effect) or several (their interaction, one
 * column per combination of values), with the L2 penalty its weights get in training. Penalties
 * per block let an interaction be shrunk towards the main effects instead of memorising cells.
 */
export interface FeatureGroup {
  features: Column[];
  l2: number;
}

export type FullFeatures = Record<Feature, string>;

/** A complete car with a buying value: the input of the class model. */
export type FullColumns = Partial<Record<Column, string>>;

export function groupWidth(group: FeatureGroup): number {
  return group.features.reduce((width, f) => width * COLUMN_VALUES[f].length, 1);
}

export function groupName(group: FeatureGroup): string {
  return group.features.join('×');
}

export function inputWidth(groups: FeatureGroup[]): number {
  return groups.reduce((sum, g) => sum + groupWidth(g), 0);
}

function valueIndex(feature: Column, value: string | undefined): number {
  const index = value === undefined ? -1 : COLUMN_VALUES[feature].indexOf(value);
  if (index < 0) throw new Error(`${feature}: unknown value "${value}"`);
  return index;
}

/** Indices of the hot columns of a car, one per group (the encoding is sparse by nature). */
export function hotColumns(groups: FeatureGroup[], car: FullColumns): number[] {
  const hot: number[] = [];
  let offset = 0;
  for (const group of groups) {
    let index = 0;
    for (const feature of group.features) {
      index = index * COLUMN_VALUES[feature].length + valueIndex(feature, car[feature]);
    }
    hot.push(offset + index);
    offset += groupWidth(group);
  }
  return hot;
}

/** The dense one-hot vector of a car. */
export function encode(groups: FeatureGroup[], car: FullColumns): Float32Array {
  const vector = new Float32Array(inputWidth(groups));
  for (const column of hotColumns(groups, car)) vector[column] = 1;
  return vector;
}

/**
 * Reads a car back from its vector through the main-effect blocks; used to check that encoding
 * loses nothing. Fails when a feature has no main-effect block or the block is not one-hot.
 */
export function decode(groups: FeatureGroup[], vector: ArrayLike<number>): FullFeatures {
  const car: Partial<FullFeatures> = {};
  let offset = 0;
  for (const group of groups) {
    const width = groupWidth(group);
    const feature = group.features[0];
    if (group.features.length === 1 && feature !== 'buying') {
      const hot: number[] = [];
      for (let i = 0; i < width; i++) if (vector[offset + i] === 1) hot.push(i);
      if (hot.length !== 1) throw new Error(`${feature}: ${hot.length} hot columns`);
      car[feature] = FEATURE_VALUES[feature][hot[0]];
    }
    offset += width;
  }
  for (const feature of FEATURES) {
    if (car[feature] === undefined) throw new Error(`${feature}: no main-effect block to decode`);
  }
  return car as FullFeatures;
}

export function buyingIndex(value: Buying): number {
  return BUYING_VALUES.indexOf(value);
}

export function classIndex(value: string): number {
  return (FEATURE_VALUES.class as readonly string[]).indexOf(value);
}

/** Every one of the 4·4·3·3·3·4 = 1728 combinations of the six predictors. */
export function allCombinations(): FullFeatures[] {
  let combos: Array<Partial<FullFeatures>> = [{}];
  for (const feature of FEATURES) {
    combos = combos.flatMap((partial) =>
      FEATURE_VALUES[feature].map((value) => ({ ...partial, [feature]: value })),
    );
  }
  return combos as FullFeatures[];
}

/** A stable text key of a (possibly partial) car, "-" marking a missing feature. */
export function carKey(car: Partial<FullFeatures>): string {
  return FEATURES.map((f) => car[f] ?? '-').join(',');
}
