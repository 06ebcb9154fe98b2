import { BUYING_VALUES, Buying, Feature, FEATURE_VALUES, FEATURES } from '../car/attributes';

/**
 * A block of one-hot columns: one attribute (a main effect) or a pair (their interaction, one
 * column per combination of values), with the L2 penalty its weights get in training. Penalties
 * per block let an interaction be shrunk towards the main effects instead of memorising cells.
 */
export interface FeatureGroup {
  features: Feature[];
  l2: number;
}

export type FullFeatures = Record<Feature, string>;

export function groupWidth(group: FeatureGroup): number {
  return group.features.reduce((width, f) => width * FEATURE_VALUES[f].length, 1);
}

export function groupName(group: FeatureGroup): string {
  return group.features.join('×');
}

export function inputWidth(groups: FeatureGroup[]): number {
  return groups.reduce((sum, g) => sum + groupWidth(g), 0);
}

function valueIndex(feature: Feature, value: string): number {
  const index = (FEATURE_VALUES[feature] as readonly string[]).indexOf(value);
  if (index < 0) throw new Error(`${feature}: unknown value "${value}"`);
  return index;
}

/** Indices of the hot columns of a car, one per group (the encoding is sparse by nature). */
export function hotColumns(groups: FeatureGroup[], car: FullFeatures): number[] {
  const hot: number[] = [];
  let offset = 0;
  for (const group of groups) {
    let index = 0;
    for (const feature of group.features) {
      index = index * FEATURE_VALUES[feature].length + valueIndex(feature, car[feature]);
    }
    hot.push(offset + index);
    offset += groupWidth(group);
  }
  return hot;
}

/** The dense one-hot vector of a car. */
export function encode(groups: FeatureGroup[], car: FullFeatures): Float32Array {
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
    if (group.features.length === 1) {
      const hot: number[] = [];
      for (let i = 0; i < width; i++) if (vector[offset + i] === 1) hot.push(i);
      if (hot.length !== 1) throw new Error(`${group.features[0]}: ${hot.length} hot columns`);
      const feature = group.features[0];
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
